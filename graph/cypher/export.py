"""The export's statements: streaming reads of nodes, then edges, for a selection of the graph
(whole, ordered, by category, a neighbourhood, chosen ids), the counts its progress bar needs,
and the linked-data lookups of one node or edge (``graph.export`` runs them).
"""

from __future__ import annotations

from functools import cache

from graph.cypher import ENTITY, XREFS_INDEX, category_label, label, labels, rel_type
from ontology.vocab import PREDICATES, Category

_NODE = f"{category_label('n')} AS label, properties(n) AS props"
_EDGE = "a.id AS subject, type(r) AS type, b.id AS object, properties(r) AS props"


@cache
def _types() -> str:
    """Every relationship type of the vocabulary, in its order."""
    return "|".join(rel_type(p) for p in PREDICATES)


ALL_NODES = f"MATCH (n:{ENTITY}) RETURN {_NODE}"


@cache
def all_edges() -> str:
    """Every edge, grouped by subject: rows of ``subject`` and up to ``$chunk`` edges.

    The Python driver spends ~11 µs on each row it decodes, a third of that per edge when the
    edges come grouped. The server collects one subject's relationships at a time, as
    references, and reads their properties a chunk at a time; the chunk bounds a row (and so a
    fetch) however many edges a hub has.
    """
    return f"""
MATCH (a:{ENTITY})
CALL (a) {{
  MATCH (a)-[r:{_types()}]->(:{ENTITY})
  WITH collect(r) AS out
  WHERE out <> []
  UNWIND range(0, size(out) - 1, $chunk) AS i
  RETURN [r IN out[i..i + $chunk] | [type(r), endNode(r).id, properties(r)]] AS edges
}}
RETURN a.id AS subject, edges"""


ALL_NODES_ORDERED = f"MATCH (n:{ENTITY}) RETURN {_NODE} ORDER BY n.id"


@cache
def all_edges_ordered() -> str:
    """``all_edges`` in a stable order: subjects by id, their edges by type, object and id."""
    return f"""
MATCH (a:{ENTITY})
CALL (a) {{
  MATCH (a)-[r:{_types()}]->(b:{ENTITY})
  WITH r, b ORDER BY type(r), b.id, r.id
  WITH collect(r) AS out
  WHERE out <> []
  UNWIND range(0, size(out) - 1, $chunk) AS i
  RETURN i, [r IN out[i..i + $chunk] | [type(r), endNode(r).id, properties(r)]] AS edges
}}
RETURN a.id AS subject, edges
ORDER BY subject, i"""


@cache
def category_nodes(categories: tuple[Category, ...]) -> str:
    return f"MATCH (n:{labels(categories)}) WHERE n:{ENTITY} RETURN {_NODE}"


@cache
def category_edges(categories: tuple[Category, ...]) -> str:
    """Edges with at least one end in the categories, each once (label scans, no full scan).

    A subject's edges come together (the exporter writes a direct triple once per subject).
    """
    wanted, types = labels(categories), _types()
    return f"""
CALL () {{
  MATCH (a:{wanted})-[r:{types}]->(b:{ENTITY}) WHERE a:{ENTITY} RETURN a, r, b
  UNION ALL
  MATCH (a:{ENTITY})-[r:{types}]->(b:{wanted}) WHERE b:{ENTITY} AND NOT a:{wanted}
  RETURN a, r, b
}}
RETURN {_EDGE}
ORDER BY subject"""


@cache
def category_neighbours(categories: tuple[Category, ...]) -> str:
    """The nodes outside the categories at the other end of their edges, each once."""
    wanted, types = labels(categories), _types()
    return f"""
MATCH (c:{wanted})-[:{types}]-(n:{ENTITY}) WHERE c:{ENTITY} AND NOT n:{wanted}
WITH DISTINCT n
RETURN {_NODE}"""


@cache
def neighbourhood_nodes() -> str:
    return f"""
MATCH (c:{ENTITY} {{id: $id}})
CALL (c) {{
  RETURN c AS n
  UNION
  MATCH (c)-[:{_types()}]-(n:{ENTITY}) RETURN n
}}
RETURN {_NODE}"""


