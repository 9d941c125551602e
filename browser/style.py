"""The GraSS style sheet: a colour, a size and a caption for every label and relationship type.

Keyed by the vocabulary's enums, so a category or predicate added to ``ontology.vocab`` without
a style fails here (and in the unit tests) instead of showing up in Browser's default grey.
Node captions are names; relationship captions are a short verb plus the values that matter
(a Ki with its unit, a direction, an evidence kind), taken from the edge's own properties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ontology.vocab import ACTIVITY_PREDICATES, CATEGORIES, PREDICATES, Category, Predicate

_HEX = re.compile(r"^#[0-9A-F]{6}$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Neo4j Browser's GraSS parser splits a rule on ";" and a declaration on ":"; a caption holding
# either would be cut short, and braces or quotes would end the rule or the string.
_FORBIDDEN_IN_CAPTION = frozenset(";:'\"")

NODE_FONT_SIZE = 10
RELATIONSHIP_FONT_SIZE = 9
BLACK = "#000000"
WHITE = "#FFFFFF"


@dataclass(frozen=True)
class NodeStyle:
    color: str  # fill, #RRGGBB
    diameter: int  # px: the compounds under study are drawn largest
    caption: str = "{name}"


@dataclass(frozen=True)
class RelationshipStyle:
    caption: str
    color: str
    width: int = 1  # shaft width in px


_MEASUREMENT = "{measure} {relation} {value} {unit}"  # e.g. "Ki = 7.2 nM"

NODE_STYLES: dict[Category, NodeStyle] = {
    Category.ORGANISM: NodeStyle("#1E7B34", 80),
    Category.ALKALOID: NodeStyle("#4CB963", 72),
    Category.DRUG: NodeStyle("#4A90D9", 62),
    Category.RECEPTOR: NodeStyle("#F39C12", 62),
    Category.ENZYME: NodeStyle("#F4D03F", 62),
    Category.TRANSPORTER: NodeStyle("#D68910", 62),
    Category.ION_CHANNEL: NodeStyle("#CA6F1E", 62),
    Category.PROTEIN: NodeStyle("#FDEBD0", 58),
    Category.TARGET_FAMILY: NodeStyle("#FAD7A0", 70),
    Category.CONDITION: NodeStyle("#E55B4D", 70),
    Category.OUTCOME_MEASURE: NodeStyle("#B784C9", 64),
    Category.STUDY: NodeStyle("#9AA7B0", 76),
}

_ACTIVITY = "#E67E22"
_ENZYME_EFFECT = "#B9770E"
_METABOLISM = "#2E86C1"
_HIERARCHY = "#A6ACAF"
_EVIDENCE = "#5D6D7E"
_CLINICAL = "#C0392B"

RELATIONSHIP_STYLES: dict[Predicate, RelationshipStyle] = {
    Predicate.CONTAINS: RelationshipStyle("contains", "#1E7B34"),
    Predicate.BINDS: RelationshipStyle(f"binds {_MEASUREMENT}", _ACTIVITY, 2),
    Predicate.AGONIST_OF: RelationshipStyle(f"agonist {_MEASUREMENT}", _ACTIVITY, 2),
    Predicate.PARTIAL_AGONIST_OF: RelationshipStyle(
        f"partial agonist {_MEASUREMENT}", _ACTIVITY, 2
    ),
    Predicate.ANTAGONIST_OF: RelationshipStyle(f"antagonist {_MEASUREMENT}", _ACTIVITY, 2),
    Predicate.INVERSE_AGONIST_OF: RelationshipStyle(
        f"inverse agonist {_MEASUREMENT}", _ACTIVITY, 2
    ),
    Predicate.INHIBITS: RelationshipStyle(f"inhibits {_MEASUREMENT}", _ENZYME_EFFECT, 2),
    Predicate.INDUCES: RelationshipStyle(f"induces {_MEASUREMENT}", _ENZYME_EFFECT, 2),
    Predicate.METABOLIZED_BY: RelationshipStyle("metabolized by ({evidence_kind})", _METABOLISM, 2),
    Predicate.METABOLIZED_TO: RelationshipStyle("metabolized to ({evidence_kind})", _METABOLISM, 3),
    Predicate.MEMBER_OF: RelationshipStyle("member of", _HIERARCHY),
    Predicate.SUBCLASS_OF: RelationshipStyle("is a", _HIERARCHY, 2),
    Predicate.INVESTIGATES: RelationshipStyle("investigates ({role})", _EVIDENCE),
    Predicate.MEASURES: RelationshipStyle("measures ({direction})", _EVIDENCE, 2),
    Predicate.OUTCOME_OF: RelationshipStyle("outcome of", _EVIDENCE),
    Predicate.TESTS_MECHANISM: RelationshipStyle("tests mechanism ({result})", _EVIDENCE, 2),
    Predicate.TREATS: RelationshipStyle("treats", "#27AE60", 2),
    Predicate.INTERACTS_WITH: RelationshipStyle("interacts ({evidence_kind})", _CLINICAL, 2),
    Predicate.ADVERSE_EFFECT: RelationshipStyle("adverse effect ({evidence_kind})", _CLINICAL, 2),
}


# A null finding (tested, not found) must never read as a finding: GraSS styles by type only,
# so every predicate whose edges can be negated shows the flag in its caption, and Browser
# draws "negated true" on a tested-without-effect edge.
NEGATABLE = ACTIVITY_PREDICATES | {
    Predicate.METABOLIZED_BY,
    Predicate.INTERACTS_WITH,
    Predicate.ADVERSE_EFFECT,
}
NEGATION_CAPTION = " [negated {negated}]"
RELATIONSHIP_STYLES = {
    predicate: (
        RelationshipStyle(style.caption + NEGATION_CAPTION, style.color, style.width)
        if predicate in NEGATABLE
        else style
    )
    for predicate, style in RELATIONSHIP_STYLES.items()
}


def caption_properties(caption: str) -> list[str]:
    """The property names a caption template reads, in order (``{name}`` -> ``name``)."""
    return _PLACEHOLDER.findall(caption)


def _luminance(color: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_color(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    return BLACK if contrast(fill, BLACK) >= contrast(fill, WHITE) else WHITE


def border_color(fill: str) -> str:
    """A darker shade of ``fill`` for the node's outline."""
    return "#" + "".join(f"{int(int(fill[i : i + 2], 16) * 0.75):02X}" for i in (1, 3, 5))


