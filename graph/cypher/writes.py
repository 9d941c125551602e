"""The writes: batched upserts (with relabelling), retractions, the deletions after a bulk
import, the graph version's bump, and the one-query-per-record and bare writes the load
benchmark compares the writer with.

An upsert answers a batch (``UNWIND $rows``) and reports what it did, so the writer can count
created, updated and unchanged records and name each record it rejects; a retraction or a
deletion says what it removed.
"""

from __future__ import annotations

from functools import cache

from graph.cypher import ENTITY, VERSION_LABEL, any_label, category_label, label, rel_type
from ontology.identity import KINDS
from ontology.vocab import PREDICATES, Category, Predicate


@cache
def upsert_nodes(category: Category) -> str:
    """Upsert a batch of one category under a load's ``$scope`` (its source and dataset).

    ``loaded_by`` lists the scopes that state a node, its owner first: the scope that stated it
    first, unless an ``$authoritative`` scope (the curated dataset) states it too, which always
    takes it over. The owner's row is the node: its name, description, source and other scalar
    properties (a property the owner no longer states goes); another scope that states the node
    only adds its cross-references, synonyms, its source to ``sources`` and itself to
    ``loaded_by`` (see ``retract_stale``), so loading it again changes nothing. A write without
    a scope (null) owns the node and adds no scope.

    ``separate`` lists the rows whose cross-references name another node: one entity, two
    nodes (a source loaded before the one that names it).

    An ``$authoritative`` row relabels the node it lands on when another category of the same
    kind labels it (``_relabel``): the curated alkaloid a ChEMBL or GtoPdb load made a drug.

    A content hash of the owner's row decides whether the owner changes anything; a reload of
    the same data writes nothing and reports every record as unchanged (a scope added to
    ``loaded_by`` alone is bookkeeping: unchanged). An empty list is stored as no property at
    all, as ``neo4j-admin import`` stores it, so the batched writer and the bulk import give
    the same graph.
    """
    return f"""
UNWIND $rows AS row{_relabel(category)}
MERGE (n:{label(category)} {{id: row.id}})
WITH n, row, relabelled, n.content_hash AS before, coalesce(n.loaded_by, []) AS scopes,
     coalesce(n.xrefs, []) AS xrefs, coalesce(n.synonyms, []) AS synonyms,
     coalesce(n.sources, []) AS sources
WITH n, row, relabelled, before, scopes, xrefs, synonyms, sources,
     [x IN row.xrefs WHERE NOT x IN xrefs] AS more_xrefs,
     [s IN row.synonyms WHERE NOT s IN synonyms] AS more_synonyms,
     [s IN [row.source] WHERE NOT s IN sources] AS more_sources,
     [s IN [$scope] WHERE s IS NOT NULL AND NOT s IN scopes] AS more_scopes,
     $scope IS NOT NULL AND all(s IN scopes WHERE s = $scope) AS sole,
     before IS NULL OR $scope IS NULL OR size(scopes) = 0 OR scopes[0] = $scope
       OR $authoritative AS owns
WITH n, row, before, scopes, xrefs, synonyms, sources, more_xrefs, more_synonyms,
     more_sources, more_scopes, sole, owns,
     CASE WHEN owns THEN before IS NULL OR before <> row.hash OR size(more_scopes) > 0
                         OR ($scope IS NOT NULL AND scopes[0] <> $scope)
          ELSE size(more_xrefs) + size(more_synonyms) + size(more_sources)
               + size(more_scopes) > 0 END AS stale,
     CASE WHEN owns THEN before <> row.hash OR relabelled
          ELSE size(more_xrefs) + size(more_synonyms) + size(more_sources) > 0 END AS changed
FOREACH (_ IN CASE WHEN stale AND sole THEN [1] ELSE [] END |
  SET n = row.props,
      n:{ENTITY},
      n.content_hash = row.hash,
      n.xrefs = nullIf(row.xrefs, []),
      n.synonyms = nullIf(row.synonyms, []),
      n.sources = [row.source],
      n.loaded_by = [$scope])
FOREACH (_ IN CASE WHEN stale AND owns AND NOT sole THEN [1] ELSE [] END |
  SET n = row.props,
      n:{ENTITY},
      n.content_hash = row.hash,
      n.xrefs = nullIf(xrefs + more_xrefs, []),
      n.synonyms = nullIf(synonyms + more_synonyms, []),
      n.sources = sources + more_sources,
      n.loaded_by = nullIf([s IN [$scope] WHERE s IS NOT NULL]
                           + [s IN scopes WHERE $scope IS NULL OR s <> $scope], []))
FOREACH (_ IN CASE WHEN stale AND NOT owns THEN [1] ELSE [] END |
  SET n.xrefs = nullIf(xrefs + more_xrefs, []),
      n.synonyms = nullIf(synonyms + more_synonyms, []),
      n.sources = sources + more_sources,
      n.loaded_by = scopes + more_scopes)
WITH row, before, changed, COLLECT {{
  UNWIND [x IN row.xrefs WHERE x <> row.id] AS xref
  MATCH (other:{ENTITY} {{id: xref}})
  RETURN {{id: row.id, other: other.id, label: {category_label("other")},
          sources: coalesce(other.sources, [])}}
}} AS separate
RETURN count(CASE WHEN before IS NULL THEN 1 END) AS created,
       count(CASE WHEN before IS NOT NULL AND changed THEN 1 END) AS updated,
       count(CASE WHEN before IS NOT NULL AND NOT changed THEN 1 END) AS unchanged,
       reduce(found = [], pairs IN collect(separate) | found + pairs) AS separate"""


