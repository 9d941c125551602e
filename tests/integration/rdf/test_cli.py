"""``pharmakg export-rdf`` against a real Neo4j."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from neo4j import Driver
from rdflib import Graph, URIRef
from typer.testing import CliRunner

from api.rdf import export_rdf_command
from ontology import rdf
from ontology.identifiers import iri
from ontology.vocab import PKG, Category
from tests.conftest import Neo4jEndpoint
from tests.unit.rdf import fixture_graph as fx

cli = typer.Typer()
cli.command("export-rdf")(export_rdf_command)
cli.command("noop")(lambda: None)  # two commands: typer keeps the sub-command name


@pytest.fixture
def runner(neo4j_endpoint: Neo4jEndpoint, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("NEO4J_URI", neo4j_endpoint.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_endpoint.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_endpoint.password)
    return CliRunner()


def test_export_and_validate_the_curated_data(
    curated_db: Driver, runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "pharmakg.ttl"
    result = runner.invoke(cli, ["export-rdf", "--format", "ttl", "-o", str(target), "--validate"])
    assert result.exit_code == 0, result.output
    assert "triples" in result.output
    assert "conforms" in result.output
    graph = Graph().parse(target, format="turtle")
    assert (URIRef(iri("PMID:24464759")), URIRef(rdf.RDF_TYPE), URIRef(PKG + "Study")) in graph


def test_export_a_category_as_n_triples(
    fixture_db: Driver, runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "studies.nt"
    result = runner.invoke(
        cli, ["export-rdf", "-f", "nt", "--category", "study", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    nodes, _ = rdf.read_records(Graph().parse(target, format="nt"))
    studies = {n.id for n, _ in nodes if n.category is Category.STUDY}
    assert studies == {n.id for n in fx.NODES if n.category is Category.STUDY}


def test_export_a_neighbourhood_in_rdf_star(
    fixture_db: Driver, runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "mor.nt"
    result = runner.invoke(
        cli, ["export-rdf", "-f", "nt", "--entity", fx.MOR, "--star", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "rdf-syntax-ns#reifies> <<( " in target.read_text()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["-f", "yaml"], "expected one of: ttl"),
        (["-f", "jsonld", "--star"], "cannot carry RDF-star"),
        (["--star", "--validate"], "cannot be validated"),
        (["--category", "plant"], "unknown category 'plant'"),
        (["--entity", "mitragynine"], "not a CURIE"),
    ],
)
def test_bad_options_fail_with_the_reason(
    runner: CliRunner, tmp_path: Path, arguments: list[str], message: str
) -> None:
    result = runner.invoke(cli, ["export-rdf", "-o", str(tmp_path / "x"), *arguments])
    assert result.exit_code == 2
    assert message in result.output


def test_a_stored_record_that_is_no_longer_valid_stops_the_export(
    fixture_db: Driver, runner: CliRunner, tmp_path: Path
) -> None:
    fixture_db.execute_query("MATCH ()-[r:BINDS]->() SET r.unit = 'furlong'")
    result = runner.invoke(cli, ["export-rdf", "-o", str(tmp_path / "x.ttl")])
    assert result.exit_code == 1
    assert "is not a valid record" in result.output


def test_a_failed_validation_exits_with_the_report(
    fixture_db: Driver, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rdf, "validate", lambda graph: (False, "Constraint Violation: x"))
    result = runner.invoke(cli, ["export-rdf", "-o", str(tmp_path / "x.ttl"), "--validate"])
    assert result.exit_code == 1
    assert "Constraint Violation" in result.output
    assert "does not conform" in result.output


def test_an_unknown_entity_fails_with_the_http_message(
    fixture_db: Driver, runner: CliRunner, neo4j_endpoint: Neo4jEndpoint, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient  # noqa: PLC0415

    from api.app import create_app  # noqa: PLC0415
    from api.settings import Settings  # noqa: PLC0415

    target = tmp_path / "x.ttl"
    result = runner.invoke(cli, ["export-rdf", "--entity", "PMID:99999999", "-o", str(target)])
    assert result.exit_code == 1
    assert not target.exists()
    settings = Settings(
        neo4j_uri=neo4j_endpoint.uri,
        neo4j_user=neo4j_endpoint.user,
        neo4j_password=neo4j_endpoint.password,
    )
    with TestClient(create_app(settings)) as client:
        answer = client.get("/rdf/export", params={"entity": "PMID:99999999"})
    assert answer.status_code == 404
    assert answer.json()["detail"] == "no entity PMID:99999999"
    assert answer.json()["detail"] in result.output
