"""A load of a complete source is a snapshot: a reload of a changed dataset gives exactly the
graph a fresh load of it gives (#13). Compared as full dumps of nodes, edges and properties."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from neo4j import Driver

from api import pipeline
from graph.writer import Writer
from loaders.curated_format import DEFAULT_DIR
from ontology.records import Edge, Provenance
from ontology.vocab import Predicate
from tests.integration.test_bulk import dump

MITRAGYNINE = "PUBCHEM.COMPOUND:3034396"
MIDAZOLAM = "PUBCHEM.COMPOUND:4192"
REMOVED = (
    "- {substrate: mitragynine, enzyme: cyp2c9, product: null, evidence_kind: in_vitro,\n"
    '   doi: "10.1080/00498254.2018.1552819",\n'
    '   note: "Minor contribution of CYP2C9 to mitragynine metabolism in HLM (Kamble 2019); '
    'product per enzyme not given in the abstract."}\n'
)
ADDED = """
- compound: mitragyna-speciosa
  effect: seizure
  evidence_kind: clinical
  design: case_report
  finding: "A record added for the test."
  pmid: "30062086"
"""


def _changed(old: Path, new: Path) -> None:
    """The previous dataset with one record changed, one removed and one added, and one
    node property (a target's description) gone."""
    shutil.copytree(old, new)
    pharmacology = new / "pharmacology.tsv"
    text = pharmacology.read_text()
    assert "\t9.70\t" in text
    pharmacology.write_text(text.replace("\t9.70\t", "\t9.80\t", 1))
    metabolism = new / "metabolism.yaml"
    assert REMOVED in metabolism.read_text()
    metabolism.write_text(metabolism.read_text().replace(REMOVED, ""))
    safety = new / "safety.yaml"
    safety.write_text(safety.read_text() + ADDED)
    targets = new / "targets.yaml"
    text = targets.read_text()
    line = '    description: "opioid receptor mu 1 (human); GtoPdb family Opioid receptors (50)."\n'
    assert line in text
    targets.write_text(text.replace(line, "", 1))


@pytest.fixture
def datasets(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "previous", tmp_path / "changed"
    shutil.copytree(DEFAULT_DIR, old)
    _changed(old, new)
    return old, new


def _wipe(driver: Driver) -> None:
    driver.execute_query("MATCH (n) DETACH DELETE n")


@pytest.mark.parametrize("atomic", [True, False], ids=["atomic", "per-batch"])
def test_reloading_a_changed_dataset_equals_a_fresh_load(
    clean_db: Driver, datasets: tuple[Path, Path], atomic: bool
) -> None:
    old, new = datasets
    first = pipeline.load(clean_db, pipeline.CURATED, [old], atomic=atomic, batch_size=97)
    assert first.rejections == []
    assert first.write.retracted == []
    reload = pipeline.load(clean_db, pipeline.CURATED, [new], atomic=atomic, batch_size=97)
    assert reload.rejections == []
    reloaded = dump(clean_db)
    _wipe(clean_db)
    fresh = pipeline.load(clean_db, pipeline.CURATED, [new], atomic=atomic, batch_size=97)
    assert fresh.write.retracted == []
    assert reloaded == dump(clean_db)
    # The old IC50 and the removed metabolism finding are retracted, by id.
    gone = [r for r in reload.write.retracted if r.kind == "edge"]
    assert len(gone) == 2
    assert all(r.deleted for r in gone)
    assert sum("-[METABOLIZED_BY]->" in r.description for r in gone) == 1
    assert sum("-[INHIBITS]->" in r.description for r in gone) == 1
    assert {r.id for r in gone}.isdisjoint(
        {row["id"] for row in clean_db.execute_query("MATCH ()-[r]->() RETURN r.id AS id").records}
    )


def test_reloading_the_previous_dataset_again_restores_it(
    clean_db: Driver, datasets: tuple[Path, Path]
) -> None:
    old, new = datasets
    pipeline.load(clean_db, pipeline.CURATED, [old])
    before = dump(clean_db)
    pipeline.load(clean_db, pipeline.CURATED, [new])
    back = pipeline.load(clean_db, pipeline.CURATED, [old])
    assert back.write.retracted  # the added record goes again
    assert dump(clean_db) == before


def test_an_additive_load_retracts_nothing(clean_db: Driver, datasets: tuple[Path, Path]) -> None:
    old, new = datasets
    pipeline.load(clean_db, pipeline.CURATED, [old])
    edges = clean_db.execute_query("MATCH ()-[r]->() RETURN count(r) AS n").records[0]["n"]
    report = pipeline.load(clean_db, pipeline.CURATED, [new], additive=True)
    assert report.write.retracted == []
    after = clean_db.execute_query("MATCH ()-[r]->() RETURN count(r) AS n").records[0]["n"]
    assert after == edges + 2  # the new IC50 and the added record join the old ones


def test_another_source_never_touches_the_curated_statements(
    clean_db: Driver, datasets: tuple[Path, Path]
) -> None:
    old, _ = datasets
    pipeline.load(clean_db, pipeline.CURATED, [old])
    before = dump(clean_db)
    stats = Writer(clean_db, scope="pubmed:other.xml", snapshot=True).write([], atomic=True)
    assert stats.retracted == []
    assert dump(clean_db) == before


def test_a_node_no_scope_states_goes_unless_an_edge_needs_it(
    clean_db: Driver, tmp_path: Path
) -> None:
    pipeline.load(clean_db, pipeline.CURATED, [DEFAULT_DIR])
    # Another source's edge hangs on two curated nodes.
    other = Edge(
        subject=MITRAGYNINE,
        predicate=Predicate.INTERACTS_WITH,
        object=MIDAZOLAM,
        evidence_kind="clinical",
        provenance=Provenance(
            primary_knowledge_source="infores:other",
            publications=("PMID:36924284",),
            knowledge_level="knowledge_assertion",
            agent_type="manual_agent",
            source_version="t",
        ),
    )
    Writer(clean_db, scope="other:test", snapshot=True).write([other], atomic=True)
    empty = tmp_path / "empty"
    empty.mkdir()
    report = pipeline.load(clean_db, pipeline.CURATED, [empty])
    assert report.rejections == []
    left = clean_db.execute_query(
        "MATCH (n:Entity) RETURN n.id AS id, n.loaded_by AS scopes ORDER BY id"
    ).records  # Entity: not the graph version node
    assert [(r["id"], r["scopes"]) for r in left] == [(MITRAGYNINE, None), (MIDAZOLAM, None)]
    edges = clean_db.execute_query("MATCH ()-[r]->() RETURN r.loaded_by AS scopes").records
    assert [r["scopes"] for r in edges] == [["other:test"]]
    kept = {r.id for r in report.write.retracted if not r.deleted}
    assert kept == {MITRAGYNINE, MIDAZOLAM}


def test_a_graph_loaded_before_scopes_existed_is_cleaned_by_the_first_load(
    clean_db: Driver, datasets: tuple[Path, Path]
) -> None:
    """An upgrade: the previous code wrote no ``loaded_by``; the first curated load after it
    still gives exactly the graph a fresh load gives (every curated edge id changed)."""
    old, new = datasets
    pipeline.load(clean_db, pipeline.CURATED, [old])
    clean_db.execute_query("MATCH (n) REMOVE n.loaded_by")
    clean_db.execute_query("MATCH ()-[r]->() REMOVE r.loaded_by")
    upgrade = pipeline.load(clean_db, pipeline.CURATED, [new])
    assert upgrade.rejections == []
    assert len([r for r in upgrade.write.retracted if r.kind == "edge"]) == 2
    upgraded = dump(clean_db)
    _wipe(clean_db)
    pipeline.load(clean_db, pipeline.CURATED, [new])
    assert upgraded == dump(clean_db)