def _relabel(category: Category) -> str:
    """Cypher giving each ``row`` a ``relabelled`` flag; under ``$authoritative``, the node with
    the row's id filed under another category of the same kind (``ontology.identity.KINDS``)
    takes ``category`` instead, keeping ``Entity``, its properties and its relationships."""
    others = next((kind - {category} for kind in KINDS if category in kind), frozenset())
    if not others:
        return "\nWITH row, false AS relabelled"
    own = label(category)
    removed = ", ".join(f"old:{label(c)}" for c in sorted(others))
    return f"""
CALL (row) {{
  WITH row WHERE $authoritative
  MATCH (old:{ENTITY} {{id: row.id}}) WHERE {any_label("old", others)} AND NOT old:{own}
  REMOVE {removed}
  SET old:{own}
  RETURN count(old) > 0 AS relabelled
}}"""


@cache
def upsert_edges(predicate: Predicate) -> str:
    """Upsert a batch of one relationship type, keyed by the edge's stable id.

    The row replaces the edge's properties (a note corrected or removed is corrected or
    removed); ``loaded_by`` gains ``$scope``.

    Endpoints are checked in the same query: a row whose subject or object is missing, or of a
    category the predicate does not take, writes nothing and comes back in ``rejected`` with
    the categories found (null where the node is missing).
    """
    info = PREDICATES[predicate]
    return f"""
UNWIND $rows AS row
OPTIONAL MATCH (a:{ENTITY} {{id: row.subject}})
OPTIONAL MATCH (b:{ENTITY} {{id: row.object}})
OPTIONAL CALL (row, a, b) {{
  WITH row, a, b WHERE {any_label("a", info.domain)} AND {any_label("b", info.range)}
  MERGE (a)-[r:{rel_type(predicate)} {{id: row.id}}]->(b)
  WITH r, row, r.content_hash AS before, coalesce(r.loaded_by, []) AS scopes
  FOREACH (_ IN CASE WHEN before IS NULL OR before <> row.hash
                          OR ($scope IS NOT NULL AND NOT $scope IN scopes) THEN [1] ELSE [] END |
    SET r = row.props, r.content_hash = row.hash,
        r.loaded_by = nullIf(scopes + [s IN [$scope] WHERE s IS NOT NULL AND NOT s IN scopes],
                             []))
  RETURN before, true AS written
}}
RETURN count(CASE WHEN written AND before IS NULL THEN 1 END) AS created,
       count(CASE WHEN written AND before <> row.hash THEN 1 END) AS updated,
       count(CASE WHEN written AND before = row.hash THEN 1 END) AS unchanged,
       collect(CASE WHEN written IS NULL THEN {{id: row.id, subject: {category_label("a")},
                                                object: {category_label("b")}}} END) AS rejected"""


# -- a load of a complete source is a snapshot (graph/retract.py) ----------------------------

