"""The reads: what the GraphQL API, the CLI and the load's identity step ask the graph.

The API's queries are written to answer a whole batch of keys (``UNWIND $keys``) so that one
round trip serves one level of a GraphQL query, whatever the size of its results. The rules of
the package hold (``graph.cypher``): values only as parameters, labels and types only from the
vocabulary; a builder's argument is a member of a closed set, never user text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from itertools import count
from typing import Literal

from graph.cypher import (
    ENTITY,
    NAMES_INDEX,
    VERSION_LABEL,
    XREFS_INDEX,
    category_label,
    label,
    labels,
    rel_type,
    rel_types,
)
from ontology.vocab import ACTIVITY_PREDICATES, CATEGORIES, PREDICATES, Category, Predicate

MAX_PATH_HOPS = 4  # the longest path ``paths`` builds a query for
MAX_HIERARCHY_DEPTH = 8  # how deep a condition's subclasses are followed
MAX_CLASS_MATCHES = 25  # classes a term may name by its words (their subclasses come on top)
SEARCH_CAP = 1000  # full-text hits ranked and counted per search


# A relationship as a map: rebuilt into an ``Edge`` by ``graph.repository.stored_edge``.
_EDGE = "{subject: startNode(r).id, type: type(r), object: endNode(r).id, props: properties(r)}"
_NODE_LABEL = category_label("n")
# ``x``: [relationship, neighbour]; the edge's map, and the neighbour's properties and label.
_EDGE_AND_NEIGHBOUR = (
    "{subject: startNode(x[0]).id, type: type(x[0]), object: endNode(x[0]).id, "
    "props: properties(x[0]), neighbour: properties(x[1]), "
    f"label: {category_label('x[1]')}}}"
)

_ACTIVITY = rel_types(ACTIVITY_PREDICATES)
_CLASS_LABELS = labels((Category.TARGET_FAMILY, Category.CONDITION))
_SUBCLASS = rel_type(Predicate.SUBCLASS_OF)
_STUDY_LINKS = rel_types((Predicate.INVESTIGATES, Predicate.MEASURES, Predicate.TESTS_MECHANISM))

# -- entities --------------------------------------------------------------------------------

NODES_BY_IDS = f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}})
RETURN id, n {{.*}} AS props, {_NODE_LABEL} AS label"""

# Each term is matched four ways, each tried only when the previous ones found nothing:
# 0 primary id, 1 cross-reference, 2 exact name, synonym or symbol (case-insensitive),
# 3 a class (target family or condition) whose name holds every word of the term (the best
# MAX_CLASS_MATCHES of them). An id lookup is one index seek; full-text only when needed.
_BY_ID_OR_XREF = f"""
CALL (t) {{
  MATCH (n:{ENTITY} {{id: t.text}})
  RETURN collect(n) AS by_id
}}
CALL (t, by_id) {{
  WITH t WHERE size(by_id) = 0 AND t.xref IS NOT NULL
  CALL db.index.fulltext.queryNodes('{XREFS_INDEX}', t.xref) YIELD node AS n
  WITH t, n WHERE t.text IN n.xrefs
  RETURN collect(n) AS by_xref
}}"""
_RESOLVED = f"""
UNWIND $terms AS t{_BY_ID_OR_XREF}
CALL (t, by_id, by_xref) {{
  WITH t WHERE size(by_id) + size(by_xref) = 0 AND t.phrase IS NOT NULL
  CALL db.index.fulltext.queryNodes('{NAMES_INDEX}', t.phrase) YIELD node AS n
  WITH t, n WHERE toLower(n.name) = t.lower OR toLower(coalesce(n.symbol, '')) = t.lower
    OR any(s IN coalesce(n.synonyms, []) WHERE toLower(s) = t.lower)
  RETURN collect(n) AS by_name
}}
CALL (t, by_id, by_xref, by_name) {{
  WITH t WHERE size(by_id) + size(by_xref) + size(by_name) = 0 AND t.words IS NOT NULL
  CALL db.index.fulltext.queryNodes('{NAMES_INDEX}', t.words) YIELD node AS n, score
  WITH n, score WHERE n:{_CLASS_LABELS}
  WITH n ORDER BY score DESC, n.id LIMIT {MAX_CLASS_MATCHES}
  RETURN collect(n) AS by_class
}}
UNWIND [[0, by_id], [1, by_xref], [2, by_name], [3, by_class]] AS found
UNWIND found[1] AS n"""
_TERM_ROW = f"t.index AS index, found[0] AS level, n {{.*}} AS props, {_NODE_LABEL} AS label"
RESOLVE_TERMS = f"""{_RESOLVED}
RETURN {_TERM_ROW}
ORDER BY index, level, n.id"""

