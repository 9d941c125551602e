"""The Query resolvers: check the input, read through ``graph.reads``, return thin views.

Each resolver makes a fixed number of reads (resolve the terms, expand classes, answer), and
primes the request's node loader with every node it already holds, so that nested fields cost
one batched read per level at most.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated

import strawberry

from api.graphql import answers
from api.graphql import types as t
from api.graphql.context import Context
from api.graphql.grading import Grade, cypher_weights, grade
from api.graphql.limits import (
    DEFAULT_PAGE_SIZE,
    MAX_PATHS,
    MAX_TERMS,
    MAX_VIA,
    PublicError,
    check_range,
    check_text,
)
from api.graphql.lookahead import page_plans, shows_links
from graph import reads
from graph.reads import MAX_PATH_HOPS, Anchor, TermMatch, TermSpec
from ontology.identifiers import is_curie
from ontology.records import Edge, Node
from ontology.vocab import Category, Predicate

Info = t.GraphInfo

# Common names accepted for the species of studies and measurements.
SPECIES_ALIASES: dict[str, tuple[str, ...]] = {
    "human": ("homo sapiens", "human"),
    "homo sapiens": ("homo sapiens", "human"),
    "rat": ("rattus norvegicus", "rat"),
    "rattus norvegicus": ("rattus norvegicus", "rat"),
    "mouse": ("mus musculus", "mouse"),
    "mus musculus": ("mus musculus", "mouse"),
    "guinea pig": ("cavia porcellus", "guinea pig"),
    "cavia porcellus": ("cavia porcellus", "guinea pig"),
}


def _context(info: Info) -> Context:
    return info.context


def _prime(info: Info, nodes: Iterable[Node]) -> None:
    loader = _context(info).loaders.nodes
    for node in nodes:
        loader.prime(node.id, node)


# -- resolving terms -------------------------------------------------------------------------


async def _resolve(info: Info, specs: Sequence[TermSpec]) -> list[list[TermMatch]]:
    matches = await reads.resolve_terms(_context(info).reader, specs)
    _prime(info, (m.node for found in matches for m in found))
    return matches


def _single(term: str, found: list[TermMatch]) -> Node | t.Unresolved | t.Ambiguous:
    if not found:
        return t.Unresolved(
            message=f"nothing matches {term!r} (as id, cross-reference, name or synonym)",
            unresolved=[term],
        )
    if len(found) > 1:
        return t.Ambiguous(
            message=f"{term!r} names {len(found)} entities; use a CURIE",
            term=term,
            candidates=[t.entity_view(m.node) for m in found],
        )
    return found[0].node


async def _one(info: Info, term: str) -> Node | t.Unresolved | t.Ambiguous:
    text = check_text("entity", term)
    [found] = await _resolve(info, [TermSpec(text)])
    return _single(text, found)


def _species(values: Sequence[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    names = [check_text("species", v).lower() for v in values]
    return tuple(dict.fromkeys(a for n in names for a in SPECIES_ALIASES.get(n, (n,))))


# -- lookup and search -----------------------------------------------------------------------


async def entity(info: Info, id: strawberry.ID) -> t.EntityResult:
    """An entity by CURIE or by a cross-reference (CHEMBL.COMPOUND:..., HGNC:...)."""
    text = check_text("id", str(id))
    found = await _lookup(info, text)
    if not found:
        return t.NotFound(
            message=f"no entity has the id or cross-reference {text}", id=strawberry.ID(text)
        )
    result = _single(text, found)
    return t.entity_view(result) if isinstance(result, Node) else result  # type: ignore[return-value]


async def _lookup(info: Info, text: str) -> list[TermMatch]:
    """The entities ``text`` names by id or cross-reference, read with the relation pages the
    selection below will ask for (``lookahead``), primed: nested fields cost no query."""
    [selected] = info.selected_fields
    plans = page_plans(selected.selections)
    spec = TermSpec(text, by_id=True, by_name=False)
    found = await reads.entity_with_pages(_context(info).reader, spec, plans)
    loaders = _context(info).loaders
    _prime(info, (f.node for f in found))
    for entry in found:
        for key, page in entry.pages.items():
            loaders.relations.prime(key, page)
    return [TermMatch(1 if f.node.id != text else 0, f.node) for f in found]


async def entities(
    info: Info, name: str, categories: list[Category] | None = None
) -> list[t.Entity]:
    """Entities whose name, synonym or symbol is ``name``, ignoring case."""
    text = check_text("name", name)
    [found] = await _resolve(info, [TermSpec(text, by_id=False, by_name=True)])
    return [
        t.entity_view(m.node) for m in found if categories is None or m.node.category in categories
    ]


async def search(
    info: Info,
    text: str,
    categories: list[Category] | None = None,
    first: int = DEFAULT_PAGE_SIZE,
    after: str | None = None,
) -> t.Connection[t.SearchHit]:
    """Ranked full-text search over names, synonyms, symbols and titles, across categories."""
    query = check_text("text", text)
    offset, limit = t.window(first, after)
    page = await reads.search(_context(info).reader, query, categories, offset, limit)
    _prime(info, (hit.node for hit in page.items))
    hits = [t.SearchHit(score=round(h.score, 4), entity=t.entity_view(h.node)) for h in page.items]
    return t.connection(hits, page.total, offset)


async def studies(
    info: Info,
    filter: t.StudyFilter | None = None,
    sort: t.StudySort | None = None,
    first: int = DEFAULT_PAGE_SIZE,
    after: str | None = None,
) -> t.Connection[t.Study]:
    """Studies filtered by design, species, year, sample size or what they gave; sorted."""
    listed = await listed_studies(_context(info).reader, filter, sort, first, after)
    return studies_connection(info, listed)


@dataclass(frozen=True)
class ListedStudies:
    """The row ``studies`` reads (``reads.study_rows``) and the offset of its page."""

    row: reads.Row
    offset: int


async def listed_studies(
    reader: reads.Reader,
    filter: t.StudyFilter | None = None,
    sort: t.StudySort | None = None,
    first: int = DEFAULT_PAGE_SIZE,
    after: str | None = None,
) -> ListedStudies:
    """What ``studies`` reads, as Neo4j gives it (the compiled answers assemble it as it is)."""
    given = filter or t.StudyFilter()
    order = sort or t.StudySort()
    offset, limit = t.window(first, after)
    term = check_text("entity", given.investigates) if given.investigates is not None else None
    query = reads.StudyQuery(
        designs=tuple(given.designs) if given.designs is not None else None,
        species=_species(given.species),
        year_from=given.year_from,
        year_to=given.year_to,
        min_sample_size=given.min_sample_size,
        max_sample_size=given.max_sample_size,
        investigates=TermSpec(term) if term is not None else None,
    )
    row = await reads.study_rows(
        reader, query, order=order.field, descending=order.descending, offset=offset, limit=limit
    )
    if not row["resolved"]:  # the term names nothing
        raise PublicError(f"nothing matches {term!r}")
    return ListedStudies(row, offset)


def studies_connection(info: Info, listed: ListedStudies) -> t.Connection[t.Study]:
    """The studies read, as views (the node loader primed with them)."""
    page = reads.study_page(listed.row)
    _prime(info, page.items)
    return t.connection([t.study_view(n) for n in page.items], page.total, listed.offset)


async def _ids_of(info: Info, term: str, *, by_class: bool) -> tuple[str, ...]:
    """The ids a filter term stands for (a class: its members too); unknown terms fail."""
    text = check_text("entity", term)
    [found] = await _resolve(info, [TermSpec(text, by_class=by_class)])
    if not found:
        raise PublicError(f"nothing matches {text!r}")
    seeds = [m.node.id for m in found]
    if not by_class:
        return tuple(seeds)
    anchors = await reads.expand(_context(info).reader, seeds)
    return tuple(dict.fromkeys([*seeds, *(a.id for a in anchors)]))


async def measurements(
    info: Info,
    filter: t.MeasurementFilter | None = None,
    sort: t.MeasurementSort | None = None,
    first: int = DEFAULT_PAGE_SIZE,
    after: str | None = None,
) -> t.Connection[t.Measurement]:
    """Quantitative measurements filtered by compound, target, measure, value, assay, species."""
    given = filter or t.MeasurementFilter()
    order = sort or t.MeasurementSort()
    offset, limit = t.window(first, after)
    compounds = await _ids_of(info, given.compound, by_class=False) if given.compound else None
    targets = await _ids_of(info, given.target, by_class=True) if given.target else None
    query = reads.MeasurementQuery(
        compounds=compounds,
        targets=targets,
        measures=tuple(given.measures) if given.measures is not None else None,
        value_min=given.value_min,
        value_max=given.value_max,
        unit=given.unit,
        assay=check_text("assay", given.assay).lower() if given.assay else None,
        species=_species(given.species),
    )
    page = await reads.measurements(
        _context(info).reader,
        query,
        order=order.field,
        descending=order.descending,
        offset=offset,
        limit=limit,
    )
    items = [answers.measurement(e, None) for e in page.items]
    return t.connection([m for m in items if m is not None], page.total, offset)


# -- studies connecting entities -------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    text: str
    found: list[TermMatch]
    anchors: dict[str, Anchor]  # anchor id -> the closest of the term's seeds standing for it
    covered: frozenset[str]  # matches that another match of the term stands for


def _term(text: str, found: list[TermMatch], anchors: list[Anchor]) -> _Term:
    seeds = {m.node.id for m in found}
    mine = [a for a in anchors if a.seed in seeds]
    best: dict[str, Anchor] = {}
    for anchor in mine:
        if anchor.id not in best or anchor.length < best[anchor.id].length:
            best[anchor.id] = anchor
    covered = frozenset(a.id for a in mine if a.length and a.id in seeds)
    return _Term(text, found, best, covered)


async def studies_connecting(
    info: Info, entities: list[str], first: int = DEFAULT_PAGE_SIZE, after: str | None = None
) -> t.StudiesConnectingResult:
    """Studies linked to every entity (a CURIE, a name or a class), best evidence first.

    One read: resolve the terms and expand the classes, then rank the connecting studies on
    light rows, with the links and the class paths of the rows that may land on the page (the
    term with the fewest study links drives the search; the others are checked).
    """
    texts = [check_text("entity", e) for e in entities]
    check_range("the number of entities", len(texts), 2, MAX_TERMS)
    offset, limit = t.window(first, after)
    found, anchors, ranked = await reads.studies_connecting(
        _context(info).reader,
        [TermSpec(text, by_class=not is_curie(text)) for text in texts],
        cypher_weights(),
        offset=offset,
        limit=limit,
        with_paths=shows_links(info.selected_fields[0].selections),
    )
    _prime(info, (m.node for f in found for m in f))
    missing = [text for text, f in zip(texts, found, strict=True) if not f]
    if missing:
        return t.Unresolved(
            message=f"nothing matches {', '.join(map(repr, missing))}", unresolved=missing
        )
    terms = [_term(text, f, anchors) for text, f in zip(texts, found, strict=True)]
    # Neo4j graded and ranked the candidates; what came back is graded again here, exactly.
    graded = sorted(
        (
            (c, grade(c.design, c.species, c.sample_size, _extra_hops(c, terms)))
            for c in ranked.items
        ),
        key=lambda pair: _rank(*pair),
    )
    page = _connecting_page(info, terms, graded[offset : offset + limit], ranked.linked)
    return t.ConnectingStudies(
        terms=[_resolved_term(term) for term in terms],
        studies=t.connection(page, ranked.total, offset),
    )


def _extra_hops(candidate: reads.StudyRank, terms: list[_Term]) -> list[int]:
    """Per term, the fewest hops from an anchor the study reaches up to the term's entity."""
    return [
        min(term.anchors[x].length for x in candidate.reached if x in term.anchors)
        for term in terms
    ]


