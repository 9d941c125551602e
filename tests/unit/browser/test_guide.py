"""The guide page holds one slide per question, with each query runnable as written."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

import pytest

import browser.__main__ as rendered_files
from browser.guide import render_guide
from browser.slides import SLIDES
from browser.style import NODE_STYLES
from ontology.vocab import CATEGORIES


class _Guide(HTMLParser):
    """Collects what Neo4j Browser uses: the <slide> elements and their ``pre.runnable`` text."""

    def __init__(self) -> None:
        super().__init__()
        self.slides = 0
        self.runnable: list[str] = []
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self._in_runnable = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}
        if tag == "slide":
            self.slides += 1
        classes = (dict(attrs).get("class") or "").split()
        if tag == "pre" and "runnable" in classes:
            self._in_runnable = True
            self.runnable.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._in_runnable = False

    def handle_data(self, data: str) -> None:
        if self._in_runnable:
            self.runnable[-1] += data


@pytest.fixture(scope="module")
def guide() -> _Guide:
    parsed = _Guide()
    parsed.feed(render_guide())
    return parsed


def test_an_introduction_then_a_slide_per_question(guide: _Guide) -> None:
    assert guide.slides == 1 + len(SLIDES)


def test_each_runnable_block_is_its_slides_query_verbatim(guide: _Guide) -> None:
    # Browser copies the element's text content into the editor: unescaped, unchanged.
    assert guide.runnable == [slide.cypher for slide in SLIDES]


def test_the_page_carries_nothing_browser_would_strip_or_that_would_restyle_it(
    guide: _Guide,
) -> None:
    assert not guide.tags & {"script", "style", "link", "iframe"}
    assert not {a for a in guide.attributes if a.startswith("on")}


def test_titles_questions_and_reading_notes_are_on_the_page() -> None:
    page = render_guide()
    assert "<title>PharmaKG: canonical questions</title>" in page
    for slide in SLIDES:
        for text in (slide.title, slide.question, slide.reading):
            assert escape(text) in page


def test_the_legend_uses_the_style_sheet_colours() -> None:
    page = render_guide()
    for category, node in NODE_STYLES.items():
        assert f"background-color: {node.color}" in page
        assert f">{CATEGORIES[category].label}</span>" in page


def test_duplicate_slide_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        render_guide((SLIDES[0], SLIDES[0]))


def test_the_committed_copies_are_up_to_date() -> None:
    # browser/style.grass and browser/guide.html are what `python -m browser` writes.
    assert rendered_files.main(["--check"]) == 0, "run `python -m browser` and commit"