# Ranked full-text hits (the best SEARCH_CAP: totals beyond it are not counted).
SEARCH = f"""
CALL db.index.fulltext.queryNodes('{NAMES_INDEX}', $query, {{limit: {SEARCH_CAP}}})
YIELD node AS n, score
WITH n, score WHERE $labels IS NULL OR any(l IN labels(n) WHERE l IN $labels)
WITH n, score ORDER BY score DESC, n.id
WITH collect({{n: n, score: score}}) AS hits
RETURN size(hits) AS total,
       [h IN hits[$offset..$offset + $limit] |
        {{props: properties(h.n), label: {category_label("h.n")},
          score: h.score}}] AS page"""

Direction = Literal["out", "in", "both"]
RelationShape = tuple[tuple[str, ...] | None, Direction]  # (relationship types, direction)
_RELATION_TYPES = frozenset(p.rel_type for p in PREDICATES.values())
_ARROWS: dict[str, tuple[str, str]] = {"out": ("-", "->"), "in": ("<-", "-"), "both": ("-", "-")}


def _typed(types: tuple[str, ...] | None) -> str:
    """``:`A`|`B``` restricting a relationship pattern to ``types`` (checked against the
    vocabulary), or nothing when every type is allowed."""
    if types is not None and not set(types) <= _RELATION_TYPES:
        raise ValueError(f"unknown relationship types {sorted(set(types) - _RELATION_TYPES)}")
    return ":" + "|".join(f"`{t}`" for t in sorted(set(types))) if types else ""


def _relation_pattern(
    shape: RelationShape, n: str = "n", r: str = "r", m: str = "m", neighbour: str = ENTITY
) -> str:
    """``n``'s relationships of ``shape``; ``neighbour``: the other end's label ("" for any)."""
    types, direction = shape
    typed = _typed(types)
    if direction not in _ARROWS:
        raise ValueError(f"direction must be out, in or both, not {direction!r}")
    left, right = _ARROWS[direction]
    return f"({n}){left}[{r}{typed}]{right}({m}{':' + neighbour if neighbour else ''})"


def _degree_pattern(shape: RelationShape, n: str) -> str:
    """``_relation_pattern`` with nothing bound past ``n``: counted from ``n``'s degree (no
    expansion). Every relationship joins two entities (the writers check both ends), so it
    counts what the pattern matches."""
    return _relation_pattern(shape, n, "", "", neighbour="")


@lru_cache(maxsize=256)
def relations(shapes: tuple[RelationShape, ...]) -> str:
    """One page of one node's relationships per key (``k.shape``: an index into ``shapes``),
    each with the node at its other end (the API primes its node loader with them, so a
    relation's neighbour costs no query of its own).

    Each shape is its own typed, directed pattern, so Neo4j expands only the relationships
    asked for (no match-all-then-filter); the types come from the closed vocabulary (checked).

    A key's offset and limit are values of its row, which ``SKIP`` and ``LIMIT`` do not take:
    each key's relations are sorted only as far as the farthest page of the batch reaches
    (``$reach``, at least 1 so that a key's total still has a row to ride on) and counted from
    its node's degree, as ``_page_call`` counts them.
    """
    if not shapes:
        raise ValueError("relations needs at least one shape")
    branches = "\n    UNION ALL\n".join(_shape_branch(i, shape) for i, shape in enumerate(shapes))
    return f"""
UNWIND $keys AS k
MATCH (n:{ENTITY} {{id: k.id}})
CALL (n, k) {{
  CALL (n, k) {{
{branches}
  }}
  WITH r, m, total ORDER BY type(r), m.name, r.id
  WITH collect([r, m]) AS rels, coalesce(max(total), 0) AS total
  RETURN total, rels[k.offset..k.offset + k.limit] AS page
}}
RETURN k.index AS index, total, [x IN page | {_EDGE_AND_NEIGHBOUR}] AS edges"""


def _shape_branch(index: int, shape: RelationShape) -> str:
    """The relations of the keys of shape ``index``, the first ``$reach`` of them in page
    order, each with the key's total."""
    return f"""    WITH n, k WHERE k.shape = {index}
    MATCH {_relation_pattern(shape)}
    WITH n, r, m ORDER BY type(r), m.name, r.id LIMIT $reach
    RETURN r, m, COUNT {{ {_degree_pattern(shape, "n")} }} AS total"""


MAX_READ_AHEAD = 2  # levels of relation pages ``entity_with_pages`` builds a query for
_LABELS = frozenset(c.label for c in CATEGORIES.values())


@dataclass(frozen=True)
class PageShape:
    """A relation page read ahead for the nodes with one of ``labels``, and the pages read
    ahead for each neighbour on it. Offsets and limits travel as parameters (``$w``: one
    ``[offset, limit]`` per shape of the tree, in preorder)."""

    labels: tuple[str, ...]
    shape: RelationShape
    children: tuple[PageShape, ...] = ()


