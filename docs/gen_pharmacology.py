"""Generate the alkaloid x receptor profile of docs/pharmacology.md from the graph.

    python docs/gen_pharmacology.py           # rewrite the table and the picture
    python docs/gen_pharmacology.py --check   # exit 1 if either is out of date

It reads the running Neo4j (``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, as the CLI does)
loaded with the curated data (``make up`` or ``pharmakg load curated``). The table sits between
``<!-- generated:profile:start -->`` and ``<!-- generated:profile:end -->``; the picture
(docs/images/receptor-profile.png) carries
the digest of the table it was drawn from, so a stale picture is found without comparing pixels.
tests/integration/test_pharmacology_doc.py checks both against the curated graph.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from neo4j import Driver, GraphDatabase

from api.settings import Settings
from graph.repository import alkaloid_receptor_activity, get_nodes
from ontology.records import Edge, Node
from ontology.vocab import NANOMOLAR_FACTOR, Measure, Predicate, Relation

DOC = Path(__file__).resolve().parent / "pharmacology.md"
PICTURE = Path(__file__).resolve().parent / "images" / "receptor-profile.png"
BLOCK = re.compile(
    r"(<!-- generated:profile:start -->\n).*?(<!-- generated:profile:end -->)", re.DOTALL
)
DIGEST_KEY = "PharmaKG-Profile-Digest"

ACTION_WORDS = {
    Predicate.BINDS: "binds",
    Predicate.AGONIST_OF: "agonist",
    Predicate.PARTIAL_AGONIST_OF: "partial agonist",
    Predicate.ANTAGONIST_OF: "antagonist",
    Predicate.INVERSE_AGONIST_OF: "inverse agonist",
    Predicate.INHIBITS: "inhibits",
    Predicate.INDUCES: "induces",
}
# The two panels of the picture: affinity (binding constants) and functional potency.
PANELS = {
    "pKi (binding: Ki, Kd, Kb)": (Measure.KI, Measure.KD, Measure.KB),
    "pEC50 (function: EC50, IC50)": (Measure.EC50, Measure.IC50),
}
EXACT = (None, Relation.EQ, Relation.APPROX)


@dataclass(frozen=True)
class Profile:
    """Activity edges grouped by (alkaloid, receptor), with the names to show."""

    compounds: list[Node]
    targets: list[Node]
    cells: dict[tuple[str, str], list[Edge]]
    sources: list[str]  # every publication (its PMID, DOI...), numbered as first seen


def build_profile(edges: Sequence[Edge], nodes: dict[str, Node]) -> Profile:
    cells: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    sources: dict[str, None] = {}
    for edge in edges:
        cells[(edge.subject, edge.object)].append(edge)
        sources[publication(edge)] = None
    compounds = sorted({nodes[s] for s, _ in cells}, key=lambda n: n.name.lower())
    targets = sorted({nodes[o] for _, o in cells}, key=target_label)
    return Profile(compounds, targets, dict(cells), list(sources))


def publication(edge: Edge) -> str:
    """An edge's paper, named by all its identifiers (a PMID and a DOI are one source)."""
    return " / ".join(edge.provenance.citations or edge.provenance.publications)


def target_label(node: Node) -> str:
    """The symbol (or name) and, for a non-human protein, its species unless the name says it."""
    label = node.symbol or node.name
    if node.taxon in (None, "NCBITaxon:9606"):
        return label
    species = f"({_taxon_name(node.taxon)})"
    return label if label.endswith(species) else f"{label} {species}"


def _taxon_name(taxon: str | None) -> str:
    return {"NCBITaxon:10090": "mouse", "NCBITaxon:10116": "rat"}.get(taxon or "", taxon or "")


def nanomolar(edge: Edge, value: float | None) -> float | None:
    factor = NANOMOLAR_FACTOR.get(edge.unit) if edge.unit else None
    return value * factor if value is not None and factor is not None else None


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 1000 else f"{value:.3g}"


def describe(edges: Iterable[Edge], sources: list[str]) -> str:
    """One cell: each action and measure with the range of its values and its source numbers."""
    groups: dict[tuple[bool, Predicate, Measure | None, str], list[Edge]] = defaultdict(list)
    for edge in edges:
        # A negated finding names its assay: "no agonist (beta-arrestin)" is not "no agonism".
        tested = (edge.assay or "") if edge.negated else ""
        groups[(edge.negated, edge.predicate, edge.measure, tested)].append(edge)
    lines = []
    for (negated, predicate, measure, tested), group in sorted(groups.items(), key=_group_order):
        action = ("no " if negated else "") + ACTION_WORDS[predicate]
        action += f" ({tested})" if tested else ""
        refs = ",".join(sorted({str(sources.index(publication(e)) + 1) for e in group}, key=int))
        lines.append(f"{action}{_values(measure, group)} [{refs}]")
    return "<br>".join(lines)


def _group_order(
    item: tuple[tuple[bool, Predicate, Measure | None, str], list[Edge]],
) -> tuple[bool, str, str, str]:
    (negated, predicate, measure, tested), _ = item
    return (negated, predicate.value, measure.value if measure else "", tested)


