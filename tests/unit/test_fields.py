"""Each record field is declared once (``ontology.fields``); what derives from it follows."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from ontology import rdf
from ontology.fields import EDGE_FIELDS, NODE_FIELDS, PROVENANCE_FIELDS, FieldSpec
from ontology.records import Edge, Node, Provenance
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