def _page_call(node: str, spec: PageShape, counter: Iterator[int], depth: int) -> tuple[str, str]:
    """A subquery returning one row, ``p<i>``: ``{total, items}`` of ``node``'s page (empty
    unless ``node`` has one of the labels), each item an edge with its neighbour and the
    neighbour's own pages (``pages``, in the order of ``spec.children``).

    The relations are sorted only as far as the page reaches (Neo4j's Top) and counted from
    ``node``'s degree, never collected whole: on the 1M graph's hub, 44 -> 34 ms for its
    12,047 studies, 56 -> 39 ms for its 16,695 outgoing relations. ``node`` is imported, so it
    is still in scope after the aggregation."""
    if depth > MAX_READ_AHEAD:
        raise ValueError(f"pages are read ahead at most {MAX_READ_AHEAD} levels deep")
    if not spec.labels or not set(spec.labels) <= _LABELS:
        raise ValueError(f"unknown labels {sorted(set(spec.labels) - _LABELS)}")
    name = f"p{next(counter)}"
    r, m = f"r{depth}", f"m{depth}"
    window = f"$w[{name[1:]}]"
    children = [_page_call(m, child, counter, depth + 1) for child in spec.children]
    if children:
        nested = "".join(text for _, text in children)
        items = f"""
  CALL (page) {{
    UNWIND range(0, size(page) - 1) AS j
    WITH j, page[j] AS x, page[j][1] AS {m}{nested}
    WITH j, x, [{", ".join(n for n, _ in children)}] AS pages ORDER BY j
    RETURN collect({{edge: {_EDGE_AND_NEIGHBOUR}, pages: pages}}) AS items
  }}"""
    else:
        items = f"\n  WITH total, [x IN page | {{edge: {_EDGE_AND_NEIGHBOUR}, pages: []}}] AS items"
    wanted = "|".join(f"`{lab}`" for lab in sorted(set(spec.labels)))
    return (
        name,
        f"""
CALL ({node}) {{
  WITH {node} WHERE {node}:{wanted}
  MATCH {_relation_pattern(spec.shape, node, r, m)}
  WITH {r}, {m} ORDER BY type({r}), {m}.name, {r}.id SKIP {window}[0] LIMIT {window}[1]
  WITH collect([{r}, {m}]) AS page
  WITH COUNT {{ {_degree_pattern(spec.shape, node)} }} AS total, page{items}
  RETURN {{total: total, items: items}} AS {name}
}}""",
    )


@lru_cache(maxsize=256)
def entity_with_pages(specs: tuple[PageShape, ...]) -> str:
    """An entity by id or cross-reference (``$term``, as in RESOLVE_TERMS) and, when exactly
    one matches, the relation pages ``specs`` ask for (and their neighbours' pages): what a
    GraphQL selection of an entity with nested relations needs, in one statement, as
    ``relations`` pages it (same order, same totals)."""
    counter = count()
    calls = [_page_call("one", spec, counter, 1) for spec in specs]
    return f"""
UNWIND [$term] AS t{_BY_ID_OR_XREF}
WITH CASE WHEN size(by_id) > 0 THEN by_id ELSE by_xref END AS found
UNWIND found AS n
WITH n, CASE WHEN size(found) = 1 THEN n END AS one{"".join(text for _, text in calls)}
RETURN n {{.*}} AS props, {_NODE_LABEL} AS label, [{", ".join(n for n, _ in calls)}] AS pages
ORDER BY n.id"""


# -- studies and measurements ----------------------------------------------------------------


class StudyOrder(StrEnum):
    YEAR = "year"
    SAMPLE_SIZE = "sample_size"
    TITLE = "title"


_STUDY_ORDER = {
    StudyOrder.YEAR: "s.year",
    StudyOrder.SAMPLE_SIZE: "s.sample_size",
    StudyOrder.TITLE: "toLower(s.name)",
}


# Each filter of the studies list, by its parameter; only the filters given are written into
# the statement, so that Neo4j can seek the design and year indexes (``$x IS NULL OR ...``
# would hide them from its planner).
STUDY_FILTERS = {
    "designs": "s.design IN $designs",
    "species": "toLower(s.species) IN $species",
    "year_from": "s.year >= $year_from",
    "year_to": "s.year <= $year_to",
    "min_sample_size": "s.sample_size >= $min_sample_size",
    "max_sample_size": "s.sample_size <= $max_sample_size",
}
INDEXED_STUDY_FILTERS = frozenset({"designs", "year_from", "year_to"})  # ``schema``'s indexes


