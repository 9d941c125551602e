"""The GraSS style covers every label and type, reads as Neo4j Browser reads it, and is legible."""

from __future__ import annotations

import re

import pytest

from browser import style
from browser.style import (
    NEGATABLE,
    NODE_STYLES,
    RELATIONSHIP_STYLES,
    caption_properties,
    render_grass,
)
from ontology.records import Edge, Node, Provenance
from ontology.vocab import CATEGORIES, PREDICATES, Category, Predicate

NODE_PROPERTIES = set(Node.model_fields) - {"category"}
EDGE_PROPERTIES = (
    set(Edge.model_fields) - {"subject", "object", "provenance"}
    | set(Provenance.model_fields)
    | {"id"}
)


def parse_grass_like_browser(text: str) -> dict[str, dict[str, str]]:
    """A line-by-line port of Neo4j Browser 5.24's ``parseGrass`` (the ``:style <url>`` path).

    Quotes toggle a string and are dropped, braces outside strings open and close a rule,
    whitespace outside rules is dropped, and a declaration is kept only when splitting it on
    ":" gives exactly two parts.
    """
    in_string = in_rule = nested = False
    selector = body = ""
    raw: dict[str, str] = {}
    for char in text:
        consumed = True
        if char == "{":
            if in_string:
                consumed = False
            elif in_rule:
                nested = True
            else:
                in_rule = True
        elif char == "}":
            if in_string:
                consumed = False
            elif nested:
                nested = False
            else:
                in_rule = False
                raw[selector] = body
                selector = body = ""
        elif char in "'\"":
            in_string = not in_string
        else:
            consumed = False
        if not consumed:
            if in_rule:
                body += char
            elif not re.match(r"\s", char):
                selector += char
    parsed: dict[str, dict[str, str]] = {}
    for name, declarations in raw.items():
        parsed[name] = {}
        for declaration in declarations.split(";"):
            parts = declaration.split(":")
            if len(parts) == 2:
                parsed[name][parts[0].strip()] = parts[1].strip()
    return parsed


@pytest.fixture(scope="module")
def sheet() -> dict[str, dict[str, str]]:
    return parse_grass_like_browser(render_grass())


@pytest.mark.parametrize("category", list(Category))
def test_every_label_has_a_colour_a_size_and_a_name_caption(
    sheet: dict[str, dict[str, str]], category: Category
) -> None:
    rule = sheet[f"node.{CATEGORIES[category].label}"]
    assert rule["color"] == NODE_STYLES[category].color
    assert rule["caption"] == NODE_STYLES[category].caption
    assert re.fullmatch(r"\d+px", rule["diameter"])
    assert {"border-color", "text-color-internal", "font-size"} <= set(rule)


@pytest.mark.parametrize("predicate", list(Predicate))
def test_every_relationship_type_has_a_readable_caption(
    sheet: dict[str, dict[str, str]], predicate: Predicate
) -> None:
    rule = sheet[f"relationship.{PREDICATES[predicate].rel_type}"]
    # Read back whole: nothing in the caption confused Browser's parser.
    assert rule["caption"] == RELATIONSHIP_STYLES[predicate].caption
    assert rule["color"] == RELATIONSHIP_STYLES[predicate].color
    assert re.fullmatch(r"[1-9]px", rule["shaft-width"])
    # A verb a reader understands, not the raw type name.
    assert rule["caption"].split(" ")[0].islower()


def test_the_sheet_has_base_rules_and_nothing_else(sheet: dict[str, dict[str, str]]) -> None:
    expected = (
        {"node", "relationship"}
        | {f"node.{i.label}" for i in CATEGORIES.values()}
        | {f"relationship.{i.rel_type}" for i in PREDICATES.values()}
    )
    assert set(sheet) == expected


def test_captions_show_the_key_values() -> None:
    assert caption_properties(RELATIONSHIP_STYLES[Predicate.BINDS].caption) == [
        "measure",
        "relation",
        "value",
        "unit",
        "negated",
    ]
    assert "direction" in caption_properties(RELATIONSHIP_STYLES[Predicate.MEASURES].caption)
    assert "result" in caption_properties(RELATIONSHIP_STYLES[Predicate.TESTS_MECHANISM].caption)
    assert "evidence_kind" in caption_properties(
        RELATIONSHIP_STYLES[Predicate.INTERACTS_WITH].caption
    )


@pytest.mark.parametrize("category", list(Category))
def test_node_captions_read_properties_that_nodes_have(category: Category) -> None:
    properties = caption_properties(NODE_STYLES[category].caption)
    assert properties == ["name"]  # names, never ids
    assert set(properties) <= NODE_PROPERTIES


@pytest.mark.parametrize("predicate", list(Predicate))
def test_relationship_captions_read_properties_that_edges_have(predicate: Predicate) -> None:
    assert set(caption_properties(RELATIONSHIP_STYLES[predicate].caption)) <= EDGE_PROPERTIES


@pytest.mark.parametrize("category", list(Category))
def test_captions_are_legible_on_their_fill(category: Category) -> None:
    fill = NODE_STYLES[category].color
    assert style.contrast(fill, style.text_color(fill)) >= 4.5  # WCAG AA for normal text


def test_each_category_has_its_own_colour() -> None:
    colours = [s.color for s in NODE_STYLES.values()]
    assert len(set(colours)) == len(colours)


def test_the_compounds_under_study_are_drawn_larger_than_their_targets() -> None:
    assert NODE_STYLES[Category.ALKALOID].diameter > NODE_STYLES[Category.RECEPTOR].diameter


def test_a_category_without_a_style_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    without = {c: s for c, s in NODE_STYLES.items() if c is not Category.ENZYME}
    monkeypatch.setattr(style, "NODE_STYLES", without)
    with pytest.raises(ValueError, match="no node style for enzyme"):
        render_grass()


def test_a_caption_the_browser_cannot_parse_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = {
        **RELATIONSHIP_STYLES,
        Predicate.BINDS: style.RelationshipStyle("Ki: {value}", "#E67E22"),
    }
    monkeypatch.setattr(style, "RELATIONSHIP_STYLES", broken)
    with pytest.raises(ValueError, match="binds: caption 'Ki: \\{value\\}' holds :"):
        render_grass()


def test_the_port_of_the_browser_parser_drops_a_caption_with_a_colon() -> None:
    # Shows the port is faithful enough to catch what the refusal above guards against.
    assert "caption" not in parse_grass_like_browser("node.A { caption: 'a: b'; }")["node.A"]


@pytest.mark.parametrize("predicate", sorted(NEGATABLE))
def test_a_null_finding_is_drawn_as_one(predicate: Predicate) -> None:
    """A tested-and-not-found edge shows "negated true" in Browser, never a bare finding."""
    sheet = render_grass()
    rule = sheet[sheet.index(f"relationship.{PREDICATES[predicate].rel_type} {{") :]
    caption = rule[rule.index("caption: '") + len("caption: '") :]
    caption = caption[: caption.index("'")]
    assert caption.endswith("[negated {negated}]")
    assert "negated" in caption_properties(RELATIONSHIP_STYLES[predicate].caption)
