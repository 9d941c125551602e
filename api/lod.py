"""Every IRI we mint dereferences here, by content negotiation (Linked Data, W3C recipes).

The IRIs live under the base (``PHARMAKG_IRI_BASE``, default ``https://w3id.org/pharmakg/``);
the w3id rules of docs/rdf.md send each path to the same path of this API:

- ``/id/{local}`` names an entity we mint (``PHARMAKG:{local}``): 303 to ``/entity/...``;
- ``/id/edge/{id}`` names an edge (an association): 303 to ``/edge/{id}``, its description
  (Turtle, JSON-LD, ... or an HTML page);
- ``/vocab`` and ``/vocab/{term}`` name the vocabulary and its terms: 303 to ``/rdf/ontology``
  (the whole vocabulary, recipe 3 of "Best Practice Recipes for Publishing RDF Vocabularies"),
  itself negotiated (Turtle first, an HTML page for browsers);
- ``/dataset`` (and its partitions ``/dataset/...``) names the dataset: 303 to ``/rdf/void``,
  the VoID/DCAT description of the whole graph;
- ``/shapes`` and ``/context.jsonld`` are documents: served as they are (CORS open).
"""

from __future__ import annotations

from functools import cache
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from rdflib import Dataset, Graph, URIRef

from api.rdf import (
    _STYLE,
    _UNAVAILABLE,
    HTML,
    OPEN,
    HttpProblemError,
    _database,
    _driver,
    _e,
    _edge_row,
    _media,
    artifact_text,
    choose_format,
    dataset_info,
    stream_summary,
)
from graph import export
from graph.export import Selection
from ontology import rdf
from ontology.identifiers import compress
from ontology.rdf import Format
from ontology.vocab import PKG

router = APIRouter(tags=["linked data"])

_OFFER: tuple[str, ...] = (*(f.media_type for f in rdf.FORMATS.values()), HTML)
_RDF_OFFER: tuple[str, ...] = tuple(f.media_type for f in rdf.FORMATS.values())


def see_other(request: Request, route: str, fragment: str = "", **params: str) -> Response:
    """303: the IRI names a thing; its description is at ``route`` (query kept)."""
    target = str(
        request.url_for(route, **params).include_query_params(**dict(request.query_params))
    )
    return Response(
        status_code=303, headers={"Location": location(target + fragment), "Vary": "Accept", **OPEN}
    )