def _design_year_seek(filters: frozenset[str]) -> str:
    """A design with years: one seek of the design-and-year index (``schema``). Without the
    hint the planner may seek the years and read every study's design (1M edges: 53 -> 14 ms),
    as it does when its sampled statistics lag behind a load; with ``USING INDEX`` alone it
    may scan the whole index and filter it (seen on the small curated graph)."""
    if "designs" in filters and filters & {"year_from", "year_to"}:
        return f"\n  USING INDEX SEEK s:{label(Category.STUDY)}(design, year)"
    return ""


@cache
def studies(
    order: StudyOrder,
    descending: bool,
    filters: frozenset[str] = frozenset(),
    investigates: bool = False,
) -> str:
    """Studies matching the ``filters`` given (names of ``STUDY_FILTERS``), sorted (missing
    values last) and paged, with the total.

    The matching studies are counted as they are, and only the page is sorted out of them (a
    top-k of ``$offset + $limit``, not a sort of every match).

    With ``investigates``, only the studies that investigate what the term ``$terms[0]``
    names, read from those nodes in the same statement; ``_RESOLVED`` tries a level only when
    the more precise ones found nothing, so its nodes are those of the most precise level that
    matched, as ``resolve_terms`` keeps them. ``resolved``: whether the term named anything.
    """
    unknown = filters - STUDY_FILTERS.keys()
    if unknown:
        raise ValueError(f"unknown study filters {sorted(unknown)}")
    given = [condition for name, condition in STUDY_FILTERS.items() if name in filters]
    where = f"\n  WHERE {' AND '.join(given)}" if given else ""
    seek = _design_year_seek(filters)
    match = f"MATCH (s:{label(Category.STUDY)}){seek}{where}"
    if order is StudyOrder.YEAR and seek and not investigates:
        return _studies_by_indexed_year(match, descending)
    key = _STUDY_ORDER[order]
    page = f"""
CALL (matched) {{
  UNWIND matched AS s
  WITH s ORDER BY {key} IS NULL, {key} {"DESC" if descending else "ASC"}, s.id
  SKIP $offset LIMIT $limit
  RETURN collect(s {{.*}}) AS page
}}"""
    if not investigates:
        return f"""
{match}
WITH collect(s) AS matched{page}
RETURN true AS resolved, size(matched) AS total, page"""
    return f"""{_RESOLVED}
WITH collect(n) AS investigated{_investigating(filters, where)}{page}
RETURN size(investigated) > 0 AS resolved, size(matched) AS total, page"""


def _studies_by_indexed_year(match: str, descending: bool) -> str:
    """``match``'s studies by year when its index seek holds their years: the years alone
    give the total and the last year the page reaches, and only the studies as far as that
    year are read to sort them by id as well (1M edges, 3,004 studies of a design since a
    year: 8.5 -> 3.4 ms; every study's id was read). Their years are never missing: the seek
    needs a range of them."""
    direction, reached = ("DESC", ">=") if descending else ("ASC", "<=")
    return f"""
CALL () {{
  {match}
  WITH s.year AS year ORDER BY year {direction}
  RETURN count(*) AS total, last(collect(year)[..$offset + $limit]) AS last_year
}}
CALL (last_year) {{
  {match}
    AND s.year {reached} last_year
  WITH s ORDER BY s.year {direction}, s.id
  SKIP $offset LIMIT $limit
  RETURN collect(s {{.*}}) AS page
}}
RETURN true AS resolved, total, page"""


# Below this many INVESTIGATES relations the terms' studies are read through them: fewer than
# a millisecond of expansion, never worth counting the filters' matches first.
EXPAND_AT_MOST = 1000


def _investigating(filters: frozenset[str], where: str) -> str:
    """``matched``: the studies that investigate one of ``investigated`` and pass the filters.

    Read from the smaller side: the terms' INVESTIGATES relations (their number is a degree,
    read without a scan), or, when an indexed filter finds fewer studies than that, the index's
    studies, each checked for a relation to a term (1M edges: a hub investigated by 12,047
    studies, 3,004 of them of the design and years sought: 21-26 -> 11-16 ms). Each side is
    gated by the UNWIND of a list that is empty when it is not taken: a WHERE on the imported
    values would be checked after the seek, which the planner runs first."""
    study, investigates = label(Category.STUDY), rel_type(Predicate.INVESTIGATES)
    from_terms = f"""
  UNWIND investigated AS c
  MATCH (s:{study})-[:{investigates}]->(c:{ENTITY})
  WITH DISTINCT s{where}"""
    if not filters & INDEXED_STUDY_FILTERS:
        return f"\nCALL (investigated) {{{from_terms}\n  RETURN collect(s) AS matched\n}}"
    seek = f"MATCH (s:{study}){_design_year_seek(filters)}{where}"
    expand = f"relations <= {EXPAND_AT_MOST} OR sought >= relations"
    return f"""
CALL (investigated) {{
  UNWIND investigated AS c
  RETURN sum(COUNT {{ (c)<-[:{investigates}]-() }}) AS relations
}}
CALL (relations) {{
  {_gate(f"relations > {EXPAND_AT_MOST}")}
  {seek}
  RETURN count(s) AS sought
}}
CALL (investigated, relations, sought) {{
  CALL (investigated, relations, sought) {{
    {_gate(expand)}{from_terms}
    RETURN s
    UNION ALL
    {_gate(f"NOT ({expand})")}
    {seek}
      AND EXISTS {{ (s)-[:{investigates}]->(c:{ENTITY}) WHERE c IN investigated }}
    RETURN s
  }}
  RETURN collect(s) AS matched
}}"""


