"""RDF over HTTP and on the command line.

HTTP (``router``):
- ``GET /rdf/export?format=&category=&entity=&star=``: the graph or a part of it, streamed
  (one pass over the nodes, one over the edges), with its media type and Content-Disposition;
- ``GET /entity/{curie}``: one entity and its edges, by content negotiation (Turtle, JSON-LD,
  N-Triples, RDF/XML, N-Quads, TriG, or a readable HTML page); ``?format=`` overrides Accept;
- ``POST /rdf/graphql``: the entities of a GraphQL answer and the edges among them, as RDF;
- ``GET /rdf/context.jsonld``, ``/rdf/shapes``: the published artifacts (``/rdf/ontology`` and
  the IRIs we mint are served by ``api.lod``).

CLI: ``export_rdf_command`` is ``pharmakg export-rdf``.
"""

from __future__ import annotations

import html
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.responses import StreamingResponse as Streaming
from neo4j import AsyncDriver
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired
from pydantic import BaseModel, Field
from rdflib import Dataset, Graph
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from api.console import connect, fail
from api.graphql import GraphQLEndpoint
from api.settings import Settings
from graph import export
from graph.errors import GraphError
from graph.export import Item, Selection, StoredEdge, StoredNode
from ontology import rdf
from ontology.identifiers import CurieError, iri, is_curie, validate_curie
from ontology.rdf import DatasetInfo, Exporter, Format, UnknownFormatError
from ontology.records import Edge
from ontology.vocab import BASE, CATEGORIES, DEFAULT_BASE, Category

router = APIRouter(tags=["rdf"])

ENTITY_EDGE_LIMIT = 2000  # beyond this an entity's RDF is streamed, and its page shortened
HTML_EDGE_LIMIT = 500
CHUNK_PARTS = 256  # groups of triples per streamed chunk
HTML = "text/html"

# Server preference when the client accepts several: Turtle first, the page last.
_ENTITY_OFFER: tuple[str, ...] = (*(f.media_type for f in rdf.FORMATS.values()), HTML)
_EXPORT_OFFER: tuple[str, ...] = tuple(f.media_type for f in rdf.FORMATS.values())


# -- datasets and formats --------------------------------------------------------------------


def dataset_info(selection: Selection) -> DatasetInfo:
    """The release facts every export states: our version, the data licence, today's date."""
    return DatasetInfo(
        version=version("pharmakg"),
        created=datetime.now(UTC).date(),
        selection=selection.describe(),
    )


def parse_categories(values: Sequence[str]) -> tuple[Category, ...]:
    """Category names or labels (``alkaloid``, ``Alkaloid``); unknown names fail with the list."""
    by_name = {c.value: c for c in Category} | {CATEGORIES[c].label.lower(): c for c in Category}
    found: list[Category] = []
    for value in values:
        for name in value.split(","):
            category = by_name.get(name.strip().lower())
            if category is None:
                raise ValueError(
                    f"unknown category {name.strip()!r}; expected one of: "
                    f"{', '.join(c.value for c in Category)}"
                )
            found.append(category)
    return tuple(dict.fromkeys(found))


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (x.strip() for x in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality, position))
    return ranges


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the Accept header prefers; the first offered when absent."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = _ranges(accept)
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for preference, media in enumerate(offered):
        kind = media.split("/")[0]
        matches = [
            (specificity, quality, position)
            for range_, quality, position in ranges
            for specificity in (_specificity(range_, media, kind),)
            if specificity >= 0
        ]
        if not matches:
            continue
        _, quality, position = max(matches, key=lambda m: m[0])
        if quality <= 0:
            continue
        score = (quality, -position, -preference)
        if best is None or score > best:
            best, chosen = score, media
    return chosen


# Media types still sent by older clients, each served as the format it names (Turtle is N3's
# subset; plain text is read as N-Triples, as RDF 1.0 tools did).
_LEGACY = {
    "application/json": "application/ld+json",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
    "text/plain": "application/n-triples",
    "text/n3": "text/turtle",
    "application/x-turtle": "text/turtle",
}


def _specificity(range_: str, media: str, kind: str) -> int:
    if range_ == media or _LEGACY.get(range_) == media:
        return 2
    if range_ == f"{kind}/*":
        return 1
    if range_ == "*/*":
        return 0
    return -1


