"""The writer against a real Neo4j: round trip, idempotent reload, atomicity, bad edges."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from graph.errors import WriteError
from graph.repository import get_nodes
from graph.stats import graph_stats
from graph.writer import Writer, write
from ontology.records import Edge, Node, Provenance
from ontology.vocab import Category, Predicate

PROV = Provenance(
    primary_knowledge_source="infores:pharmakg",
    publications=("PMID:24464759",),
    knowledge_level="knowledge_assertion",
    agent_type="manual_agent",
    source_version="test",
)
MITRAGYNINE = Node(
    id="PUBCHEM.COMPOUND:3034396",
    category=Category.ALKALOID,
    name="mitragynine",
    synonyms=("MG",),
    xrefs=("CHEMBL.COMPOUND:CHEMBL299031",),
    formula="C23H30N2O4",
    source="infores:pharmakg",
)
MOR = Node(
    id="UniProtKB:P35372",
    category=Category.RECEPTOR,
    name="mu opioid receptor",
    symbol="OPRM1",
    source="infores:pharmakg",
)


def ki(value: float, pmid: str = "PMID:24464759") -> Edge:
    return Edge(
        subject=MITRAGYNINE.id,
        predicate=Predicate.BINDS,
        object=MOR.id,
        provenance=PROV.model_copy(update={"publications": (pmid,)}),
        measure="Ki",
        value=value,
        unit="nM",
        assay="radioligand binding",
    )


def test_records_round_trip(clean_db: Driver) -> None:
    write(clean_db, [MITRAGYNINE, MOR, ki(233.0)], atomic=True)
    nodes = get_nodes(clean_db, [MOR.id, "PUBCHEM.COMPOUND:1", MITRAGYNINE.id])
    assert [n.id if n else None for n in nodes] == [MOR.id, None, MITRAGYNINE.id]
    assert nodes[2] == MITRAGYNINE
    rows = clean_db.execute_query(
        "MATCH (:Alkaloid)-[r:BINDS]->(:Receptor) RETURN r {.*} AS r"
    ).records
    assert len(rows) == 1
    props: dict[str, Any] = rows[0]["r"]
    assert props["value"] == 233.0
    assert props["unit"] == "nM"
    assert props["publications"] == ["PMID:24464759"]
    assert props["knowledge_level"] == "knowledge_assertion"


def test_reloading_changes_nothing(clean_db: Driver) -> None:
    records: list[Node | Edge] = [MITRAGYNINE, MOR, ki(233.0), ki(709.0, "PMID:27192616")]
    first = write(clean_db, records, atomic=True)
    before = clean_db.execute_query(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN n {.*} AS n, r {.*} AS r ORDER BY n.id, r.id"
    ).records
    second = write(clean_db, records, atomic=True)
    after = clean_db.execute_query(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN n {.*} AS n, r {.*} AS r ORDER BY n.id, r.id"
    ).records
    assert (first.nodes.created, first.edges.created) == (2, 2)
    assert (second.nodes.unchanged, second.edges.unchanged) == (2, 2)
    assert second.nodes.created == second.edges.created == second.edges.updated == 0
    assert [r.data() for r in before] == [r.data() for r in after]


def test_conflicting_values_from_two_sources_stay_side_by_side(clean_db: Driver) -> None:
    write(clean_db, [MITRAGYNINE, MOR, ki(233.0), ki(709.0, "PMID:27192616")], atomic=True)
    values = clean_db.execute_query("MATCH ()-[r:BINDS]->() RETURN r.value AS v ORDER BY v")
    assert [r["v"] for r in values.records] == [233.0, 709.0]


def test_an_edge_without_its_endpoint_is_rejected_and_reported(clean_db: Driver) -> None:
    rejected: list[str] = []
    writer = Writer(clean_db, on_reject=lambda edge, reason: rejected.append(reason))
    stats = writer.write([MITRAGYNINE, ki(233.0)], atomic=True)
    assert stats.rejected == 1
    assert "UniProtKB:P35372 is neither in the graph nor a node of this load" in rejected[0]
    assert graph_stats(clean_db).edges == {}


def test_an_edge_between_wrong_categories_is_rejected(clean_db: Driver) -> None:
    rejected: list[str] = []
    bad = Edge(subject=MOR.id, predicate=Predicate.BINDS, object=MITRAGYNINE.id, provenance=PROV)
    Writer(clean_db, on_reject=lambda e, reason: rejected.append(reason)).write(
        [MITRAGYNINE, MOR, bad], atomic=True
    )
    assert "is a receptor, but binds takes alkaloid, drug" in rejected[0]


class SourceBrokeError(RuntimeError):
    pass


def _failing_stream(count: int) -> Any:
    for index in range(count):
        yield Node(
            id=f"PUBCHEM.COMPOUND:{index + 1}",
            category=Category.DRUG,
            name=f"drug {index}",
            source="infores:test",
        )
    raise SourceBrokeError("the source broke midway")


def test_an_atomic_load_that_fails_midway_writes_nothing(clean_db: Driver) -> None:
    with pytest.raises(SourceBrokeError):
        write(clean_db, _failing_stream(250), atomic=True, batch_size=100)
    assert graph_stats(clean_db).node_total == 0


def test_a_batched_load_commits_whole_batches_and_resumes(clean_db: Driver) -> None:
    with pytest.raises(SourceBrokeError):
        write(clean_db, _failing_stream(250), atomic=False, batch_size=100)
    # Whole batches only: 200 committed, the partial third batch is not.
    assert graph_stats(clean_db).node_total == 200
    nodes = [
        Node(
            id=f"PUBCHEM.COMPOUND:{i + 1}",
            category=Category.DRUG,
            name=f"drug {i}",
            source="infores:test",
        )
        for i in range(250)
    ]
    resumed = write(clean_db, nodes, atomic=False, batch_size=100, start_at=200)
    assert resumed.nodes.created == 50
    assert graph_stats(clean_db).node_total == 250


def test_a_database_error_reports_the_resumable_position(clean_db: Driver) -> None:
    # The same id under two categories violates the Entity uniqueness constraint.
    clash = Node(
        id="PUBCHEM.COMPOUND:3034396", category=Category.DRUG, name="clash", source="infores:test"
    )
    stream = [MITRAGYNINE, MOR, clash]
    with pytest.raises(WriteError) as raised:
        write(clean_db, stream, atomic=False, batch_size=2)
    assert raised.value.position == 2
    assert graph_stats(clean_db).node_total == 2
