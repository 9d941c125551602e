"""A seeded synthetic PharmaKG graph of any size, streamed: nodes first, then edges.

The mix follows the curated data: compounds (alkaloids and drugs) ~30 % of the nodes, targets
~5 %, conditions ~5 %, outcome measures ~5 %, studies ~55 %, plus a few target families and
organisms. Edges: studies INVESTIGATE compounds, MEASURE outcomes and TEST_MECHANISMs;
compounds act on targets with Ki/EC50/IC50 values; conditions form SUBCLASS_OF trees; targets
are MEMBER_OF families. Target and compound popularity is Zipf-like (a few hubs with huge
degrees, a long tail with one or two edges).

Memory is constant in the size: every node is a pure function of its category and index, and
popular nodes are drawn by rank through an inverse CDF and a fixed permutation, so neither the
node list nor the edge list is ever held.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ontology.records import Edge, Node, Provenance, Record
from ontology.vocab import (
    AgentType,
    Category,
    Direction,
    EvidenceKind,
    KnowledgeLevel,
    Measure,
    MechanismResult,
    Predicate,
    Relation,
    StudyDesign,
    Unit,
)

SOURCE = "infores:pharmakg"
VERSION = "synthetic-1"

# Share of the nodes per category (organisms and target families come on top).
NODE_SHARES: dict[Category, float] = {
    Category.ALKALOID: 0.20,
    Category.DRUG: 0.10,
    Category.RECEPTOR: 0.03,
    Category.ENZYME: 0.02,
    Category.CONDITION: 0.05,
    Category.OUTCOME_MEASURE: 0.05,
    Category.STUDY: 0.55,
}
NODES_PER_EDGE = 0.25
MIN_NODES = 80
ORGANISMS = (
    ("NCBITaxon:170351", "Mitragyna speciosa"),
    ("NCBITaxon:4081", "Solanum lycopersicum"),
    ("NCBITaxon:3827", "Cicer arietinum"),
)

ACTIVITY = "activity"  # compound -> target edges, several predicates
# Share of the edges per kind; ACTIVITY takes what rounding leaves.
EDGE_SHARES: dict[str, float] = {
    Predicate.SUBCLASS_OF.value: 0.0125,
    Predicate.MEMBER_OF.value: 0.0125,
    Predicate.OUTCOME_OF.value: 0.0125,
    Predicate.CONTAINS.value: 0.05,
    Predicate.INVESTIGATES.value: 0.25,
    Predicate.MEASURES.value: 0.17,
    Predicate.TESTS_MECHANISM.value: 0.07,
    ACTIVITY: 0.30,
    Predicate.METABOLIZED_BY.value: 0.04,
    Predicate.TREATS.value: 0.03,
    Predicate.ADVERSE_EFFECT.value: 0.025,
    Predicate.INTERACTS_WITH.value: 0.0175,
}

# (predicate, measure, unit choices) for compound-target activity, with weights.
ACTIVITY_KINDS: tuple[tuple[Predicate, Measure, float], ...] = (
    (Predicate.BINDS, Measure.KI, 0.35),
    (Predicate.BINDS, Measure.KD, 0.05),
    (Predicate.AGONIST_OF, Measure.EC50, 0.15),
    (Predicate.PARTIAL_AGONIST_OF, Measure.EC50, 0.10),
    (Predicate.ANTAGONIST_OF, Measure.IC50, 0.10),
    (Predicate.ANTAGONIST_OF, Measure.KB, 0.05),
    (Predicate.INVERSE_AGONIST_OF, Measure.KI, 0.05),
    (Predicate.INHIBITS, Measure.IC50, 0.15),
)
_SYLLABLES = (
    "mi",
    "tra",
    "gy",
    "na",
    "co",
    "ry",
    "no",
    "xan",
    "the",
    "pa",
    "ko",
    "lo",
    "ri",
    "ta",
    "spe",
    "cio",
    "si",
    "ne",
    "ol",
    "ine",
)
_ASSAYS = (
    "radioligand binding",
    "[35S]GTPgammaS",
    "cAMP inhibition",
    "beta-arrestin recruitment",
    "calcium flux",
    "microsomal incubation",
)
_OUTCOME_WORDS = (
    "withdrawal",
    "analgesia",
    "anxiety",
    "sleep",
    "craving",
    "sedation",
    "nausea",
    "respiration",
    "locomotion",
    "pain-threshold",
)
_UNIPROT_FIRST = "OPQ"
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Plan:
    """How many nodes of each category and edges of each kind a graph of ``edges`` has."""

    edges: int
    nodes: dict[Category, int]
    edge_counts: dict[str, int]

    @classmethod
    def for_edges(cls, edges: int) -> Plan:
        if edges < 0:
            raise ValueError(f"edges must be >= 0, got {edges}")
        total = max(int(edges * NODES_PER_EDGE), MIN_NODES)
        nodes = {c: max(round(share * total), 2) for c, share in NODE_SHARES.items()}
        targets = nodes[Category.RECEPTOR] + nodes[Category.ENZYME]
        nodes[Category.TARGET_FAMILY] = max(targets // 20, 1)
        nodes[Category.ORGANISM] = len(ORGANISMS)
        counts = {kind: int(share * edges) for kind, share in EDGE_SHARES.items()}
        counts[ACTIVITY] += edges - sum(counts.values())
        return cls(edges, nodes, counts)

    @property
    def node_total(self) -> int:
        return sum(self.nodes.values())


def generate(edges: int, seed: int = 7) -> Iterator[Record]:
    """The records of a graph with exactly ``edges`` edges: every node, then every edge.

    Every record goes through its validating constructor, as a loader's would.
    """
    plan = Plan.for_edges(edges)
    rng = random.Random(seed)
    ids = _Ids(plan)
    yield from _nodes(plan, ids, rng)
    yield from _edges(plan, ids, rng)


# -- identifiers -----------------------------------------------------------------------------


def uniprot_accession(index: int) -> str:
    """The ``index``-th accession of the shape [OPQ][0-9][A-Z0-9]{3}[0-9] (UniProt's pattern)."""
    index, last = divmod(index, 10)
    index, c3 = divmod(index, 36)
    index, c2 = divmod(index, 36)
    index, c1 = divmod(index, 36)
    index, digit = divmod(index, 10)
    if index >= len(_UNIPROT_FIRST):
        raise ValueError("index beyond the accession space of this shape")
    return f"{_UNIPROT_FIRST[index]}{digit}{_ALNUM[c1]}{_ALNUM[c2]}{_ALNUM[c3]}{last}"


class _Ids:
    """Node ids by category and index; popular nodes drawn by rank (Zipf, exponent ~1)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._strides = {c: _coprime_stride(n) for c, n in plan.nodes.items()}

    def count(self, category: Category) -> int:
        return self.plan.nodes[category]

    def id(self, category: Category, index: int) -> str:
        return _ID_SHAPES[category](index)

    def popular(self, category: Category, rng: random.Random) -> int:
        """An index drawn with P(rank <= k) ~ log(k + 1) / log(n): a heavy-tailed popularity."""
        n = self.count(category)
        rank = min(int(n ** rng.random()) - 1, n - 1)
        return self.by_rank(category, rank)

    def by_rank(self, category: Category, rank: int) -> int:
        """Scatter ranks over the indexes so that hubs are not simply the first nodes."""
        n = self.count(category)
        return (rank * self._strides[category] + n // 3) % n


def _coprime_stride(n: int) -> int:
    stride = max(int(n * 0.618), 1)
    while math.gcd(stride, n) != 1:
        stride += 1
    return stride


_ID_SHAPES: dict[Category, Callable[[int], str]] = {
    Category.ALKALOID: lambda i: f"PUBCHEM.COMPOUND:{1_000_000 + i}",
    Category.DRUG: lambda i: f"PUBCHEM.COMPOUND:{50_000_000 + i}",
    Category.RECEPTOR: lambda i: f"UniProtKB:{uniprot_accession(2 * i)}",
    Category.ENZYME: lambda i: f"UniProtKB:{uniprot_accession(2 * i + 1)}",
    Category.TARGET_FAMILY: lambda i: f"IUPHAR.FAMILY:{100 + i}",
    Category.CONDITION: lambda i: f"MONDO:{i + 1:07d}",
    Category.OUTCOME_MEASURE: lambda i: f"PHARMAKG:outcome/synthetic-{i}",
    Category.STUDY: lambda i: f"PMID:{20_000_000 + i}",
    Category.ORGANISM: lambda i: ORGANISMS[i][0],
}


def _word(index: int, parts: int = 3) -> str:
    syllables = []
    for _ in range(parts):
        index, pick = divmod(index, len(_SYLLABLES))
        syllables.append(_SYLLABLES[pick])
    return "".join(syllables)


# -- nodes -----------------------------------------------------------------------------------

NODE_ORDER = (
    Category.TARGET_FAMILY,
    Category.ORGANISM,
    Category.ALKALOID,
    Category.DRUG,
    Category.RECEPTOR,
    Category.ENZYME,
    Category.CONDITION,
    Category.OUTCOME_MEASURE,
    Category.STUDY,
)


def _nodes(plan: Plan, ids: _Ids, rng: random.Random) -> Iterator[Node]:
    for category in NODE_ORDER:
        for index in range(plan.nodes[category]):
            fields = _NODE_FIELDS[category](index, rng)
            yield Node(
                id=ids.id(category, index),
                category=category,
                source=SOURCE,
                source_version=VERSION,
                **fields,
            )


def _compound(index: int, rng: random.Random, *, drug: bool) -> dict[str, Any]:
    name = _word(index + (7919 if drug else 0), 4)
    formula = f"C{rng.randint(10, 35)}H{rng.randint(12, 44)}N2O{rng.randint(1, 6)}"
    fields: dict[str, Any] = {"name": name, "formula": formula}
    if index % 3 == 0:  # awkward characters travel through every path unchanged
        fields["synonyms"] = (f"{name[:4].upper()}-{index}", f'{name}, "free base"; salt')
    if index % 4 == 0:
        # Drugs and alkaloids apart: a shared xref would make identity resolution (the path
        # of ``pharmakg load``) read the drug as the alkaloid with other data, and reject it.
        fields["xrefs"] = (f"CHEMBL.COMPOUND:CHEMBL{(5_000_000 if drug else 900_000) + index}",)
    if drug:
        fields["drug_class"] = rng.choice(("opioid agonist", "antidepressant", "anxiolytic"))
    return fields


def _target(index: int, rng: random.Random, *, enzyme: bool) -> dict[str, Any]:
    symbol = f"{'CYP' if enzyme else 'RCP'}{index}{rng.choice('ABCDE')}"
    kind = "cytochrome P450" if enzyme else "receptor"
    return {"name": f"{kind} {symbol.lower()}", "symbol": symbol, "taxon": "NCBITaxon:9606"}


def _study(index: int, rng: random.Random) -> dict[str, Any]:
    design = rng.choice(tuple(StudyDesign))
    fields: dict[str, Any] = {
        "name": f"Study {index} of {_word(index, 2)}",
        "title": f"Effects of {_word(index, 3)} on {rng.choice(_OUTCOME_WORDS)}",
        "design": design,
        "year": rng.randint(1990, 2025),
        "pmid": str(20_000_000 + index),
    }
    if design in (StudyDesign.CLINICAL_TRIAL, StudyDesign.OBSERVATIONAL_COHORT):
        fields["sample_size"] = rng.randint(8, 5000)
        fields["population"] = "adults who use kratom"
    if index % 5 == 0:
        fields["summary"] = f'Line one of study {index}.\nLine two, with a "quote".'
    return fields


_NODE_FIELDS: dict[Category, Callable[[int, random.Random], dict[str, Any]]] = {
    Category.ALKALOID: lambda i, rng: _compound(i, rng, drug=False),
    Category.DRUG: lambda i, rng: _compound(i, rng, drug=True),
    Category.RECEPTOR: lambda i, rng: _target(i, rng, enzyme=False),
    Category.ENZYME: lambda i, rng: _target(i, rng, enzyme=True),
    Category.TARGET_FAMILY: lambda i, _: {"name": f"{_word(i, 2)} receptor family"},
    Category.CONDITION: lambda i, _: {"name": f"{_word(i, 3)} disorder"},
    Category.OUTCOME_MEASURE: lambda i, _: {
        "name": f"{_OUTCOME_WORDS[i % len(_OUTCOME_WORDS)]} score {i}"
    },
    Category.STUDY: _study,
    Category.ORGANISM: lambda i, _: {"name": ORGANISMS[i][1]},
}

# -- edges -----------------------------------------------------------------------------------

_PROVENANCE = {
    "knowledge_level": KnowledgeLevel.KNOWLEDGE_ASSERTION,
    "agent_type": AgentType.MANUAL_AGENT,
    "source_version": VERSION,
}


class _EdgeMaker:
    """Builds one kind of edge at a time; every non-study edge cites its own publication."""

    def __init__(self, ids: _Ids, rng: random.Random) -> None:
        self.ids = ids
        self.rng = rng
        self.serial = 0

    def provenance(self, source: str = SOURCE) -> Provenance:
        self.serial += 1
        return Provenance(
            primary_knowledge_source=source,
            publications=(f"PMID:{30_000_000 + self.serial}",),
            **_PROVENANCE,
        )

    def study_provenance(self, study: int) -> Provenance:
        return Provenance(
            primary_knowledge_source=SOURCE,
            publications=(self.ids.id(Category.STUDY, study),),
            **_PROVENANCE,
        )

    def edge(
        self,
        subject: tuple[Category, int],
        predicate: Predicate,
        obj: tuple[Category, int],
        provenance: Provenance,
        **fields: Any,
    ) -> Edge:
        return Edge(
            subject=self.ids.id(*subject),
            predicate=predicate,
            object=self.ids.id(*obj),
            provenance=provenance,
            **fields,
        )

    def compound(self) -> tuple[Category, int]:
        alkaloids = self.ids.count(Category.ALKALOID)
        drugs = self.ids.count(Category.DRUG)
        if self.rng.random() < alkaloids / (alkaloids + drugs):
            return Category.ALKALOID, self.ids.popular(Category.ALKALOID, self.rng)
        return Category.DRUG, self.ids.popular(Category.DRUG, self.rng)

    def target(self) -> tuple[Category, int]:
        category = Category.RECEPTOR if self.rng.random() < 0.6 else Category.ENZYME
        return category, self.ids.popular(category, self.rng)


def _edges(plan: Plan, ids: _Ids, rng: random.Random) -> Iterator[Edge]:
    maker = _EdgeMaker(ids, rng)
    for kind, count in plan.edge_counts.items():
        yield from _EDGE_KINDS[kind](maker, count)


def _subclass_of(m: _EdgeMaker, count: int) -> Iterator[Edge]:
    conditions = m.ids.count(Category.CONDITION)
    for k in range(count):
        child = 1 + k % (conditions - 1)
        parent = int(child * m.rng.random() ** 2)  # shallow, bushy trees
        yield m.edge(
            (Category.CONDITION, child),
            Predicate.SUBCLASS_OF,
            (Category.CONDITION, parent),
            m.provenance("infores:mondo"),
        )


def _member_of(m: _EdgeMaker, count: int) -> Iterator[Edge]:
    families = m.ids.count(Category.TARGET_FAMILY)
    for k in range(count):
        target = m.target()
        yield m.edge(
            target,
            Predicate.MEMBER_OF,
            (Category.TARGET_FAMILY, k % families),
            m.provenance("infores:gtopdb"),
        )


def _outcome_of(m: _EdgeMaker, count: int) -> Iterator[Edge]:
    outcomes = m.ids.count(Category.OUTCOME_MEASURE)
    for k in range(count):
        condition = m.ids.popular(Category.CONDITION, m.rng)
        yield m.edge(
            (Category.OUTCOME_MEASURE, k % outcomes),
            Predicate.OUTCOME_OF,
            (Category.CONDITION, condition),
            m.provenance(),
        )


def _contains(m: _EdgeMaker, count: int) -> Iterator[Edge]:
    for _ in range(count):
        organism = 0 if m.rng.random() < 0.8 else m.rng.randrange(len(ORGANISMS))
        alkaloid = m.ids.popular(Category.ALKALOID, m.rng)
        yield m.edge(
            (Category.ORGANISM, organism),
            Predicate.CONTAINS,
            (Category.ALKALOID, alkaloid),
            m.provenance(),
        )


def _per_study(
    m: _EdgeMaker,
    count: int,
    predicate: Predicate,
    objects: Callable[[int, int], Iterator[tuple[Category, int]]],
    fields: Callable[[random.Random], dict[str, Any]],
) -> Iterator[Edge]:
    """Spread ``count`` edges over the studies; a study never repeats an object."""
    studies = m.ids.count(Category.STUDY)
    base, extra = divmod(count, studies)
    for study in range(studies):
        wanted = base + (study < extra)
        if not wanted:
            continue
        provenance = m.study_provenance(study)
        start = int(1_000_000 * m.rng.random())
        for obj in objects(start, wanted):
            yield m.edge((Category.STUDY, study), predicate, obj, provenance, **fields(m.rng))


def _ranked(
    m: _EdgeMaker, categories: tuple[Category, ...]
) -> Callable[[int, int], Iterator[tuple[Category, int]]]:
    """Consecutive popularity ranks from a heavy-tailed start: distinct objects."""
    sizes = [m.ids.count(c) for c in categories]
    pool = sum(sizes)

    def objects(start: int, wanted: int) -> Iterator[tuple[Category, int]]:
        if wanted > pool:
            raise ValueError(f"a study cannot have {wanted} distinct objects out of {pool}")
        first = min(int(pool ** (start / 1_000_000)) - 1, pool - 1)
        for step in range(wanted):
            rank = (first + step) % pool
            for category, size in zip(categories, sizes, strict=True):
                if rank < size:
                    yield category, m.ids.by_rank(category, rank)
                    break
                rank -= size

    return objects


def _investigates(m: _EdgeMaker, count: int) -> Iterator[Edge]:
    def fields(rng: random.Random) -> dict[str, Any]:
        return {
            "role": rng.choice(("test article", "comparator")),
            "dose": f"{rng.choice((1, 3, 10, 30))} mg/kg",
            "route": rng.choice(("oral", "i.p.")),
        }

    objects = _ranked(m, (Category.ALKALOID, Category.DRUG, Category.ORGANISM))
    yield from _per_study(m, count, Predicate.INVESTIGATES, objects, fields)


def _measures(m: _EdgeMaker, count: int) -> Iterator[Edge]:
    def fields(rng: random.Random) -> dict[str, Any]:
        return {
            "direction": rng.choice(tuple(Direction)),
            "effect_size": f"d = {rng.uniform(0, 1.5):.2f}",
        }

    yield from _per_study(
        m, count, Predicate.MEASURES, _ranked(m, (Category.OUTCOME_MEASURE,)), fields
    )


def _tests_mechanism(m: _EdgeMaker, count: int) -> Iterator[Edge]:
    def fields(rng: random.Random) -> dict[str, Any]:
        return {
            "result": rng.choice(tuple(MechanismResult)),
            "mechanism": "antagonist pretreatment",
            "tool": "PUBCHEM.COMPOUND:5284596",
        }

    objects = _ranked(m, (Category.RECEPTOR, Category.ENZYME, Category.TARGET_FAMILY))
    yield from _per_study(m, count, Predicate.TESTS_MECHANISM, objects, fields)


def _activity(m: _EdgeMaker, count: int) -> Iterator[Edge]:
    weights = [w for _, _, w in ACTIVITY_KINDS]
    for _ in range(count):
        predicate, measure, _w = m.rng.choices(ACTIVITY_KINDS, weights)[0]
        nanomolar = round(10 ** m.rng.uniform(-1, 4.5), 2)
        micromolar = nanomolar >= 1000 and m.rng.random() < 0.5
        yield m.edge(
            m.compound(),
            predicate,
            m.target(),
            m.provenance(m.rng.choice(("infores:chembl", "infores:gtopdb"))),
            measure=measure,
            value=round(nanomolar / 1000, 3) if micromolar else nanomolar,
            unit=Unit.UM if micromolar else Unit.NM,
            relation=Relation.GT if m.rng.random() < 0.05 else Relation.EQ,
            assay=m.rng.choice(_ASSAYS),
            species="human",
        )


def _metabolized_by(m: _EdgeMaker, count: int) -> Iterator[Edge]:
    for _ in range(count):
        enzyme = m.ids.popular(Category.ENZYME, m.rng)
        yield m.edge(
            m.compound(),
            Predicate.METABOLIZED_BY,
            (Category.ENZYME, enzyme),
            m.provenance(),
            assay="human liver microsomes",
        )


def _treats(m: _EdgeMaker, count: int) -> Iterator[Edge]:
    for _ in range(count):
        drug = m.ids.popular(Category.DRUG, m.rng)
        condition = m.ids.popular(Category.CONDITION, m.rng)
        yield m.edge(
            (Category.DRUG, drug), Predicate.TREATS, (Category.CONDITION, condition), m.provenance()
        )


def _adverse_effect(m: _EdgeMaker, count: int) -> Iterator[Edge]:
    for _ in range(count):
        condition = m.ids.popular(Category.CONDITION, m.rng)
        yield m.edge(
            m.compound(),
            Predicate.ADVERSE_EFFECT,
            (Category.CONDITION, condition),
            m.provenance(),
            evidence_kind=m.rng.choice(tuple(EvidenceKind)),
            negated=m.rng.random() < 0.1,
        )


def _interacts_with(m: _EdgeMaker, count: int) -> Iterator[Edge]:
    for _ in range(count):
        subject = m.compound()
        obj = m.compound()
        if obj == subject:  # an edge cannot join a node to itself: take the next compound
            obj = (obj[0], (obj[1] + 1) % m.ids.count(obj[0]))
        yield m.edge(
            subject,
            Predicate.INTERACTS_WITH,
            obj,
            m.provenance(),
            evidence_kind=EvidenceKind.CLINICAL,
            effect="CYP3A4 inhibition",
        )


_EDGE_KINDS: dict[str, Callable[[_EdgeMaker, int], Iterator[Edge]]] = {
    Predicate.SUBCLASS_OF.value: _subclass_of,
    Predicate.MEMBER_OF.value: _member_of,
    Predicate.OUTCOME_OF.value: _outcome_of,
    Predicate.CONTAINS.value: _contains,
    Predicate.INVESTIGATES.value: _investigates,
    Predicate.MEASURES.value: _measures,
    Predicate.TESTS_MECHANISM.value: _tests_mechanism,
    ACTIVITY: _activity,
    Predicate.METABOLIZED_BY.value: _metabolized_by,
    Predicate.TREATS.value: _treats,
    Predicate.ADVERSE_EFFECT.value: _adverse_effect,
    Predicate.INTERACTS_WITH.value: _interacts_with,
}