def _gate(condition: str) -> str:
    """One row when ``condition`` holds, none otherwise."""
    return f"UNWIND CASE WHEN {condition} THEN [true] ELSE [] END AS gate"


class MeasurementOrder(StrEnum):
    VALUE = "value"
    MEASURE = "measure"
    COMPOUND = "compound"


_MEASUREMENT_ORDER = {
    MeasurementOrder.VALUE: "v",
    MeasurementOrder.MEASURE: "r.measure",
    MeasurementOrder.COMPOUND: "c.name",
}


@cache
def measurements(order: MeasurementOrder, descending: bool) -> str:
    """Quantitative activity edges, filtered; values compared in ``$unit`` (via ``$factors``)."""
    key = _MEASUREMENT_ORDER[order]
    return f"""
MATCH (c:{ENTITY})-[r:{_ACTIVITY}]->(t:{ENTITY})
WHERE r.measure IS NOT NULL
  AND ($compounds IS NULL OR c.id IN $compounds)
  AND ($targets IS NULL OR t.id IN $targets)
  AND ($measures IS NULL OR r.measure IN $measures)
  AND ($assay IS NULL OR toLower(coalesce(r.assay, '')) CONTAINS $assay)
  AND ($species IS NULL OR toLower(r.species) IN $species)
WITH c, r, t,
     CASE WHEN $unit IS NULL OR r.unit = $unit THEN r.value
          WHEN r.unit IN keys($factors) AND $unit IN keys($factors)
          THEN r.value * $factors[r.unit] / $factors[$unit]
          ELSE null END AS v
WHERE ($min IS NULL OR v >= $min) AND ($max IS NULL OR v <= $max)
  AND (($min IS NULL AND $max IS NULL) OR v IS NOT NULL)
WITH r, v, c ORDER BY {key} IS NULL, {key} {"DESC" if descending else "ASC"}, r.id
WITH collect(r) AS matched
RETURN size(matched) AS total, [r IN matched[$offset..$offset + $limit] | {_EDGE}] AS page"""


# -- studies connecting entities -------------------------------------------------------------

_HIERARCHY = rel_types((Predicate.MEMBER_OF, Predicate.OUTCOME_OF, Predicate.SUBCLASS_OF))


_MEMBERS = labels((Category.RECEPTOR, Category.ENZYME))


def _stands_for(seed: str) -> str:
    """A subquery: what ``seed`` stands for (``a``: itself, a family's members, a condition's
    subclasses, the outcome measures of any of them) with the fewest hops up to it
    (``length``) and its number of study links (``links``, from the degree store)."""
    return f"""
CALL ({seed}) {{
  CALL ({seed}) {{
    RETURN {seed} AS a, 0 AS length
    UNION
    MATCH (a:{_MEMBERS})-[:{rel_type(Predicate.MEMBER_OF)}]->({seed})
    RETURN a, 1 AS length
    UNION
    MATCH p = (a:{label(Category.CONDITION)})-[:{_SUBCLASS}*1..{MAX_HIERARCHY_DEPTH}]->({seed})
    RETURN a, length(p) AS length
    UNION
    MATCH p = (a:{label(Category.OUTCOME_MEASURE)})-[:{rel_type(Predicate.OUTCOME_OF)}]->
              (:{label(Category.CONDITION)})-[:{_SUBCLASS}*0..{MAX_HIERARCHY_DEPTH}]->({seed})
    RETURN a, length(p) AS length
  }}
  WITH a, min(length) AS length
  RETURN a, length, COUNT {{ (a)<-[:{_STUDY_LINKS}]-() }} AS links
}}"""


# Each seed with the entities it stands for (the cheapest term drives the ranking below).
EXPAND = f"""
UNWIND $seeds AS seed
MATCH (s:{ENTITY} {{id: seed}}){_stands_for("s")}
RETURN seed, a.id AS anchor, length, links
ORDER BY seed, anchor"""