def _rank(candidate: reads.StudyRank, graded: Grade) -> tuple[float, int, str]:
    return (-graded.score, -(candidate.year or 0), candidate.id)


def _connecting_page(
    info: Info,
    terms: list[_Term],
    page: list[tuple[reads.StudyRank, Grade]],
    linked: Mapping[str, reads.StudyLinks],
) -> list[t.ConnectingStudy]:
    studies = [(linked[c.id], g) for c, g in page]
    _prime(info, (s.study for s, _ in studies))
    return [
        t.ConnectingStudy(
            study=t.study_view(s.study), grade=t.grade_view(g), paths=_explained(s, terms)
        )
        for s, g in studies
    ]


def _explained(linked: reads.StudyLinks, terms: list[_Term]) -> list[t.ExplainedPath]:
    """One path per link and term it explains: the link, then the way up to the term."""
    paths: list[t.ExplainedPath] = []
    study = linked.study.id
    for term in terms:
        links = [
            (edge, term.anchors[edge.object])
            for edge in linked.links
            if edge.object in term.anchors
        ]
        for edge, anchor in sorted(links, key=lambda c: (c[1].length, c[0].object)):
            hops = (edge, *linked.ups.get((anchor.seed, anchor.id), ()))
            ids = (study, *(h.object for h in hops))
            paths.append(t.ExplainedPath(term=term.text, ids=ids, hops=_walk(ids, hops)))
    return paths


