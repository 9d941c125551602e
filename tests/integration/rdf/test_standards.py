"""HTTP as the specs say, route by route, and every IRI we mint dereferences through the API.

- RFC 9110: HEAD answers like GET without a body, on every GET route;
- a negotiated answer (200, 303 or 406) says ``Vary: Accept``; legacy media types are served;
- the published artifacts and the vocabulary are readable from any origin (CORS);
- every IRI under the minted base in an export resolves (303 for things, then 200).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from neo4j import Driver
from rdflib import Graph, URIRef

from api.app import create_app
from api.settings import Settings
from ontology import rdf
from ontology.identifiers import iri
from ontology.vocab import BASE
from tests.conftest import GraphState, Neo4jEndpoint
from tests.integration.rdf.conftest import load_fixture_graph
from tests.unit.rdf import fixture_graph as fx

EDGE = next(e for e in fx.EDGES if not e.negated)

# A sample value for each path parameter of the GET routes.
PARAMS = {
    "curie": fx.MITRAGYNINE,
    "edge_id": EDGE.id,
    "local": "outcome/gad7-score",
    "term": "inhibits",
    "part": "class/Alkaloid",
    "package": "graphiql",
    "file": "graphiql.min.css",
}


@pytest.fixture(scope="module")
def client(
    driver: Driver, graph_state: GraphState, neo4j_endpoint: Neo4jEndpoint
) -> Iterator[TestClient]:
    load_fixture_graph(driver, graph_state)
    settings = Settings(
        neo4j_uri=neo4j_endpoint.uri,
        neo4j_user=neo4j_endpoint.user,
        neo4j_password=neo4j_endpoint.password,
    )
    with TestClient(create_app(settings), follow_redirects=False) as test_client:
        yield test_client


def get_paths() -> list[str]:
    """Every GET route of the app, its path parameters filled in."""
    app = create_app(Settings())
    paths = []
    for route in app.routes:
        if isinstance(route, APIRoute) and "GET" in (route.methods or ()):
            path = route.path
            for name, value in PARAMS.items():
                path = path.replace(f"{{{name}:path}}", value).replace(f"{{{name}}}", value)
            assert "{" not in path, path
            paths.append(path)
    return sorted(set(paths) | {"/docs", "/openapi.json", "/graphql"})


_SAME = (
    "content-type",
    "vary",
    "location",
    "content-disposition",
    "link",
    "access-control-allow-origin",
)


@pytest.mark.parametrize("path", get_paths())
def test_head_answers_like_get_on_every_get_route(client: TestClient, path: str) -> None:
    headers = {"Accept": "text/html"} if path == "/graphql" else {}
    got = client.get(path, headers=headers)
    head = client.head(path, headers=headers)
    assert head.status_code == got.status_code != 405, path
    assert head.content == b""
    assert {k: head.headers.get(k) for k in _SAME} == {k: got.headers.get(k) for k in _SAME}


def test_a_post_only_route_refuses_head(client: TestClient) -> None:
    assert client.head("/rdf/graphql").status_code == 405


NEGOTIATED = [
    "/rdf/export",
    f"/entity/{fx.MITRAGYNINE}",
    f"/edge/{EDGE.id}",
    "/rdf/ontology",
    "/rdf/void",
]


@pytest.mark.parametrize("path", NEGOTIATED)
@pytest.mark.parametrize("accept", ["text/turtle", "image/png"])
def test_negotiated_answers_vary_on_accept_406_included(
    client: TestClient, path: str, accept: str
) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == (200 if accept == "text/turtle" else 406)
    assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/xml", "application/rdf+xml"),
        ("text/xml", "application/rdf+xml"),
        ("text/plain", "application/n-triples"),
        ("text/n3", "text/turtle"),
        ("application/x-turtle", "text/turtle"),
    ],
)
@pytest.mark.parametrize("path", ["/rdf/export", f"/entity/{fx.MITRAGYNINE}"])
def test_legacy_media_types_get_their_format(
    client: TestClient, path: str, accept: str, media: str
) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media}; charset=utf-8"
    graph = Graph().parse(data=response.text, format=rdf.format_for(media).rdflib)
    assert len(graph) > 10


@pytest.mark.parametrize(
    "path",
    [
        "/rdf/context.jsonld",
        "/context.jsonld",
        "/rdf/shapes",
        "/shapes",
        "/rdf/ontology",
        "/vocab",
        "/vocab/inhibits",
    ],
)
def test_artifacts_and_vocabulary_are_readable_from_any_origin(
    client: TestClient, path: str
) -> None:
    response = client.get(path, headers={"Origin": "https://example.org"})
    assert response.status_code in (200, 303)
    assert response.headers["access-control-allow-origin"] == "*"


# -- dereferencing ---------------------------------------------------------------------------


def test_things_redirect_303_to_their_descriptions(client: TestClient) -> None:
    edge = client.get(f"/id/edge/{EDGE.id}")
    assert edge.status_code == 303
    assert edge.headers["location"].endswith(f"/edge/{EDGE.id}")
    ours = client.get("/id/outcome/gad7-score", params={"format": "ttl"})
    assert ours.status_code == 303
    assert ours.headers["location"].endswith("/entity/PHARMAKG:outcome/gad7-score?format=ttl")
    term = client.get("/vocab/inhibits")
    assert term.status_code == 303
    assert term.headers["location"].endswith("/rdf/ontology#inhibits")
    assert client.get("/vocab/no_such_term").status_code == 404
    assert client.get("/dataset").headers["location"].endswith("/rdf/void")
    found = client.get("/lookup", params={"uri": "http://purl.uniprot.org/uniprot/P35372"})
    assert found.status_code == 303
    assert found.headers["location"].endswith("/entity/UniProtKB:P35372")
    assert client.get("/lookup", params={"uri": "https://example.org/x"}).status_code == 404


def test_the_dataset_description_names_lookup_dumps_examples_and_uri_spaces(
    client: TestClient,
) -> None:
    graph = Graph().parse(data=client.get("/rdf/void?format=ttl").text, format="turtle")
    d = URIRef(rdf.DATASET_IRI)
    assert graph.value(d, URIRef(rdf.VOID + "uriLookupEndpoint")) == URIRef(BASE + "lookup")
    dumps = set(graph.objects(d, URIRef(rdf.VOID + "dataDump")))
    assert URIRef(BASE + "rdf/export?format=ttl") in dumps
    for dump in dumps:
        assert client.get("/" + str(dump).removeprefix(BASE)).status_code == 200
    examples = set(graph.objects(d, URIRef(rdf.VOID + "exampleResource")))
    assert URIRef(iri(fx.MITRAGYNINE)) in examples or len(examples) == len(
        {n.category for n in fx.NODES}
    )
    spaces = {
        str(o)
        for s in graph.objects(d, URIRef(rdf.VOID + "subset"))
        for o in graph.objects(s, URIRef(rdf.VOID + "uriSpace"))
    }
    assert {
        "http://purl.uniprot.org/uniprot/",
        "http://identifiers.org/pubchem.compound/",
        rdf.EDGE_NS,
    } <= spaces
    assert (d, URIRef(rdf.VOID + "uriSpace"), None) not in graph


def test_an_edge_page_for_browsers_and_rdf_for_clients(client: TestClient) -> None:
    page = client.get(f"/edge/{EDGE.id}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert EDGE.predicate.value.replace("_", " ") in page.text
    described = client.get(f"/edge/{EDGE.id}", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=described.text, format="turtle")
    e = URIRef(rdf.edge_iri(EDGE.id))
    assert (e, URIRef(rdf.RDF_TYPE), URIRef(rdf.ASSOCIATION)) in graph
    assert client.get("/edge/0000").status_code == 404


def test_the_vocabulary_page_and_its_rdf(client: TestClient) -> None:
    page = client.get("/rdf/ontology", headers={"Accept": "text/html"})
    assert 'id="inhibits"' in page.text
    default = client.get("/rdf/ontology")
    assert default.headers["content-type"].startswith("text/turtle")
    jsonld = client.get("/rdf/ontology", headers={"Accept": "application/ld+json"})
    assert (URIRef(rdf.predicate_iri(EDGE.predicate)), None, None) in Graph().parse(
        data=jsonld.text, format="json-ld"
    ) or len(Graph().parse(data=jsonld.text, format="json-ld")) > 100


def test_every_minted_iri_in_an_export_resolves(client: TestClient) -> None:
    export = client.get("/rdf/export", params={"format": "nt"})
    graph = Graph().parse(data=export.text, format="nt")
    minted = {
        str(t)
        for triple in graph
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(BASE)
    }
    kinds = {m.removeprefix(BASE).split("/")[0] for m in minted}
    assert {"id", "vocab", "entity", "dataset", "shapes"} <= kinds, kinds
    for minted_iri in sorted(minted):
        path = "/" + minted_iri.removeprefix(BASE)
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, (minted_iri, response.status_code)


def test_each_entity_links_to_its_page(client: TestClient) -> None:
    export = client.get("/rdf/export", params={"format": "nt"})
    graph = Graph().parse(data=export.text, format="nt")
    page = graph.value(URIRef(iri(fx.MITRAGYNINE)), URIRef(rdf.FOAF_PAGE))
    assert str(page) == f"{BASE}entity/{fx.MITRAGYNINE}"
    assert client.get("/" + str(page).removeprefix(BASE)).status_code == 200
