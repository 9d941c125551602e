"""Records validate on construction and name the field, the value and what was expected."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from ontology.records import Edge, Node, Provenance
from ontology.vocab import Category, Predicate

MITRAGYNINE = "PUBCHEM.COMPOUND:3034396"
MOR = "UniProtKB:P35372"


def provenance(**overrides: Any) -> Provenance:
    fields: dict[str, Any] = {
        "primary_knowledge_source": "infores:pharmakg",
        "publications": ("PMID:24464759",),
        "knowledge_level": "knowledge_assertion",
        "agent_type": "manual_agent",
        "source_version": "test",
    }
    return Provenance(**{**fields, **overrides})


def edge(**overrides: Any) -> Edge:
    fields: dict[str, Any] = {
        "subject": MITRAGYNINE,
        "predicate": Predicate.AGONIST_OF,
        "object": MOR,
        "provenance": provenance(),
    }
    return Edge(**{**fields, **overrides})


def test_node_with_a_prefix_its_category_does_not_allow_is_rejected() -> None:
    with pytest.raises(ValidationError, match="prefix 'UniProtKB' is not allowed"):
        Node(id=MOR, category=Category.ALKALOID, name="x", source="infores:pharmakg")


def test_node_rejects_attributes_of_another_category() -> None:
    with pytest.raises(ValidationError, match="alkaloid nodes cannot carry design"):
        Node(
            id=MITRAGYNINE,
            category=Category.ALKALOID,
            name="mitragynine",
            source="infores:pharmakg",
            design="in_vitro",
        )


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError, match="colour"):
        Node(id=MITRAGYNINE, category=Category.ALKALOID, name="m", source="infores:x", colour="red")


def test_records_are_frozen() -> None:
    node = Node(id=MITRAGYNINE, category=Category.ALKALOID, name="m", source="infores:x")
    with pytest.raises(ValidationError):
        node.name = "other"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"publications": ()}, "at least 1 item"),
        ({"primary_knowledge_source": "chembl"}, "not an infores CURIE"),
        ({"knowledge_level": "hearsay"}, "knowledge_assertion"),
        ({"source_version": None}, "source_version or a retrieval_date"),
        ({"publications": ("PUBMED:1",)}, "unknown CURIE prefix 'PUBMED'"),
    ],
)
def test_provenance_is_required_and_checked(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        provenance(**fields)


def test_a_quantity_needs_its_unit() -> None:
    with pytest.raises(ValidationError, match=r"missing \['unit'\]"):
        edge(measure="Ki", value=233.0)


def test_a_unit_must_fit_the_measure() -> None:
    with pytest.raises(ValidationError, match="Emax cannot be in 'nM'"):
        edge(measure="Emax", value=80.0, unit="nM")


def test_interactions_need_an_evidence_kind() -> None:
    with pytest.raises(ValidationError, match="evidence_kind"):
        edge(predicate=Predicate.INTERACTS_WITH, object="PUBCHEM.COMPOUND:4192")


def test_mechanism_tests_need_a_result() -> None:
    with pytest.raises(ValidationError, match="need a result"):
        edge(subject="PMID:24464759", predicate=Predicate.TESTS_MECHANISM)


def test_edge_id_is_stable_and_separates_sources() -> None:
    first = edge(measure="Ki", value=233.0, unit="nM")
    assert first.id == edge(measure="Ki", value=233.0, unit="nM").id
    other_source = edge(
        measure="Ki", value=233.0, unit="nM", provenance=provenance(publications=("PMID:27192616",))
    )
    assert first.id != other_source.id


def test_edge_properties_are_flat_with_provenance_inlined() -> None:
    props = edge(measure="Ki", value=233.0, unit="nM").properties()
    assert props["publications"] == ["PMID:24464759"]
    assert props["primary_knowledge_source"] == "infores:pharmakg"
    assert props["predicate"] == "agonist_of"
    assert all(not isinstance(v, dict) for v in props.values())


def test_id_properties_and_digest_are_computed_once_and_afresh_on_a_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    digests: list[bytes] = []
    real = hashlib.sha256

    def counted(data: bytes) -> Any:
        digests.append(data)
        return real(data)

    monkeypatch.setattr(hashlib, "sha256", counted)
    record = edge(measure="Ki", value=233.0, unit="nM")
    for _ in range(3):
        assert record.properties()["id"] == record.id
        assert record.digest == record.digest
    assert len(digests) == 2  # the id once, the digest once
    moved = record.model_copy(update={"object": "UniProtKB:P41145"})
    assert moved.id != record.id
    assert moved.properties()["id"] == moved.id
    assert moved.digest != record.digest
    assert moved.id == edge(measure="Ki", value=233.0, unit="nM", object="UniProtKB:P41145").id
    assert record == edge(measure="Ki", value=233.0, unit="nM")  # cached values are not fields
    props = record.properties()
    props["id"] = "changed"
    assert record.properties()["id"] == record.id  # each call gets its own dict


@given(
    value=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    unit=st.sampled_from(["nM", "uM", "mM"]),
)
def test_any_concentration_round_trips_through_properties(value: float, unit: str) -> None:
    record = edge(measure="Ki", value=value, unit=unit)
    props = record.properties()
    assert props["value"] == value
    assert props["unit"] == unit
    rebuilt = Edge(
        subject=MITRAGYNINE,
        predicate=Predicate.AGONIST_OF,
        object=MOR,
        provenance=record.provenance,
        measure="Ki",
        value=props["value"],
        unit=props["unit"],
    )
    assert rebuilt == record


@given(st.text(min_size=1, max_size=30))
def test_arbitrary_text_is_never_accepted_as_a_pubchem_id(local: str) -> None:
    curie = f"PUBCHEM.COMPOUND:{local}"
    if local.isascii() and local.isdigit():
        Node(id=curie, category=Category.ALKALOID, name="x", source="infores:x")
    else:
        with pytest.raises(ValidationError):
            Node(id=curie, category=Category.ALKALOID, name="x", source="infores:x")


def test_measurements_differing_only_in_unit_are_two_edges() -> None:
    nanomolar = edge(measure="Ki", value=10, unit="nM")
    micromolar = edge(measure="Ki", value=10, unit="uM")
    assert nanomolar.id != micromolar.id


@pytest.mark.parametrize(
    "field", ["relative_to", "source_location", "species", "assay", "cell_system", "relation"]
)
def test_every_field_that_tells_findings_apart_changes_the_id(field: str) -> None:
    value = "=" if field == "relation" else "x"
    base = edge(measure="Emax", value=40, unit="%", relation="<" if field == "relation" else None)
    assert edge(measure="Emax", value=40, unit="%", **{field: value}).id != base.id


def test_a_corrected_note_keeps_the_edge_id() -> None:
    assert edge(note="first wording").id == edge(note="corrected wording").id


def test_a_range_without_a_point_value_is_a_measurement() -> None:
    ranged = edge(measure="Ki", low=5, high=50, interval="range", unit="nM")
    assert (ranged.value, ranged.low, ranged.high) == (None, 5, 50)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"low": 5, "unit": "nM", "measure": "Ki", "interval": "range"}, "needs low, high"),
        ({"low": 9, "high": 2, "unit": "nM", "measure": "Ki", "interval": "range"}, "above high"),
        (
            {
                "value": 1,
                "low": 2,
                "high": 3,
                "unit": "1",
                "measure": "AUC_GMR",
                "interval": "90% CI",
            },
            "outside its interval",
        ),
        ({"measure": "Ki", "unit": "nM"}, "missing"),
        ({"measure": "kinact", "value": 0.07, "unit": "uM"}, "kinact cannot be in"),
    ],
)
def test_bad_intervals_and_quantities_are_rejected(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        edge(**fields)
