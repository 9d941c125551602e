"""The export's Cypher (exact text and parameters, with a fake driver) and HTTP negotiation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from itertools import groupby
from typing import Any

import pytest
from neo4j import Record

from api.rdf import negotiate, parse_categories
from graph import export
from graph.cypher import export as statements
from graph.export import Selection, StoredEdge, StoredNode
from ontology import rdf
from ontology.identifiers import iri
from ontology.records import Edge, Node
from ontology.vocab import CATEGORIES, PREDICATES, Category
from tests.unit.rdf import fixture_graph as fx

INFO = rdf.DatasetInfo(version="0.0.test", created=date(2026, 11, 24))


class FakeTx:
    def __init__(self, rows: dict[str, list[Record]]) -> None:
        self.rows = rows
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def run(self, query: str, parameters: dict[str, Any]) -> Iterator[Record]:
        self.calls.append((query, parameters))
        kind = "node" if "labels(n)" in query else "edge"
        yield from self.rows[kind]
        self.rows[kind] = []  # each kind is served once

    def __enter__(self) -> FakeTx:
        return self

    def __exit__(self, *_: object) -> None:
        return None


class FakeSession:
    def __init__(self, tx: FakeTx) -> None:
        self.tx = tx
        self.options: dict[str, Any] = {}

    def begin_transaction(self) -> FakeTx:
        return self.tx

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *_: object) -> None:
        return None


class FakeDriver:
    def __init__(self, rows: dict[str, list[Record]]) -> None:
        self.tx = FakeTx(rows)
        self.sessions: list[dict[str, Any]] = []

    def session(self, **options: Any) -> FakeSession:
        self.sessions.append(options)
        return FakeSession(self.tx)


def record(data: dict[str, Any]) -> Record:
    return Record(data)  # type: ignore[no-untyped-call]  # neo4j leaves Record() unannotated


def node_row(node: Node, sources: list[str]) -> Record:
    props = node.properties() | {"sources": sources, "content_hash": "x"}
    return record({"label": node.label, "props": props})


def stored(edge: Edge, **changes: Any) -> list[Any]:
    """An edge as the whole-graph read returns it in a subject's group: type, object, props."""
    return [edge.rel_type, edge.object, edge.properties() | {"content_hash": "x"} | changes]


def edge_rows(edges: Sequence[Edge], per_row: int = 2) -> list[Record]:
    """The whole-graph edge rows: a subject and up to ``per_row`` of its edges, in order."""
    rows = []
    for subject, group in groupby(edges, key=lambda e: e.subject):
        listed = [stored(e) for e in group]
        rows += [
            record({"subject": subject, "edges": listed[i : i + per_row]})
            for i in range(0, len(listed), per_row)
        ]
    return rows


def test_the_whole_graph_is_one_pass_over_nodes_then_one_over_edges() -> None:
    driver = FakeDriver(
        {
            "node": [node_row(n, ["infores:pharmakg", "infores:chembl"]) for n in fx.NODES],
            "edge": edge_rows(fx.EDGES),
        }
    )
    items = list(export.iter_items(driver, Selection(), database="neo4j"))  # type: ignore[arg-type]
    assert driver.sessions == [
        {
            "database": "neo4j",
            "default_access_mode": "READ",
            "fetch_size": export.FETCH_SIZE,
            "notifications_min_severity": "OFF",
        }
    ]
    queries = [q for q, _ in driver.tx.calls]
    assert queries == [statements.ALL_NODES, statements.all_edges()]
    assert statements.ALL_NODES == (
        "MATCH (n:Entity) RETURN [l IN labels(n) WHERE l <> 'Entity'][0] "
        "AS label, properties(n) AS props"
    )
    assert "MATCH (a)-[r:`CONTAINS`|`BINDS`|" in statements.all_edges()
    assert [p for _, p in driver.tx.calls] == [{}, {"chunk": export.EDGES_PER_ROW}]
    assert len(driver.tx.calls) == 2
    assert [type(i) for i in items] == [StoredNode] * len(fx.NODES) + [StoredEdge] * len(fx.EDGES)
    first = items[0]
    assert isinstance(first, StoredNode)
    assert first.node == fx.NODES[0]
    assert first.sources == ("infores:pharmakg", "infores:chembl")
    last = items[-1]
    assert isinstance(last, StoredEdge)
    assert (last.edge, last.id) == (fx.EDGES[-1], fx.EDGES[-1].id)


