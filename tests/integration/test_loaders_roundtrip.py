"""Each public-format loader's fixture goes through Neo4j and comes back as the same records;
each bad input gives its clear error and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from neo4j import Driver

from api import pipeline
from graph.repository import get_nodes
from graph.stats import graph_stats
from graph.writer import write
from loaders.base import Collector
from loaders.errors import LoaderError
from ontology.records import Edge, Node, Record
from ontology.vocab import Category
from tests.integration.stored import neighbourhood

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TARGETS = FIXTURES / "chembl" / "target_map.tsv"

# (source, file, options): the good fixture of each loader.
GOOD = [
    ("pubchem", "pubchem/properties.json", pipeline.SourceOptions()),
    ("pubchem", "pubchem/compound.json", pipeline.SourceOptions()),
    ("uniprot", "uniprot/proteins.tsv", pipeline.SourceOptions()),
    ("uniprot", "uniprot/search.json", pipeline.SourceOptions()),
    (
        "gtopdb",
        "gtopdb/interactions.csv",
        pipeline.SourceOptions(id_map=FIXTURES / "gtopdb" / "ligands.csv"),
    ),
    ("pubmed", "pubmed/articles.xml", pipeline.SourceOptions()),
    ("clinicaltrials", "clinicaltrials/studies.json", pipeline.SourceOptions()),
    ("obo", "obo/doid_subset.obo", pipeline.SourceOptions()),
]

# Endpoint stubs by prefix, for edges whose nodes another source provides.
STUB_CATEGORY = {
    "PUBCHEM.COMPOUND": Category.DRUG,
    "UniProtKB": Category.RECEPTOR,
    "DOID": Category.CONDITION,
    "MONDO": Category.CONDITION,
    "NCT": Category.STUDY,
    "PMID": Category.STUDY,
}


def read(source: str, name: str, options: pipeline.SourceOptions) -> list[Record]:
    collector = Collector()
    records = list(pipeline.reader_for(source, options)(FIXTURES / name, collector))
    assert collector.rejections == [], [str(r) for r in collector.rejections]
    return records


def stubs_for(records: list[Record]) -> list[Node]:
    have = {r.id for r in records if isinstance(r, Node)}
    needed = sorted(
        {c for r in records if isinstance(r, Edge) for c in (r.subject, r.object)} - have
    )
    return [
        Node(id=c, category=STUB_CATEGORY[c.split(":")[0]], name=c, source="infores:test")
        for c in needed
    ]


@pytest.mark.parametrize(
    ("source", "name", "options"), GOOD, ids=[f"{s}:{n.split('/')[1]}" for s, n, _ in GOOD]
)
def test_fixture_round_trips_through_neo4j(
    clean_db: Driver, source: str, name: str, options: pipeline.SourceOptions
) -> None:
    records = read(source, name, options)
    assert records, f"{name} yielded no records"
    stats = write(clean_db, [*stubs_for(records), *records], atomic=True)
    assert stats.rejected == 0
    nodes = [r for r in records if isinstance(r, Node)]
    assert get_nodes(clean_db, [n.id for n in nodes]) == nodes
    edges = {e.id: e for e in records if isinstance(e, Edge)}
    stored = {
        e.id: e for n in {e.subject for e in edges.values()} for e in neighbourhood(clean_db, n)
    }
    assert {k: stored.get(k) for k in edges} == edges


BAD: list[tuple[str, str, str]] = [
    ("pubchem", "pubchem/truncated.json", "truncated.json"),
    ("pubchem", "pubchem/bad_encoding.json", "bad_encoding.json"),
    ("uniprot", "uniprot/wrong_columns.tsv", "wrong_columns.tsv"),
    ("uniprot", "uniprot/truncated.json", "truncated.json"),
    ("chembl", "chembl/wrong_columns.tsv", "wrong_columns.tsv"),
    ("chembl", "chembl/truncated.tsv", "truncated.tsv"),
    ("chembl", "chembl/bad_encoding.tsv", "bad_encoding.tsv"),
    ("gtopdb", "gtopdb/truncated.csv", "truncated.csv"),
    ("gtopdb", "gtopdb/wrong_columns.csv", "wrong_columns.csv"),
    ("pubmed", "pubmed/truncated.xml", "truncated.xml"),
    ("pubmed", "pubmed/bad_encoding.xml", "bad_encoding.xml"),
    ("clinicaltrials", "clinicaltrials/truncated.json", "truncated.json"),
    ("obo", "obo/bad_encoding.obo", "bad_encoding.obo"),
]


@pytest.mark.parametrize(("source", "name", "shown"), BAD, ids=[n for _, n, _ in BAD])
def test_a_broken_file_is_a_clear_error_and_writes_nothing(
    clean_db: Driver, source: str, name: str, shown: str
) -> None:
    options = pipeline.SourceOptions(id_map=TARGETS) if source == "chembl" else None
    with pytest.raises(LoaderError, match=shown) as raised:
        pipeline.load(clean_db, source, [FIXTURES / name], options=options)
    assert "field" in str(raised.value)
    assert graph_stats(clean_db).node_total == 0


BAD_RECORDS = [
    ("pubchem", "pubchem/bad_records.json"),
    ("uniprot", "uniprot/bad_records.tsv"),
    ("pubmed", "pubmed/bad_records.xml"),
    ("clinicaltrials", "clinicaltrials/bad_records.json"),
    ("obo", "obo/bad_terms.obo"),
    ("gtopdb", "gtopdb/bad_rows.csv"),
]


@pytest.mark.parametrize(("source", "name"), BAD_RECORDS, ids=[n for _, n in BAD_RECORDS])
def test_strict_load_of_bad_records_writes_nothing(
    clean_db: Driver, source: str, name: str
) -> None:
    load: Callable[..., pipeline.LoadReport] = pipeline.load
    with pytest.raises(LoaderError, match=r"field '"):
        load(clean_db, source, [FIXTURES / name], strict=True)
    assert graph_stats(clean_db).node_total == 0


def test_an_edge_whose_endpoints_are_missing_is_reported(clean_db: Driver) -> None:
    report = pipeline.load(
        clean_db,
        "gtopdb",
        [FIXTURES / "gtopdb" / "interactions.csv"],
        options=pipeline.SourceOptions(id_map=FIXTURES / "gtopdb" / "ligands.csv"),
    )
    assert report.rejections
    assert all(
        "is neither in the graph nor a node of this load" in r.reason for r in report.rejections
    )
    assert graph_stats(clean_db).edge_total == 0


def test_the_same_id_with_conflicting_data_is_rejected(clean_db: Driver, tmp_path: Path) -> None:
    original = (FIXTURES / "pubchem" / "properties.json").read_text()
    twice = tmp_path / "twice.json"
    twice.write_text(original)
    changed = tmp_path / "changed.json"
    changed.write_text(original.replace("C23H30N2O4", "C23H30N2O5"))
    report = pipeline.load(clean_db, "pubchem", [twice, changed])
    # The rejection names where the first copy was read (file and record), not a hash.
    assert any(
        "was already read at" in r.reason
        and "with different data" in r.reason
        and "twice.json" in r.reason
        for r in report.rejections
    )
    formula = clean_db.execute_query(
        "MATCH (n:Alkaloid {id: 'PUBCHEM.COMPOUND:3034396'}) RETURN n.formula AS f"
    ).records
    assert formula[0]["f"] == "C23H30N2O4"
