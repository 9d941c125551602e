"""A source that knows a curated entity under another id and category lands on the curated node.

ChEMBL calls every compound a drug; mitragynine is curated as an alkaloid and its ChEMBL id
(CHEMBL299031) is one of its cross-references. A ChEMBL load must add to that node, not flip
its label nor make a second node with the same id. Loaded the other way round, the curated
dataset's category wins: the node a source made a drug becomes the curated alkaloid.
"""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from api import pipeline
from graph.repository import get_nodes
from graph.stats import graph_stats
from graph.writer import Writer
from ontology.vocab import INFORES_PHARMAKG, Category
from tests.integration.stored import neighbourhood

PROJECT = Path(__file__).resolve().parents[2]
CURATED = PROJECT / "data" / "curated"
CHEMBL_EXPORT = PROJECT / "tests" / "fixtures" / "chembl" / "activities.tsv"
MITRAGYNINE = "PUBCHEM.COMPOUND:3034396"
GTOPDB_LIGANDS = PROJECT / "tests" / "fixtures" / "gtopdb" / "ligands_2026.2.csv"


def _labels(driver: Driver, curie: str) -> list[list[str]]:
    rows = driver.execute_query(
        "MATCH (n {id: $id}) RETURN labels(n) AS labels ORDER BY size(labels(n))", id=curie
    ).records
    return [sorted(r["labels"]) for r in rows]


def test_a_chembl_compound_keeps_its_curated_alkaloid_node(
    clean_db: Driver, tmp_path: Path
) -> None:
    pipeline.load(clean_db, pipeline.CURATED, [CURATED])
    [before] = get_nodes(clean_db, [MITRAGYNINE])
    assert before is not None
    assert before.category is Category.ALKALOID
    assert "CHEMBL.COMPOUND:CHEMBL299031" in before.xrefs

    documents = tmp_path / "documents.tsv"  # the fixture's document id is a placeholder
    documents.write_text("CHEMBL_EXAMPLE_DOC_1\tDOI:10.1021/jacs.6b00360\n")
    options = pipeline.SourceOptions(
        source_version="ChEMBL 33",
        document_map=documents,
        id_map=CHEMBL_EXPORT.with_name("target_map.tsv"),
    )
    report = pipeline.load(clean_db, "chembl", [CHEMBL_EXPORT], options=options)

    assert [str(r) for r in report.rejections] == []
    assert _labels(clean_db, MITRAGYNINE) == [["Alkaloid", "Entity"]]
    assert _labels(clean_db, "CHEMBL.COMPOUND:CHEMBL299031") == []
    [after] = get_nodes(clean_db, [MITRAGYNINE])
    assert after is not None
    assert after.category is Category.ALKALOID
    assert set(before.xrefs) <= set(after.xrefs)
    assert (
        "infores:chembl"
        in clean_db.execute_query(
            "MATCH (n:Entity {id: $id}) RETURN n.sources AS s", id=MITRAGYNINE
        ).records[0]["s"]
    )
    chembl_edges = [
        e
        for e in neighbourhood(clean_db, MITRAGYNINE)
        if e.provenance.primary_knowledge_source == "infores:chembl"
    ]
    assert {e.subject for e in chembl_edges} == {MITRAGYNINE}
    assert len(chembl_edges) == 2


def test_a_gtopdb_release_adds_to_the_curated_compounds(clean_db: Driver) -> None:
    pipeline.load(clean_db, pipeline.CURATED, [CURATED])
    before = graph_stats(clean_db).node_total
    ligands = PROJECT / "tests" / "fixtures" / "gtopdb" / "ligands_2026.2.csv"

    report = pipeline.load(clean_db, "gtopdb", [ligands])

    assert [str(r) for r in report.rejections] == []
    assert (report.write.nodes.created, report.write.nodes.updated) == (0, 3)
    assert graph_stats(clean_db).node_total == before
    assert _labels(clean_db, MITRAGYNINE) == [["Alkaloid", "Entity"]]
    assert _labels(clean_db, "PUBCHEM.COMPOUND:5288826") == [["Drug", "Entity"]]
    [mitragynine] = get_nodes(clean_db, [MITRAGYNINE])
    assert mitragynine is not None
    assert "GTOPDB:13149" in mitragynine.xrefs


