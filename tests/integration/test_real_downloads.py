"""Real downloads (GtoPdb, ChEMBL, UniProt; origins in tests/fixtures/README.md) loaded into an
empty graph as `pharmakg load` loads them, and read back record by record."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from api import pipeline
from graph.repository import get_nodes
from graph.stats import graph_stats
from loaders.base import Collector, read_all
from ontology.records import Edge, Node, Record
from ontology.vocab import Category
from tests.integration.stored import neighbourhood

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GTOPDB = FIXTURES / "gtopdb"
# In the order a user may type them: interactions before the ligands and targets they need.
RELEASE = [GTOPDB / "interactions.csv", GTOPDB / "targets_and_families.csv", GTOPDB / "ligands.csv"]


def read(
    source: str, paths: list[Path], options: pipeline.SourceOptions
) -> tuple[list[Record], Collector]:
    collector = Collector()
    records = list(read_all(pipeline.reader_for(source, options), paths, collector))
    return records, collector


def assert_stored(driver: Driver, records: list[Record]) -> None:
    """Every node and edge read from the files is in Neo4j exactly as read."""
    nodes = [r for r in records if isinstance(r, Node)]
    assert get_nodes(driver, [n.id for n in nodes]) == nodes
    edges = {e.id: e for e in records if isinstance(e, Edge)}
    stored = {
        e.id: e
        for subject in {e.subject for e in edges.values()}
        for e in neighbourhood(driver, subject)
    }
    assert {key: stored.get(key) for key in edges} == edges


def test_a_gtopdb_release_loads_into_an_empty_graph(clean_db: Driver) -> None:
    report = pipeline.load(clean_db, "gtopdb", RELEASE)
    assert [str(r) for r in report.rejections] == []
    records, _ = read("gtopdb", RELEASE, pipeline.SourceOptions())
    assert_stored(clean_db, records)
    stats = graph_stats(clean_db)
    assert stats.node_total == 2 + 34  # 2 ligands; 13 targets x human, rat, mouse (-5 absent)
    assert stats.edge_total == 4  # the range-only row included
    delta = next(r for r in records if isinstance(r, Edge) and r.object == "UniProtKB:P41143")
    assert (delta.value, delta.low, delta.high, delta.interval) == (None, 100.0, 1000.0, "range")
    # reloading changes nothing
    again = pipeline.load(clean_db, "gtopdb", RELEASE)
    assert again.rejections == []
    assert (again.write.nodes.created, again.write.nodes.updated) == (0, 0)
    assert (again.write.edges.created, again.write.edges.updated) == (0, 0)
    assert graph_stats(clean_db).node_total == stats.node_total


def test_a_chembl_api_field_table_loads_without_maps(clean_db: Driver) -> None:
    path = FIXTURES / "chembl" / "api_fields.csv"
    options = pipeline.SourceOptions(source_version="ChEMBL 33")
    report = pipeline.load(clean_db, "chembl", [path], options=options)
    assert [(r.location.line, r.field) for r in report.rejections] == [
        (23, "standard_flag"),
        (25, "target_chembl_id"),
        (26, "data_validity_comment"),
    ]
    records, _ = read("chembl", [path], options)
    assert_stored(clean_db, records)
    target = get_nodes(clean_db, ["CHEMBL.TARGET:CHEMBL2243"])
    assert [(n.category, n.name) for n in target if n is not None] == [
        (Category.PROTEIN, "Anandamide amidohydrolase")
    ]
    assert graph_stats(clean_db).edge_total == 22


def test_uniprot_entries_land_in_their_categories(clean_db: Driver) -> None:
    paths = [FIXTURES / "uniprot" / "proteins.tsv", FIXTURES / "uniprot" / "entry.json"]
    report = pipeline.load(clean_db, "uniprot", paths)
    assert report.rejections == []
    records, _ = read("uniprot", paths, pipeline.SourceOptions())
    assert_stored(clean_db, records)
    stored = get_nodes(clean_db, ["UniProtKB:P35372", "UniProtKB:P08684", "UniProtKB:P10635"])
    assert [n.category for n in stored if n is not None] == [
        Category.RECEPTOR,
        Category.ENZYME,
        Category.ENZYME,
    ]
