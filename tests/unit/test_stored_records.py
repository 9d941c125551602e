"""The read path's records, rebuilt without re-validation, equal the validated ones."""

from __future__ import annotations

import pytest

from graph.repository import edge_from_row, node_from_row, stored_edge, stored_node
from loaders.base import Collector
from loaders.curated import iter_records
from loaders.curated_format import DEFAULT_DIR
from ontology.records import Edge, Node


def _records() -> list[Node | Edge]:
    found = list(iter_records(DEFAULT_DIR, Collector()))
    assert any(isinstance(r, Edge) and r.provenance.retrieval_date for r in found)
    return found


RECORDS = _records()


def _round_trip_differs(record: Node | Edge) -> bool:
    props = record.properties()
    if isinstance(record, Node):
        return not stored_node(record.label, props) == record == node_from_row(record.label, props)
    args = (record.subject, record.rel_type, record.object, props)
    return not (
        stored_edge(*args) == record == edge_from_row(*args)
        and stored_edge(*args).id == props["id"]
    )


def test_every_curated_record_comes_back_equal_to_the_validated_one() -> None:
    assert len(RECORDS) > 500
    assert [r.id for r in RECORDS if _round_trip_differs(r)] == []


def test_storage_only_keys_are_dropped_and_unknown_values_refused() -> None:
    node = next(r for r in RECORDS if isinstance(r, Node) and r.design is not None)
    props = {**node.properties(), "loaded_at": "2026-01-01", "hash": "x"}
    assert stored_node(node.label, props) == node
    with pytest.raises(ValueError, match="not_a_design"):
        stored_node(node.label, {**props, "design": "not_a_design"})
    with pytest.raises(ValueError, match="is not a valid"):  # unhashable: the enum's own error
        stored_node(node.label, {**props, "design": ["clinical_trial"]})
    with pytest.raises(ValueError, match="unknown label"):
        stored_node("NoSuchLabel", props)