# A study ``s`` with its links to any of the anchors (``anchor_nodes``) and, for each anchor
# reached that stands for a seed (``up_pairs``: [anchor, seed]), the edges of the shortest
# way up to the seed.
_LINKS_AND_UPS = f"""
CALL (s, anchor_nodes) {{
  MATCH (s)-[r:{_STUDY_LINKS}]->(x:{ENTITY})
  WHERE x IN anchor_nodes
  WITH r ORDER BY type(r), endNode(r).id, r.id
  RETURN collect({_EDGE}) AS links, collect(DISTINCT endNode(r)) AS reached
}}
CALL (reached, up_pairs) {{
  UNWIND reached AS a
  UNWIND [u IN up_pairs WHERE u[0] = a | u[1]] AS top
  CALL (a, top) {{
    MATCH p = (a)-[:{_HIERARCHY}*1..{MAX_HIERARCHY_DEPTH + 1}]->(top)
    RETURN p ORDER BY length(p) LIMIT 1
  }}
  RETURN collect({{anchor: a.id, seed: top.id, hops: [r IN relationships(p) | {_EDGE}]}}) AS ups
}}"""

# The studies linked to an anchor of every term, graded and ranked where the data is, in one
# statement with the terms' resolution and expansion; only the page (and the rows whose rank
# the API must settle itself) travel back, the rows that may land on the page with their
# links.
#
# Each term is resolved (``_RESOLVED``) and each match (a seed) expanded (``_stands_for``):
# ``matches`` comes back as RESOLVE_TERMS' rows, each with what it stands for (``anchors``:
# [anchor id, hops up to the match, study links], unordered). Per term, each anchor keeps its
# fewest hops up to a seed of the term, and the seed (the first by id) it is that close to
# (``terms``: [term index, [[anchor, hops, seed]]], the term with the fewest study links
# first). The studies of that term (``driver``) are read, none when a term matched nothing;
# each is kept when its links reach every term: its hops for a term are those of the first of
# the term's anchors grouped by hops (``levels``, fewest first) that holds one of its links.
# Every test is ``x IN list`` with a list that is the same on every row, which Neo4j answers
# from a set built once (a scan of every pair per study cost 40 ms on the 1M-edge hub).
# ``$w`` holds the grading weights
# (``api.graphql.grading.cypher_weights``). Rows are ranked by the score rounded to 4 places,
# newest first, then by id, as the API ranks them; a score within a hair of a rounding
# midpoint may round the other way in Python, so such rows ("close") all come back, and the
# page is widened by their number: the API grades what comes back, sorts it exactly and keeps
# the page (``$offset``, ``$wanted``: offset + limit). A row that is not close moves by at most
# ``close`` places when the API sorts, so the rows from ``$offset - close`` on, and the close
# ones, come with their links (``linked``, as ``_LINKS_AND_UPS`` reads them; ``LINKS`` is
# replaced by ``studies_connecting``).
_STUDIES_CONNECTING = f"""{_RESOLVED}
CALL (n) {{{_stands_for("n")}
  RETURN collect([a, length, links]) AS anchors
}}
WITH t, found, n, anchors ORDER BY t.index, found[0], n.id
WITH collect({{index: t.index, level: found[0], seed: n, id: n.id, anchors: anchors}}) AS matches
CALL (matches) {{
  UNWIND matches AS m
  UNWIND m.anchors AS x
  WITH m.index AS term, x[0] AS a, x[1] AS length, x[2] AS links, m.seed AS seed, m.id AS id
  ORDER BY length, id
  WITH term, a, collect([length, seed])[0] AS best, max(links) AS links
  WITH term, collect([a, best[0], best[1]]) AS anchors, sum(links) AS links
  ORDER BY links, term
  RETURN collect([term, anchors]) AS terms
}}
WITH matches, terms,
     CASE WHEN size(terms) = size($terms) THEN terms[0][1] ELSE [] END AS driver,
     reduce(acc = [], term IN terms | acc + [x IN term[1] | [x[0], term[0], x[1], x[2]]])
       AS pairs
CALL (pairs) {{
  UNWIND pairs AS p
  RETURN collect(DISTINCT p[0]) AS anchor_nodes
}}
CALL (terms) {{
  UNWIND terms AS term
  UNWIND term[1] AS x
  WITH term[0] AS term, x[1] AS length, collect(x[0]) AS anchors
  ORDER BY term, length
  WITH term, collect([length, anchors]) AS levels
  RETURN collect(levels) AS levels
}}
WITH matches, driver, pairs, anchor_nodes, levels,
     [p IN pairs WHERE p[2] > 0 | [p[0], p[3]]] AS up_pairs
CALL (driver, anchor_nodes, levels) {{
  CALL (driver) {{
    UNWIND driver AS d
    WITH d[0] AS anchor
    MATCH (s:{label(Category.STUDY)})-[:{_STUDY_LINKS}]->(anchor)
    RETURN DISTINCT s
  }}
  WITH s, levels, [(s)-[:{_STUDY_LINKS}]->(x) WHERE x IN anchor_nodes | x] AS hits
  WITH s, [x IN hits | x.id] AS reached,
       [term IN levels | head([level IN term WHERE any(x IN hits WHERE x IN level[1])
                               | level[0]])] AS hops
  WHERE none(h IN hops WHERE h IS NULL)
  WITH s, reached, reduce(total = 0, h IN hops | total + h) AS extra,
       coalesce($w.design[s.design], $w.unknown_design) AS dw,
       CASE WHEN s.species IS NULL OR s.species = '' THEN $w.unknown_species
            WHEN toLower(trim(s.species)) IN $w.human_names THEN $w.human
            ELSE $w.animal END AS sw,
       CASE WHEN s.sample_size IS NULL THEN $w.unknown_sample_size
            ELSE 0.5 + 0.5 * CASE
              WHEN log10(CASE WHEN s.sample_size > 1 THEN s.sample_size ELSE 1 END) / 3 < 1.0
              THEN log10(CASE WHEN s.sample_size > 1 THEN s.sample_size ELSE 1 END) / 3
              ELSE 1.0 END END AS nw
  WITH s, reached, dw * sw * nw * $w.hop_factor ^ extra AS score
  WITH s, reached, round(score, 4) AS rounded,
       abs(score * 10000 - floor(score * 10000) - 0.5) < 1e-6 AS close
  ORDER BY rounded DESC, coalesce(s.year, 0) DESC, s.id
  RETURN collect({{id: s.id, design: s.design, species: s.species, sample_size: s.sample_size,
                  year: s.year, reached: reached, close: close}}) AS ranked
}}
WITH matches, anchor_nodes, up_pairs, ranked, size([c IN ranked WHERE c.close]) AS close
WITH matches, anchor_nodes, up_pairs, ranked, close,
     [i IN range(0, size(ranked) - 1) WHERE i < $wanted + close OR ranked[i].close] AS kept
WITH matches, anchor_nodes, up_pairs, size(ranked) AS total, [i IN kept | ranked[i]] AS rows,
     [i IN kept WHERE i >= $offset - close OR ranked[i].close | ranked[i].id] AS linked_ids
CALL (linked_ids, anchor_nodes, up_pairs) {{
  UNWIND linked_ids AS id
  MATCH (s:{label(Category.STUDY)} {{id: id}})LINKS
  RETURN collect({{id: id, props: s {{.*}}, links: links, ups: ups}}) AS linked
}}
RETURN [m IN matches | {{index: m.index, level: m.level, props: properties(m.seed),
         label: {category_label("m.seed")},
         anchors: [x IN m.anchors | [x[0].id, x[1], x[2]]]}}] AS matches,
       total, rows, linked"""