class HttpProblemError(Exception):
    """An expected failure, answered as JSON with its status."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"detail": message, **extra}

    def response(self, *, negotiated: bool = False) -> JSONResponse:
        """The answer; ``negotiated``: the route picks its format by Accept (``Vary: Accept``)."""
        headers: dict[str, str] = {}
        if self.status == 503:  # clients and load balancers retry after Retry-After
            headers["Retry-After"] = "5"
        if negotiated:
            headers["Vary"] = "Accept"
        return JSONResponse(self.body, status_code=self.status, headers=headers)


def not_acceptable(
    message: str, formats: Sequence[Format] | None = None, *, page: bool = False
) -> HttpProblemError:
    """406, with the formats we do serve."""
    listed = [
        {"format": f.name, "media_type": f.media_type} for f in (formats or rdf.FORMATS.values())
    ]
    if page:
        listed.append({"format": "html", "media_type": HTML})
    return HttpProblemError(406, message, formats=listed)


_UNAVAILABLE = (ServiceUnavailable, SessionExpired, Neo4jError, OSError, GraphError)


# -- streaming -------------------------------------------------------------------------------


async def stream_export(
    driver: AsyncDriver,
    selection: Selection,
    fmt: Format,
    *,
    star: bool = False,
    database: str | None = None,
) -> AsyncIterator[bytes]:
    """The export as UTF-8 chunks, written as the records arrive (constant memory)."""
    parts: list[str] = []
    exporter = Exporter(
        rdf.writer_for(fmt, parts.append), dataset_info(selection), fmt=fmt, star=star
    )
    exporter.begin()
    async for item in export.aiter_items(driver, selection, database=database):
        item.feed(exporter)
        if len(parts) >= CHUNK_PARTS:
            yield "".join(parts).encode()
            parts.clear()
    exporter.end()
    yield "".join(parts).encode()


async def stream_summary(
    driver: AsyncDriver, selection: Selection, fmt: Format, *, database: str | None = None
) -> rdf.Summary:
    """What an export of ``selection`` would hold, counted without writing it."""
    exporter = Exporter(rdf.TripleCounter(), dataset_info(selection), fmt=fmt)
    exporter.begin()
    async for item in export.aiter_items(driver, selection, database=database):
        item.feed(exporter)
    return exporter.summary


def _driver(request: Request) -> AsyncDriver:
    driver: AsyncDriver = request.app.state.driver
    return driver


def _database(request: Request) -> str:
    settings: Settings = request.app.state.settings
    return settings.neo4j_database


def _filename(selection: Selection, fmt: Format, *, star: bool) -> str:
    suffix = "-star" if star else ""
    return f"pharmakg-{version('pharmakg')}-{selection.slug()}{suffix}.{fmt.extension}"


def _media(fmt: Format) -> str:
    return f"{fmt.media_type}; charset=utf-8"


def choose_format(format_: str | None, accept: str | None, offered: Sequence[str]) -> Format | str:
    """A format by ``?format=`` (wins) or by Accept; "text/html" for the page; else 406."""
    page = HTML in offered
    if format_:
        if format_.strip().lower() in ("html", HTML) and page:
            return HTML
        try:
            return rdf.format_for(format_)
        except UnknownFormatError as error:
            raise not_acceptable(str(error), page=page) from error
    media = negotiate(accept, offered)
    if media is None:
        raise not_acceptable(
            f"none of the accepted media types ({accept}) is served here", page=page
        )
    return media if media == HTML else rdf.format_for(media)


def _rdf_format(format_: str | None, accept: str | None) -> Format:
    chosen = choose_format(format_, accept, _EXPORT_OFFER)
    assert isinstance(chosen, Format)
    return chosen


@router.get("/rdf/export", summary="The graph or a part of it as RDF, streamed")
async def export_rdf(
    request: Request,
    format_: Annotated[
        str | None,
        Query(
            alias="format",
            description=("ttl, nt, jsonld, xml, nq or trig (or a media type); overrides Accept"),
        ),
    ] = None,
    category: Annotated[
        list[str] | None,
        Query(
            description=("Only these categories, the edges touching them and the nodes they reach")
        ),
    ] = None,
    entity: Annotated[str | None, Query(description="Only this entity's neighbourhood")] = None,
    star: Annotated[
        bool, Query(description=("Reify edges with RDF 1.2 triple terms (ttl, nt, nq, trig)"))
    ] = False,
) -> Response:
    try:
        return await _export(request, format_, category or [], entity, star=star)
    except HttpProblemError as problem:
        return problem.response(negotiated=True)


async def _export(
    request: Request, format_: str | None, category: list[str], entity: str | None, *, star: bool
) -> Response:
    fmt = _rdf_format(format_, request.headers.get("accept"))
    if star and not fmt.star:
        raise not_acceptable(
            f"{fmt.name} cannot carry RDF-star", [f for f in rdf.FORMATS.values() if f.star]
        )
    try:
        selection = Selection(categories=parse_categories(category), entity=entity)
    except ValueError as error:
        raise HttpProblemError(400, str(error)) from error
    driver, database = _driver(request), _database(request)
    try:
        if entity is not None:
            await _existing(driver, entity, database)
        else:
            await driver.verify_connectivity()
    except _UNAVAILABLE as error:
        raise HttpProblemError(503, f"Neo4j is not available: {type(error).__name__}") from error
    filename = _filename(selection, fmt, star=star)
    return Streaming(
        stream_export(driver, selection, fmt, star=star, database=database),
        media_type=_media(fmt),
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Vary": "Accept"},
    )


def no_entity(curie: str, error: CurieError | None = None) -> str:
    """Why ``curie`` names no entity: the 404 of HTTP and the error of ``export-rdf``."""
    return f"no entity {curie}" + (f": {error}" if error else "")


async def _existing(driver: AsyncDriver, curie: str, database: str) -> StoredNode:
    try:
        validate_curie(curie)
    except CurieError as error:
        raise HttpProblemError(404, no_entity(curie, error)) from error
    found = await export.afind_node(driver, curie, database=database)
    if found is None:
        raise HttpProblemError(404, no_entity(curie))
    return found


# -- one entity ------------------------------------------------------------------------------


@router.get("/entity/{curie:path}", summary="One entity and its edges, by content negotiation")
async def entity_page(
    request: Request,
    curie: str,
    format_: Annotated[
        str | None,
        Query(
            alias="format",
            description=("ttl, nt, jsonld, xml, nq, trig or html; overrides the Accept header"),
        ),
    ] = None,
) -> Response:
    try:
        return await _entity(request, curie, format_)
    except HttpProblemError as problem:
        return problem.response(negotiated=True)
    except _UNAVAILABLE as error:
        return HttpProblemError(503, f"Neo4j is not available: {type(error).__name__}").response(
            negotiated=True
        )


async def _entity(request: Request, curie: str, format_: str | None) -> Response:
    chosen = choose_format(format_, request.headers.get("accept"), _ENTITY_OFFER)
    driver, database = _driver(request), _database(request)
    try:
        found = await _existing(driver, curie, database)
    except HttpProblemError:
        primary = await _xref_owner(driver, curie, database)
        if primary is None:
            raise
        target = request.url_for("entity_page", curie=primary).include_query_params(
            **dict(request.query_params)
        )
        return Response(status_code=303, headers={"Location": str(target), "Vary": "Accept"})
    counts = await export.acount_neighbourhood(driver, curie, database=database)
    total_edges = counts[1] if counts else 0
    headers = {"Vary": "Accept", "Link": _alternates(request, curie)}
    if isinstance(chosen, Format) and total_edges > ENTITY_EDGE_LIMIT:
        return Streaming(
            stream_export(driver, Selection(entity=curie), chosen, database=database),
            media_type=_media(chosen),
            headers=headers,
        )
    limit = HTML_EDGE_LIMIT if chosen == HTML else ENTITY_EDGE_LIMIT
    nodes, edges = await export.aneighbourhood(driver, curie, limit=limit, database=database)
    if not isinstance(chosen, Format):
        page = render_page(
            found,
            nodes,
            edges,
            total_edges=total_edges,
            link=lambda c: str(request.url_for("entity_page", curie=c)),
        )
        return HTMLResponse(page, headers=headers)
    body = rdf.serialize(entity_triples(found, nodes, edges), chosen)
    return Response(body, media_type=_media(chosen), headers=headers)


async def _xref_owner(driver: AsyncDriver, curie: str, database: str) -> str | None:
    try:
        validate_curie(curie)
    except CurieError:
        return None
    return await export.aresolve_xref(driver, curie, database=database)


def entity_triples(
    center: StoredNode, nodes: Sequence[StoredNode], edges: Sequence[StoredEdge]
) -> list[rdf.Triple]:
    """An entity's description: itself in full, its edges in full, its neighbours by name."""
    triples = rdf.node_triples(center.node, center.sources)
    for item in nodes:
        if item.node.id != center.node.id:
            triples += rdf.label_triples(item.node)
    for stored in edges:
        triples += rdf.edge_triples(stored.edge, stored.id)
    return triples


