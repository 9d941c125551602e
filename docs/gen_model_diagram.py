"""Generate the schema diagram and tables of docs/model.md from ``ontology.vocab``.

    python docs/gen_model_diagram.py           # rewrite the generated blocks of docs/model.md
    python docs/gen_model_diagram.py --check   # exit 1 if they are out of date

The blocks sit between ``<!-- generated:NAME:start -->`` and ``<!-- generated:NAME:end -->``
markers; everything else in the file is written by hand. tests/unit/test_model_doc.py checks
that the file holds what this script would write.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ontology.vocab import CATEGORIES, COMPOUNDS, PREDICATES, TARGETS, Category

MODEL_DOC = Path(__file__).resolve().parent / "model.md"

# Categories drawn as one box when a predicate takes all of them.
GROUPS: dict[str, tuple[str, frozenset[Category]]] = {
    "compounds": ("Compounds", COMPOUNDS),
    "targets": ("Targets", TARGETS),
}


def _ends(categories: frozenset[Category]) -> list[str]:
    """Diagram nodes for a set of categories: whole groups first, then single categories."""
    ends, left = [], set(categories)
    for key, (_, members) in GROUPS.items():
        if members <= left:
            ends.append(key)
            left -= members
    return ends + sorted(CATEGORIES[c].label for c in left)


def mermaid() -> str:
    """The schema as a Mermaid flowchart: categories as nodes, predicates as arrows."""
    lines = ["```mermaid", "flowchart LR"]
    grouped = set().union(*(members for _, members in GROUPS.values()))
    for key, (title, members) in GROUPS.items():
        lines.append(f"  subgraph {key} [{title}]")
        lines += [f"    {CATEGORIES[c].label}" for c in sorted(members)]
        lines.append("  end")
    lines += [f"  {CATEGORIES[c].label}" for c in Category if c not in grouped]
    arrows: dict[tuple[str, str, bool], list[str]] = defaultdict(list)
    for info in PREDICATES.values():
        for source in _ends(info.domain):
            for target in _ends(info.range):
                arrows[(source, target, info.symmetric)].append(info.rel_type)
    for (source, target, symmetric), types in arrows.items():
        arrow = "<-->" if symmetric else "-->"
        lines.append(f"  {source} {arrow}|{' / '.join(types)}| {target}")
    lines.append("```")
    return "\n".join(lines) + "\n"


def labels_table() -> str:
    lines = [
        "| label | category | Biolink class | id prefixes | attributes |",
        "|---|---|---|---|---|",
    ]
    for category, info in CATEGORIES.items():
        attributes = ", ".join(sorted(info.attributes)) or "-"
        lines.append(
            f"| `{info.label}` | {category.value} | {info.biolink} | "
            f"{', '.join(info.prefixes)} | {attributes} |"
        )
    return "\n".join(lines) + "\n"


def types_table() -> str:
    lines = [
        "| type | predicate | Biolink slot | from | to | own term |",
        "|---|---|---|---|---|---|",
    ]
    for predicate, info in PREDICATES.items():
        domain = ", ".join(sorted(CATEGORIES[c].label for c in info.domain))
        range_ = ", ".join(sorted(CATEGORIES[c].label for c in info.range))
        own = "yes" if info.own_term else "no"
        symmetric = " (symmetric)" if info.symmetric else ""
        lines.append(
            f"| `{info.rel_type}` | {predicate.value}{symmetric} | {info.biolink} | "
            f"{domain} | {range_} | {own} |"
        )
    return "\n".join(lines) + "\n"


BLOCKS = {"diagram": mermaid, "labels": labels_table, "types": types_table}


def _block(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- generated:{name}:start -->\n)(.*?)(<!-- generated:{name}:end -->)", re.DOTALL
    )


def render(text: str) -> str:
    """``text`` with every generated block replaced by its current content."""
    for name, build in BLOCKS.items():
        pattern = _block(name)
        if not pattern.search(text):
            raise ValueError(f"{MODEL_DOC.name} has no generated:{name} markers")
        content = build()

        def replace(match: re.Match[str], content: str = content) -> str:
            return match[1] + content + match[3]

        text = pattern.sub(replace, text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if stale")
    args = parser.parse_args(argv)
    current = MODEL_DOC.read_text()
    wanted = render(current)
    if args.check:
        if wanted != current:
            print(f"{MODEL_DOC} is out of date: run python docs/gen_model_diagram.py")
            return 1
        return 0
    MODEL_DOC.write_text(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
