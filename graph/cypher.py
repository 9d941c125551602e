"""Every Cypher statement of PharmaKG, as constants or pure builders.

Values only ever travel as parameters. Labels and relationship types are spliced in only from
the closed vocabulary (``ontology.vocab``), backticked, so user input never reaches the text of
a query. One builder returns the same string for the same label, so Neo4j caches one plan per
label and relationship type.
"""

from __future__ import annotations

from functools import cache

from ontology.vocab import CATEGORIES, PREDICATES, Category, Predicate

ENTITY = "Entity"  # every node carries it: one uniqueness constraint over all categories
NAMES_INDEX = "entity_names"
XREFS_INDEX = "entity_xrefs"


def _label(category: Category) -> str:
    return CATEGORIES[category].label


def _type(predicate: Predicate) -> str:
    return PREDICATES[predicate].rel_type


# -- schema ----------------------------------------------------------------------------------


def schema_statements() -> list[str]:
    """Constraints and indexes derived from the vocabulary; all idempotent (IF NOT EXISTS)."""
    statements = [
        f"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:{ENTITY}) REQUIRE n.id IS UNIQUE",
        f"CREATE INDEX entity_name IF NOT EXISTS FOR (n:{ENTITY}) ON (n.name)",
    ]
    for category in Category:
        label = _label(category)
        snake = category.value
        statements += [
            f"CREATE CONSTRAINT {snake}_id IF NOT EXISTS FOR (n:`{label}`) REQUIRE n.id IS UNIQUE",
            f"CREATE INDEX {snake}_name IF NOT EXISTS FOR (n:`{label}`) ON (n.name)",
        ]
    for predicate in Predicate:
        rel = _type(predicate)
        statements.append(
            f"CREATE CONSTRAINT rel_{predicate.value}_id IF NOT EXISTS "
            f"FOR ()-[r:`{rel}`]-() REQUIRE r.id IS UNIQUE"
        )
    labels = "|".join(f"`{_label(c)}`" for c in Category)
    statements += [
        f"CREATE FULLTEXT INDEX {NAMES_INDEX} IF NOT EXISTS FOR (n:{labels}) "
        "ON EACH [n.name, n.synonyms, n.title, n.symbol]",
        # The keyword analyzer keeps a CURIE whole, so a cross-reference is found exactly.
        f"CREATE FULLTEXT INDEX {XREFS_INDEX} IF NOT EXISTS FOR (n:{labels}) "
        "ON EACH [n.id, n.xrefs] OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}",
    ]
    return statements


AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"
SHOW_CONSTRAINTS = "SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names"
SHOW_INDEXES = "SHOW INDEXES YIELD name RETURN collect(name) AS names"

# -- writes ----------------------------------------------------------------------------------

# A content hash decides whether a row changes anything: reloading the same data writes nothing
# and reports every record as unchanged.
_COUNT_OUTCOMES = """
RETURN count(CASE WHEN before IS NULL THEN 1 END) AS created,
       count(CASE WHEN before IS NOT NULL AND before <> row.hash THEN 1 END) AS updated,
       count(CASE WHEN before = row.hash THEN 1 END) AS unchanged"""


@cache
def upsert_nodes(category: Category) -> str:
    """Upsert a batch of one category; lists of names and cross-references are unions."""
    return f"""
UNWIND $rows AS row
MERGE (n:`{_label(category)}` {{id: row.id}})
WITH n, row, n.content_hash AS before
FOREACH (_ IN CASE WHEN before IS NULL OR before <> row.hash THEN [1] ELSE [] END |
  SET n += row.props,
      n:{ENTITY},
      n.content_hash = row.hash,
      n.xrefs = coalesce(n.xrefs, []) + [x IN row.xrefs WHERE NOT x IN coalesce(n.xrefs, [])],
      n.synonyms = coalesce(n.synonyms, [])
                   + [s IN row.synonyms WHERE NOT s IN coalesce(n.synonyms, [])],
      n.sources = coalesce(n.sources, [])
                  + [s IN [row.source] WHERE NOT s IN coalesce(n.sources, [])])
{_COUNT_OUTCOMES}"""