def _alternates(request: Request, curie: str) -> str:
    base = str(request.url_for("entity_page", curie=curie))
    return ", ".join(
        f'<{base}?format={f.name}>; rel="alternate"; type="{f.media_type}"'
        for f in rdf.FORMATS.values()
    )


# -- the entity page -------------------------------------------------------------------------

_STYLE = """body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;
color:#222}table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border-bottom:1px solid
#ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f5f5f5}
code{background:#f3f3f3;padding:0 .2rem}.muted{color:#666}nav a{margin-right:1rem}"""

_DETAIL_FIELDS = (
    "measure",
    "relation",
    "value",
    "unit",
    "assay",
    "species",
    "cell_system",
    "direction",
    "effect",
    "effect_size",
    "evidence_kind",
    "mechanism",
    "dose",
    "route",
    "role",
    "result",
    "note",
)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _curie_link(curie: str) -> str:
    try:
        target = iri(curie)
    except CurieError:
        return _e(curie)
    return f'<a href="{_e(target)}">{_e(curie)}</a>'


def render_page(
    center: StoredNode,
    nodes: Sequence[StoredNode],
    edges: Sequence[StoredEdge],
    *,
    total_edges: int,
    link: Any,
) -> str:
    """A readable page: the entity's attributes, identifiers and edges with their evidence."""
    node = center.node
    names = {item.node.id: item.node.name for item in nodes}
    rows = [
        ("CURIE", f"<code>{_e(node.id)}</code>"),
        ("IRI", f'<a href="{_e(iri(node.id))}">{_e(iri(node.id))}</a>'),
        (
            "category",
            f"{_e(rdf.category_label(node.category))} "
            f'(<a href="{_e(rdf.class_iri(node.category))}">'
            f"{_e(CATEGORIES[node.category].biolink)}</a>)",
        ),
    ]
    if node.description:
        rows.append(("description", _e(node.description)))
    if node.synonyms:
        rows.append(("synonyms", _e(", ".join(node.synonyms))))
    if node.xrefs:
        rows.append(("cross-references", ", ".join(_curie_link(x) for x in node.xrefs)))
    for name in sorted(CATEGORIES[node.category].attributes):
        value = getattr(node, name)
        if value is not None:
            rows.append((name.replace("_", " "), _e(value)))
    sources = sorted({node.source, *center.sources})
    rows.append(("sources", ", ".join(_curie_link(s) for s in sources)))
    facts = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    edge_rows = "".join(_edge_row(node.id, item.edge, names, link) for item in edges)
    shown = f"{len(edges)} of {total_edges}" if total_edges > len(edges) else str(len(edges))
    formats = " ".join(f'<a href="?format={f.name}">{_e(f.name)}</a>' for f in rdf.FORMATS.values())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{_e(node.name)} — PharmaKG</title><style>{_STYLE}</style>
