"""Record fields as RDF properties: IRI, literal kind, JSON-LD term, closed value lists.

One ``Prop`` per field of ``Node``, ``Provenance`` and ``Edge``; the mapping, the JSON-LD
context, the OWL ontology and the SHACL shapes all read these tables.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from rdflib.term import Node as RdfNode

from ontology.fields import EDGE_FIELDS, NODE_FIELDS, PROVENANCE_FIELDS, FieldSpec, Kind
from ontology.identifiers import iri
from ontology.rdf.terms import (
    PKG_NS,
    XSD_BOOLEAN,
    XSD_DATE,
    XSD_DOUBLE,
    XSD_INTEGER,
    XSD_YEAR,
    Lit,
    biolink_slot,
    curie_of,
)
from ontology.vocab import PKG


def _double(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return repr(value)


_DATATYPES = {
    Kind.INTEGER: XSD_INTEGER,
    Kind.DOUBLE: XSD_DOUBLE,
    Kind.BOOLEAN: XSD_BOOLEAN,
    Kind.DATE: XSD_DATE,
    Kind.YEAR: XSD_YEAR,
}


@dataclass(frozen=True)
class Prop:
    """One record field as an RDF property (and JSON-LD term, SHACL and OWL property)."""

    field: str  # the record field
    iri: str
    kind: Kind
    comment: str
    term: str = ""  # the JSON-LD term; the field name when empty
    many: bool = False
    values: tuple[str, ...] = ()  # a closed list of values (SHACL sh:in)

    @property
    def name(self) -> str:
        return self.term or self.field

    @property
    def datatype(self) -> str | None:
        return _DATATYPES.get(self.kind)

    @property
    def own(self) -> bool:
        return self.iri.startswith(PKG)

    def obj(self, value: Any) -> str | Lit:
        return CONVERTERS[self.kind](value)

    def value(self, obj: RdfNode) -> Any:
        """The record value of an rdflib term (the inverse of ``obj``)."""
        if self.kind is Kind.CURIE:
            return curie_of(str(obj))
        text = str(obj)
        if self.kind is Kind.DOUBLE:
            return float(text)
        if self.kind is Kind.BOOLEAN:
            return text in ("true", "1")
        if self.kind in (Kind.INTEGER, Kind.YEAR):
            return int(text)
        if self.kind is Kind.DATE:
            return date.fromisoformat(text)
        return text


_new = tuple.__new__  # builds a Lit without NamedTuple's Python-level __new__ (hot path)
_TRUE, _FALSE = Lit("true", XSD_BOOLEAN), Lit("false", XSD_BOOLEAN)


def _string(value: Any) -> Lit:
    return _new(Lit, (value.value if isinstance(value, StrEnum) else str(value), None))


def _date(value: Any) -> Lit:
    return _new(Lit, (value.isoformat() if isinstance(value, date) else str(value), XSD_DATE))


CONVERTERS: dict[Kind, Callable[[Any], str | Lit]] = {
    Kind.STRING: _string,
    Kind.CURIE: iri,
    Kind.DOUBLE: lambda v: _new(Lit, (_double(v), XSD_DOUBLE)),
    Kind.BOOLEAN: lambda v: _TRUE if v else _FALSE,
    Kind.DATE: _date,
    Kind.INTEGER: lambda v: _new(Lit, (str(int(v)), XSD_INTEGER)),
    Kind.YEAR: lambda v: _new(Lit, (str(int(v)), XSD_YEAR)),
}


def _prop(spec: FieldSpec) -> Prop:
    target = spec.iri or (biolink_slot(spec.slot) if spec.slot else str(PKG_NS[spec.name]))
    return Prop(spec.name, target, spec.kind, spec.comment, spec.term, spec.many, spec.values)


def _props(fields: tuple[FieldSpec, ...]) -> tuple[Prop, ...]:
    """The fields written as RDF properties of their own (``ontology.fields``)."""
    return tuple(_prop(spec) for spec in fields if spec.rdf)


# Node fields (``id``, ``category``, ``name`` are written by node_triples itself), provenance
# fields, then Edge fields (subject, predicate, object are the statement itself).
NODE_PROPS = _props(NODE_FIELDS)
PROVENANCE_PROPS = _props(PROVENANCE_FIELDS)
EDGE_PROPS = _props(EDGE_FIELDS)

IDENTIFIER_COMMENT = "The entity's CURIE (or the edge's id), as used by the API."


Spec = tuple[str, Callable[[Any], str | Lit], bool]  # property IRI, converter, many


def _specs(props: tuple[Prop, ...]) -> dict[str, Spec]:
    return {p.field: (p.iri, CONVERTERS[p.kind], p.many) for p in props}


PROVENANCE_SPECS = _specs(PROVENANCE_PROPS)
EDGE_SPECS = _specs(EDGE_PROPS)