MISSING_ENDPOINTS = f"""
UNWIND $ids AS id
OPTIONAL MATCH (n:{ENTITY} {{id: id}})
WITH id, n WHERE n IS NULL
RETURN collect(id) AS missing"""

ENDPOINT_LABELS = f"""
UNWIND $ids AS id
MATCH (n:{ENTITY} {{id: id}})
RETURN id, [l IN labels(n) WHERE l <> '{ENTITY}'][0] AS label"""


@cache
def upsert_edges(predicate: Predicate) -> str:
    """Upsert a batch of one relationship type, keyed by the edge's stable id."""
    return f"""
UNWIND $rows AS row
MATCH (a:{ENTITY} {{id: row.subject}})
MATCH (b:{ENTITY} {{id: row.object}})
MERGE (a)-[r:`{_type(predicate)}` {{id: row.id}}]->(b)
WITH r, row, r.content_hash AS before
FOREACH (_ IN CASE WHEN before IS NULL OR before <> row.hash THEN [1] ELSE [] END |
  SET r += row.props, r.content_hash = row.hash)
{_COUNT_OUTCOMES}"""


@cache
def naive_node(category: Category) -> str:
    """One query per record: the baseline the benchmarks compare the batched writer with."""
    return (f"MERGE (n:`{_label(category)}` {{id: $id}}) SET n += $props, n:{ENTITY}")


@cache
def naive_edge(predicate: Predicate) -> str:
    return (f"MATCH (a:{ENTITY} {{id: $subject}}) MATCH (b:{ENTITY} {{id: $object}}) "
            f"MERGE (a)-[r:`{_type(predicate)}` {{id: $id}}]->(b) SET r += $props")


DELETE_ALL_BATCHED = """
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"""

# -- reads -----------------------------------------------------------------------------------

COUNT_BY_LABEL = f"""
MATCH (n:{ENTITY})
UNWIND [l IN labels(n) WHERE l <> '{ENTITY}'] AS label
RETURN label, count(*) AS count ORDER BY label"""

COUNT_BY_TYPE = """
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count, count(CASE WHEN size(coalesce(r.publications, [])) = 0
  THEN 1 END) AS uncited
ORDER BY type"""

NODES_BY_IDS = f"""
UNWIND $ids AS id
OPTIONAL MATCH (n:{ENTITY} {{id: id}})
RETURN id, n {{.*}} AS props,
       CASE WHEN n IS NULL THEN null ELSE [l IN labels(n) WHERE l <> '{ENTITY}'][0] END AS label"""

NODE_BY_XREF = f"""
CALL db.index.fulltext.queryNodes('{XREFS_INDEX}', $query) YIELD node
WHERE node.id = $curie OR $curie IN node.xrefs
RETURN node.id AS id LIMIT 1"""

NEIGHBOURHOOD = f"""
MATCH (n:{ENTITY} {{id: $id}})-[r]-(m:{ENTITY})
RETURN startNode(r).id AS subject, type(r) AS type, endNode(r).id AS object, r {{.*}} AS props
ORDER BY type, subject, object, r.id
LIMIT $limit"""

SEARCH = f"""
CALL db.index.fulltext.queryNodes('{NAMES_INDEX}', $query) YIELD node, score
RETURN node.id AS id, score ORDER BY score DESC, id LIMIT $limit"""

ALL_XREFS = f"""
MATCH (n:{ENTITY}) WHERE size(coalesce(n.xrefs, [])) > 0
RETURN n.id AS id, n.xrefs AS xrefs"""

SERVER_VERSION = """
CALL dbms.components() YIELD name, versions, edition
RETURN name, versions[0] AS version, edition"""