<link rel="alternate" type="text/turtle" href="?format=ttl">
<link rel="alternate" type="application/ld+json" href="?format=jsonld"></head>
<body><p class="muted">PharmaKG entity</p><h1>{_e(node.name)}</h1>
<nav>RDF: {formats}</nav>
<table>{facts}</table>
<h2>Edges ({shown})</h2>
<table><tr><th>subject</th><th>predicate</th><th>object</th><th>details</th><th>evidence</th></tr>
{edge_rows}</table>
</body></html>
"""


def _edge_row(center: str, edge: Edge, names: dict[str, str], link: Any) -> str:
    def end(curie: str) -> str:
        if curie == center:
            return f"<strong>{_e(names.get(curie, curie))}</strong>"
        return f'<a href="{_e(link(curie))}">{_e(names.get(curie, curie))}</a>'

    label = edge.predicate.value.replace("_", " ")
    if edge.negated:
        label = f"not {label}"
    predicate = f'<a href="{_e(rdf.predicate_iri(edge.predicate))}">{_e(label)}</a>'
    details = "; ".join(
        f"{name.replace('_', ' ')}: {_e(getattr(edge, name))}"
        for name in _DETAIL_FIELDS
        if getattr(edge, name) is not None
    )
    prov = edge.provenance
    evidence = ", ".join(_curie_link(p) for p in prov.publications)
    evidence += (
        f'<br><span class="muted">{_e(prov.primary_knowledge_source)}, '
        f"{_e(prov.knowledge_level.value)}</span>"
    )
    return (
        f"<tr><td>{end(edge.subject)}</td><td>{predicate}</td><td>{end(edge.object)}</td>"
        f"<td>{details}</td><td>{evidence}</td></tr>\n"
    )


# -- a GraphQL answer as RDF -----------------------------------------------------------------


class GraphQLExport(BaseModel):
    """A GraphQL request whose answer's entities (every ``id`` that is a CURIE) are exported."""

    query: str = Field(min_length=1)
    variables: dict[str, Any] | None = None
    operation_name: str | None = Field(default=None, alias="operationName")


