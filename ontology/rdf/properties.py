"""Record fields as RDF properties: IRI, literal kind, JSON-LD term, closed value lists.

One ``Prop`` per field of ``Node``, ``Provenance`` and ``Edge``; the mapping, the JSON-LD
context, the OWL ontology and the SHACL shapes all read these tables.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum
from typing import Any

from rdflib.term import Node as RdfNode

from ontology.identifiers import iri
from ontology.rdf.terms import (
    DCT_TITLE,
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
from ontology.vocab import (
    PKG,
    AgentType,
    Direction,
    EvidenceKind,
    KnowledgeLevel,
    Measure,
    MechanismResult,
    Relation,
    StudyDesign,
    Unit,
)


def _double(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return repr(value)


class Kind(Enum):
    STRING = "string"
    CURIE = "curie"  # a CURIE written as the IRI it expands to
    INTEGER = "integer"
    DOUBLE = "double"
    BOOLEAN = "boolean"
    DATE = "date"
    YEAR = "gYear"


_DATATYPES = {Kind.INTEGER: XSD_INTEGER, Kind.DOUBLE: XSD_DOUBLE, Kind.BOOLEAN: XSD_BOOLEAN,
              Kind.DATE: XSD_DATE, Kind.YEAR: XSD_YEAR}


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


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def _p(name: str, kind: Kind, comment: str, *, term: str = "", many: bool = False,
       values: tuple[str, ...] = (), slot: str | None = None, iri_: str | None = None
       ) -> Prop:
    target = iri_ or (biolink_slot(slot) if slot else str(PKG_NS[name]))
    return Prop(name, target, kind, comment, term, many, values)


_S, _C = Kind.STRING, Kind.CURIE

# Node fields (``id``, ``category``, ``name`` are written by node_triples itself).
NODE_PROPS: tuple[Prop, ...] = (
    _p("synonyms", _S, "Another name of the entity.", many=True, slot="synonym"),
    _p("xrefs", _C, "The same entity in another database.", many=True, slot="xref"),
    _p("description", _S, "A short description.", slot="description"),
    _p("source", _C, "A knowledge source that provided the entity (an infores IRI).",
       term="provided_by", many=True, slot="provided by"),
    _p("source_version", _S, "The version of the source the record was read from."),
    _p("formula", _S, "The molecular formula.", slot="has chemical formula"),
    _p("inchikey", _S, "The standard InChIKey."),
    _p("drug_class", _S, "The drug's pharmacological class, as written by the curators."),
    _p("symbol", _S, "The HGNC gene symbol of the protein.", slot="symbol"),
    _p("taxon", _C, "The taxon of the protein.", slot="in taxon"),
    _p("title", _S, "The title of the study's report.", iri_=DCT_TITLE),
    _p("design", _S, "The study design.", values=_values(StudyDesign)),
    _p("species", _S, "The species studied, as reported."),
    _p("population", _S, "The strain or human population studied."),
    _p("sample_size", Kind.INTEGER, "The number of subjects or animals, as reported.",
       slot="study size"),
    _p("year", Kind.YEAR, "The year the study was published."),
    _p("summary", _S, "What the study reports, in one or two sentences."),
    _p("pmid", _S, "The PubMed id of the study's report."),
    _p("doi", _S, "The DOI of the study's report."),
    _p("nct", _S, "The ClinicalTrials.gov id of the study."),
)

# Provenance fields, then Edge fields (subject, predicate, object are the statement itself).
PROVENANCE_PROPS: tuple[Prop, ...] = (
    _p("primary_knowledge_source", _C, "The source that first asserted the statement.",
       slot="primary knowledge source"),
    _p("aggregator_knowledge_sources", _C, "A source that passed the statement on.",
       term="aggregator_knowledge_source", many=True,
       slot="aggregator knowledge source"),
    _p("publications", _C, "A publication or source record supporting the statement.",
       many=True, slot="publications"),
    _p("knowledge_level", _S, "How the statement was arrived at (Biolink KnowledgeLevelEnum).",
       values=_values(KnowledgeLevel), slot="knowledge level"),
    _p("agent_type", _S, "What made the statement (Biolink AgentTypeEnum).",
       values=_values(AgentType), slot="agent type"),
    _p("source_version", _S, "The version of the source the record was read from."),
    _p("retrieval_date", Kind.DATE, "The date the source was retrieved."),
)

EDGE_PROPS: tuple[Prop, ...] = (
    _p("measure", _S, "The quantity measured (Ki, Kd, IC50, EC50, Emax, Kb, pA2, pChEMBL, "
                      "KI_inact and kinact of time-dependent inactivation, AUC and Cmax "
                      "geometric mean ratios).", values=_values(Measure)),
    _p("relation", _S, "How the reported value relates to the true one (=, <, >, ~, <=, >=).",
       values=_values(Relation)),
    _p("value", Kind.DOUBLE, "The measured value, in the unit given by pkg:unit."),
    _p("low", Kind.DOUBLE, "The lower end of the value's interval (pkg:interval says which)."),
    _p("high", Kind.DOUBLE, "The upper end of the value's interval (pkg:interval says which)."),
    _p("interval", _S, "What the interval from pkg:low to pkg:high is (90% CI, range, ...)."),
    _p("unit", _S, "The unit of the value: nM, uM, mM, %, 1/min or 1 (dimensionless).",
       values=_values(Unit)),
    _p("relative_to", _S, "The reference a relative value is expressed against (e.g. the "
                          "full agonist of an Emax)."),
    _p("assay", _S, "The assay of the measurement."),
    _p("species", _S, "The species studied, as reported."),
    _p("cell_system", _S, "The cells, tissue or membranes of the assay."),
    _p("source_location", _S, "Where in the publication the finding is (a table or figure)."),
    _p("direction", _S, "The direction of the finding (increased, decreased, no_change, "
                        "mixed).", values=_values(Direction)),
    _p("negated", Kind.BOOLEAN, "True when the statement was tested and not found.",
       slot="negated"),
    _p("effect", _S, "The effect found, as reported."),
    _p("effect_size", _S, "The size of the effect, as reported."),
    _p("evidence_kind", _S, "The kind of evidence: clinical, in_vitro, animal or predicted.",
       values=_values(EvidenceKind)),
    _p("mechanism", _S, "The mechanism proposed for an interaction."),
    _p("tool", _C, "The tool compound a study used to test a mechanism."),
    _p("result", _S, "Whether the tool reversed the effect.", values=_values(MechanismResult)),
    _p("dose", _S, "The dose given, as reported."),
    _p("route", _S, "The route of administration."),
    _p("role", _S, "The role of the compound in the study (test, positive_control, ...)."),
    _p("note", _S, "A curator's note."),
)

IDENTIFIER_COMMENT = "The entity's CURIE (or the edge's id), as used by the API."


Spec = tuple[str, Callable[[Any], str | Lit], bool]  # property IRI, converter, many


def _specs(props: tuple[Prop, ...]) -> dict[str, Spec]:
    return {p.field: (p.iri, CONVERTERS[p.kind], p.many) for p in props}


PROVENANCE_SPECS = _specs(PROVENANCE_PROPS)
EDGE_SPECS = _specs(EDGE_PROPS)
