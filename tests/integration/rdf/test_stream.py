"""The streamed export from a real Neo4j: lossless, partial exports, flat memory."""

from __future__ import annotations

import io
import tracemalloc
from collections import Counter
from datetime import date

import pytest
from neo4j import Driver
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from benchmarks.synthetic import generate
from graph import export
from graph.export import Selection
from graph.repository import get_nodes
from graph.stats import delete_all, graph_stats
from graph.writer import write
from ontology import rdf
from ontology.identifiers import iri
from ontology.records import Edge, Node
from ontology.vocab import Category
from tests.conftest import GraphState
from tests.integration.rdf.conftest import Loader
from tests.unit.rdf import fixture_graph as fx
from tests.unit.rdf.test_mapping import curated_records, normal

INFO = rdf.DatasetInfo(version="0.0.test", created=date(2026, 11, 24))


def exported(driver: Driver, selection: Selection, name: str = "nt") -> tuple[Graph, rdf.Summary]:
    fmt = rdf.FORMATS[name]
    buffer = io.StringIO()
    summary = export.export(
        driver, selection, rdf.Exporter(rdf.writer_for(fmt, buffer.write), INFO, fmt=fmt)
    )
    return Graph().parse(data=buffer.getvalue(), format=fmt.rdflib), summary


@pytest.mark.parametrize("dataset", ["curated", "fixture"])
def test_the_whole_graph_comes_back_from_neo4j_unchanged(
    dataset: str, load_dataset: Loader
) -> None:
    driver = load_dataset(dataset)
    graph, summary = exported(driver, Selection())
    nodes, edges = rdf.read_records(graph)
    stats = graph_stats(driver)
    assert (summary.node_total, summary.edge_total) == (stats.node_total, stats.edge_total)
    assert len(nodes) == stats.node_total
    stored = get_nodes(driver, [n.id for n, _ in nodes])
    assert [normal(n) for n, _ in nodes] == [normal(s) for s in stored if s is not None]
    records = curated_records() if dataset == "curated" else fx.RECORDS
    expected = {e.id: normal(e) for e in records if isinstance(e, Edge)}
    assert {e.id: normal(e) for e in edges} == expected
    assert stats.edge_total == len(expected) > 30
    if dataset == "curated":  # a subject whose edges span several rows of the grouped read
        assert (
            max(Counter(e.subject for e in records if isinstance(e, Edge)).values())
            > export.EDGES_PER_ROW
        )


def test_storage_sources_become_provided_by(fixture_db: Driver) -> None:
    chembl_copy = fx.NODES[1].model_copy(update={"source": "infores:chembl"})
    write(fixture_db, [chembl_copy], atomic=True)
    graph, _ = exported(fixture_db, Selection(entity=fx.MITRAGYNINE))
    provided = set(
        graph.objects(
            URIRef(iri(fx.MITRAGYNINE)), URIRef("https://w3id.org/biolink/vocab/provided_by")
        )
    )
    assert provided == {URIRef(iri("infores:pharmakg")), URIRef(iri("infores:chembl"))}
    assert "content_hash" not in graph.serialize(format="nt")


def test_every_format_streams_the_same_graph_from_neo4j(fixture_db: Driver) -> None:
    reference, _ = exported(fixture_db, Selection(), "nt")
    for name in ("ttl", "jsonld", "xml"):
        graph, _ = exported(fixture_db, Selection(), name)
        graph.remove((None, URIRef(rdf.VOID + "feature"), None))
        expected = Graph()
        for triple in reference:
            expected.add(triple)
        expected.remove((None, URIRef(rdf.VOID + "feature"), None))
        assert isomorphic(graph, expected), name


def test_a_category_export_holds_its_nodes_their_edges_and_the_ends(fixture_db: Driver) -> None:
    graph, summary = exported(fixture_db, Selection(categories=(Category.STUDY,)))
    studies = {n.id for n in fx.NODES if n.category is Category.STUDY}
    touching = [e for e in fx.EDGES if e.subject in studies or e.object in studies]
    ends = {e.object for e in touching} | {e.subject for e in touching}
    assert summary.nodes[Category.STUDY] == len(studies)
    assert summary.edge_total == len(touching)
    assert summary.node_total == len(ends | studies)
    nodes, edges = rdf.read_records(graph)
    assert {n.id for n, _ in nodes} == ends | studies
    assert {e.id for e in edges} == {e.id for e in touching}
    conforms, report = rdf.validate(graph)
    assert conforms, report
    assert (
        export.count(fixture_db, Selection(categories=(Category.STUDY,)))
        == summary.node_total + summary.edge_total
    )


def test_a_neighbourhood_export(fixture_db: Driver) -> None:
    graph, summary = exported(fixture_db, Selection(entity=fx.MOR))
    touching = {e.id for e in fx.EDGES if fx.MOR in (e.subject, e.object)}
    nodes, edges = rdf.read_records(graph)
    assert {e.id for e in edges} == touching
    assert {n.id for n, _ in nodes} == {
        fx.MOR,
        fx.MITRAGYNINE,
        fx.OPIOID_FAMILY,
        fx.GAD_STUDY,
        fx.DEPRESSION_STUDY,
    }
    conforms, report = rdf.validate(graph)
    assert conforms, report
    assert (
        export.count(fixture_db, Selection(entity=fx.MOR))
        == summary.node_total + summary.edge_total
    )


def test_a_selection_by_ids_holds_the_edges_among_them(fixture_db: Driver) -> None:
    ids = (fx.HAZIM, fx.MITRAGYNINE, fx.EPM, "PMID:99999999")
    _, summary = exported(fixture_db, Selection(ids=ids))
    assert summary.node_total == 3
    assert summary.edge_total == 2  # Hazim investigates mitragynine, measures EPM


def test_streaming_memory_stays_flat_as_the_graph_grows(
    clean_db: Driver, graph_state: GraphState
) -> None:
    """Peak Python memory of a Turtle dump: the same for 2 000 and for 16 000 edges."""
    peaks = []
    for edges in (2_000, 16_000):
        delete_all(clean_db)
        write(clean_db, generate(edges, seed=3), atomic=False, batch_size=5000)
        tracemalloc.start()
        summary = export.export(
            clean_db,
            Selection(),
            rdf.Exporter(
                rdf.writer_for(rdf.FORMATS["ttl"], _discard), INFO, fmt=rdf.FORMATS["ttl"]
            ),
        )
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert summary.edge_total == edges
        assert summary.triples > edges * 15
    graph_state.curated_loaded = False
    small, large = peaks
    assert large < small * 1.25 + 500_000, f"peak {small:,} B for 2k edges, {large:,} B for 16k"


def _discard(text: str) -> None:
    assert text is not None


def test_an_unknown_entity_exports_nothing(fixture_db: Driver) -> None:
    _, summary = exported(fixture_db, Selection(entity="PMID:99999999"))
    assert (summary.node_total, summary.edge_total) == (0, 0)


def test_a_node_record_read_back_is_the_stored_one(fixture_db: Driver) -> None:
    found = export.find_node(fixture_db, fx.MITRAGYNINE)
    assert found is not None
    assert normal(found.node) == normal(next(n for n in fx.NODES if n.id == fx.MITRAGYNINE))
    assert isinstance(found.node, Node)
    assert export.find_node(fixture_db, "PMID:99999999") is None