def _chembl(tmp_path: Path) -> pipeline.SourceOptions:
    documents = tmp_path / "documents.tsv"  # the fixture's document id is a placeholder
    documents.write_text("CHEMBL_EXAMPLE_DOC_1\tDOI:10.1021/jacs.6b00360\n")
    return pipeline.SourceOptions(
        source_version="ChEMBL 33",
        document_map=documents,
        id_map=CHEMBL_EXPORT.with_name("target_map.tsv"),
    )


def _described(driver: Driver, curie: str) -> dict[str, object]:
    [row] = driver.execute_query(
        "MATCH (n:Entity {id: $id}) RETURN n {.name, .description, .source, .source_version, "
        ".formula, .sources, .loaded_by} AS n",
        id=curie,
    ).records
    return dict(row["n"])


def test_the_first_source_keeps_a_shared_node_and_a_later_one_only_adds(
    clean_db: Driver, tmp_path: Path
) -> None:
    pipeline.load(clean_db, pipeline.CURATED, [CURATED])
    curated = _described(clean_db, MITRAGYNINE)
    assert curated["name"] == "mitragynine"
    ligands = PROJECT / "tests" / "fixtures" / "gtopdb" / "ligands_2026.2.csv"

    chembl = pipeline.load(clean_db, "chembl", [CHEMBL_EXPORT], options=_chembl(tmp_path))
    gtopdb = pipeline.load(clean_db, "gtopdb", [ligands])

    shared = _described(clean_db, MITRAGYNINE)
    owned = {k: shared[k] for k in ("name", "description", "source", "source_version", "formula")}
    assert owned == {k: curated[k] for k in owned}
    assert shared["sources"] == [curated["source"], "infores:chembl", "infores:gtopdb"]
    assert shared["loaded_by"] == ["curated", chembl.scope, gtopdb.scope]
    # The same data again changes nothing, whichever source is reloaded.
    for again in (
        pipeline.load(clean_db, "chembl", [CHEMBL_EXPORT], options=_chembl(tmp_path)),
        pipeline.load(clean_db, "gtopdb", [ligands]),
        pipeline.load(clean_db, pipeline.CURATED, [CURATED]),
    ):
        assert (again.write.nodes.created, again.write.nodes.updated) == (0, 0)
        assert (again.write.edges.created, again.write.edges.updated) == (0, 0)
        assert again.write.retracted == []
    assert _described(clean_db, MITRAGYNINE) == shared
    # Retracting ChEMBL's statement takes only its claim: the node and its owner's values stay.
    retracted = Writer(clean_db, scope=chembl.scope, snapshot=True).write([], atomic=True)
    assert "node PUBCHEM.COMPOUND:3034396 (still stated by another source)" in {
        str(r) for r in retracted.retracted
    }
    after = _described(clean_db, MITRAGYNINE)
    assert after["loaded_by"] == ["curated", gtopdb.scope]
    assert {k: after[k] for k in owned} == owned


def test_the_curated_dataset_takes_over_what_it_states(clean_db: Driver) -> None:
    ligands = PROJECT / "tests" / "fixtures" / "gtopdb" / "ligands_2026.2.csv"
    gtopdb = pipeline.load(clean_db, "gtopdb", [ligands])
    assert _described(clean_db, MITRAGYNINE)["source"] == "infores:gtopdb"

    pipeline.load(clean_db, pipeline.CURATED, [CURATED])

    taken = _described(clean_db, MITRAGYNINE)
    assert (taken["name"], taken["formula"]) == ("mitragynine", "C23H30N2O4")
    assert taken["source"] != "infores:gtopdb"
    assert taken["loaded_by"] == ["curated", gtopdb.scope]
    again = pipeline.load(clean_db, "gtopdb", [ligands])
    assert again.write.nodes.updated == 0
    assert _described(clean_db, MITRAGYNINE) == taken