@cache
def studies_connecting(with_paths: bool) -> str:
    """``_STUDIES_CONNECTING``; without the links and the ways up (read as empty) when the
    answer shows no paths."""
    return _STUDIES_CONNECTING.replace(
        "LINKS", _LINKS_AND_UPS if with_paths else "\nWITH id, s, [] AS links, [] AS ups"
    )


# -- paths ------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def paths(max_hops: int, types: tuple[str, ...] | None = None) -> str:
    """Simple paths of 1..max_hops relationships, shortest first; ``max_hops`` is checked, and
    ``types`` (the relationship types allowed, from the vocabulary: checked) are in the
    pattern, so no other relationship is expanded."""
    if not 1 <= max_hops <= MAX_PATH_HOPS:
        raise ValueError(f"max_hops must be between 1 and {MAX_PATH_HOPS}, not {max_hops}")
    typed = _typed(types)
    return f"""
MATCH (a:{ENTITY} {{id: $source}}), (b:{ENTITY} {{id: $target}})
MATCH p = (a)-[rels{typed}*1..{max_hops}]-(b)
WHERE all(i IN range(0, size(nodes(p)) - 2) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
  AND all(v IN $via WHERE any(n IN nodes(p) WHERE n.id = v))
WITH p, rels ORDER BY length(p), [n IN nodes(p) | n.id]
LIMIT $limit
RETURN [n IN nodes(p) | n.id] AS ids, [r IN rels | {_EDGE}] AS hops"""


# -- the pharmacology questions -------------------------------------------------------------

_INHIBITS_INDUCES = rel_types((Predicate.INHIBITS, Predicate.INDUCES))
_INTERACTS = rel_type(Predicate.INTERACTS_WITH)
_METABOLIZED_BY = rel_type(Predicate.METABOLIZED_BY)
_ENZYME = label(Category.ENZYME)

