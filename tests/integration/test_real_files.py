"""Real public files (origins in tests/fixtures/README.md) loaded as users load them, checked
record by record against what lands in Neo4j.

The ontology file lists children before their parents (DOID:0050490 is_a DOID:9988, which comes
400 lines later), so with batches of 5 an edge's parent is often in a later batch: every is_a
must still land on the first run, in one transaction or one per batch, compressed or not.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from neo4j import Driver

from api import pipeline
from graph.repository import get_nodes
from graph.stats import graph_stats
from loaders.base import Collector
from ontology.records import Edge, Node, Record
from tests.conftest import Neo4jEndpoint
from tests.integration.stored import neighbourhood
from tests.integration.test_cli_load import pharmakg

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
STI = FIXTURES / "obo" / "sexually_transmitted_infectious_disease.obo"
GRAM_NEGATIVE = FIXTURES / "obo" / "gram-negative_bacterial_infectious_disease.obo"
# The file's is_a lines, child -> parent, read off it by hand.
STI_IS_A = {
    ("DOID:0050490", "DOID:9988"),
    ("DOID:0050491", "DOID:9988"),
    ("DOID:10027", "DOID:9988"),
    ("DOID:10035", "DOID:9988"),
    ("DOID:4156", "DOID:4166"),
    ("DOID:4157", "DOID:4166"),
    ("DOID:8200", "DOID:4166"),
    ("DOID:9531", "DOID:4166"),
    ("DOID:9880", "DOID:8200"),
    ("DOID:9988", "DOID:8200"),
}


def records_of(source: str, path: Path) -> list[Record]:
    collector = Collector()
    records = list(pipeline.reader_for(source)(path, collector))
    assert collector.rejections == []
    return records


def assert_landed_record_by_record(driver: Driver, records: list[Record]) -> None:
    """Each node and edge the loader read is in Neo4j exactly as read."""
    nodes = [r for r in records if isinstance(r, Node)]
    assert get_nodes(driver, [n.id for n in nodes]) == nodes
    edges = {e.id: e for e in records if isinstance(e, Edge)}
    stored = {
        e.id: e
        for subject in {e.subject for e in edges.values()}
        for e in neighbourhood(driver, subject)
    }
    assert {key: stored.get(key) for key in edges} == edges


def subclass_pairs(driver: Driver) -> set[tuple[str, str]]:
    rows = driver.execute_query("MATCH (c)-[:SUBCLASS_OF]->(p) RETURN c.id AS c, p.id AS p")
    return {(r["c"], r["p"]) for r in rows.records}


@pytest.mark.parametrize(
    ("atomic", "compressed"),
    [(True, False), (False, False), (False, True)],
    ids=["atomic", "per-batch", "per-batch-gz"],
)
def test_every_is_a_of_a_real_ontology_lands_on_the_first_run(
    clean_db: Driver, tmp_path: Path, atomic: bool, compressed: bool
) -> None:
    path = STI
    if compressed:
        path = tmp_path / "sti.obo.gz"
        path.write_bytes(gzip.compress(STI.read_bytes()))
    report = pipeline.load(clean_db, "obo", [path], atomic=atomic, batch_size=5)
    assert report.rejections == []
    assert subclass_pairs(clean_db) == STI_IS_A
    assert (report.write.nodes.created, report.write.edges.created) == (28, 10)
    assert_landed_record_by_record(clean_db, records_of("obo", STI))
    syphilis = get_nodes(clean_db, ["DOID:4166"])[0]
    assert syphilis is not None
    assert (syphilis.name, syphilis.xrefs, syphilis.source_version) == (
        "syphilis",
        ("MESH:D002601", "DOID:11095"),
        "doid/releases/2026-07-31",
    )


def test_two_subsets_of_one_release_keep_a_reload_a_no_op(clean_db: Driver) -> None:
    pipeline.load(clean_db, "obo", [STI], batch_size=5)
    second = pipeline.load(clean_db, "obo", [GRAM_NEGATIVE], batch_size=5)
    assert second.rejections == []
    # The terms both subsets hold are stamped alike: the second one changed none of them.
    assert (second.write.nodes.updated, second.write.edges.updated) == (0, 0)
    assert second.write.nodes.unchanged > 20
    again = pipeline.load(clean_db, "obo", [STI], batch_size=5)
    assert again.rejections == []
    assert (again.write.nodes.created, again.write.nodes.updated) == (0, 0)
    assert (again.write.edges.created, again.write.edges.updated) == (0, 0)
    assert again.write.nodes.unchanged == 28


def test_an_older_medline_baseline_file_loads_gzipped(clean_db: Driver) -> None:
    path = FIXTURES / "pubmed" / "medline16n0902.xml.gz"
    report = pipeline.load(
        clean_db,
        "pubmed",
        [path],
        atomic=False,
        batch_size=100,
        options=pipeline.SourceOptions(source_version="medline16n0902"),
    )
    assert report.rejections == []
    assert graph_stats(clean_db).nodes == {"Study": 604}
    collector = Collector()
    records: list[Record] = list(
        pipeline.reader_for("pubmed", pipeline.SourceOptions(source_version="medline16n0902"))(
            path, collector
        )
    )
    assert_landed_record_by_record(clean_db, records)
    first = get_nodes(clean_db, ["PMID:17942999"])[0]
    assert first is not None
    assert (first.year, first.title) == (
        2007,
        "Neuroplasticity in the processing of pitch "
        "dimensions: a multidimensional scaling "
        "analysis of the mismatch negativity",
    )


def test_a_registry_record_keeps_every_outcome(clean_db: Driver) -> None:
    path = FIXTURES / "clinicaltrials" / "NCT03630471.json"
    report = pipeline.load(clean_db, "clinicaltrials", [path], batch_size=5)
    assert report.rejections == []
    assert_landed_record_by_record(clean_db, records_of("clinicaltrials", path))
    rows = clean_db.execute_query(
        "MATCH (:Study {id: 'NCT:NCT03630471'})-[:MEASURES]->(o) "
        "WHERE o.name = 'Mental health symptoms' RETURN o.description AS d ORDER BY d"
    )
    assert [r["d"].split("; ")[:2] for r in rows.records] == [
        ["primary outcome", "time frame: 6 weeks"],
        ["secondary outcome", "time frame: 12 weeks post-randomization"],
    ]
    assert graph_stats(clean_db).edges == {"MEASURES": 11}


def test_load_without_a_source_name_guesses_it(
    neo4j_endpoint: Neo4jEndpoint, clean_db: Driver, tmp_path: Path
) -> None:
    path = tmp_path / "sti.obo.gz"
    path.write_bytes(gzip.compress(STI.read_bytes()))
    result = pharmakg(neo4j_endpoint, "load", str(path), "--per-batch", "--batch-size", "5")
    assert result.returncode == 0, result.stderr
    assert subclass_pairs(clean_db) == STI_IS_A


def test_a_file_with_no_records_exits_non_zero(
    neo4j_endpoint: Neo4jEndpoint, clean_db: Driver, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_text(
        '<?xml version="1.0"?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n', encoding="utf-8"
    )
    result = pharmakg(neo4j_endpoint, "load", "pubmed", str(empty))
    assert result.returncode == 2
    assert "no records read" in result.stderr
    go = tmp_path / "go.obo"
    shutil.copy(FIXTURES / "obo" / "go.obo", go)
    result = pharmakg(neo4j_endpoint, "load", "obo", str(go))
    assert result.returncode == 1
    assert result.stderr.count("error:") == 1
    assert "ontology 'go' is not one whose terms are conditions" in result.stderr
    assert graph_stats(clean_db).node_total == 0