# What a scope (a source and dataset) stated before and no longer states: its edges, then its
# nodes. A statement other scopes make too only loses this scope; a node goes when no scope
# states it and no edge needs it.
# ``$legacy``: the source whose statements written before scopes existed (no ``loaded_by``) this
# scope adopts, or null.
RETRACT_EDGES = """
MATCH (a)-[r]->(b)
WHERE ($scope IN r.loaded_by
       OR (r.loaded_by IS NULL AND $legacy IS NOT NULL
           AND ($legacy = r.primary_knowledge_source
                OR $legacy IN coalesce(r.aggregator_knowledge_sources, []))))
  AND NOT r.id IN $kept
WITH r, a.id AS subject, type(r) AS type, b.id AS object, r.id AS id,
     [s IN coalesce(r.loaded_by, []) WHERE s <> $scope] AS rest
FOREACH (_ IN CASE WHEN size(rest) = 0 THEN [1] ELSE [] END | DELETE r)
FOREACH (_ IN CASE WHEN size(rest) > 0 THEN [1] ELSE [] END | SET r.loaded_by = rest)
RETURN id, subject, type, object, size(rest) = 0 AS deleted
ORDER BY type, subject, object, id"""

RETRACT_NODES = f"""
MATCH (n:{ENTITY})
WHERE ($scope IN n.loaded_by OR (n.loaded_by IS NULL AND n.sources = [$legacy]))
  AND NOT n.id IN $kept
WITH n, n.id AS id, [s IN coalesce(n.loaded_by, []) WHERE s <> $scope] AS rest
WITH n, id, rest, size(rest) = 0 AND NOT EXISTS {{ (n)--() }} AS orphan
SET n.loaded_by = nullIf(rest, [])
WITH n, id, orphan
FOREACH (_ IN CASE WHEN orphan THEN [1] ELSE [] END | DELETE n)
RETURN id, orphan AS deleted
ORDER BY id"""


@cache
def naive_node(category: Category) -> str:
    """One query per record: the baseline the benchmarks compare the batched writer with."""
    return f"MERGE (n:{label(category)} {{id: $id}}) SET n += $props, n:{ENTITY}"


@cache
def naive_edge(predicate: Predicate) -> str:
    return (
        f"MATCH (a:{ENTITY} {{id: $subject}}) MATCH (b:{ENTITY} {{id: $object}}) "
        f"MERGE (a)-[r:{rel_type(predicate)} {{id: $id}}]->(b) SET r += $props"
    )


# The floor the load benchmark measures: the fewest operations that put the same properties
# into Neo4j (no MERGE, no endpoint check, no content hash, one label, one relationship type).
BARE_CREATE_NODES = f"UNWIND $rows AS row CREATE (n:{ENTITY}) SET n = row"
BARE_CREATE_EDGES = f"""
UNWIND $rows AS row
MATCH (a:{ENTITY} {{id: row.subject}})
MATCH (b:{ENTITY} {{id: row.object}})
CREATE (a)-[r:RELATED]->(b) SET r = row.props"""


# -- after a bulk import (graph/bulk.py): what neo4j-admin does not check ---------------------


@cache
def delete_misplaced_edges() -> str:
    """Delete relationships whose endpoints their predicate does not take; say which and why.

    One scan over all relationships; the allowed categories per type come from the vocabulary.
    """
    cases = "\n".join(
        f"  WHEN '{info.rel_type}' THEN [{any_label('a', info.domain)}, "
        f"{any_label('b', info.range)}]"
        for info in PREDICATES.values()
    )
    return f"""
MATCH (a)-[r]->(b)
WITH r, a, b, CASE type(r)
{cases}
END AS fits
WHERE NOT (fits[0] AND fits[1])
WITH r, a.id AS subject, type(r) AS type, b.id AS object,
     CASE WHEN fits[0] THEN 'object' ELSE 'subject' END AS role,
     CASE WHEN fits[0] THEN {category_label("b")} ELSE {category_label("a")} END AS label
DELETE r
RETURN subject, type, object, role, label"""


REPEATED_EDGE_IDS = """
MATCH ()-[r]->()
WITH r.id AS id, count(*) AS copies WHERE copies > 1
RETURN id"""

DELETE_REPEATED_EDGES = """
MATCH ()-[r]->() WHERE r.id IN $ids
WITH type(r) AS type, r.id AS id, collect(r) AS copies,
     count(DISTINCT r.content_hash) AS versions
FOREACH (extra IN tail(copies) | DELETE extra)
RETURN type, id, size(copies) AS copies, versions"""


DELETE_ALL_BATCHED = """
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"""


# -- the graph version (graph/version.py) ------------------------------------------------------

BUMP_VERSION = f"""
MERGE (v:{VERSION_LABEL} {{key: 'graph'}})
SET v.token = randomUUID(), v.loaded_at = datetime()
RETURN v.token AS token"""
