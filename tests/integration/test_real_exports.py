"""Rows cut from real public exports (origins in tests/fixtures/README.md) loaded with
``pharmakg load SOURCE FILE``, each row accepted or rejected for the reason the file gives."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from graph.repository import get_nodes
from graph.stats import graph_stats
from ontology.vocab import Category
from tests.conftest import Neo4jEndpoint
from tests.integration.test_cli_load import pharmakg

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# GtoPdb 2026.2 ligands.csv: fentanyl, fianlimab (an antibody), fibrinogen (a peptide),
# mitragynine, morphine, with the release line and header as published.
LIGANDS_2026 = FIXTURES / "gtopdb" / "ligands_2026.2.csv"


def test_a_gtopdb_2026_ligands_export_loads_its_compounds(
    neo4j_endpoint: Neo4jEndpoint, clean_db: Driver
) -> None:
    result = pharmakg(neo4j_endpoint, "load", "gtopdb", str(LIGANDS_2026))
    assert result.returncode == 0, result.stderr
    # 5 rows; the antibody and the peptide have no PubChem CID, so no compound node
    assert "records read: 3; rejected: 0" in result.stdout
    ids = ["PUBCHEM.COMPOUND:3345", "PUBCHEM.COMPOUND:3034396", "PUBCHEM.COMPOUND:5288826"]
    nodes = get_nodes(clean_db, ids)
    assert [(n.name, n.category, n.source_version) for n in nodes if n is not None] == [
        ("fentanyl", Category.DRUG, "2026.2"),
        ("mitragynine", Category.DRUG, "2026.2"),
        ("morphine", Category.DRUG, "2026.2"),
    ]
    mitragynine = nodes[1]
    assert mitragynine is not None
    assert mitragynine.xrefs == (
        "GTOPDB:13149",
        "CHEMBL.COMPOUND:CHEMBL299031",
        "INCHIKEY:LELBFTMXCIIKKX-QVRQZEMUSA-N",
    )
    assert mitragynine.synonyms == ("(-)-Mitragynine",)
    assert graph_stats(clean_db).node_total == 3
    again = pharmakg(neo4j_endpoint, "load", "gtopdb", str(LIGANDS_2026))
    assert again.returncode == 0, again.stderr
    assert graph_stats(clean_db).node_total == 3


def test_a_chembl_web_export_row_flagged_by_chembl_is_rejected(
    neo4j_endpoint: Neo4jEndpoint, clean_db: Driver
) -> None:
    path = FIXTURES / "chembl" / "web_export_semicolon.csv"
    result = pharmakg(neo4j_endpoint, "load", "chembl", str(path), "--source-version", "ChEMBL 33")
    assert result.returncode == 2
    assert "records read: 0; rejected: 1" in result.stdout
    assert (
        "web_export_semicolon.csv:2: field 'Data Validity Comment': ChEMBL flags this "
        "value: 'Outside typical range'"
    ) in " ".join(result.stderr.split())
    assert graph_stats(clean_db).node_total == 0


def test_a_uniprot_answer_without_the_needed_columns_is_one_error(
    neo4j_endpoint: Neo4jEndpoint, clean_db: Driver
) -> None:
    path = FIXTURES / "uniprot" / "rest_minimal_columns.tsv"
    result = pharmakg(neo4j_endpoint, "load", "uniprot", str(path))
    assert result.returncode == 1
    assert result.stderr.count("error:") == 1
    assert (
        "missing column(s) 'Protein names', 'Organism'; found: 'Entry', 'Gene Names (primary)'"
    ) in " ".join(result.stderr.split())
    assert graph_stats(clean_db).node_total == 0


def test_a_uniprot_search_answer_without_keywords_is_rejected_by_entry(
    neo4j_endpoint: Neo4jEndpoint, clean_db: Driver
) -> None:
    path = FIXTURES / "uniprot" / "rest_search_min.json"
    result = pharmakg(neo4j_endpoint, "load", "uniprot", str(path))
    assert result.returncode == 2
    assert "records read: 0; rejected: 1" in result.stdout
    assert (
        "rest_search_min.json [results[0]]: field 'Keywords': UniProt says nothing here of "
        "what the protein is"
    ) in " ".join(result.stderr.split())
    assert graph_stats(clean_db).node_total == 0
