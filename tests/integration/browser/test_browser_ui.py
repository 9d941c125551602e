"""Neo4j Browser in headless Chromium: connect, get the style and guide, draw the answers.

Opens the Browser URL that ``pharmakg neo4j start`` prints, types only the password, and
checks that connecting ran the post-connect commands (the style applied, the guide open).
Then, for every slide, it clicks the guide's query, runs it and checks that Browser drew
exactly the query's nodes, each in its category's colour with its name as caption.
Screenshots go to test-artifacts/browser/; with PHARMAKG_UPDATE_SCREENSHOTS=1 the first
slide's picture also replaces docs/images/browser-mitragynine-opioid-anxiety.png.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from neo4j import GraphDatabase
from playwright.sync_api import BrowserContext, Locator, Page, expect

from api.settings import PROJECT_ROOT
from browser.slides import SLIDES, Slide
from browser.style import NODE_STYLES
from tests.integration.browser.conftest import ARTIFACTS, BrowserStack
from tests.integration.browser.picture import DrawnNode, run

DOCS_IMAGE = PROJECT_ROOT / "docs" / "images" / "browser-mitragynine-opioid-anxiety.png"
UPDATE_DOCS = os.environ.get("PHARMAKG_UPDATE_SCREENSHOTS") == "1"
# The force layout and the zoom move the drawing for a moment: it has settled when no element
# of the drawing moved between two polls this far apart.
SETTLE_POLL_MS = 300
_SETTLED_JS = """
frame => {
  const now = Array.from(frame.querySelectorAll('svg g'))
                   .map(g => g.getAttribute('transform') || '').join('|');
  const settled = frame.__pharmakgLast === now;
  frame.__pharmakgLast = now;
  return settled;
}
"""

# Each drawn node: its fill (the style's colour) and its caption lines joined.
_DRAWN_NODES_JS = """
frame => Array.from(frame.querySelectorAll('svg g.node')).map(node => ({
  fill: (node.querySelector('circle.b-outline') || {getAttribute: () => ''})
          .getAttribute('fill') || '',
  caption: Array.from(node.querySelectorAll('text.caption'))
             .map(t => t.textContent.trim()).join(' ')
}))
"""
_RELATIONSHIP_CAPTIONS_JS = """
frame => Array.from(frame.querySelectorAll('svg g.relationship text'))
          .map(t => t.textContent.trim())
