"""Each record field is declared once (``ontology.fields``); what derives from it follows."""

from __future__ import annotations

import pytest
from pydantic import BaseModel
from strawberry.types.base import get_object_definition
from strawberry.types.private import is_private

from api.graphql.entities import Evidence, Quantity, Relation
from graph import bulk
from loaders import curated_format
from ontology import rdf, table
from ontology.fields import (
    EDGE_FIELDS,
    NODE_FIELDS,
    PROVENANCE_FIELDS,
    FieldSpec,
    edge_property_fields,
    node_property_fields,
)
from ontology.records import Edge, Node, Provenance
from ontology.vocab import Category
from tests.unit.test_records import edge, provenance


@pytest.mark.parametrize(
    ("model", "declared"),
    [(Node, NODE_FIELDS), (Edge, EDGE_FIELDS), (Provenance, PROVENANCE_FIELDS)],
)
def test_every_record_field_is_declared_once_in_order(
    model: type[BaseModel], declared: tuple[FieldSpec, ...]
) -> None:
    assert [spec.name for spec in declared] == list(model.model_fields)


def test_edge_identity_is_every_declared_identifying_field() -> None:
    identifying = {spec.name for spec in EDGE_FIELDS if spec.identifying}
    assert identifying == set(Edge.model_fields) - {"provenance", "note"}
    assert edge(note="a").id == edge(note="b").id
    assert edge(assay="binding").id != edge(assay="functional").id
    assert edge().id == edge(provenance=provenance(source_version="other")).id
    assert edge().id != edge(provenance=provenance(publications=("PMID:1",))).id


def test_the_rdf_properties_are_the_declared_fields() -> None:
    assert [p.field for p in rdf.EDGE_PROPS] == [s.name for s in EDGE_FIELDS if s.rdf]
    assert [p.field for p in rdf.NODE_PROPS] == [s.name for s in NODE_FIELDS][3:]
    assert [p.field for p in rdf.PROVENANCE_PROPS] == list(Provenance.model_fields)
    title = next(p for p in rdf.NODE_PROPS if p.field == "title")
    assert title.iri == "http://purl.org/dc/terms/title"


def _graphql_fields(view: type) -> set[str]:
    definition = get_object_definition(view, strict=True)
    return {f.python_name for f in definition.fields if not is_private(f.type)}


# What the GraphQL types compute rather than show from one field.
_COMPUTED = {
    "Evidence": {"citations", "observed", "measurement", "studies", "study_design"},
    "Quantity": {"unit_symbol", "nanomolar", "text"},
    "Relation": {"id", "biolink_predicate", "direction", "neighbour", "evidence"},
}


def test_the_graphql_evidence_types_show_exactly_the_declared_fields() -> None:
    shown: dict[str, set[str]] = {name: set() for name in _COMPUTED}
    for spec in (*EDGE_FIELDS, *PROVENANCE_FIELDS):
        if spec.graphql_field is not None:
            owner, name = spec.graphql_field
            assert name not in shown[owner], f"{owner}.{name} shows two fields"
            shown[owner].add(name)
    views = {"Evidence": Evidence, "Quantity": Quantity, "Relation": Relation}
    for owner, view in views.items():
        assert _graphql_fields(view) == shown[owner] | _COMPUTED[owner], owner
    hidden = {s.name for s in (*EDGE_FIELDS, *PROVENANCE_FIELDS) if s.graphql_field is None}
    assert hidden == {"provenance", "retrieval_date"}


def test_the_columns_and_stored_properties_are_the_declared_fields() -> None:
    node_names = [s.name for s in node_property_fields()]
    edge_names = [s.name for s in edge_property_fields()]
    assert table.node_columns() == ["id", "category", *node_names, "sources"]
    assert table.edge_columns() == ["id", "subject", "predicate", "object", *edge_names]
    assert [c.key for c in bulk.edge_columns()] == [
        "id",
        "predicate",
        *edge_names,
        "loaded_by",
        "content_hash",
    ]
    study = [c.key for c in bulk.node_columns(Category.STUDY)]
    assert study == [
        *node_names[:6],
        "title",
        *node_names[-9:],
        "sources",
        "loaded_by",
        "content_hash",
    ]
    full = edge(measure="Ki", relation="=", value=1.0, unit="nM", assay="a", note="n", negated=True)
    assert set(full.properties()) <= {"id", "predicate", *edge_names}
    assert {"measure", "note", "negated", "publications", "agent_type"} <= set(full.properties())


def test_the_curated_format_takes_the_declared_fields() -> None:
    assert set(curated_format.PHARMACOLOGY_FIELDS) <= set(curated_format.PHARMACOLOGY_COLUMNS)
    assert set(curated_format.PHARMACOLOGY_FIELDS) >= curated_format.MEASUREMENT_FIELDS
    assert {"unit", "interval"} == curated_format.MEASUREMENT_TEXT_FIELDS
    assert set(curated_format.ENTITY_NODE_FIELDS) == {"formula", "drug_class", "symbol", "taxon"}
    assert set(curated_format.STUDY_NODE_FIELDS) <= curated_format.STUDY_FIELDS
    node_fields = {s.name for s in NODE_FIELDS}
    assert set(curated_format.STUDY_NODE_FIELDS) <= node_fields
    assert {"pmid", "doi", "nct"} == curated_format.STUDY_TEXT_FIELDS