def test_storage_only_properties_do_not_reach_the_rdf() -> None:
    driver = FakeDriver(
        {"node": [node_row(fx.NODES[1], ["infores:chembl"])], "edge": edge_rows(fx.EDGES[2:3])}
    )
    collector = rdf.TripleCollector()
    export.export(driver, Selection(), rdf.Exporter(collector, INFO))  # type: ignore[arg-type]
    text = repr(collector.triples)
    assert "content_hash" not in text
    assert "/sources" not in text
    provided = {o for s, p, o in collector.triples if p.endswith("/provided_by")}
    assert provided == {iri("infores:chembl"), iri("infores:pharmakg")}


def test_a_stored_record_that_no_longer_validates_fails_loudly() -> None:
    bad = record({"subject": fx.EDGES[2].subject, "edges": [stored(fx.EDGES[2], unit="furlong")]})
    driver = FakeDriver({"node": [], "edge": [bad]})
    with pytest.raises(export.ExportError, match="unit"):
        list(export.iter_items(driver, Selection()))  # type: ignore[arg-type]


def test_category_queries_use_labels_from_the_vocabulary_only() -> None:
    steps = export.plan(Selection(categories=(Category.STUDY, Category.ALKALOID)))
    assert [s.kind for s in steps] == ["node", "edge", "node"]
    assert all(s.parameters == {} for s in steps)
    assert steps[0].query == (
        "MATCH (n:`Alkaloid`|`Study`) WHERE n:Entity RETURN "
        "[l IN labels(n) WHERE l <> 'Entity'][0] AS label, "
        "properties(n) AS props"
    )
    labels = {f"`{i.label}`" for i in CATEGORIES.values()}
    types = {f"`{i.rel_type}`" for i in PREDICATES.values()}
    for step in steps:
        quoted = {
            part
            for part in step.query.replace("|", " ")
            .replace(":", " ")
            .replace("]", " ")
            .replace(")", " ")
            .split()
            if part.startswith("`")
        }
        assert quoted <= labels | types


def test_values_travel_as_parameters() -> None:
    tricky = "PMID:1' OR 1=1 //"
    steps = export.plan(Selection(entity=tricky), limit=10)
    assert steps[0].parameters == {"id": tricky}
    assert steps[1].parameters == {"id": tricky, "limit": 10}
    assert all(tricky not in s.query for s in steps)
    steps = export.plan(Selection(ids=("b", "a", "b")))
    assert [s.parameters for s in steps] == [{"ids": ["a", "b"]}] * 2


def test_a_selection_is_one_kind_of_part() -> None:
    with pytest.raises(ValueError, match="one of"):
        Selection(categories=(Category.STUDY,), entity="PMID:1")
    assert Selection().describe() == "the whole graph"
    assert Selection(entity="PMID:1").slug() == "entity-PMID-1"


def test_ids_are_collected_from_a_graphql_answer_in_order() -> None:
    answer = {
        "a": {
            "id": "PMID:1",
            "xs": [{"id": "MONDO:0005618", "n": {"id": "PMID:1"}}, {"name": "x", "id": 3}],
        },
        "b": [{"id": "HP:0000001"}],
    }
    assert export.ids_in(answer) == ["PMID:1", "MONDO:0005618", "HP:0000001"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("application/ld+json", "application/ld+json"),
        ("application/json", "application/ld+json"),
        ("application/n-triples;q=0.5, application/ld+json;q=0.9", "application/ld+json"),
        ("text/*", "text/turtle"),
        ("application/*;q=0.2, text/html;q=0.1", "application/n-triples"),
        ("application/ld+json;q=0, */*;q=0.1", "text/turtle"),
        ("image/png", None),
        ("text/turtle;q=0", None),
    ],
)
def test_content_negotiation(accept: str | None, expected: str | None) -> None:
    offered = [*(f.media_type for f in rdf.FORMATS.values()), "text/html"]
    assert negotiate(accept, offered) == expected


def test_categories_by_name_or_label() -> None:
    assert parse_categories(["study", "Alkaloid,drug"]) == (
        Category.STUDY,
        Category.ALKALOID,
        Category.DRUG,
    )
    with pytest.raises(ValueError, match="expected one of: alkaloid"):
        parse_categories(["plant"])