@cache
def neighbourhood_edges() -> str:
    return f"""
MATCH (c:{ENTITY} {{id: $id}})-[r:{_types()}]-(:{ENTITY})
WITH r, startNode(r) AS a, endNode(r) AS b
ORDER BY type(r), a.id, b.id, r.id
LIMIT $limit
RETURN {_EDGE}"""


SELECTED_NODES = f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}})
RETURN {_NODE}"""


@cache
def selected_edges() -> str:
    return f"""
UNWIND $ids AS id
MATCH (a:{ENTITY} {{id: id}})-[r:{_types()}]->(b:{ENTITY})
WHERE b.id IN $ids
RETURN {_EDGE}"""


COUNT_ALL_NODES = f"MATCH (n:{ENTITY}) RETURN count(n) AS count"
COUNT_ALL_EDGES = "MATCH ()-[r]->() RETURN count(r) AS count"


@cache
def count_category_nodes(categories: tuple[Category, ...]) -> str:
    return f"MATCH (n:{labels(categories)}) WHERE n:{ENTITY} RETURN count(n) AS count"


@cache
def count_category_edges(categories: tuple[Category, ...]) -> str:
    wanted = labels(categories)
    return (
        f"MATCH (a:{ENTITY})-[r:{_types()}]->(b:{ENTITY}) WHERE a:{wanted} OR b:{wanted} "
        "RETURN count(r) AS count"
    )


@cache
def count_category_neighbours(categories: tuple[Category, ...]) -> str:
    wanted = labels(categories)
    return (
        f"MATCH (c:{wanted})-[:{_types()}]-(n:{ENTITY}) WHERE c:{ENTITY} AND NOT n:{wanted} "
        "RETURN count(DISTINCT n) AS count"
    )


@cache
def count_neighbourhood() -> str:
    """(neighbours, edges) of an entity; no row when the entity does not exist."""
    return (
        f"MATCH (c:{ENTITY} {{id: $id}}) OPTIONAL MATCH (c)-[r:{_types()}]-(m:{ENTITY}) "
        "RETURN count(DISTINCT m) AS nodes, count(r) AS edges"
    )


COUNT_NEIGHBOURHOOD_RECORDS = f"""
MATCH (c:{ENTITY} {{id: $id}})
OPTIONAL MATCH (c)-[r:{_types()}]-(m:{ENTITY})
RETURN 1 + count(DISTINCT m) + count(r) AS count"""

COUNT_SELECTED_NODES = f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}})
RETURN count(n) AS count"""


@cache
def count_selected_edges() -> str:
    return f"""
UNWIND $ids AS id
MATCH (:{ENTITY} {{id: id}})-[r:{_types()}]->(b:{ENTITY})
WHERE b.id IN $ids
RETURN count(r) AS count"""


NODE_BY_ID = f"MATCH (n:{ENTITY} {{id: $id}}) RETURN {_NODE}"


@cache
def edge_by_id() -> str:
    """One edge by its id: a lookup in each relationship type's unique index."""
    arms = "\n  UNION\n  ".join(
        f"MATCH (a:{ENTITY})-[r:{rel_type(p)} {{id: $id}}]->(b:{ENTITY}) RETURN a, r, b"
        for p in PREDICATES
    )
    return f"CALL () {{\n  {arms}\n}}\nRETURN {_EDGE} LIMIT 1"


# A study named by its PMID, DOI or NCT id (attributes of the study, not cross-references).
STUDY_BY_REFERENCE = f"""
MATCH (s:{label(Category.STUDY)}) WHERE s[$field] = $local
RETURN s.id AS id ORDER BY id LIMIT 1"""


NODE_BY_XREF = f"""
CALL db.index.fulltext.queryNodes('{XREFS_INDEX}', $query) YIELD node
WHERE node.id = $curie OR $curie IN node.xrefs
RETURN node.id AS id LIMIT 1"""