# The entity and its constituents (an organism CONTAINS compounds) as perpetrators, and what
# connects each to a partner: a reported interaction, an enzyme it inhibits or induces, or an
# inference (it modulates an enzyme that metabolises the partner, or the other way round).
# A partner is never the entity itself, one of its constituents or a product that contains it:
# kratom does not interact with its own mitragynine.
INTERACTIONS = f"""
MATCH (e:{ENTITY} {{id: $id}})
OPTIONAL MATCH (e)-[:{rel_type(Predicate.CONTAINS)}]-(relative:{ENTITY})
WITH e, [e] + collect(DISTINCT relative) AS own
CALL (e) {{
  RETURN e AS c
  UNION
  MATCH (e)-[:{rel_type(Predicate.CONTAINS)}]->(c) RETURN c
}}
CALL (c, own) {{
  MATCH (c)-[r:{_INTERACTS}]-(d:{ENTITY})
  WHERE NOT d IN own
  RETURN 'reported' AS basis, d.id AS partner, null AS enzyme, [r] AS rels
  UNION
  MATCH (c)-[r:{_INHIBITS_INDUCES}]->(z:{_ENZYME})
  RETURN 'enzyme' AS basis, z.id AS partner, z.id AS enzyme, [r] AS rels
  UNION
  MATCH (c)-[r:{_INHIBITS_INDUCES}]->(z:{_ENZYME})<-[m:{_METABOLIZED_BY}]-(d:{ENTITY})
  WHERE d <> c AND NOT d IN own
  RETURN 'inferred' AS basis, d.id AS partner, z.id AS enzyme, [r, m] AS rels
  UNION
  MATCH (c)-[m:{_METABOLIZED_BY}]->(z:{_ENZYME})<-[r:{_INHIBITS_INDUCES}]-(d:{ENTITY})
  WHERE d <> c AND NOT d IN own
  RETURN 'inferred' AS basis, d.id AS partner, z.id AS enzyme, [m, r] AS rels
}}
RETURN c.id AS perpetrator, basis, partner, enzyme, [r IN rels | {_EDGE}] AS hops
ORDER BY perpetrator, basis, partner"""

PHARMACOLOGY = f"""
MATCH (c:{ENTITY} {{id: $compound}})-[r:{_ACTIVITY}]->(t:{ENTITY})
WHERE $targets IS NULL OR t.id IN $targets
WITH r, t ORDER BY t.id, r.measure, r.value, r.id
RETURN {_EDGE} AS edge"""

# Everything the compound becomes (METABOLIZED_TO, transitively), and for each substance the
# enzymes that metabolise it, its products, and what it is formed from.
METABOLISM = f"""
MATCH (c:{ENTITY} {{id: $id}})
MATCH p = (c)-[:{rel_type(Predicate.METABOLIZED_TO)}*0..{MAX_HIERARCHY_DEPTH}]->(s:{ENTITY})
WITH s, min(length(p)) AS depth
CALL (s) {{
  CALL (s) {{
    MATCH (s)-[r:{_METABOLIZED_BY}|{rel_type(Predicate.METABOLIZED_TO)}]->(:{ENTITY}) RETURN r
    UNION
    MATCH (s)<-[r:{rel_type(Predicate.METABOLIZED_TO)}]-(:{ENTITY}) RETURN r
  }}
  WITH r ORDER BY type(r), r.id
  RETURN [r IN collect(r) | {_EDGE}] AS edges
}}
RETURN s.id AS substance, depth, edges
ORDER BY depth, substance"""


# -- the CLI: counts, the server, the graph version ------------------------------------------

COUNT_BY_LABEL = f"""
MATCH (n:{ENTITY})
UNWIND [l IN labels(n) WHERE l <> '{ENTITY}'] AS label
RETURN label, count(*) AS count ORDER BY label"""

COUNT_BY_TYPE = """
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count, count(CASE WHEN size(coalesce(r.publications, [])) = 0
  THEN 1 END) AS uncited
ORDER BY type"""

# Every node and relationship, the bookkeeping node too (the load benchmark's check).
COUNT_ALL = """
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS edges }
RETURN nodes, edges"""

SERVER_VERSION = """
CALL dbms.components() YIELD name, versions, edition
RETURN name, versions[0] AS version, edition"""

GRAPH_VERSION = f"MATCH (v:{VERSION_LABEL} {{key: 'graph'}}) RETURN v.token AS token LIMIT 1"

# -- identity resolution before a load (api/pipeline.py), the pharmacology doc ----------------

ALL_XREFS = f"""
MATCH (n:{ENTITY}) WHERE size(coalesce(n.xrefs, [])) > 0
RETURN n.id AS id, n.xrefs AS xrefs, {category_label("n")} AS label"""

# Every activity edge from an alkaloid to a receptor, with the names the receptor profile shows.
ALKALOID_RECEPTOR_ACTIVITY = f"""
MATCH (c:{label(Category.ALKALOID)})-[r]->(t:{label(Category.RECEPTOR)})
WHERE type(r) IN $types
RETURN c.id AS subject, type(r) AS type, t.id AS object, r {{.*}} AS props
ORDER BY subject, object, r.id"""