"""


def caption_fits(caption: str, name: str) -> bool:
    """Whether Browser could have drawn ``caption`` for ``name``.

    Browser cuts a long caption to what fits the circle: whole words in order, some left out
    at a line end, the last one possibly cut short (with or without an ellipsis).
    """
    words = caption.split()
    name_words = name.split()
    position = 0
    for index, word in enumerate(words):
        stem = word.removesuffix("…")
        partial = word.endswith("…") or index == len(words) - 1

        def fits(candidate: str, stem: str = stem, partial: bool = partial) -> bool:
            return candidate.startswith(stem) if partial else candidate == stem

        while position < len(name_words) and not fits(name_words[position]):
            position += 1
        if position == len(name_words):
            return False
        position += 1
    return bool(words)


def match_nodes(expected: list[DrawnNode], drawn: list[dict[str, str]]) -> list[DrawnNode]:
    """Pair every expected node with a distinct drawn one; return those left unpaired."""

    def compatible(node: DrawnNode, shown: dict[str, str]) -> bool:
        return shown["fill"].upper() == NODE_STYLES[node.category].color and caption_fits(
            shown["caption"], node.name
        )

    owner: dict[int, int] = {}  # drawn index -> expected index

    def assign(i: int, seen: set[int]) -> bool:
        for j, shown in enumerate(drawn):
            if j in seen or not compatible(expected[i], shown):
                continue
            seen.add(j)
            if j not in owner or assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    return [node for i, node in enumerate(expected) if not assign(i, set())]


@pytest.fixture(scope="module")
def connected(chromium: BrowserContext, browser_stack: BrowserStack) -> Iterator[Page]:
    cfg = browser_stack.neo4j
    page = chromium.new_page()
    page.goto(cfg.browser_url)
    password = page.locator("[data-testid=password]")
    password.wait_for(timeout=60_000)
    # The printed URL fills in the connect form: only the password is left to type.
    assert page.input_value("[data-testid=username]") == "neo4j"
    assert page.input_value("[data-testid=boltaddress]") == f"127.0.0.1:{cfg.bolt_port}"
    password.fill(cfg.password)
    page.click("[data-testid=connect]")
    try:
        page.locator("[data-testid=carousel]", has_text="PharmaKG").wait_for(timeout=60_000)
    finally:
        page.screenshot(path=ARTIFACTS / "connected.png", full_page=True)
    yield page
    page.close()


def test_connecting_applies_the_style_and_opens_the_guide(
    connected: Page, browser_stack: BrowserStack
) -> None:
    commands = connected.locator("[data-testid=frameCommand]").all_inner_texts()
    assert f":style {browser_stack.api_url}/style.grass" in commands
    assert f":play {browser_stack.api_url}/guide.html" in commands
    stream = connected.locator("[data-testid=stream]").inner_text()
    for trouble in (
        "Hostname is not allowed",
        "Remote guide error",
        "Could not parse",
        "Could not fetch",
    ):
        assert trouble not in stream
    guide = connected.locator("[data-testid=carousel]")
    assert guide.locator("slide, .slide").count() == 1  # one slide shown at a time
    assert f"1 / {len(SLIDES) + 1}" in guide.inner_text()


def _open_slide(page: Page, number: int) -> Locator:
    guide = page.locator("[data-testid=carousel]")
    guide.scroll_into_view_if_needed()
    marker = guide.get_by_text(f"Question {number} of {len(SLIDES)}")
    for _ in range(len(SLIDES) + 1):
        if marker.count():
            return guide
        position = guide.get_by_text(re.compile(r"^\d+ / \d+$")).inner_text()
        shown = int(position.split(" / ")[0])
        button = "nextSlide" if shown <= number else "previousSlide"
        guide.locator(f"[data-testid={button}]").click()
    pytest.fail(f"the guide has no slide 'Question {number} of {len(SLIDES)}'")


def _wait_until_settled(page: Page, frame: Locator) -> None:
    page.wait_for_function(
        _SETTLED_JS, arg=frame.element_handle(), polling=SETTLE_POLL_MS, timeout=30_000
    )


def _wait_for_nodes(page: Page, frame: Locator, count: int) -> None:
    expect(frame.locator("svg g.node")).to_have_count(count, timeout=30_000)
    _wait_until_settled(page, frame)


def _screenshot(page: Page, frame: Locator, name: str) -> None:
    frame.get_by_title("Fullscreen").click()
    frame.locator("[aria-label=zoom-to-fit]").click()
    _wait_until_settled(page, frame)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path)
    frame.get_by_title("Close fullscreen").click()
    if UPDATE_DOCS and name == SLIDES[0].key:
        DOCS_IMAGE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_IMAGE)


def _shows(drawn: str, caption: str) -> bool:
    """The Browser cuts a caption longer than its arrow to a prefix ending in an ellipsis: a
    drawn caption shows ``caption`` when it is it, starts with it, or is a cut of it that still
    names the relationship (ten characters at least)."""
    if drawn.endswith("\u2026"):
        cut = drawn.removesuffix("\u2026")
        return len(cut) >= 10 and (caption.startswith(cut) or cut.startswith(caption))
    return drawn.startswith(caption)


@pytest.mark.parametrize("number", range(1, len(SLIDES) + 1), ids=[slide.key for slide in SLIDES])
def test_a_guide_query_draws_its_nodes_in_style(
    connected: Page, browser_stack: BrowserStack, number: int
) -> None:
    slide: Slide = SLIDES[number - 1]
    cfg = browser_stack.neo4j
    with GraphDatabase.driver(cfg.bolt_uri, auth=("neo4j", cfg.password)) as driver:
        expected = run(driver, slide.cypher)
    assert slide.expect <= expected.names

    guide = _open_slide(connected, number)
    guide.locator("pre.runnable").click()  # copies the query into the editor
    connected.click("[data-testid=editor-Run]")
    frame = connected.locator("[data-testid=frame]", has=connected.locator("svg g.node"))
    try:
        frame.wait_for(timeout=30_000)
        _wait_for_nodes(connected, frame, len(expected.nodes))
        drawn: list[dict[str, Any]] = frame.evaluate(_DRAWN_NODES_JS)
        unmatched = match_nodes(list(expected.nodes.values()), drawn)
        assert unmatched == [], f"not drawn in style: {unmatched}; drawn: {drawn}"
        captions: list[str] = frame.evaluate(_RELATIONSHIP_CAPTIONS_JS)
        assert captions, "relationships are drawn with captions"
        if slide is SLIDES[0]:
            for caption in ("measures (increased)", "investigates (test)", "tests mechanism (rev"):
                assert any(_shows(drawn_caption, caption) for drawn_caption in captions), captions
        _screenshot(connected, frame, slide.key)
    finally:
        connected.screenshot(path=ARTIFACTS / f"{slide.key}-stream.png")
        if frame.count():
            frame.get_by_title("Close", exact=True).click()


@pytest.mark.parametrize(
    ("caption", "name", "fits"),
    [
        ("mitragynine", "mitragynine", True),
        ("anxiety disorder", "anxiety disorder", True),
        ("Anxiolytic-like mi…", "Anxiolytic-like effects of mitragynine in rats", True),
        ("anxiety-like behaviour, open fie", "anxiety-like behaviour, open field", True),
        ("mitragynine", "7-hydroxymitragynine", False),
        ("kappa-type opioid receptor", "mu-type opioid receptor", False),
        ("", "anything", False),
    ],
)
def test_caption_fits(caption: str, name: str, fits: bool) -> None:
    assert caption_fits(caption, name) is fits
