"""The RDF endpoints against a real Neo4j: streamed export, content negotiation, errors."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, cast

import pyoxigraph as ox
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from neo4j import Driver
from rdflib import Graph, Literal, URIRef

from api.app import create_app
from api.rdf import ENTITY_EDGE_LIMIT
from api.settings import Settings
from ontology import rdf
from ontology.identifiers import iri
from ontology.vocab import PKG, Category, Predicate
from tests.conftest import Neo4jEndpoint
from tests.unit.rdf import fixture_graph as fx


def build_app(endpoint: Neo4jEndpoint) -> FastAPI:
    settings = Settings(
        neo4j_uri=endpoint.uri, neo4j_user=endpoint.user, neo4j_password=endpoint.password
    )
    return create_app(settings)


@pytest.fixture
def client(fixture_db: Driver, neo4j_endpoint: Neo4jEndpoint) -> Iterator[TestClient]:
    with TestClient(build_app(neo4j_endpoint)) as test_client:
        yield test_client


def entity_path(curie: str) -> str:
    return f"/entity/{curie}"


# -- /rdf/export -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(rdf.FORMATS))
def test_export_streams_each_format_with_its_media_type(client: TestClient, name: str) -> None:
    fmt = rdf.FORMATS[name]
    with client.stream("GET", "/rdf/export", params={"format": name}) as response:
        assert response.status_code == 200
        chunks = list(response.iter_bytes())
        headers = response.headers
    assert headers["content-type"] == f"{fmt.media_type}; charset=utf-8"
    disposition = headers["content-disposition"]
    assert disposition.startswith('attachment; filename="pharmakg-')
    assert disposition.endswith(f'-all.{fmt.extension}"')
    body = b"".join(chunks).decode()
    store = ox.Store()
    store.load(body, ox.RdfFormat.from_media_type(fmt.media_type))
    assert len(store) > 700
    rows = list(
        cast(
            ox.QuerySolutions,
            store.query(
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e a <https://w3id.org/biolink/vocab/"
                "Association> } }"
                if fmt.quads
                else "SELECT (COUNT(*) AS ?n) WHERE { ?e a <https://w3id.org/biolink/vocab/"
                "Association> }"
            ),
        )
    )
    assert int(rows[0]["n"].value) == len(fx.EDGES)


def test_export_by_accept_header_and_with_filters(client: TestClient) -> None:
    response = client.get(
        "/rdf/export", headers={"Accept": "application/ld+json"}, params={"category": "receptor"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert 'filename="pharmakg-' in response.headers["content-disposition"]
    assert "-receptor.jsonld" in response.headers["content-disposition"]
    graph = Graph().parse(data=response.text, format="json-ld")
    receptors = set(graph.subjects(URIRef(rdf.RDF_TYPE), URIRef(PKG + "Receptor")))
    assert receptors == {URIRef(iri(c)) for c in (fx.MOR, fx.DOR, fx.KOR)}
    assert (URIRef(rdf.DATASET_IRI), URIRef("http://purl.org/dc/terms/description"), None) in graph


def test_export_of_a_neighbourhood_in_rdf_star(client: TestClient) -> None:
    response = client.get("/rdf/export", params={"entity": fx.MOR, "format": "nt", "star": "true"})
    assert response.status_code == 200
    assert "<<( " in response.text
    store = ox.Store()
    store.load(response.text, ox.RdfFormat.N_TRIPLES)
    rows = list(
        cast(
            ox.QuerySolutions,
            store.query(
                "SELECT ?v WHERE { ?e <http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies> "
                "<<( ?s ?p <http://purl.uniprot.org/uniprot/P35372> )>> ; "
                "<https://w3id.org/pharmakg/vocab/value> ?v }"
            ),
        )
    )
    assert sorted(float(r["v"].value) for r in rows) == [233.0, 339.0, 709.0]


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({"format": "yaml"}, {}),
        ({}, {"Accept": "image/png"}),
        ({"format": "jsonld", "star": "true"}, {}),
    ],
)
def test_export_refuses_what_it_cannot_write_with_the_list(
    client: TestClient, params: dict[str, str], headers: dict[str, str]
) -> None:
    response = client.get("/rdf/export", params=params, headers=headers)
    assert response.status_code == 406
    body = response.json()
    assert body["detail"]
    assert {"format": "ttl", "media_type": "text/turtle"} in body["formats"]


def test_export_errors(client: TestClient) -> None:
    response = client.get("/rdf/export", params={"category": "plant"})
    assert response.status_code == 400
    assert "expected one of: alkaloid" in response.json()["detail"]
    assert client.get("/rdf/export", params={"entity": "PMID:99999999"}).status_code == 404


# -- /entity/{curie} -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml;q=0.9, text/plain;q=0.1", "application/rdf+xml"),
        ("*/*", "text/turtle"),
    ],
)
def test_entity_by_content_negotiation(client: TestClient, accept: str, media: str) -> None:
    response = client.get(entity_path(fx.MITRAGYNINE), headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media}; charset=utf-8"
    assert "Accept" in response.headers["vary"]
    graph = Graph().parse(data=response.text, format=rdf.format_for(media).rdflib)
    s = URIRef(iri(fx.MITRAGYNINE))
    assert graph.value(s, URIRef(rdf.RDFS_LABEL)) == Literal("mitragynine")
    touching = [e for e in fx.EDGES if fx.MITRAGYNINE in (e.subject, e.object)]
    associations = set(graph.subjects(URIRef(rdf.RDF_TYPE), URIRef(rdf.ASSOCIATION)))
    assert len(associations) == len(touching)
    # neighbours are named, so the description reads on its own
    assert graph.value(URIRef(iri(fx.MOR)), URIRef(rdf.RDFS_LABEL)) == Literal("mu opioid receptor")


def test_the_format_parameter_overrides_accept(client: TestClient) -> None:
    response = client.get(
        entity_path(fx.MOR), params={"format": "jsonld"}, headers={"Accept": "text/turtle"}
    )
    assert response.headers["content-type"].startswith("application/ld+json")
    document: dict[str, Any] = json.loads(response.text)
    assert "@context" in document


def test_a_browser_gets_a_readable_page(client: TestClient) -> None:
    response = client.get(
        entity_path(fx.MITRAGYNINE),
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<h1>mitragynine</h1>" in page
    assert "&quot;quoted&quot; text" in page  # the description, escaped
    assert "<markup>" not in page
    assert "partial agonist of" in page
    assert 'href="http://www.ncbi.nlm.nih.gov/pubmed/27192616"' in page
    assert f'href="http://testserver/entity/{fx.MOR}"' in page
    html = client.get(entity_path(fx.MITRAGYNINE), params={"format": "html"})
    assert html.headers["content-type"].startswith("text/html")


def test_entity_errors(client: TestClient) -> None:
    unknown = client.get(entity_path("PMID:99999999"))
    assert unknown.status_code == 404
    assert "no entity PMID:99999999" in unknown.json()["detail"]
    assert client.get(entity_path("not-a-curie")).status_code == 404
    assert client.get(entity_path("FOO:1")).status_code == 404
    refused = client.get(entity_path(fx.MOR), params={"format": "yaml"})
    assert refused.status_code == 406
    assert {"format": "html", "media_type": "text/html"} in refused.json()["formats"]
    assert client.get(entity_path(fx.MOR), headers={"Accept": "image/png"}).status_code == 406


def test_an_entity_found_by_a_cross_reference_redirects(client: TestClient) -> None:
    response = client.get(
        entity_path("CHEMBL.COMPOUND:CHEMBL299031"), params={"format": "nt"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == (f"http://testserver/entity/{fx.MITRAGYNINE}?format=nt")


def test_curies_with_slashes_resolve(client: TestClient) -> None:
    response = client.get(entity_path(fx.EPM), params={"format": "ttl"})
    assert response.status_code == 200
    assert "elevated plus maze" in response.text
    assert client.get(entity_path(fx.MIDAZOLAM_STUDY), params={"format": "nt"}).status_code == 200


def test_a_large_neighbourhood_is_streamed(client: TestClient, fixture_db: Driver) -> None:
    studies = [
        fx.node(f"PMID:{40000000 + i}", Category.STUDY, f"study {i}")
        for i in range(ENTITY_EDGE_LIMIT + 1)
    ]
    edges = [fx.edge(s.id, Predicate.INVESTIGATES, fx.NALOXONE, fx.prov(s.id)) for s in studies]
    from graph.writer import write  # noqa: PLC0415

    write(fixture_db, [*studies, *edges], atomic=True)
    response = client.get(entity_path(fx.NALOXONE), params={"format": "nt"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="nt")
    associations = set(graph.subjects(URIRef(rdf.RDF_TYPE), URIRef(rdf.ASSOCIATION)))
    assert len(associations) == ENTITY_EDGE_LIMIT + 2  # and Hazim's
    page = client.get(entity_path(fx.NALOXONE), params={"format": "html"}).text
    assert f"Edges (500 of {ENTITY_EDGE_LIMIT + 2})" in page


# -- a GraphQL answer as RDF, and the published artifacts ------------------------------------


def test_a_graphql_answer_becomes_rdf(curated_db: Driver, neo4j_endpoint: Neo4jEndpoint) -> None:
    app = build_app(neo4j_endpoint)
    query = (
        '{ studiesConnecting(entities: ["mitragynine", "opioid receptor", "anxiety"]) '
        "{ ... on ConnectingStudies { studies { nodes { study { id } } } } } }"
    )
    with TestClient(app) as test_client:
        response = test_client.post("/rdf/graphql", params={"format": "ttl"}, json={"query": query})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/turtle")
    nodes, _ = rdf.read_records(Graph().parse(data=response.text, format="turtle"))
    assert "PMID:24464759" in {n.id for n, _ in nodes}


def test_a_graphql_answer_becomes_rdf_in_process_without_an_http_self_call(
    curated_db: Driver, neo4j_endpoint: Neo4jEndpoint
) -> None:
    app = build_app(neo4j_endpoint)
    paths: list[str] = []

    @app.middleware("http")
    async def record(request: Request, call_next: Callable[[Request], Awaitable[Any]]) -> Any:
        paths.append(request.url.path)  # an HTTP call to the app's own /graphql passes here
        return await call_next(request)

    query = (
        '{ entity(id: "PUBCHEM.COMPOUND:3034396") { ... on Alkaloid { id '
        "activities(first: 100) { nodes { neighbour { id } } } } } }"
    )
    with TestClient(app) as test_client:
        response = test_client.post("/rdf/graphql", params={"format": "nt"}, json={"query": query})
        assert response.status_code == 200, response.text
        assert paths == ["/rdf/graphql"]
        answer = test_client.post("/graphql", json={"query": query}).json()["data"]
    found = answer["entity"]
    expected = {found["id"], *(n["neighbour"]["id"] for n in found["activities"]["nodes"])}
    nodes, _ = rdf.read_records(Graph().parse(data=response.text, format="nt"))
    assert {n.id for n, _ in nodes} == expected
    assert len(expected) > 3


def test_a_failing_graphql_query_is_a_400_with_its_errors(client: TestClient) -> None:
    response = client.post("/rdf/graphql", json={"query": "{ noSuchField { id } }"})
    assert response.status_code == 400
    assert response.json()["errors"]


def test_an_operation_name_the_query_lacks_is_a_400_naming_it(client: TestClient) -> None:
    body = {"query": "query A { __typename }", "operationName": "B"}
    response = client.post("/rdf/graphql", json=body)
    assert response.status_code == 400
    assert 'Unknown operation named "B"' in response.json()["detail"]


def test_the_published_artifacts_are_served(client: TestClient) -> None:
    context = client.get("/rdf/context.jsonld")
    assert context.headers["content-type"] == "application/ld+json"
    assert context.json() == rdf.build_context()
    ontology = client.get("/rdf/ontology")
    assert "pkg:agonist_of" in ontology.text
    shapes = client.get("/rdf/shapes")
    assert "sh:NodeShape" in shapes.text