def _check() -> None:
    problems = [f"no node style for {c.value}" for c in Category if c not in NODE_STYLES]
    problems += [
        f"no relationship style for {p.value}" for p in Predicate if p not in RELATIONSHIP_STYLES
    ]
    styles: list[tuple[str, str, str]] = [
        (c.value, s.color, s.caption) for c, s in NODE_STYLES.items()
    ]
    styles += [(p.value, s.color, s.caption) for p, s in RELATIONSHIP_STYLES.items()]
    for name, color, caption in styles:
        if not _HEX.match(color):
            problems.append(f"{name}: colour {color!r} is not #RRGGBB (upper case)")
        if bad := _FORBIDDEN_IN_CAPTION.intersection(caption):
            problems.append(
                f"{name}: caption {caption!r} holds {''.join(sorted(bad))}, which "
                "Neo4j Browser's GraSS parser cannot read"
            )
    if problems:
        raise ValueError("the Browser style does not fit the vocabulary: " + "; ".join(problems))


def render_grass() -> str:
    """The style sheet, in the GraSS syntax that Neo4j Browser's ``:style`` command reads."""
    _check()
    blocks = [
        _block(
            "node",
            {
                "diameter": "50px",
                "color": "#A5ABB6",
                "border-color": "#9AA1AC",
                "border-width": "2px",
                "text-color-internal": WHITE,
                "font-size": f"{NODE_FONT_SIZE}px",
            },
        ),
        _block(
            "relationship",
            {
                "color": "#A5ABB6",
                "shaft-width": "1px",
                "font-size": f"{RELATIONSHIP_FONT_SIZE}px",
                "padding": "3px",
                "text-color-external": BLACK,
                "text-color-internal": WHITE,
                "caption": "'<type>'",
            },
        ),
    ]
    for category in Category:
        node = NODE_STYLES[category]
        blocks.append(
            _block(
                f"node.{CATEGORIES[category].label}",
                {
                    "color": node.color,
                    "border-color": border_color(node.color),
                    "text-color-internal": text_color(node.color),
                    "diameter": f"{node.diameter}px",
                    "font-size": f"{NODE_FONT_SIZE}px",
                    "caption": f"'{node.caption}'",
                },
            )
        )
    for predicate in Predicate:
        rel = RELATIONSHIP_STYLES[predicate]
        blocks.append(
            _block(
                f"relationship.{PREDICATES[predicate].rel_type}",
                {
                    "color": rel.color,
                    "shaft-width": f"{rel.width}px",
                    "font-size": f"{RELATIONSHIP_FONT_SIZE}px",
                    "padding": "3px",
                    "text-color-external": BLACK,
                    "text-color-internal": text_color(rel.color),
                    "caption": f"'{rel.caption}'",
                },
            )
        )
    # No comments: Browser's parser would read one as part of the next selector.
    return "\n".join(blocks)


def _block(selector: str, declarations: dict[str, str]) -> str:
    body = "".join(f"  {name}: {value};\n" for name, value in declarations.items())
    return f"{selector} {{\n{body}}}\n"