def location(url: str) -> str:
    """``url`` as a header may carry it: characters outside URI syntax percent-encoded (an id
    with a control or non-ASCII character made an invalid header: a 500, found by fuzzing)."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def _problem(problem: HttpProblemError) -> Response:
    response = problem.response(negotiated=True)
    response.headers.update(OPEN)
    return response


# -- things: 303 to their descriptions -------------------------------------------------------


@router.get("/id/edge/{edge_id}", summary="An edge IRI: 303 to its description")
async def edge_iri(request: Request, edge_id: str) -> Response:
    return see_other(request, "edge_page", edge_id=edge_id)


@router.get("/id/{local:path}", summary="An entity IRI we mint: 303 to its page")
async def entity_iri(request: Request, local: str) -> Response:
    return see_other(request, "entity_page", curie=f"PHARMAKG:{local}")


@router.get("/vocab", summary="The vocabulary IRI: 303 to the ontology")
async def vocabulary_iri(request: Request) -> Response:
    return see_other(request, "ontology_file")


@router.get("/vocab/{term}", summary="A vocabulary term: 303 to the ontology that defines it")
async def term_iri(request: Request, term: str) -> Response:
    if (PKG + term) not in _terms():
        return _problem(HttpProblemError(404, f"no term {term!r} in the PharmaKG vocabulary"))
    return see_other(request, "ontology_file", fragment=f"#{term}")


@router.get("/dataset", summary="The dataset IRI: 303 to its VoID/DCAT description")
async def dataset_iri(request: Request) -> Response:
    return see_other(request, "void_description")


@router.get("/dataset/{part:path}", summary="A dataset partition: 303 to the description")
async def dataset_part_iri(request: Request, part: str) -> Response:
    del part  # every partition is described in the one description
    return see_other(request, "void_description")


@router.get("/lookup", summary="Any IRI of the graph: 303 to its description (VoID lookup)")
async def lookup(
    request: Request, uri: Annotated[str | None, Query(description="an IRI")] = None
) -> Response:
    if uri is None:  # the endpoint itself (void:uriLookupEndpoint): how to use it
        return JSONResponse(
            {
                "usage": "GET /lookup?uri={IRI}: 303 to the description of any "
                "entity, edge or vocabulary term of the graph"
            },
            headers=OPEN,
        )
    if uri.startswith(rdf.EDGE_NS):
        return see_other_to(request, "edge_page", edge_id=uri.removeprefix(rdf.EDGE_NS))
    if uri.startswith(PKG):
        return see_other_to(request, "term_iri", term=uri.removeprefix(PKG))
    curie = compress(uri)
    if curie is None:
        return _problem(HttpProblemError(404, f"{uri} is in none of the graph's namespaces"))
    return see_other_to(request, "entity_page", curie=curie)


def see_other_to(request: Request, route: str, **params: str) -> Response:
    """303 to ``route`` (the lookup's own query is not passed on)."""
    return Response(
        status_code=303,
        headers={
            "Location": location(str(request.url_for(route, **params))),
            "Vary": "Accept",
            **OPEN,
        },
    )


# -- documents -------------------------------------------------------------------------------


@router.get("/context.jsonld", summary="The JSON-LD @context (its minted IRI)")
async def context_document() -> Response:
    return Response(artifact_text(rdf.CONTEXT_FILE), media_type="application/ld+json", headers=OPEN)


@router.get("/shapes", summary="The SHACL shapes (their minted IRI)")
async def shapes_document() -> Response:
    return Response(
        artifact_text(rdf.SHAPES_FILE), media_type="text/turtle; charset=utf-8", headers=OPEN
    )


@cache
def _ontology_graph() -> Graph:
    graph = Graph().parse(data=artifact_text(rdf.OWL_FILE), format="turtle")
    rdf.bind(graph)
    return graph


@cache
def _terms() -> frozenset[str]:
    return frozenset(str(s) for s in _ontology_graph().subjects() if str(s).startswith(PKG))


@router.get("/rdf/ontology", summary="The PharmaKG OWL vocabulary (Turtle; or by Accept)")
async def ontology_file(
    request: Request,
    format_: Annotated[
        str | None,
        Query(
            alias="format", description=("ttl, nt, jsonld, xml, nq, trig or html; overrides Accept")
        ),
    ] = None,
) -> Response:
    try:
        chosen = choose_format(format_, request.headers.get("accept"), _OFFER)
    except HttpProblemError as problem:
        return _problem(problem)
    headers = {"Vary": "Accept", **OPEN}
    if not isinstance(chosen, Format):
        return HTMLResponse(_ontology_page(), headers=headers)
    if chosen.name == "ttl":
        body = artifact_text(rdf.OWL_FILE).encode()
    elif chosen.quads:
        dataset = Dataset()
        rdf.bind(dataset)
        named = dataset.graph(URIRef(rdf.ONTOLOGY_IRI))
        for triple in _ontology_graph():
            named.add(triple)
        body = dataset.serialize(format=chosen.rdflib, encoding="utf-8")
    else:
        body = _ontology_graph().serialize(format=chosen.rdflib, encoding="utf-8")
    return Response(body, media_type=_media(chosen), headers=headers)


def _ontology_page() -> str:
    graph = _ontology_graph()
    label, comment = URIRef(rdf.RDFS_LABEL), URIRef(rdf.RDFS_COMMENT)
    rows = []
    for term in sorted(_terms()):
        name = term.removeprefix(PKG)
        kinds = ", ".join(
            sorted(
                str(o).rsplit("#", 1)[-1] for o in graph.objects(URIRef(term), URIRef(rdf.RDF_TYPE))
            )
        )
        rows.append(
            f'<tr id="{_e(name)}"><td><code>pkg:{_e(name)}</code></td>'
            f"<td>{_e(graph.value(URIRef(term), label) or '')}</td>"
            f"<td>{_e(kinds)}</td>"
            f"<td>{_e(graph.value(URIRef(term), comment) or '')}</td></tr>"
        )
    formats = " ".join(f'<a href="?format={f.name}">{_e(f.name)}</a>' for f in rdf.FORMATS.values())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PharmaKG vocabulary</title>
<style>{_STYLE}</style></head>
<body><h1>PharmaKG vocabulary</h1><p><code>{_e(rdf.ONTOLOGY_IRI)}</code></p>
<nav>RDF: {formats}</nav>
<table><tr><th>term</th><th>label</th><th>kind</th><th>comment</th></tr>
{"".join(rows)}</table></body></html>
"""


# -- an edge ---------------------------------------------------------------------------------


@router.get("/edge/{edge_id}", summary="One edge and its evidence, by content negotiation")
async def edge_page(
    request: Request,
    edge_id: str,
    format_: Annotated[
        str | None,
        Query(
            alias="format", description=("ttl, nt, jsonld, xml, nq, trig or html; overrides Accept")
        ),
    ] = None,
) -> Response:
    try:
        return await _edge(request, edge_id, format_)
    except HttpProblemError as problem:
        return _problem(problem)
    except _UNAVAILABLE as error:
        return _problem(HttpProblemError(503, f"Neo4j is not available: {type(error).__name__}"))


async def _edge(request: Request, edge_id: str, format_: str | None) -> Response:
    chosen = choose_format(format_, request.headers.get("accept"), _OFFER)
    driver, database = _driver(request), _database(request)
    found = await export.afind_edge(driver, edge_id, database=database)
    if found is None:
        raise HttpProblemError(404, f"no edge {edge_id}")
    ends = [
        await export.afind_node(driver, c, database=database)
        for c in (found.edge.subject, found.edge.object)
    ]
    nodes = [n for n in ends if n is not None]
    headers = {"Vary": "Accept"}
    if isinstance(chosen, Format):
        triples = rdf.edge_triples(found.edge, found.id)
        for item in nodes:
            triples += rdf.label_triples(item.node)
        return Response(rdf.serialize(triples, chosen), media_type=_media(chosen), headers=headers)
    names = {item.node.id: item.node.name for item in nodes}
    row = _edge_row("", found.edge, names, lambda c: str(request.url_for("entity_page", curie=c)))
    formats = " ".join(f'<a href="?format={f.name}">{_e(f.name)}</a>' for f in rdf.FORMATS.values())
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Edge {_e(edge_id)} — PharmaKG</title>
<style>{_STYLE}</style></head>
<body><p class="muted">PharmaKG edge</p><h1><code>{_e(edge_id)}</code></h1>
<p><a href="{_e(rdf.edge_iri(found.id))}">{_e(rdf.edge_iri(found.id))}</a></p>
<nav>RDF: {formats}</nav>
<table><tr><th>subject</th><th>predicate</th><th>object</th><th>details</th><th>evidence</th></tr>
{row}</table></body></html>
"""
    return HTMLResponse(page, headers=headers)


# -- the dataset -----------------------------------------------------------------------------


@router.get("/rdf/void", summary="The VoID/DCAT description of the whole graph")
async def void_description(
    request: Request,
    format_: Annotated[
        str | None,
        Query(alias="format", description=("ttl, nt, jsonld, xml, nq or trig; overrides Accept")),
    ] = None,
) -> Response:
    try:
        chosen = choose_format(format_, request.headers.get("accept"), _RDF_OFFER)
        assert isinstance(chosen, Format)
        selection = Selection()
        try:
            summary = await stream_summary(
                _driver(request), selection, chosen, database=_database(request)
            )
        except _UNAVAILABLE as error:
            raise HttpProblemError(
                503, f"Neo4j is not available: {type(error).__name__}"
            ) from error
    except HttpProblemError as problem:
        return _problem(problem)
    triples = rdf.dataset_triples(summary, dataset_info(selection), chosen)
    return Response(
        rdf.serialize(triples, chosen),
        media_type=_media(chosen),
        headers={"Vary": "Accept", **OPEN},
    )