def test_a_compound_loaded_before_its_curated_entry_is_reported_then_merged_by_a_reload(
    clean_db: Driver, tmp_path: Path
) -> None:
    chembl = "CHEMBL.COMPOUND:CHEMBL299031"
    pipeline.load(clean_db, "chembl", [CHEMBL_EXPORT], options=_chembl(tmp_path))
    assert _labels(clean_db, chembl) == [["Drug", "Entity"]]

    curated = pipeline.load(clean_db, pipeline.CURATED, [CURATED])

    assert [str(s) for s in curated.write.separate] == [
        f"{MITRAGYNINE} lists {chembl} among its cross-references, but {chembl} is a separate "
        f"node (Drug, from infores:chembl): one entity, two nodes. Reload the source of {chembl} "
        f"to move its statements onto {MITRAGYNINE}"
    ]
    reload = pipeline.load(clean_db, "chembl", [CHEMBL_EXPORT], options=_chembl(tmp_path))
    assert [str(r) for r in reload.rejections] == []
    assert reload.write.separate == []
    assert _labels(clean_db, chembl) == []
    assert _labels(clean_db, MITRAGYNINE) == [["Alkaloid", "Entity"]]
    chembl_edges = [
        e
        for e in neighbourhood(clean_db, MITRAGYNINE)
        if e.provenance.primary_knowledge_source == "infores:chembl"
    ]
    assert len(chembl_edges) == 2


def _element_id(driver: Driver, curie: str) -> str:
    [row] = driver.execute_query(
        "MATCH (n:Entity {id: $id}) RETURN elementId(n) AS e", id=curie
    ).records
    return str(row["e"])


def test_the_curated_category_wins_over_a_source_loaded_before_it(clean_db: Driver) -> None:
    gtopdb = pipeline.load(clean_db, "gtopdb", [GTOPDB_LIGANDS])
    assert _labels(clean_db, MITRAGYNINE) == [["Drug", "Entity"]]
    node = _element_id(clean_db, MITRAGYNINE)

    curated = pipeline.load(clean_db, pipeline.CURATED, [CURATED])

    assert [str(r) for r in curated.rejections] == []
    assert _labels(clean_db, MITRAGYNINE) == [["Alkaloid", "Entity"]]
    assert _element_id(clean_db, MITRAGYNINE) == node  # relabelled, not made again
    [mitragynine] = get_nodes(clean_db, [MITRAGYNINE])
    assert mitragynine is not None
    assert (mitragynine.category, mitragynine.name) == (Category.ALKALOID, "mitragynine")
    assert mitragynine.source == INFORES_PHARMAKG
    assert "GTOPDB:13149" in mitragynine.xrefs
    taken = _described(clean_db, MITRAGYNINE)
    assert taken["loaded_by"] == ["curated", gtopdb.scope]
    assert taken["sources"] == ["infores:gtopdb", INFORES_PHARMAKG]
    curated_edges = [
        e
        for e in neighbourhood(clean_db, MITRAGYNINE)
        if e.provenance.primary_knowledge_source == INFORES_PHARMAKG
    ]
    assert curated_edges  # the curated statements about an alkaloid found their node
    # Morphine is a drug in the curated dataset too: nothing to relabel.
    assert _labels(clean_db, "PUBCHEM.COMPOUND:5288826") == [["Drug", "Entity"]]
    edges = graph_stats(clean_db).edge_total

    # Reloading either source changes nothing; GtoPdb does not make it a drug again.
    for again in (
        pipeline.load(clean_db, pipeline.CURATED, [CURATED]),
        pipeline.load(clean_db, "gtopdb", [GTOPDB_LIGANDS]),
    ):
        assert [str(r) for r in again.rejections] == []
        assert (again.write.nodes.created, again.write.nodes.updated) == (0, 0)
        assert (again.write.edges.created, again.write.edges.updated) == (0, 0)
        assert again.write.retracted == []
        assert _labels(clean_db, MITRAGYNINE) == [["Alkaloid", "Entity"]]
        assert _described(clean_db, MITRAGYNINE) == taken
    assert graph_stats(clean_db).edge_total == edges
