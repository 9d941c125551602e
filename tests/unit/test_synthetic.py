"""The synthetic graph: seeded, valid, streamed, with the mix and the hubs of real data."""

from __future__ import annotations

import itertools
import re
import statistics
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from api import pipeline
from benchmarks.synthetic import Plan, generate, uniprot_accession
from loaders.base import Collector
from loaders.errors import Location
from ontology.identifiers import prefixes
from ontology.identity import IdentityIndex
from ontology.records import Edge, Node, Record
from ontology.vocab import ACTIVITY_PREDICATES, CATEGORIES, COMPOUNDS, PREDICATES, Category

EDGES = 4000


@pytest.fixture(scope="module")
def graph() -> list[Record]:
    return list(generate(EDGES))


def nodes_of(records: list[Record]) -> list[Node]:
    return [r for r in records if isinstance(r, Node)]


def edges_of(records: list[Record]) -> list[Edge]:
    return [r for r in records if isinstance(r, Edge)]


def test_the_same_seed_gives_the_same_graph(graph: list[Record]) -> None:
    assert list(generate(EDGES)) == graph
    assert list(generate(EDGES, seed=8)) != graph


def test_exactly_the_planned_nodes_and_edges(graph: list[Record]) -> None:
    plan = Plan.for_edges(EDGES)
    assert len(edges_of(graph)) == EDGES
    assert Counter(n.category for n in nodes_of(graph)) == plan.nodes


@pytest.mark.parametrize("edges", [0, 1, 7, 100, 999])
def test_small_graphs_are_complete_too(edges: int) -> None:
    records = list(generate(edges))
    assert len(edges_of(records)) == edges
    ids = {n.id for n in nodes_of(records)}
    assert all(e.subject in ids and e.object in ids for e in edges_of(records))


def test_nodes_come_before_edges(graph: list[Record]) -> None:
    kinds = [isinstance(r, Node) for r in graph]
    first_edge = kinds.index(False)
    assert all(kinds[:first_edge])
    assert not any(kinds[first_edge:])


def test_every_record_is_valid(graph: list[Record]) -> None:
    for record in graph:
        assert type(record).model_validate(record.model_dump()) == record


def test_ids_are_unique_and_shaped_like_real_ones(graph: list[Record]) -> None:
    nodes = nodes_of(graph)
    assert len({n.id for n in nodes}) == len(nodes)
    edges = edges_of(graph)
    assert len({e.id for e in edges}) == len(edges)
    shapes = {
        Category.ALKALOID: r"PUBCHEM\.COMPOUND:\d+",
        Category.DRUG: r"PUBCHEM\.COMPOUND:\d+",
        Category.RECEPTOR: r"UniProtKB:[OPQ]\d[A-Z0-9]{3}\d",
        Category.ENZYME: r"UniProtKB:[OPQ]\d[A-Z0-9]{3}\d",
        Category.CONDITION: r"MONDO:\d{7}",
        Category.STUDY: r"PMID:\d+",
        Category.OUTCOME_MEASURE: r"PHARMAKG:outcome/[a-z0-9-]+",
        Category.TARGET_FAMILY: r"IUPHAR\.FAMILY:\d+",
        Category.ORGANISM: r"NCBITaxon:\d+",
    }
    for node in nodes:
        assert re.fullmatch(shapes[node.category], node.id), node.id


def test_uniprot_accessions_follow_uniprots_pattern() -> None:
    pattern = prefixes()["UniProtKB"].pattern
    accessions = [uniprot_accession(i) for i in (*range(2000), 10**6, 3 * 10 * 36**3 * 10 - 1)]
    assert all(pattern.match(a) for a in accessions)
    assert len(set(accessions)) == len(accessions)
    with pytest.raises(ValueError, match="beyond"):
        uniprot_accession(3 * 10 * 36**3 * 10)


def test_edges_join_existing_nodes_of_the_right_categories(graph: list[Record]) -> None:
    category = {n.id: n.category for n in nodes_of(graph)}
    for edge in edges_of(graph):
        info = PREDICATES[edge.predicate]
        assert category[edge.subject] in info.domain, edge
        assert category[edge.object] in info.range, edge


def test_the_mix_of_categories_and_predicates(graph: list[Record]) -> None:
    nodes = Counter(n.category for n in nodes_of(graph))
    total = sum(nodes.values())
    share = {c: count / total for c, count in nodes.items()}
    assert share[Category.STUDY] == pytest.approx(0.55, abs=0.03)
    assert share[Category.ALKALOID] + share[Category.DRUG] == pytest.approx(0.30, abs=0.03)
    assert share[Category.RECEPTOR] + share[Category.ENZYME] == pytest.approx(0.05, abs=0.02)
    assert share[Category.CONDITION] == pytest.approx(0.05, abs=0.02)
    assert share[Category.OUTCOME_MEASURE] == pytest.approx(0.05, abs=0.02)
    predicates = Counter(e.predicate for e in edges_of(graph))
    assert set(predicates) >= {
        p for p in PREDICATES if p.value not in ("induces", "metabolized_to")
    }
    activity = [e for e in edges_of(graph) if e.predicate in ACTIVITY_PREDICATES]
    assert all(
        e.measure is not None and e.value is not None and e.unit is not None for e in activity
    )
    assert {e.measure.value for e in activity if e.measure} >= {"Ki", "EC50", "IC50"}


def test_target_popularity_is_heavy_tailed(graph: list[Record]) -> None:
    for hubs in ("UniProtKB:", "PUBCHEM.COMPOUND:"):  # targets of activities; investigated
        degree = sorted(
            Counter(e.object for e in edges_of(graph) if e.object.startswith(hubs)).values(),
            reverse=True,
        )
        top_tenth = degree[: max(len(degree) // 10, 1)]
        assert sum(top_tenth) >= 0.3 * sum(degree)  # evenly spread, they would hold 10 %
        assert degree[0] >= 5 * statistics.median(degree)


def test_records_are_streamed_not_built_up_front() -> None:
    started = time.perf_counter()
    stream = generate(10**9)
    assert isinstance(stream, Iterator)
    first = next(stream)
    assert isinstance(first, Node)
    assert first.category in CATEGORIES
    assert time.perf_counter() - started < 1.0


def _peak_bytes(edges: int) -> int:
    tracemalloc.start()
    try:
        for _ in generate(edges):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_the_graph_grows() -> None:
    small, large = _peak_bytes(1000), _peak_bytes(20_000)
    assert large < small + 1_000_000  # 20x the records, under 1 MB more at the peak


def test_compounds_carry_awkward_names_for_the_csv_paths(graph: list[Record]) -> None:
    synonyms = itertools.chain.from_iterable(
        n.synonyms for n in nodes_of(graph) if n.category in COMPOUNDS
    )
    assert any('"' in s and "," in s and ";" in s for s in synonyms)
    assert any(n.summary and "\n" in n.summary for n in nodes_of(graph))


def test_the_synthetic_graph_passes_identity_resolution_whole() -> None:
    """Every record survives the identity step of ``pharmakg load`` (no two nodes share an
    xref, no id repeats with other data), so the load benchmark writes the whole graph."""
    collector = Collector()
    located = (
        (r, Location(Path("synthetic"), record=f"#{i}"))
        for i, r in enumerate(generate(10_000, 7), start=1)
    )
    resolved = sum(1 for _ in pipeline.resolve(located, IdentityIndex(), collector))
    assert collector.rejections == []
    assert resolved == Plan.for_edges(10_000).node_total + 10_000
