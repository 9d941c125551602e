"""The write and schema builders: labels only from the vocabulary, values only as parameters."""

from __future__ import annotations

import re
from typing import Any

import pytest

from graph import cypher
from graph.cypher import export, reads, schema, writes
from graph.writer import Writer
from ontology.records import Edge, Node, Provenance
from ontology.vocab import CATEGORIES, PREDICATES, Category, Predicate


@pytest.mark.parametrize("category", list(Category))
def test_node_upserts_unwind_parameters_into_a_backticked_label(category: Category) -> None:
    query = writes.upsert_nodes(category)
    assert "UNWIND $rows AS row" in query
    assert f"MERGE (n:`{CATEGORIES[category].label}` {{id: row.id}})" in query
    assert writes.upsert_nodes(category) is query  # one cached text, one cached plan


def test_an_authoritative_row_relabels_only_within_its_kind() -> None:
    alkaloid = writes.upsert_nodes(Category.ALKALOID)
    assert "WITH row WHERE $authoritative" in alkaloid
    assert "REMOVE old:`Drug`\n  SET old:`Alkaloid`" in alkaloid
    receptor = writes.upsert_nodes(Category.RECEPTOR)
    removed = re.search(r"REMOVE (.*)\n", receptor)
    assert removed is not None
    assert removed.group(1) == "old:`Enzyme`, old:`IonChannel`, old:`Protein`, old:`Transporter`"
    for category in (Category.STUDY, Category.CONDITION, Category.TARGET_FAMILY):
        query = writes.upsert_nodes(category)
        assert "REMOVE" not in query
        assert "false AS relabelled" in query


@pytest.mark.parametrize("predicate", list(Predicate))
def test_edge_upserts_merge_on_the_stable_edge_id(predicate: Predicate) -> None:
    query = writes.upsert_edges(predicate)
    assert f"[r:`{PREDICATES[predicate].rel_type}` {{id: row.id}}]" in query
    assert "MATCH (a:Entity {id: row.subject})" in query


def test_the_schema_covers_every_label_and_type() -> None:
    statements = "\n".join(schema.schema_statements())
    for info in CATEGORIES.values():
        assert f"FOR (n:`{info.label}`) REQUIRE n.id IS UNIQUE" in statements
    for pinfo in PREDICATES.values():
        assert f"FOR ()-[r:`{pinfo.rel_type}`]-() REQUIRE r.id IS UNIQUE" in statements
    assert all("IF NOT EXISTS" in s for s in schema.schema_statements())


@pytest.mark.parametrize("module", [schema, writes, reads, export])
def test_no_query_constant_holds_a_literal_value(module: object) -> None:
    constants = [v for k, v in vars(module).items() if k.isupper() and isinstance(v, str)]
    assert constants
    # Quoted strings are allowed only for names of our own indexes and labels, the empty
    # string (a default), the key of the one graph version node and the tags an interaction
    # row carries (``graph.reads.InteractionRow.basis``).
    allowed = {cypher.NAMES_INDEX, cypher.XREFS_INDEX, cypher.ENTITY, "", "graph"}
    allowed |= {"reported", "enzyme", "inferred"}
    for text in constants:
        for literal in re.findall(r"'([^']*)'", text):
            assert literal in allowed, literal


class FakeRecord:
    def data(self, *keys: str) -> dict[str, Any]:
        return {"created": 1, "updated": 0, "unchanged": 0}

    def __getitem__(self, key: str) -> Any:
        assert key in {"rejected", "separate"}
        return []


class FakeResult:
    def single(self, strict: bool = False) -> FakeRecord:
        return FakeRecord()


class FakeTx:
    """Records each query and its parameters."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def run(self, query: str, **params: Any) -> FakeResult:
        self.calls.append((query, params))
        return FakeResult()


PROV = Provenance(
    primary_knowledge_source="infores:pharmakg",
    publications=("PMID:1",),
    knowledge_level="knowledge_assertion",
    agent_type="manual_agent",
    source_version="t",
)


def test_a_batch_sends_one_query_per_label_and_type_with_exact_parameters() -> None:
    nodes = [
        Node(id=f"PUBCHEM.COMPOUND:{i}", category=Category.DRUG, name=f"d{i}", source="infores:t")
        for i in (1, 2)
    ]
    edge = Edge(
        subject="PUBCHEM.COMPOUND:1",
        predicate=Predicate.INTERACTS_WITH,
        object="PUBCHEM.COMPOUND:2",
        provenance=PROV,
        evidence_kind="clinical",
    )
    tx = FakeTx()
    writer = Writer(driver=None)  # type: ignore[arg-type]
    batch = next(iter(writer._batches([*nodes, edge], start_at=0)))
    outcome = writer._flush(tx, batch)  # type: ignore[arg-type]
    assert [q for q, _ in tx.calls] == [
        writes.upsert_nodes(Category.DRUG),
        writes.upsert_edges(Predicate.INTERACTS_WITH),
    ]
    assert [r["id"] for r in tx.calls[0][1]["rows"]] == ["PUBCHEM.COMPOUND:1", "PUBCHEM.COMPOUND:2"]
    edge_row = tx.calls[1][1]["rows"][0]
    assert (edge_row["subject"], edge_row["object"]) == (edge.subject, edge.object)
    assert edge_row["props"]["evidence_kind"] == "clinical"
    assert outcome.nodes.created == 1