@router.post(
    "/rdf/graphql", summary="The entities of a GraphQL answer, and the edges among them, as RDF"
)
async def graphql_rdf(
    request: Request,
    question: GraphQLExport,
    format_: Annotated[str | None, Query(alias="format")] = None,
) -> Response:
    try:
        return await _graphql(request, question, format_)
    except HttpProblemError as problem:
        return problem.response(negotiated=True)


async def _graphql(request: Request, question: GraphQLExport, format_: str | None) -> Response:
    fmt = _rdf_format(format_, request.headers.get("accept"))
    data = await ask_graphql(request, question)
    ids = [i for i in export.ids_in(data) if is_curie(i)]
    selection = Selection(ids=tuple(ids))
    collector = rdf.TripleCollector()
    exporter = Exporter(collector, dataset_info(selection), fmt=fmt)
    exporter.begin()
    try:
        async for item in export.aiter_items(
            _driver(request), selection, database=_database(request)
        ):
            item.feed(exporter)
    except _UNAVAILABLE as error:
        raise HttpProblemError(503, f"Neo4j is not available: {type(error).__name__}") from error
    exporter.end()
    filename = _filename(selection, fmt, star=False)
    return Response(
        rdf.serialize(collector.triples, fmt),
        media_type=_media(fmt),
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Vary": "Accept"},
    )


async def ask_graphql(request: Request, question: GraphQLExport) -> Any:
    """Run the question as this application's /graphql endpoint would, in process (its
    schema, context, limits, timeouts and error policy: ``app.state.graphql``); the answer's
    ``data``, or a HttpProblemError."""
    endpoint: GraphQLEndpoint | None = getattr(request.app.state, "graphql", None)
    if endpoint is None:
        raise HttpProblemError(501, "this server has no GraphQL endpoint at /graphql")
    try:
        result = await endpoint.execute(
            request, question.query, question.variables, question.operation_name
        )
    except CannotGetOperationTypeError as error:
        reason = error.as_http_error_reason()
        raise HttpProblemError(400, f"the GraphQL query failed: {reason}") from error
    except InvalidOperationTypeError as error:
        reason = error.as_http_error_reason("POST")
        raise HttpProblemError(400, f"the GraphQL query failed: {reason}") from error
    errors = [error.formatted for error in result.errors or []]
    if any((e.get("extensions") or {}).get("code") == "GRAPH_UNAVAILABLE" for e in errors):
        raise HttpProblemError(503, "Neo4j is not available")
    if result.data is None:
        raise HttpProblemError(400, "the GraphQL query failed", errors=errors)
    return result.data


# -- published artifacts ---------------------------------------------------------------------


@router.get("/rdf/context.jsonld", summary="The JSON-LD @context of the exports")
async def jsonld_context() -> Response:
    return Response(artifact_text(rdf.CONTEXT_FILE), media_type="application/ld+json", headers=OPEN)


@router.get("/rdf/shapes", summary="The SHACL shapes every export conforms to (Turtle)")
async def shapes_file() -> Response:
    return Response(
        artifact_text(rdf.SHAPES_FILE), media_type="text/turtle; charset=utf-8", headers=OPEN
    )


def artifact_text(path: Path) -> str:
    """A published artifact, its IRIs under the configured base."""
    text = path.read_text(encoding="utf-8")
    return text if BASE == DEFAULT_BASE else text.replace(DEFAULT_BASE, BASE)


OPEN = {"Access-Control-Allow-Origin": "*"}  # published artifacts: any site may read them