def _resolved_term(term: _Term) -> t.ResolvedTerm:
    """The term's matches, without those another match already stands for (subclasses)."""
    roots = [m.node for m in term.found if m.node.id not in term.covered] or [term.found[0].node]
    return t.ResolvedTerm(
        term=term.text,
        matched_by=t.MATCH_KINDS[term.found[0].level],
        entities=[t.entity_view(node) for node in roots],
        expanded_ids=tuple(term.anchors),
    )


def _walk(ids: Sequence[str], hops: Sequence[Edge]) -> list[t.Relation]:
    """The hops of a path as relations seen from the node each is reached from."""
    return [t.relation_view(hop, ids[i]) for i, hop in enumerate(hops)]


# -- paths -----------------------------------------------------------------------------------


async def paths(
    info: Info,
    source: Annotated[str, strawberry.argument(name="from")],
    target: Annotated[str, strawberry.argument(name="to")],
    *,
    max_hops: int = 3,
    via: list[str] | None = None,
    predicates: list[Predicate] | None = None,
    first: int = 10,
) -> t.PathsResult:
    """Paths of up to ``maxHops`` relations between two entities, each hop with evidence;
    ``via``: entities every path must pass through; ``predicates``: the relations allowed."""
    check_range("maxHops", max_hops, 1, MAX_PATH_HOPS)
    check_range("first", first, 1, MAX_PATHS)
    stops = [check_text("via", v) for v in via or []]
    check_range("the number of via entities", len(stops), 0, MAX_VIA)
    texts = [check_text("from", source), check_text("to", target), *stops]
    found = await _resolve(info, [TermSpec(text) for text in texts])
    nodes: list[Node] = []
    for text, matches in zip(texts, found, strict=True):
        result = _single(text, matches)
        if not isinstance(result, Node):
            return result
        nodes.append(result)
    rows = await reads.paths(
        _context(info).reader,
        nodes[0].id,
        nodes[1].id,
        max_hops=max_hops,
        predicates=predicates,
        via=[n.id for n in nodes[2:]],
        limit=first,
    )
    return t.Paths(
        source=t.entity_view(nodes[0]),
        target=t.entity_view(nodes[1]),
        paths=[t.ExplainedPath(term=None, ids=p.ids, hops=_walk(p.ids, p.hops)) for p in rows],
    )


