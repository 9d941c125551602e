"""The curated graph draws well: typed, directed relationships and no hub that swallows it."""

from __future__ import annotations

from neo4j import Driver

from ontology.vocab import CATEGORIES, PREDICATES, predicate_of_type

LABELS = {info.label for info in CATEGORIES.values()}


def test_every_node_has_exactly_one_category_label(curated_db: Driver) -> None:
    records, _, _ = curated_db.execute_query(
        """
        MATCH (n) WHERE NOT n:GraphVersion  // the one bookkeeping node (graph.version)
        WITH [l IN labels(n) WHERE l <> 'Entity'] AS categories, 'Entity' IN labels(n) AS entity
        RETURN categories, entity, count(*) AS nodes""",
        database_="neo4j",
    )
    assert records
    for record in records:
        assert record["entity"], f"{record['nodes']} nodes lack the Entity label"
        assert len(record["categories"]) == 1, record["categories"]
        # No Source, Publication or Dataset node: provenance stays on the relationships.
        assert record["categories"][0] in LABELS


def test_relationships_point_from_their_domain_to_their_range(curated_db: Driver) -> None:
    records, _, _ = curated_db.execute_query(
        """
        MATCH (a)-[r]->(b)
        RETURN type(r) AS type, [l IN labels(a) WHERE l <> 'Entity'][0] AS start,
               [l IN labels(b) WHERE l <> 'Entity'][0] AS end, count(*) AS n""",
        database_="neo4j",
    )
    wrong = []
    for record in records:
        info = PREDICATES[predicate_of_type(record["type"])]
        domain = {CATEGORIES[c].label for c in info.domain}
        range_ = {CATEGORIES[c].label for c in info.range}
        if record["start"] not in domain or record["end"] not in range_:
            wrong.append(
                f"{record['n']} x ({record['start']})-[:{record['type']}]->({record['end']})"
            )
    assert records
    assert wrong == []


def test_provenance_lives_on_every_relationship(curated_db: Driver) -> None:
    records, _, _ = curated_db.execute_query(
        """
        MATCH ()-[r]->()
        RETURN count(r) AS total,
               count(CASE WHEN r.primary_knowledge_source IS NULL
                            OR size(coalesce(r.publications, [])) = 0 THEN 1 END) AS bare""",
        database_="neo4j",
    )
    assert records[0]["total"] > 0
    assert records[0]["bare"] == 0


def test_no_node_is_linked_to_most_of_the_graph(curated_db: Driver) -> None:
    # A provenance or "source" hub would touch nearly every node; the busiest real entity
    # (mitragynine, the compound the dataset is about) touches a fraction of them.
    records, _, _ = curated_db.execute_query(
        """
        MATCH (n) WITH count(n) AS total
        MATCH (hub)--(other)
        WITH total, hub, count(DISTINCT other) AS neighbours
        RETURN hub.name AS name, neighbours, total ORDER BY neighbours DESC LIMIT 1""",
        database_="neo4j",
    )
    busiest = records[0]
    assert busiest["neighbours"] < 0.5 * busiest["total"], dict(busiest)