def _values(measure: Measure | None, group: list[Edge]) -> str:
    """' Ki 7.2-709 nM', ' Emax 34 %', ' IC50 > 10000 nM', or '' for a qualitative finding."""
    if measure is None:
        return ""
    shown = []
    for edge in group:
        if edge.value is None and edge.low is None:
            continue
        point = edge.value if edge.value is not None else edge.low
        in_nm = nanomolar(edge, point)
        value, unit = (
            (in_nm, "nM") if in_nm is not None else (point, edge.unit.value if edge.unit else "")
        )
        bound = "" if edge.relation in EXACT or edge.relation is None else edge.relation.value
        shown.append((bound, value or 0.0, unit))
    if not shown:
        return ""
    exact = sorted(v for b, v, _ in shown if not b)
    unit = shown[0][2]
    parts = []
    if exact:
        span = (
            _number(exact[0])
            if exact[0] == exact[-1]
            else f"{_number(exact[0])}-{_number(exact[-1])}"
        )
        parts.append(f"{span} {unit}")
    parts += [f"{b} {_number(v)} {u}" for b, v, u in shown if b]
    return f" {measure.value} " + "; ".join(dict.fromkeys(parts))


def render_table(profile: Profile) -> str:
    head = "| alkaloid | " + " | ".join(target_label(t) for t in profile.targets) + " |"
    rule = "|---|" + "---|" * len(profile.targets)
    rows = []
    for compound in profile.compounds:
        cells = [
            describe(profile.cells.get((compound.id, t.id), []), profile.sources) or " "
            for t in profile.targets
        ]
        rows.append(f"| {compound.name} | " + " | ".join(cells) + " |")
    notes = [f"[{i}] {curie}" for i, curie in enumerate(profile.sources, start=1)]
    counts = (
        f"{len(profile.compounds)} alkaloids, {len(profile.targets)} receptors, "
        f"{sum(len(v) for v in profile.cells.values())} activity edges "
        f"from {len(profile.sources)} sources."
    )
    return "\n".join([counts, "", head, rule, *rows, "", "Sources: " + "; ".join(notes), ""])


def digest(table: str) -> str:
    return hashlib.sha256(table.encode()).hexdigest()[:16]


def potency(edges: Iterable[Edge], measures: tuple[Measure, ...]) -> float | None:
    """The median -log10(M) of the exact values of these measures, or None (untested)."""
    values = [
        nanomolar(e, e.value)
        for e in edges
        if e.measure in measures and e.relation in EXACT and not e.negated
    ]
    logs = [9 - math.log10(v) for v in values if v]
    return round(statistics.median(logs), 2) if logs else None


def draw(profile: Profile, path: Path, table_digest: str) -> None:
    import matplotlib  # noqa: PLC0415 - only the picture needs it

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    labels = [target_label(t) for t in profile.targets]
    names = [c.name for c in profile.compounds]
    # Room below the panels for the rotated receptor labels (a rat receptor's is its name).
    label_room = 0.06 * max((len(label) for label in labels), default=0)
    fig, axes = plt.subplots(
        1,
        len(PANELS),
        figsize=(4 + 0.9 * len(labels) * len(PANELS), 1.5 + 0.45 * len(names) + label_room),
        squeeze=False,
    )
    for ax, (title, measures) in zip(axes[0], PANELS.items(), strict=True):
        grid = np.array(
            [
                [
                    potency(profile.cells.get((c.id, t.id), []), measures) or np.nan
                    for t in profile.targets
                ]
                for c in profile.compounds
            ],
            dtype=float,
        )
        ax.set_facecolor("#eeeeee")  # untested (or no number of this kind) stays grey
        image = ax.imshow(
            grid,
            cmap="viridis",
            vmin=4,
            vmax=10,  # NaN: transparent, grey
            aspect="auto",
        )
        for (row, col), value in np.ndenumerate(grid):
            ax.text(
                col,
                row,
                "-" if np.isnan(value) else f"{value:.1f}",
                ha="center",
                va="center",
                fontsize=7,
                color="#888888" if np.isnan(value) else "white",
            )
        ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
        ax.set_yticks(range(len(names)), names, fontsize=8)
        ax.set_title(title, fontsize=9)
        fig.colorbar(image, ax=ax, shrink=0.6, label="median -log10(M)")
    fig.suptitle(
        "Kratom alkaloids at receptors (grey '-': not tested or no value of this kind)", fontsize=9
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110, metadata={"Software": None, DIGEST_KEY: table_digest})
    plt.close(fig)


def picture_digest(path: Path) -> str | None:
    from PIL import Image  # noqa: PLC0415 - matplotlib depends on Pillow

    if not path.exists():
        return None
    with Image.open(path) as image:
        return image.info.get(DIGEST_KEY)


def render(doc: str, table: str) -> str:
    if not BLOCK.search(doc):
        raise SystemExit(f"{DOC} has no generated:profile block")
    return BLOCK.sub(lambda m: m.group(1) + table + m.group(2), doc)


def read_profile(driver: Driver) -> Profile:
    edges = alkaloid_receptor_activity(driver)
    ids = sorted({e.subject for e in edges} | {e.object for e in edges})
    nodes = {n.id: n for n in get_nodes(driver, ids) if n is not None}
    return build_profile(edges, nodes)


def stale(driver: Driver) -> list[str]:
    """What is out of date: the doc's table, the picture, or nothing."""
    table = render_table(read_profile(driver))
    problems = []
    if render(DOC.read_text(), table) != DOC.read_text():
        problems.append(str(DOC))
    if picture_digest(PICTURE) != digest(table):
        problems.append(str(PICTURE))
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if out of date")
    args = parser.parse_args()
    settings = Settings()
    with GraphDatabase.driver(
        settings.neo4j_uri, auth=(settings.neo4j_user, settings.neo4j_password)
    ) as driver:
        if args.check:
            problems = stale(driver)
            for problem in problems:
                print(f"out of date: {problem} (run: python docs/gen_pharmacology.py)")
            return 1 if problems else 0
        profile = read_profile(driver)
    table = render_table(profile)
    DOC.write_text(render(DOC.read_text(), table))
    draw(profile, PICTURE, digest(table))
    print(f"wrote {DOC} and {PICTURE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