# -- the command line: pharmakg export-rdf ---------------------------------------------------


@dataclass
class _Tally:
    nodes: int = 0
    edges: int = 0

    def add(self, item: Item) -> None:
        if isinstance(item, StoredNode):
            self.nodes += 1
        else:
            self.edges += 1


@contextmanager
def _open_output(output: Path) -> Iterator[IO[str]]:
    if str(output) == "-":
        yield sys.stdout
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="\n") as handle:
        yield handle


def export_rdf_command(
    *,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The file to write ('-': standard output).")
    ],
    format_: Annotated[
        str, typer.Option("--format", "-f", help="ttl, nt, jsonld, xml, nq or trig.")
    ] = "ttl",
    category: Annotated[
        list[str] | None,
        typer.Option(
            "--category",
            "-c",
            help="Only this category (repeatable): its nodes, the edges "
            "touching them and the nodes they reach.",
        ),
    ] = None,
    entity: Annotated[str | None, typer.Option(help="Only this entity's neighbourhood.")] = None,
    star: Annotated[
        bool,
        typer.Option("--star", help="Reify edges with RDF 1.2 triple terms (ttl, nt, nq, trig)."),
    ] = False,
    validate: Annotated[
        bool,
        typer.Option("--validate", help="Check the file against ontology/shapes.ttl (pyshacl)."),
    ] = False,
) -> None:
    """Export the graph (or a part) as RDF, streamed from Neo4j, with a progress bar.

    Every export ends with its VoID/DCAT description (version, licence, sources, counts).
    """
    try:
        fmt = rdf.format_for(format_)
        selection = Selection(categories=parse_categories(category or []), entity=entity)
    except ValueError as error:
        raise fail(str(error), code=2) from error
    if entity is not None:
        try:
            validate_curie(entity)
        except CurieError as error:
            raise fail(no_entity(entity, error), code=2) from error
    if star and not fmt.star:
        raise fail(
            f"{fmt.name} cannot carry RDF-star; use one of: "
            f"{', '.join(f.name for f in rdf.FORMATS.values() if f.star)}",
            code=2,
        )
    if validate and star:
        raise fail("--validate reads RDF 1.1; RDF-star exports cannot be validated", code=2)
    settings = Settings()
    err = Console(stderr=True)
    tally = _Tally()
    started = time.monotonic()
    with connect(settings) as driver:
        if (
            entity is not None
            and export.find_node(driver, entity, database=settings.neo4j_database) is None
        ):
            raise fail(no_entity(entity))  # before the output file is opened
        try:
            total = export.count(driver, selection, database=settings.neo4j_database)
            with (
                _open_output(output) as handle,
                Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    TimeRemainingColumn(),
                    console=err,
                    transient=True,
                ) as progress,
            ):
                task = progress.add_task(f"Exporting {selection.describe()}", total=total)

                def advance(item: Item) -> None:
                    tally.add(item)
                    done = tally.nodes + tally.edges
                    if done % 1000 == 0:
                        progress.update(task, completed=done)

                exporter = Exporter(
                    rdf.writer_for(fmt, handle.write), dataset_info(selection), fmt=fmt, star=star
                )
                summary = export.export(
                    driver, selection, exporter, database=settings.neo4j_database, on_item=advance
                )
        except GraphError as error:
            raise fail(str(error)) from error
    seconds = max(time.monotonic() - started, 1e-6)
    err.print(
        f"Wrote {summary.triples:,} triples ({summary.node_total:,} nodes, "
        f"{summary.edge_total:,} edges) to {output} in {seconds:.1f} s "
        f"({summary.triples / seconds:,.0f} triples/s).",
        highlight=False,
    )
    if validate:
        _validate_file(output, fmt, err)


def _validate_file(output: Path, fmt: Format, err: Console) -> None:
    if str(output) == "-":
        raise fail("--validate needs a file (-o FILE), not standard output", code=2)
    with err.status("Validating against ontology/shapes.ttl ..."):
        if fmt.quads:
            dataset = Dataset()
            dataset.parse(output, format=fmt.rdflib)
            graph = Graph()
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph = Graph().parse(output, format=fmt.rdflib)
        conforms, report = rdf.validate(graph)
    if not conforms:
        err.print(report, highlight=False, markup=False)
        raise fail("the export does not conform to ontology/shapes.ttl")
    err.print("[green]Valid:[/] the export conforms to ontology/shapes.ttl.")