# -- interactions ----------------------------------------------------------------------------


async def interactions(info: Info, entity: str) -> t.InteractionsResult:
    """Interaction risks of an entity (and of its constituents, for an organism): reported,
    through an enzyme it modulates, or inferred from a shared enzyme (never as observed)."""
    node = await _one(info, entity)
    if not isinstance(node, Node):
        return node
    rows = await reads.interactions(_context(info).reader, node.id)
    return t.Interactions(
        entity=t.entity_view(node),
        risks=answers.risks(rows),
        tested_without_interaction=answers.null_findings(rows),
    )


# -- pharmacology ----------------------------------------------------------------------------


async def pharmacology(
    info: Info, compound: str, target: str | None = None
) -> t.PharmacologyResult:
    """Every measurement of a compound at a target (or a family, or all its targets), side by
    side with its context; a summary per measure and target; conflicts made visible."""
    texts = [check_text("compound", compound)]
    if target is not None:
        texts.append(check_text("target", target))
    found = await _resolve(
        info, [TermSpec(texts[0]), *(TermSpec(x, by_class=True) for x in texts[1:])]
    )
    subject = _single(texts[0], found[0])
    if not isinstance(subject, Node):
        return subject
    target_ids: tuple[str, ...] | None = None
    if target is not None:
        if not found[1]:
            return t.Unresolved(message=f"nothing matches {texts[1]!r}", unresolved=[texts[1]])
        seeds = [m.node.id for m in found[1]]
        anchors = await reads.expand(_context(info).reader, seeds)
        target_ids = tuple(dict.fromkeys([*seeds, *(a.id for a in anchors)]))
    edges = await reads.pharmacology(_context(info).reader, subject.id, target_ids)
    return answers.pharmacology(subject, target_ids, edges)


# -- metabolism ------------------------------------------------------------------------------


async def metabolism(info: Info, compound: str) -> t.MetabolismResult:
    """The chain of metabolites from a compound, with the enzymes of each step and evidence."""
    node = await _one(info, compound)
    if not isinstance(node, Node):
        return node
    rows = await reads.metabolism(_context(info).reader, node.id)
    steps = [_step(row) for row in rows]
    enzymes = tuple(dict.fromkeys(e.edge.object for s in steps for e in s.enzymes))
    metabolites = tuple(row.substance for row in rows if row.depth > 0)
    return t.Metabolism(
        compound=t.entity_view(node), steps=steps, enzyme_ids=enzymes, metabolite_ids=metabolites
    )


def _step(row: reads.SubstanceEdges) -> t.MetabolicStep:
    def pick(predicate: Predicate, *, outgoing: bool) -> list[t.Relation]:
        return [
            t.relation_view(e, row.substance)
            for e in row.edges
            if e.predicate is predicate and (e.subject == row.substance) == outgoing
        ]

    return t.MetabolicStep(
        substance_id=row.substance,
        depth=row.depth,
        enzymes=pick(Predicate.METABOLIZED_BY, outgoing=True),
        products=pick(Predicate.METABOLIZED_TO, outgoing=True),
        formed_from=pick(Predicate.METABOLIZED_TO, outgoing=False),
    )
