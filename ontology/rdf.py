"""PharmaKG records as RDF: one mapping, rdflib for small parts, streaming writers for dumps.

Every record becomes a list of triples made of plain values (IRIs are ``str``, literals are
``Lit``), so a full dump creates no rdflib object per term and runs in constant memory. The same
triples feed rdflib (``to_graph``) for small parts and any rdflib format, and the streaming
writers (N-Triples, N-Quads, Turtle, TriG, JSON-LD, RDF/XML) for dumps.

IRIs:
- entities: the IRI of their CURIE (``ontology.identifiers.iri``, the one CURIE-to-IRI map);
- categories: our class (``pkg:Alkaloid``) and its Biolink class (``biolink:SmallMolecule``);
- predicates: the Biolink slot where it says exactly what we mean, else our own term, declared
  ``rdfs:subPropertyOf`` the Biolink slot in ``ontology/pharmakg.owl.ttl``;
- properties: Biolink slots (honouring their ``slot_uri``: name is rdfs:label, description
  dct:description, subject/predicate/object rdf:subject/predicate/object), else ours.

Edges: the direct triple ``subject predicate object`` plus an association node
``<https://w3id.org/pharmakg/id/edge/{id}>`` typed biolink:Association and rdf:Statement, with
rdf:subject/predicate/object and every edge property. With ``star=True`` the association node
instead ``rdf:reifies <<( subject predicate object )>>`` (RDF 1.2 triple terms).

Run ``python -m ontology.rdf`` to regenerate ``ontology/context.jsonld``,
``ontology/pharmakg.owl.ttl`` and ``ontology/shapes.ttl``; the tests fail when they are stale.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node as RdfNode

from ontology import biolink
from ontology.identifiers import CurieError, compress, iri, is_curie, prefixes, safe_iri
from ontology.records import ATTRIBUTE_FIELDS, Edge, Node, Provenance
from ontology.vocab import (
    BASE,
    CATEGORIES,
    PKG,
    PKG_ENTITY,
    PREDICATES,
    AgentType,
    Category,
    Direction,
    EvidenceKind,
    KnowledgeLevel,
    Measure,
    MechanismResult,
    Predicate,
    Relation,
    StudyDesign,
    Unit,
)

# -- namespaces ------------------------------------------------------------------------------

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
SH = "http://www.w3.org/ns/shacl#"
FOAF = "http://xmlns.com/foaf/0.1/"
BIOLINK = biolink.BIOLINK

EDGE_NS = PKG_ENTITY + "edge/"
ONTOLOGY_IRI = BASE + "vocab"
SHAPES_IRI = BASE + "shapes"
SHAPES_NS = SHAPES_IRI + "#"
DATASET_IRI = BASE + "dataset"
CONTEXT_URL = BASE + "context.jsonld"
PAGE_NS = BASE + "entity/"  # an entity's page (HTML or RDF by content negotiation)
FORMATS_NS = "http://www.w3.org/ns/formats/"

RDF_TYPE = RDF + "type"
RDF_STATEMENT = RDF + "Statement"
RDF_SUBJECT = RDF + "subject"
RDF_PREDICATE = RDF + "predicate"
RDF_OBJECT = RDF + "object"
RDF_REIFIES = RDF + "reifies"
RDFS_LABEL = RDFS + "label"
RDFS_COMMENT = RDFS + "comment"
RDFS_SUBCLASS = RDFS + "subClassOf"
RDFS_SUBPROPERTY = RDFS + "subPropertyOf"
RDFS_DEFINED_BY = RDFS + "isDefinedBy"
DCT_IDENTIFIER = DCTERMS + "identifier"
ASSOCIATION = BIOLINK + "Association"
FOAF_PAGE = FOAF + "page"

ARTIFACTS = Path(__file__).resolve().parent
CONTEXT_FILE = ARTIFACTS / "context.jsonld"
OWL_FILE = ARTIFACTS / "pharmakg.owl.ttl"
SHAPES_FILE = ARTIFACTS / "shapes.ttl"

# Prefixes used in Turtle, JSON-LD and RDF/XML, besides the CURIE prefixes of identifiers.
NAMESPACES: dict[str, str] = {
    "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "dcterms": DCTERMS, "dcat": DCAT,
    "void": VOID, "foaf": FOAF, "biolink": BIOLINK, "pkg": PKG, "edge": EDGE_NS,
}


# -- terms -----------------------------------------------------------------------------------


class Lit(NamedTuple):
    """A literal: its lexical form and datatype IRI (None: a plain xsd:string)."""

    lexical: str
    datatype: str | None = None


class TripleTerm(NamedTuple):
    """An RDF 1.2 triple term ``<<( s p o )>>`` (only written with ``star=True``)."""

    s: str
    p: str
    o: str | Lit


Obj = str | Lit | TripleTerm
Triple = tuple[str, str, Obj]

def curie_of(value: str) -> str:
    """The CURIE of one of our IRIs (the inverse of ``iri``)."""
    if value.startswith(EDGE_NS):
        raise CurieError(f"{value} is an edge, not an entity")
    curie = compress(value)
    if curie is None:
        raise CurieError(f"{value} is in none of the known namespaces")
    return curie


def page_iri(curie: str) -> str:
    """The entity's page in the API (``/entity/{curie}``), under the minted base."""
    return safe_iri(PAGE_NS + curie)


def edge_iri(edge_id: str) -> str:
    return EDGE_NS + edge_id


def _double(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return repr(value)


def _slot(name: str) -> str:
    """The IRI of a Biolink slot, honouring its ``slot_uri`` (name is rdfs:label, ...)."""
    model = biolink.model()
    slot = model["slots"].get(name)
    if slot is None:
        raise KeyError(f"Biolink {biolink.version()} has no slot {name!r}")
    uri: str | None = slot.get("slot_uri")
    if uri:
        prefix, local = uri.split(":", 1)
        return str(model["prefixes"].get(prefix) or NAMESPACES[prefix]) + local
    return BIOLINK + name.replace(" ", "_")


def _biolink_class(name: str) -> str:
    if name not in biolink.model()["classes"]:
        raise KeyError(f"Biolink {biolink.version()} has no class {name!r}")
    return BIOLINK + "".join(word[0].upper() + word[1:] for word in name.split())


# -- the vocabulary: classes, predicates, properties -----------------------------------------

_CATEGORY_COMMENTS = {
    Category.ALKALOID: "A plant alkaloid, such as the indole alkaloids of kratom (Mitragyna "
                       "speciosa), as a small molecule.",
    Category.DRUG: "A drug or reference compound, used clinically or as a pharmacological tool.",
    Category.RECEPTOR: "A receptor protein (the human gene product unless a taxon says "
                       "otherwise).",
    Category.ENZYME: "An enzyme protein, such as a drug-metabolising cytochrome P450.",
    Category.TRANSPORTER: "A transporter protein (a carrier or pump), such as P-glycoprotein.",
    Category.ION_CHANNEL: "An ion channel protein that is not a receptor, such as a "
                          "voltage-gated sodium channel.",
    Category.PROTEIN: "A protein target that its source classes as neither a receptor, an "
                      "enzyme, a transporter nor an ion channel.",
    Category.TARGET_FAMILY: "A family of targets, as classified by the IUPHAR/BPS Guide to "
                            "Pharmacology where it has an entry.",
    Category.CONDITION: "A disease or phenotypic feature.",
    Category.OUTCOME_MEASURE: "A variable a study measures (for example open-arm time in the "
                              "elevated plus maze), linked to the conditions it informs on.",
    Category.STUDY: "A study reported in the literature or registered as a trial, with its "
                    "design, species, population and size.",
    Category.ORGANISM: "An organism taxon, such as the kratom plant.",
}

_PREDICATE_COMMENTS = {
    Predicate.CONTAINS: "The organism contains the compound (a constituent reported in it).",
    Predicate.BINDS: "The compound binds the target (a measured affinity, action unspecified).",
    Predicate.AGONIST_OF: "The compound is a full agonist of the target.",
    Predicate.PARTIAL_AGONIST_OF: "The compound is a partial agonist of the target.",
    Predicate.ANTAGONIST_OF: "The compound is an antagonist of the target.",
    Predicate.INVERSE_AGONIST_OF: "The compound is an inverse agonist of the target.",
    Predicate.INHIBITS: "The compound inhibits the target's activity (for example a CYP "
                        "enzyme).",
    Predicate.INDUCES: "The compound induces the target (for example the expression of a CYP "
                       "enzyme).",
    Predicate.METABOLIZED_BY: "The compound is a substrate of the enzyme.",
    Predicate.METABOLIZED_TO: "The compound is metabolised to the other compound.",
    Predicate.MEMBER_OF: "The target is a member of the target family.",
    Predicate.SUBCLASS_OF: "The condition is a subclass of the other condition (is-a).",
    Predicate.INVESTIGATES: "The study gave or tested the compound or organism (an "
                            "intervention, with its dose, route and role).",
    Predicate.MEASURES: "The study measured the outcome, with the direction and effect found.",
    Predicate.OUTCOME_OF: "The outcome measure informs on the condition.",
    Predicate.TESTS_MECHANISM: "The study tested whether the target mediates its effect (for "
                               "example with an antagonist tool), with the result.",
    Predicate.TREATS: "The drug treats the condition.",
    Predicate.INTERACTS_WITH: "An interaction between two compounds (or an organism's "
                              "preparation and a compound), with its evidence kind.",
    Predicate.ADVERSE_EFFECT: "The compound or organism was reported with the adverse effect.",
}


def category_label(category: Category) -> str:
    return category.value.replace("_", " ")


def class_iri(category: Category) -> str:
    return PKG + CATEGORIES[category].label


def biolink_class_iri(category: Category) -> str:
    return _biolink_class(CATEGORIES[category].biolink)


def predicate_iri(predicate: Predicate) -> str:
    """Our own term where Biolink's slot is broader, else the Biolink slot."""
    info = PREDICATES[predicate]
    return PKG + predicate.value if info.own_term else _slot(info.biolink)


def biolink_predicate_iri(predicate: Predicate) -> str:
    return _slot(PREDICATES[predicate].biolink)


class Kind(Enum):
    STRING = "string"
    CURIE = "curie"  # a CURIE written as the IRI it expands to
    INTEGER = "integer"
    DOUBLE = "double"
    BOOLEAN = "boolean"
    DATE = "date"
    YEAR = "gYear"


_DATATYPES = {Kind.INTEGER: XSD + "integer", Kind.DOUBLE: XSD + "double",
              Kind.BOOLEAN: XSD + "boolean", Kind.DATE: XSD + "date", Kind.YEAR: XSD + "gYear"}


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
        return _CONVERTERS[self.kind](value)

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
_XSD_DOUBLE, _XSD_BOOLEAN, _XSD_DATE = XSD + "double", XSD + "boolean", XSD + "date"
_TRUE, _FALSE = Lit("true", _XSD_BOOLEAN), Lit("false", _XSD_BOOLEAN)


def _string(value: Any) -> Lit:
    return _new(Lit, (value.value if isinstance(value, StrEnum) else str(value), None))


def _date(value: Any) -> Lit:
    return _new(Lit, (value.isoformat() if isinstance(value, date) else str(value), _XSD_DATE))


_CONVERTERS: dict[Kind, Callable[[Any], str | Lit]] = {
    Kind.STRING: _string,
    Kind.CURIE: iri,
    Kind.DOUBLE: lambda v: _new(Lit, (_double(v), _XSD_DOUBLE)),
    Kind.BOOLEAN: lambda v: _TRUE if v else _FALSE,
    Kind.DATE: _date,
    Kind.INTEGER: lambda v: _new(Lit, (str(int(v)), XSD + "integer")),
    Kind.YEAR: lambda v: _new(Lit, (str(int(v)), XSD + "gYear")),
}


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def _p(name: str, kind: Kind, comment: str, *, term: str = "", many: bool = False,
       values: tuple[str, ...] = (), biolink_slot: str | None = None, iri_: str | None = None
       ) -> Prop:
    target = iri_ or (_slot(biolink_slot) if biolink_slot else PKG + name)
    return Prop(name, target, kind, comment, term, many, values)


_S, _C = Kind.STRING, Kind.CURIE

# Node fields (``id``, ``category``, ``name`` are written by node_triples itself).
NODE_PROPS: tuple[Prop, ...] = (
    _p("synonyms", _S, "Another name of the entity.", many=True, biolink_slot="synonym"),
    _p("xrefs", _C, "The same entity in another database.", many=True, biolink_slot="xref"),
    _p("description", _S, "A short description.", biolink_slot="description"),
    _p("source", _C, "A knowledge source that provided the entity (an infores IRI).",
       term="provided_by", many=True, biolink_slot="provided by"),
    _p("source_version", _S, "The version of the source the record was read from."),
    _p("formula", _S, "The molecular formula.", biolink_slot="has chemical formula"),
    _p("inchikey", _S, "The standard InChIKey."),
    _p("drug_class", _S, "The drug's pharmacological class, as written by the curators."),
    _p("symbol", _S, "The HGNC gene symbol of the protein.", biolink_slot="symbol"),
    _p("taxon", _C, "The taxon of the protein.", biolink_slot="in taxon"),
    _p("title", _S, "The title of the study's report.", iri_=DCTERMS + "title"),
    _p("design", _S, "The study design.", values=_values(StudyDesign)),
    _p("species", _S, "The species studied, as reported."),
    _p("population", _S, "The strain or human population studied."),
    _p("sample_size", Kind.INTEGER, "The number of subjects or animals, as reported.",
       biolink_slot="study size"),
    _p("year", Kind.YEAR, "The year the study was published."),
    _p("summary", _S, "What the study reports, in one or two sentences."),
    _p("pmid", _S, "The PubMed id of the study's report."),
    _p("doi", _S, "The DOI of the study's report."),
    _p("nct", _S, "The ClinicalTrials.gov id of the study."),
)

# Provenance fields, then Edge fields (subject, predicate, object are the statement itself).
PROVENANCE_PROPS: tuple[Prop, ...] = (
    _p("primary_knowledge_source", _C, "The source that first asserted the statement.",
       biolink_slot="primary knowledge source"),
    _p("aggregator_knowledge_sources", _C, "A source that passed the statement on.",
       term="aggregator_knowledge_source", many=True,
       biolink_slot="aggregator knowledge source"),
    _p("publications", _C, "A publication or source record supporting the statement.",
       many=True, biolink_slot="publications"),
    _p("knowledge_level", _S, "How the statement was arrived at (Biolink KnowledgeLevelEnum).",
       values=_values(KnowledgeLevel), biolink_slot="knowledge level"),
    _p("agent_type", _S, "What made the statement (Biolink AgentTypeEnum).",
       values=_values(AgentType), biolink_slot="agent type"),
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
       biolink_slot="negated"),
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

_NODE_BY_FIELD = {p.field: p for p in NODE_PROPS}
_IDENTIFIER_COMMENT = "The entity's CURIE (or the edge's id), as used by the API."


# -- records -> triples ----------------------------------------------------------------------


@cache
def _category_types() -> dict[Category, tuple[str, str]]:
    return {c: (class_iri(c), biolink_class_iri(c)) for c in Category}


@cache
def _predicate_iris() -> dict[Predicate, str]:
    return {p: predicate_iri(p) for p in Predicate}


def node_triples(node: Node, sources: Iterable[str] = ()) -> list[Triple]:
    """A node's triples; ``sources`` are further infores that contributed to it (storage)."""
    s = iri(node.id)
    ours, theirs = _category_types()[node.category]
    out: list[Triple] = [(s, RDF_TYPE, ours), (s, RDF_TYPE, theirs),
                         (s, RDFS_LABEL, Lit(node.name)), (s, DCT_IDENTIFIER, Lit(node.id)),
                         (s, FOAF_PAGE, page_iri(node.id))]
    for prop in NODE_PROPS:
        value = getattr(node, prop.field)
        if value is None:
            continue
        if prop.field == "source":
            out += [(s, prop.iri, iri(v)) for v in sorted({value, *sources})]
        elif prop.field == "taxon" and not is_curie(value):
            out.append((s, PKG + "taxon", Lit(value)))
        elif prop.many:
            out += [(s, prop.iri, prop.obj(v)) for v in value]
        else:
            out.append((s, prop.iri, prop.obj(value)))
    return out


def edge_triples(edge: Edge, edge_id: str | None = None, *, star: bool = False) -> list[Triple]:
    """The direct triple, then the association node with every property of the edge.

    A negated edge (tested and not found) is only its association node: asserting its direct
    triple would state the opposite of its source.
    """
    e = edge_iri(edge_id or edge.id)
    s, p, o = iri(edge.subject), _predicate_iris()[edge.predicate], iri(edge.object)
    out: list[Triple] = [] if edge.negated else [(s, p, o)]
    if star:
        out += [(e, RDF_TYPE, ASSOCIATION), (e, RDF_REIFIES, TripleTerm(s, p, o))]
    else:
        out += [(e, RDF_TYPE, ASSOCIATION), (e, RDF_TYPE, RDF_STATEMENT),
                (e, RDF_SUBJECT, s), (e, RDF_PREDICATE, p), (e, RDF_OBJECT, o)]
    out.append((e, DCT_IDENTIFIER, Lit(edge_id or edge.id)))
    _add_props(out, e, edge.provenance, _PROVENANCE_SPECS)
    _add_props(out, e, edge, _EDGE_SPECS)
    return out


Spec = tuple[str, Callable[[Any], str | Lit], bool]  # property IRI, converter, many


def _specs(props: tuple[Prop, ...]) -> dict[str, Spec]:
    return {p.field: (p.iri, _CONVERTERS[p.kind], p.many) for p in props}


_PROVENANCE_SPECS = _specs(PROVENANCE_PROPS)
_EDGE_SPECS = _specs(EDGE_PROPS)


def _add_props(out: list[Triple], subject: str, record: Provenance | Edge,
               specs: dict[str, Spec]) -> None:
    for name, value in record.__dict__.items():
        if value is None:
            continue
        spec = specs.get(name)
        if spec is None:  # the statement's own fields (subject, predicate, ...)
            continue
        target, convert, many = spec
        if many:
            out += [(subject, target, convert(v)) for v in value]
        else:
            out.append((subject, target, convert(value)))


def label_triples(node: Node) -> list[Triple]:
    """A neighbour named on an entity page: its types, label and CURIE only."""
    s = iri(node.id)
    ours, theirs = _category_types()[node.category]
    return [(s, RDF_TYPE, ours), (s, RDF_TYPE, theirs), (s, RDFS_LABEL, Lit(node.name)),
            (s, DCT_IDENTIFIER, Lit(node.id))]


# -- triples -> records (the inverse, for imports and the lossless round-trip tests) ---------


def read_records(graph: Graph) -> tuple[list[tuple[Node, tuple[str, ...]]], list[Edge]]:
    """Rebuild the nodes (with every provided_by source) and edges of an rdflib graph."""
    by_class = {URIRef(class_iri(c)): c for c in Category}
    nodes: list[tuple[Node, tuple[str, ...]]] = []
    for cls, category in by_class.items():
        for subject in graph.subjects(URIRef(RDF_TYPE), cls):
            fields: dict[str, Any] = {"category": category}
            fields["id"] = str(graph.value(subject, URIRef(DCT_IDENTIFIER)))
            fields["name"] = str(graph.value(subject, URIRef(RDFS_LABEL)))
            sources: tuple[str, ...] = ()
            for prop in NODE_PROPS:
                found = sorted(prop.value(v) for v in graph.objects(subject, URIRef(prop.iri)))
                if prop.field == "source":
                    sources = tuple(found)
                    fields["source"] = found[0] if found else None
                elif found:
                    fields[prop.field] = tuple(found) if prop.many else found[0]
            taxon = graph.value(subject, URIRef(PKG + "taxon"))
            if taxon is not None:
                fields["taxon"] = str(taxon)
            nodes.append((Node(**fields), sources))
    edges = [_read_edge(graph, e) for e in graph.subjects(URIRef(RDF_TYPE), URIRef(ASSOCIATION))]
    return nodes, edges


def _read_edge(graph: Graph, e: RdfNode) -> Edge:
    by_iri = {URIRef(iri_): p for p, iri_ in _predicate_iris().items()}
    predicate = by_iri[URIRef(str(graph.value(e, URIRef(RDF_PREDICATE))))]
    subject = curie_of(str(graph.value(e, URIRef(RDF_SUBJECT))))
    obj = curie_of(str(graph.value(e, URIRef(RDF_OBJECT))))
    provenance = _read_props(graph, e, PROVENANCE_PROPS)
    fields = _read_props(graph, e, EDGE_PROPS)
    return Edge(subject=subject, predicate=predicate, object=obj,
                provenance=Provenance(**provenance), **fields)


def _read_props(graph: Graph, subject: RdfNode, props: tuple[Prop, ...]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for prop in props:
        found = sorted(prop.value(v) for v in graph.objects(subject, URIRef(prop.iri)))
        if found:
            fields[prop.field] = tuple(found) if prop.many else found[0]
    return fields


# -- the vocabulary block, the dataset description -------------------------------------------


def vocabulary_triples() -> list[Triple]:
    """Our classes and predicates with labels and their Biolink terms (in every export)."""
    out: list[Triple] = []
    for category in Category:
        ours, theirs = _category_types()[category]
        out += [(ours, RDF_TYPE, OWL + "Class"), (ours, RDFS_LABEL, Lit(category_label(category))),
                (ours, RDFS_SUBCLASS, theirs), (ours, RDFS_DEFINED_BY, ONTOLOGY_IRI),
                (theirs, RDF_TYPE, OWL + "Class"),
                (theirs, RDFS_LABEL, Lit(CATEGORIES[category].biolink))]
    for predicate in Predicate:
        info = PREDICATES[predicate]
        p, bp = predicate_iri(predicate), biolink_predicate_iri(predicate)
        out += [(p, RDF_TYPE, OWL + "ObjectProperty"),
                (p, RDFS_LABEL, Lit(predicate.value.replace("_", " ") if info.own_term
                                    else info.biolink))]
        if info.own_term:
            out += [(p, RDFS_SUBPROPERTY, bp), (p, RDFS_DEFINED_BY, ONTOLOGY_IRI),
                    (bp, RDF_TYPE, OWL + "ObjectProperty"), (bp, RDFS_LABEL, Lit(info.biolink))]
    return _dedupe(out)


def _dedupe(triples: Iterable[Triple]) -> list[Triple]:
    return list(dict.fromkeys(triples))


@dataclass
class SourceSummary:
    versions: set[str] = field(default_factory=set)
    retrieved: set[date] = field(default_factory=set)


@dataclass
class Summary:
    """What an export wrote, counted as it streams (bounded by the vocabulary and sources)."""

    triples: int = 0
    nodes: Counter[Category] = field(default_factory=Counter)
    edges: Counter[Predicate] = field(default_factory=Counter)
    asserted: Counter[Predicate] = field(default_factory=Counter)  # direct triples written
    spaces: Counter[str] = field(default_factory=Counter)  # entities per CURIE prefix
    examples: dict[Category, str] = field(default_factory=dict)  # the least id per category
    sources: dict[str, SourceSummary] = field(default_factory=dict)

    @property
    def node_total(self) -> int:
        return sum(self.nodes.values())

    @property
    def edge_total(self) -> int:
        return sum(self.edges.values())

    def source(self, infores: str, version: str | None, retrieved: date | None = None) -> None:
        entry = self.sources.get(infores)
        if entry is None:
            entry = self.sources[infores] = SourceSummary()
        if version:
            entry.versions.add(version)
        if retrieved:
            entry.retrieved.add(retrieved)


@dataclass(frozen=True)
class DatasetInfo:
    """What the VoID/DCAT description of an export states besides the counts."""

    version: str
    created: date
    license: str = "https://spdx.org/licenses/MIT"
    title: str = "PharmaKG"
    description: str = ("An open pharmacology knowledge graph of kratom alkaloids, their "
                        "targets and the studies behind them.")
    selection: str = "the whole graph"
    homepage: str | None = None


def dataset_triples(summary: Summary, info: DatasetInfo, fmt: Format | None = None
                    ) -> list[Triple]:
    """The VoID/DCAT description of an export: version, licence, sources, counts, date."""
    d = DATASET_IRI
    out: list[Triple] = [
        (d, RDF_TYPE, VOID + "Dataset"), (d, RDF_TYPE, DCAT + "Dataset"),
        (d, DCTERMS + "title", Lit(info.title)),
        (d, DCTERMS + "description", Lit(f"{info.description} This file: {info.selection}.")),
        (d, DCAT + "version", Lit(info.version)),
        (d, DCTERMS + "license", info.license),
        (d, DCTERMS + "created", Lit(info.created.isoformat(), XSD + "date")),
        (d, DCTERMS + "conformsTo", SHAPES_IRI),
        (d, VOID + "vocabulary", BIOLINK), (d, VOID + "vocabulary", PKG),
        # Entities keep their sources' IRIs: one subset per URI space, below. Any IRI can be
        # looked up (``/lookup?uri=``); the dumps are the API's exports.
        (d, VOID + "uriLookupEndpoint", BASE + "lookup"),
        (d, VOID + "rootResource", DATASET_IRI),
        (d, VOID + "entities", Lit(str(summary.node_total + summary.edge_total),
                                   XSD + "integer")),
        (d, VOID + "classes", Lit(str(len(summary.nodes)), XSD + "integer")),
        (d, VOID + "properties", Lit(str(len(summary.asserted)), XSD + "integer")),
    ]
    out += [(d, VOID + "dataDump", f"{BASE}rdf/export?format={name}") for name in FORMATS]
    out += [(d, VOID + "exampleResource", iri(summary.examples[c]))
            for c in sorted(summary.examples)]
    for prefix in sorted(summary.spaces):
        space = f"{d}/space/{prefix}"
        out += [(d, VOID + "subset", space), (space, RDF_TYPE, VOID + "Dataset"),
                (space, VOID + "uriSpace", Lit(prefixes()[prefix].iri_base)),
                (space, VOID + "entities", Lit(str(summary.spaces[prefix]), XSD + "integer"))]
    out += [(d, VOID + "subset", f"{d}/space/edges"),
            (f"{d}/space/edges", RDF_TYPE, VOID + "Dataset"),
            (f"{d}/space/edges", VOID + "uriSpace", Lit(EDGE_NS)),
            (f"{d}/space/edges", VOID + "entities", Lit(str(summary.edge_total), XSD + "integer"))]
    if info.homepage:
        out.append((d, DCAT + "landingPage", info.homepage))
    if fmt is not None:
        out.append((d, VOID + "feature", fmt.w3c))
    for category in sorted(summary.nodes):
        part = f"{d}/class/{CATEGORIES[category].label}"
        out += [(d, VOID + "classPartition", part), (part, VOID + "class", class_iri(category)),
                (part, VOID + "entities",
                 Lit(str(summary.nodes[category]), XSD + "integer"))]
    for predicate in sorted(summary.asserted):
        part = f"{d}/property/{predicate.value}"
        out += [(d, VOID + "propertyPartition", part),
                (part, VOID + "property", predicate_iri(predicate)),
                (part, VOID + "triples", Lit(str(summary.asserted[predicate]), XSD + "integer"))]
    for infores in sorted(summary.sources):
        source = iri(infores)
        entry = summary.sources[infores]
        out += [(d, DCTERMS + "source", source), (source, RDF_TYPE, DCAT + "Dataset"),
                (source, DCT_IDENTIFIER, Lit(infores))]
        out += [(source, DCAT + "version", Lit(v)) for v in sorted(entry.versions)]
        out += [(source, PKG + "retrieval_date", Lit(r.isoformat(), XSD + "date"))
                for r in sorted(entry.retrieved)]
    # Every distinct triple of the document, this description (and this count) included.
    out.append((d, VOID + "triples", Lit(str(summary.triples + len(out) + 1), XSD + "integer")))
    return out


# -- formats ---------------------------------------------------------------------------------


class Sink(Protocol):
    def __call__(self, text: str, /) -> object: ...


class StreamWriter(Protocol):
    """Writes groups of triples as they come; ``end`` closes the document."""

    def begin(self) -> None: ...
    def group(self, triples: Sequence[Triple]) -> None: ...
    def end(self) -> None: ...


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    rdflib: str  # the rdflib serializer's name
    w3c: str  # the format's IRI (http://www.w3.org/ns/formats/)
    aliases: tuple[str, ...] = ()
    star: bool = False  # can write RDF 1.2 triple terms
    quads: bool = False
    writer: Callable[[Sink], StreamWriter] | None = None


class UnknownFormatError(ValueError):
    """A format name or media type we do not serve; the message lists those we do."""


def format_for(name: str) -> Format:
    """The format with this name, alias, extension or media type (case-insensitive)."""
    wanted = name.strip().lower()
    for fmt in FORMATS.values():
        if wanted in (fmt.name, fmt.media_type, fmt.extension, *fmt.aliases):
            return fmt
    raise UnknownFormatError(f"unknown RDF format {name!r}; expected one of: "
                             f"{', '.join(format_names())}")


def format_names() -> list[str]:
    return [f"{f.name} ({f.media_type})" for f in FORMATS.values()]


# -- compacting IRIs for Turtle, JSON-LD and RDF/XML ------------------------------------------

_TURTLE_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_XML_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_SEPARATORS = ("#", "/", "_", "=", ":")


def _curie_bases() -> dict[str, str]:
    return {prefix: info.iri_base for prefix, info in prefixes().items()}


@cache
def all_prefixes() -> dict[str, str]:
    """Prefix -> namespace: the common vocabularies and every CURIE prefix we know."""
    table = dict(NAMESPACES)
    for prefix, base in _curie_bases().items():
        table.setdefault(prefix, base)
    return table


class _Compactor:
    """``prefix:local`` for IRIs in our namespaces, with a bounded memo (constant memory)."""

    def __init__(self, local: re.Pattern[str] | None, limit: int = 4096) -> None:
        self._by_base = {base: prefix for prefix, base in all_prefixes().items()}
        self._local = local
        self._memo: dict[str, str | None] = {}
        self._limit = limit

    def __call__(self, value: str) -> str | None:
        if value.startswith(EDGE_NS):  # one per edge: never worth remembering
            local = value[len(EDGE_NS):]
            return f"edge:{local}" if self._ok(local) else None
        try:
            return self._memo[value]
        except KeyError:
            pass
        found = self._find(value)
        if len(self._memo) >= self._limit:
            self._memo.clear()
        self._memo[value] = found
        return found

    def _find(self, value: str) -> str | None:
        for sep in _SEPARATORS:
            cut = value.rfind(sep) + 1
            if cut and (prefix := self._by_base.get(value[:cut])) is not None:
                local = value[cut:]
                if self._ok(local):
                    return f"{prefix}:{local}"
        if self._local is not None:
            return None
        best = max((b for b in self._by_base if value.startswith(b)), key=len, default=None)
        if best is not None and self._ok(value[len(best):]):
            return f"{self._by_base[best]}:{value[len(best):]}"
        return None

    def _ok(self, local: str) -> bool:
        if self._local is None:  # JSON-LD: any suffix that does not read as an authority
            return bool(local) and not local.startswith("//")
        return bool(self._local.match(local))


# -- N-Triples / N-Quads ---------------------------------------------------------------------

_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in range(0x20) if c not in _ESCAPES})
_ESCAPES[0x7F] = "\\u007F"


def _escaped(lexical: str) -> str:
    """A literal's text for N-Triples and Turtle; most need no escape, so look first."""
    if '"' in lexical or "\\" in lexical or not lexical.isprintable():
        return lexical.translate(_ESCAPES)
    return lexical


def nt_term(term: Obj) -> str:
    if term.__class__ is str:
        return f"<{term}>"
    if isinstance(term, Lit):
        if term.datatype is None:
            return f'"{_escaped(term.lexical)}"'
        return f'"{_escaped(term.lexical)}"^^<{term.datatype}>'
    assert isinstance(term, TripleTerm)
    return f"<<( <{term.s}> <{term.p}> {nt_term(term.o)} )>>"


class NTriplesWriter:
    """One line per triple (N-Triples), or per quad with ``graph`` (N-Quads)."""

    def __init__(self, sink: Sink, graph: str | None = None) -> None:
        self._sink = sink
        self._end = f" <{graph}> .\n" if graph else " .\n"
        self._predicates: dict[str, str] = {}  # predicates come from the vocabulary: few

    def begin(self) -> None:
        return None

    def group(self, triples: Sequence[Triple]) -> None:
        end, predicates, escapes = self._end, self._predicates, _ESCAPES
        lines: list[str] = []
        append = lines.append
        subject: str | None = None
        head = ""
        for s, p, o in triples:
            if s is not subject:
                subject, head = s, f"<{s}> "
            predicate = predicates.get(p)
            if predicate is None:
                predicate = predicates[p] = f"<{p}> "
            kind = o.__class__
            if kind is str:
                append(f"{head}{predicate}<{o}>{end}")
            elif kind is Lit:
                lexical, datatype = o  # type: ignore[misc, str-unpack]
                if '"' in lexical or "\\" in lexical or not lexical.isprintable():
                    lexical = lexical.translate(escapes)  # inlined _escaped (hot loop)
                if datatype is None:
                    append(f'{head}{predicate}"{lexical}"{end}')
                else:
                    append(f'{head}{predicate}"{lexical}"^^<{datatype}>{end}')
            else:
                append(f"{head}{predicate}{nt_term(o)}{end}")
        self._sink("".join(lines))

    def end(self) -> None:
        return None


def _nquads(sink: Sink) -> StreamWriter:
    return NTriplesWriter(sink, DATASET_IRI)


# -- Turtle / TriG ---------------------------------------------------------------------------


class TurtleWriter:
    """Turtle (or TriG with ``graph``): prefixes, then one block per subject as it comes."""

    def __init__(self, sink: Sink, graph: str | None = None) -> None:
        self._sink = sink
        self._graph = graph
        self._compact = _Compactor(_TURTLE_LOCAL)
        self._indent = "    " if graph else ""
        self._predicates: dict[str, str] = {}
        self._datatypes: dict[str, str] = {}

    def begin(self) -> None:
        head = "".join(f"@prefix {p}: <{base}> .\n" for p, base in all_prefixes().items())
        if self._graph:
            head += f"\n<{self._graph}> {{\n"
        self._sink(head + "\n")

    def term(self, value: Obj) -> str:
        kind = value.__class__
        if kind is str:
            short = self._compact(value)  # type: ignore[arg-type]
            return short if short is not None else f"<{value}>"
        if kind is Lit:
            lexical, datatype = value  # type: ignore[misc, str-unpack]
            lexical = _escaped(lexical)
            if datatype is None:
                return f'"{lexical}"'
            suffix = self._datatypes.get(datatype)
            if suffix is None:
                suffix = self._datatypes[datatype] = f"^^{self.term(datatype)}"
            if datatype == _XSD_BOOLEAN and lexical in ("true", "false"):
                return str(lexical)
            return f'"{lexical}"{suffix}'
        assert isinstance(value, TripleTerm)
        return f"<<( {self.term(value.s)} {self.term(value.p)} {self.term(value.o)} )>>"

    def _predicate(self, p: str) -> str:
        text = self._predicates.get(p)
        if text is None:
            text = self._predicates[p] = "a" if p == RDF_TYPE else self.term(p)
        return text

    def group(self, triples: Sequence[Triple]) -> None:
        out: list[str] = []
        append = out.append
        ind = self._indent
        term, predicate_text = self.term, self._predicate
        subject: str | None = None
        predicate: str | None = None
        for s, p, o in triples:
            if s is not subject and s != subject:
                if subject is not None:
                    append(" .\n")
                append(f"{ind}{term(s)} ")
                subject, predicate = s, None
            if p is predicate or p == predicate:
                append(f" , {term(o)}")
            else:
                if predicate is not None:
                    append(f" ;\n{ind}    ")
                append(f"{predicate_text(p)} {term(o)}")
                predicate = p
        if subject is not None:
            append(" .\n")
        self._sink("".join(out))

    def end(self) -> None:
        if self._graph:
            self._sink("}\n")


def _trig(sink: Sink) -> StreamWriter:
    return TurtleWriter(sink, DATASET_IRI)


# -- JSON-LD ---------------------------------------------------------------------------------


class JsonLdWriter:
    """A JSON-LD document ``{"@context": ..., "@graph": [...]}``, one node object per subject.

    The context is the published one (``ontology/context.jsonld``), embedded so the file reads
    offline. Values whose property has a term are written compactly, others explicitly.
    """

    def __init__(self, sink: Sink) -> None:
        self._sink = sink
        self._compact = _Compactor(None)
        self._terms = _term_index()
        self._types = {v: k for k, v in _class_terms().items()}
        self._first = True

    def begin(self) -> None:
        body = json.dumps(build_context()["@context"], indent=1, ensure_ascii=False)
        self._sink('{\n"@context": ' + body + ',\n"@graph": [\n')

    def _iri(self, value: str) -> str:
        short = self._compact(value)
        return short if short is not None else value

    def _entry(self, p: str, o: Obj) -> tuple[str, Any]:
        if isinstance(o, TripleTerm):
            raise TypeError("JSON-LD cannot hold RDF 1.2 triple terms; use Turtle or N-Triples")
        if o.__class__ is str:
            assert isinstance(o, str)
            term = self._terms.get((p, "@id"))
            if term is not None:
                return term, self._iri(o)
            return self._iri(p), {"@id": self._iri(o)}
        assert isinstance(o, Lit)
        term = self._terms.get((p, o.datatype))
        if term is not None:
            return term, o.lexical
        if o.datatype is None:
            return self._iri(p), o.lexical
        return self._iri(p), {"@value": o.lexical, "@type": self._iri(o.datatype)}

    def group(self, triples: Sequence[Triple]) -> None:
        objects: list[dict[str, Any]] = []
        current: dict[str, Any] | None = None
        subject: str | None = None
        for s, p, o in triples:
            if s != subject:
                current = {"@id": self._iri(s)}
                objects.append(current)
                subject = s
            assert current is not None
            if p == RDF_TYPE and isinstance(o, str):
                key, value = "@type", self._types.get(o) or self._iri(o)
            else:
                key, value = self._entry(p, o)
            if key in current:
                held = current[key]
                if isinstance(held, list):
                    held.append(value)
                else:
                    current[key] = [held, value]
            else:
                current[key] = value
        if not objects:
            return
        text = ",\n".join(json.dumps(obj, ensure_ascii=False) for obj in objects)
        self._sink(text if self._first else ",\n" + text)
        self._first = False

    def end(self) -> None:
        self._sink("\n]\n}\n")


# -- RDF/XML ---------------------------------------------------------------------------------

_XML_TEXT = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"}
# XML 1.0 cannot carry most control characters; they become U+FFFD (N-Triples keeps them).
_XML_TEXT.update({c: "\ufffd" for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)})


class RdfXmlWriter:
    """RDF/XML, one rdf:Description per subject; predicates must lie in a known namespace."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink
        self._names = {base: prefix for prefix, base in NAMESPACES.items()}
        self._qnames: dict[str, str] = {}

    def begin(self) -> None:
        spaces = "".join(f'\n    xmlns:{p}="{base}"' for p, base in NAMESPACES.items())
        self._sink(f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{spaces}>\n')

    def _qname(self, predicate: str) -> str:
        qname = self._qnames.get(predicate)
        if qname is None:
            for sep in ("#", "/"):
                cut = predicate.rfind(sep) + 1
                prefix = self._names.get(predicate[:cut])
                if cut and prefix and _XML_LOCAL.match(predicate[cut:]):
                    qname = self._qnames[predicate] = f"{prefix}:{predicate[cut:]}"
                    break
            else:
                raise ValueError(f"RDF/XML cannot name the predicate {predicate}")
        return qname

    def group(self, triples: Sequence[Triple]) -> None:
        out: list[str] = []
        subject: str | None = None
        for s, p, o in triples:
            if s != subject:
                if subject is not None:
                    out.append("  </rdf:Description>\n")
                out.append(f'  <rdf:Description rdf:about="{s.translate(_XML_TEXT)}">\n')
                subject = s
            q = self._qname(p)
            if o.__class__ is str:
                assert isinstance(o, str)
                out.append(f'    <{q} rdf:resource="{o.translate(_XML_TEXT)}"/>\n')
            elif isinstance(o, Lit):
                text = o.lexical.translate(_XML_TEXT)
                if o.datatype is None:
                    out.append(f"    <{q}>{text}</{q}>\n")
                else:
                    out.append(f'    <{q} rdf:datatype="{o.datatype}">{text}</{q}>\n')
            else:
                raise TypeError("RDF/XML cannot hold RDF 1.2 triple terms")
        if subject is not None:
            out.append("  </rdf:Description>\n")
        self._sink("".join(out))

    def end(self) -> None:
        self._sink("</rdf:RDF>\n")


class TripleCounter:
    """A writer that writes nothing (an export counted, not kept: the dataset description)."""

    def begin(self) -> None:
        return None

    def group(self, triples: Sequence[Triple]) -> None:
        del triples

    def end(self) -> None:
        return None


class TripleCollector:
    """A writer that keeps the triples (for small parts that go through rdflib)."""

    def __init__(self) -> None:
        self.triples: list[Triple] = []

    def begin(self) -> None:
        return None

    def group(self, triples: Sequence[Triple]) -> None:
        self.triples.extend(triples)

    def end(self) -> None:
        return None


FORMATS: dict[str, Format] = {
    f.name: f for f in (
        Format("ttl", "text/turtle", "ttl", "turtle", FORMATS_NS + "Turtle",
               ("turtle", "text/turtle", "application/x-turtle", "text/n3"), star=True,
               writer=TurtleWriter),
        Format("nt", "application/n-triples", "nt", "nt", FORMATS_NS + "N-Triples",
               ("ntriples", "n-triples", "text/plain"), star=True, writer=NTriplesWriter),
        Format("jsonld", "application/ld+json", "jsonld", "json-ld", FORMATS_NS + "JSON-LD",
               ("json-ld", "json"), writer=JsonLdWriter),
        Format("xml", "application/rdf+xml", "rdf", "xml", FORMATS_NS + "RDF_XML",
               ("rdfxml", "rdf/xml", "application/xml", "text/xml"), writer=RdfXmlWriter),
        Format("nq", "application/n-quads", "nq", "nquads", FORMATS_NS + "N-Quads",
               ("nquads", "n-quads"), star=True, quads=True, writer=_nquads),
        Format("trig", "application/trig", "trig", "trig", FORMATS_NS + "TriG", (),
               star=True, quads=True, writer=_trig),
    )
}


def writer_for(fmt: Format, sink: Sink) -> StreamWriter:
    assert fmt.writer is not None
    return fmt.writer(sink)


# -- the exporter: records in, a complete document out ---------------------------------------


class Exporter:
    """Feeds records to a streaming writer, counts them, ends with the dataset description."""

    def __init__(self, writer: StreamWriter, info: DatasetInfo, *, fmt: Format | None = None,
                 star: bool = False, vocabulary: bool = True) -> None:
        if star and fmt is not None and not fmt.star:
            raise UnknownFormatError(f"{fmt.name} cannot write RDF-star; use one of: "
                                     f"{', '.join(f.name for f in FORMATS.values() if f.star)}")
        self.writer = writer
        self.info = info
        self.fmt = fmt
        self.star = star
        self.vocabulary = vocabulary
        self.summary = Summary()
        self._subject: str | None = None
        self._direct: set[tuple[Predicate, str]] = set()  # the subject's direct triples

    def begin(self) -> None:
        self.writer.begin()
        if self.vocabulary:
            triples = vocabulary_triples()
            self.summary.triples += len(triples)
            self.writer.group(triples)

    def node(self, node: Node, sources: Sequence[str] = ()) -> None:
        triples = node_triples(node, sources)
        summary = self.summary
        summary.triples += len(triples)
        summary.nodes[node.category] += 1
        summary.spaces[node.id.partition(":")[0]] += 1
        example = summary.examples.get(node.category)
        if example is None or node.id < example:  # the same whatever the order of the records
            summary.examples[node.category] = node.id
        for source in {node.source, *sources}:
            summary.source(source, node.source_version if source == node.source else None)
        self.writer.group(triples)

    def edge(self, edge: Edge, edge_id: str | None = None) -> None:
        triples = edge_triples(edge, edge_id, star=self.star)
        summary = self.summary
        summary.edges[edge.predicate] += 1
        if not edge.negated:
            # Several edges (studies, measurements) may state one direct triple: write it once.
            # Every export reads a subject's edges together, so a subject's set is enough.
            if edge.subject != self._subject:
                self._subject, self._direct = edge.subject, set()
            direct = (edge.predicate, edge.object)
            if direct in self._direct:
                triples = triples[1:]
            else:
                self._direct.add(direct)
                summary.asserted[edge.predicate] += 1
        summary.triples += len(triples)
        prov = edge.provenance
        summary.source(prov.primary_knowledge_source, prov.source_version, prov.retrieval_date)
        for aggregator in prov.aggregator_knowledge_sources:
            summary.source(aggregator, None)
        self.writer.group(triples)

    def end(self) -> Summary:
        self.writer.group(dataset_triples(self.summary, self.info, self.fmt))
        self.writer.end()
        return self.summary


def export_records(records: Iterable[Node | Edge], exporter: Exporter) -> Summary:
    """Write records (not from Neo4j: tests, benchmarks) through an exporter.

    Nodes as they come, then the edges a subject at a time, as the reads of ``graph.export``
    deliver them (the exporter writes a direct triple once per subject).
    """
    exporter.begin()
    edges: dict[str, list[Edge]] = {}
    for record in records:
        if isinstance(record, Node):
            exporter.node(record)
        else:
            edges.setdefault(record.subject, []).append(record)
    for group in edges.values():
        for edge in group:
            exporter.edge(edge)
    return exporter.end()


# -- rdflib, for small parts -----------------------------------------------------------------


def rdflib_term(value: Obj) -> URIRef | Literal:
    if value.__class__ is str:
        return URIRef(str(value))
    if isinstance(value, Lit):
        if value.datatype is None:
            return Literal(value.lexical)
        return Literal(value.lexical, datatype=URIRef(value.datatype))
    raise TypeError("rdflib cannot hold RDF 1.2 triple terms; use a streamed format")


def to_graph(triples: Iterable[Triple], graph: Graph | None = None) -> Graph:
    """An rdflib graph of the triples, with our prefixes bound."""
    target = graph if graph is not None else Graph(bind_namespaces="none")
    bind(target)
    for s, p, o in triples:
        target.add((URIRef(s), URIRef(p), rdflib_term(o)))
    return target


def bind(graph: Graph) -> None:
    for prefix, base in all_prefixes().items():
        graph.bind(prefix, base, override=True, replace=True)


def serialize(triples: Iterable[Triple], fmt: Format) -> bytes:
    """Serialise a small part with rdflib's registered serializer for the format."""
    if fmt.quads:
        dataset = Dataset(default_union=True)
        bind(dataset)
        to_graph(triples, dataset.graph(URIRef(DATASET_IRI)))
        return dataset.serialize(format=fmt.rdflib, encoding="utf-8")
    graph = to_graph(triples)
    if fmt.name == "jsonld":
        context = build_context()["@context"]
        return graph.serialize(format="json-ld", context=context, encoding="utf-8")
    return graph.serialize(format=fmt.rdflib, encoding="utf-8")


# -- the JSON-LD context ---------------------------------------------------------------------


@cache
def _class_terms() -> dict[str, str]:
    terms = {CATEGORIES[c].label: class_iri(c) for c in Category}
    terms["Association"] = ASSOCIATION
    return terms


def _all_props() -> list[Prop]:
    identifier = Prop("id", DCT_IDENTIFIER, Kind.STRING, _IDENTIFIER_COMMENT, "identifier")
    name = Prop("name", RDFS_LABEL, Kind.STRING, "The entity's preferred name.")
    return [identifier, name, *NODE_PROPS, *PROVENANCE_PROPS, *EDGE_PROPS]


@cache
def _term_index() -> dict[tuple[str, str | None], str]:
    """(property IRI, "@id" or datatype or None) -> the JSON-LD term that writes it compactly."""
    index: dict[tuple[str, str | None], str] = {}
    for prop in _all_props():
        coercion = "@id" if prop.kind is Kind.CURIE else prop.datatype
        index.setdefault((prop.iri, coercion), prop.name)
    for predicate in Predicate:
        index.setdefault((predicate_iri(predicate), "@id"), predicate.value)
    for name, target in (("subject", RDF_SUBJECT), ("predicate", RDF_PREDICATE),
                         ("object", RDF_OBJECT)):
        index[(target, "@id")] = name
    return index


def _compact_iri(value: str) -> str:
    for prefix, base in NAMESPACES.items():
        if value.startswith(base) and len(value) > len(base):
            return f"{prefix}:{value[len(base):]}"
    return value


def build_context() -> dict[str, Any]:
    """The published JSON-LD @context (``ontology/context.jsonld``)."""
    ctx: dict[str, Any] = {"@version": 1.1}
    ctx.update(NAMESPACES)
    for prefix, base in _curie_bases().items():
        if base.endswith(("/", "#")):
            ctx[prefix] = base
        else:  # JSON-LD 1.1 only treats such a term as a prefix when told so
            ctx[prefix] = {"@id": base, "@prefix": True}
    for term, target in _class_terms().items():
        ctx[term] = _compact_iri(target)
    for name, target in (("subject", RDF_SUBJECT), ("predicate", RDF_PREDICATE),
                         ("object", RDF_OBJECT)):
        ctx[name] = {"@id": _compact_iri(target), "@type": "@id"}
    for predicate in Predicate:
        ctx[predicate.value] = {"@id": _compact_iri(predicate_iri(predicate)), "@type": "@id"}
    for prop in _all_props():
        if prop.name in ctx:
            continue
        definition: dict[str, Any] = {"@id": _compact_iri(prop.iri)}
        if prop.kind is Kind.CURIE:
            definition["@type"] = "@id"
        elif prop.datatype is not None:
            definition["@type"] = _compact_iri(prop.datatype)
        ctx[prop.name] = definition
    return {"@context": ctx}


# -- the OWL ontology ------------------------------------------------------------------------


def _own_props() -> dict[str, Prop]:
    """Our own data and object properties (one per IRI)."""
    found: dict[str, Prop] = {}
    for prop in (*NODE_PROPS, *PROVENANCE_PROPS, *EDGE_PROPS):
        if prop.own:
            found.setdefault(prop.iri, prop)
    found[PKG + "taxon"] = Prop("taxon", PKG + "taxon", Kind.STRING,
                                "The taxon of the protein, as written when it is not a CURIE.")
    found[PKG + "retrieval_date"] = next(p for p in PROVENANCE_PROPS
                                         if p.field == "retrieval_date")
    return found


def _biolink_props() -> dict[str, Prop]:
    found: dict[str, Prop] = {}
    for prop in (*NODE_PROPS, *PROVENANCE_PROPS, *EDGE_PROPS):
        if prop.iri.startswith(BIOLINK):
            found.setdefault(prop.iri, prop)
    return found


def owl_triples(version: str) -> list[Triple]:
    """The OWL 2 ontology of our own terms, each tied to the Biolink term it specialises."""
    o = ONTOLOGY_IRI
    out: list[Triple] = [
        (o, RDF_TYPE, OWL + "Ontology"),
        (o, RDFS_LABEL, Lit("PharmaKG vocabulary")),
        (o, RDFS_COMMENT, Lit(
            "Classes and properties of the PharmaKG RDF export that Biolink lacks or states "
            "more broadly. Every class is a subclass of a Biolink class and every predicate a "
            "subproperty of a Biolink slot, so Biolink-only consumers still read the graph. "
            "Entities use the IRIs of their sources; edges are biolink:Association nodes "
            "(rdf:subject, rdf:predicate, rdf:object) next to the asserted triple.")),
        (o, OWL + "versionInfo", Lit(version)),
        (o, DCTERMS + "license", "https://spdx.org/licenses/MIT"),
        (o, RDFS + "seeAlso", BIOLINK),
        (DCTERMS + "license", RDF_TYPE, OWL + "AnnotationProperty"),
    ]
    for category in Category:
        ours, theirs = _category_types()[category]
        out += [(ours, RDF_TYPE, OWL + "Class"),
                (ours, RDFS_LABEL, Lit(category_label(category), None)),
                (ours, RDFS_COMMENT, Lit(_CATEGORY_COMMENTS[category])),
                (ours, RDFS_SUBCLASS, theirs), (ours, RDFS_DEFINED_BY, o),
                (theirs, RDF_TYPE, OWL + "Class"),
                (theirs, RDFS_LABEL, Lit(CATEGORIES[category].biolink)),
                (theirs, RDFS_DEFINED_BY, BIOLINK)]
    out += [(ASSOCIATION, RDF_TYPE, OWL + "Class"), (ASSOCIATION, RDFS_LABEL, Lit("association")),
            (ASSOCIATION, RDFS_DEFINED_BY, BIOLINK)]
    for predicate in Predicate:
        out += _predicate_owl(predicate)
    for prop in _own_props().values():
        out += _property_owl(prop, o)
    for prop in _biolink_props().values():
        kind = OWL + ("ObjectProperty" if prop.kind is Kind.CURIE else "DatatypeProperty")
        out += [(prop.iri, RDF_TYPE, kind),
                (prop.iri, RDFS_LABEL, Lit(prop.iri.removeprefix(BIOLINK).replace("_", " "))),
                (prop.iri, RDFS_DEFINED_BY, BIOLINK)]
    out += [(DCT_IDENTIFIER, RDF_TYPE, OWL + "DatatypeProperty"),
            (DCT_IDENTIFIER, RDFS_LABEL, Lit("identifier")),
            (DCT_IDENTIFIER, RDFS_COMMENT, Lit(_IDENTIFIER_COMMENT)),
            (DCTERMS + "title", RDF_TYPE, OWL + "DatatypeProperty"),
            (DCTERMS + "title", RDFS_LABEL, Lit("title")),
            (DCTERMS + "description", RDF_TYPE, OWL + "DatatypeProperty"),
            (DCTERMS + "description", RDFS_LABEL, Lit("description")),
            (FOAF_PAGE, RDF_TYPE, OWL + "ObjectProperty"), (FOAF_PAGE, RDFS_LABEL, Lit("page")),
            (FOAF_PAGE, RDFS_COMMENT, Lit("The entity's page in the PharmaKG API (HTML for "
                                          "browsers, RDF by content negotiation).")),
            (FOAF_PAGE, RDFS_DEFINED_BY, FOAF)]
    return _dedupe(out)


def _predicate_owl(predicate: Predicate) -> list[Triple]:
    info = PREDICATES[predicate]
    p, bp = predicate_iri(predicate), biolink_predicate_iri(predicate)
    out: list[Triple] = [(bp, RDF_TYPE, OWL + "ObjectProperty"),
                         (bp, RDFS_LABEL, Lit(info.biolink)), (bp, RDFS_DEFINED_BY, BIOLINK)]
    if not info.own_term:
        return out
    return [*out, (p, RDF_TYPE, OWL + "ObjectProperty"),
            (p, RDFS_LABEL, Lit(predicate.value.replace("_", " "))),
            (p, RDFS_COMMENT, Lit(_PREDICATE_COMMENTS[predicate])),
            (p, RDFS_SUBPROPERTY, bp), (p, RDFS_DEFINED_BY, ONTOLOGY_IRI)]


def _property_owl(prop: Prop, ontology: str) -> list[Triple]:
    p = prop.iri
    if prop.kind is Kind.CURIE:
        head: list[Triple] = [(p, RDF_TYPE, OWL + "ObjectProperty")]
    elif prop.kind in (Kind.DATE, Kind.YEAR):  # not in OWL 2's datatype map: no range
        head = [(p, RDF_TYPE, OWL + "DatatypeProperty")]
    else:
        head = [(p, RDF_TYPE, OWL + "DatatypeProperty"),
                (p, RDFS + "range", prop.datatype or XSD + "string")]
    label = p.removeprefix(PKG).replace("_", " ")
    return [*head, (p, RDFS_LABEL, Lit(label)), (p, RDFS_COMMENT, Lit(prop.comment)),
            (p, RDFS_DEFINED_BY, ontology)]


def owl_graph(version: str) -> Graph:
    graph = to_graph(owl_triples(version))
    _add_predicate_domains(graph)
    return graph


def _union(graph: Graph, categories: Iterable[Category]) -> RdfNode:
    classes: list[RdfNode] = [URIRef(class_iri(c)) for c in sorted(categories)]
    if len(classes) == 1:
        return classes[0]
    node = BNode()
    graph.add((node, URIRef(RDF_TYPE), URIRef(OWL + "Class")))
    head = BNode()
    Collection(graph, head, classes)
    graph.add((node, URIRef(OWL + "unionOf"), head))
    return node


def _add_predicate_domains(graph: Graph) -> None:
    """Domains and ranges of our own predicates, from the vocabulary."""
    for predicate, info in PREDICATES.items():
        if not info.own_term:
            continue
        p = URIRef(predicate_iri(predicate))
        graph.add((p, URIRef(RDFS + "domain"), _union(graph, info.domain)))
        graph.add((p, URIRef(RDFS + "range"), _union(graph, info.range)))


# -- SHACL shapes ----------------------------------------------------------------------------


class _Shapes:
    def __init__(self) -> None:
        self.graph = Graph(bind_namespaces="none")
        bind(self.graph)
        self.graph.bind("sh", SH)
        self.graph.bind("shape", SHAPES_NS)

    def add(self, s: RdfNode, p: str, o: RdfNode | str | Lit) -> None:
        if isinstance(o, RdfNode):  # rdflib terms are str too: test them first
            self.graph.add((s, URIRef(p), o))
        else:
            self.graph.add((s, URIRef(p), rdflib_term(o)))

    def items(self, values: Sequence[RdfNode]) -> BNode:
        head = BNode()
        Collection(self.graph, head, list(values))
        return head

    def prop(self, shape: RdfNode, path: str, *, min_count: int = 0, max_count: int | None = None,
             datatype: str | None = None, iri_: bool = False, values: Sequence[str] = (),
             classes: Iterable[Category] = (), pattern: str | None = None) -> BNode:
        node = BNode()
        self.add(shape, SH + "property", node)
        self.add(node, SH + "path", path)
        if min_count:
            self.add(node, SH + "minCount", Lit(str(min_count), XSD + "integer"))
        if max_count is not None:
            self.add(node, SH + "maxCount", Lit(str(max_count), XSD + "integer"))
        if datatype:
            self.add(node, SH + "datatype", datatype)
        if iri_:
            self.add(node, SH + "nodeKind", SH + "IRI")
        if values:
            self.add(node, SH + "in", self.items([Literal(v) for v in values]))
        alternatives = [URIRef(class_iri(c)) for c in sorted(classes)]
        if len(alternatives) == 1:
            self.add(node, SH + "class", alternatives[0])
        elif alternatives:
            options = []
            for cls in alternatives:
                option = BNode()
                self.add(option, SH + "class", cls)
                options.append(option)
            self.add(node, SH + "or", self.items(options))
        if pattern:
            self.add(node, SH + "pattern", Lit(pattern))
        return node

    def spec(self, shape: RdfNode, prop: Prop, *, min_count: int = 0) -> None:
        self.prop(shape, prop.iri, min_count=min_count, max_count=None if prop.many else 1,
                  datatype=None if prop.kind is Kind.CURIE else prop.datatype or XSD + "string",
                  iri_=prop.kind is Kind.CURIE, values=prop.values)


def _node_shape(shapes: _Shapes, category: Category) -> None:
    info = CATEGORIES[category]
    shape = URIRef(f"{SHAPES_NS}{info.label}Shape")
    shapes.add(shape, RDF_TYPE, SH + "NodeShape")
    shapes.add(shape, RDFS_LABEL, Lit(f"a {category_label(category)}"))
    shapes.add(shape, SH + "targetClass", class_iri(category))
    shapes.add(shape, SH + "class", biolink_class_iri(category))
    prefixes_ = "|".join(re.escape(p) for p in info.prefixes)
    shapes.prop(shape, DCT_IDENTIFIER, min_count=1, max_count=1, datatype=XSD + "string",
                pattern=f"^({prefixes_}):")
    shapes.prop(shape, RDFS_LABEL, min_count=1, max_count=1, datatype=XSD + "string")
    shapes.prop(shape, FOAF_PAGE, min_count=1, max_count=1, iri_=True)
    allowed = [RDF_TYPE, DCT_IDENTIFIER, RDFS_LABEL, FOAF_PAGE]
    for prop in NODE_PROPS:
        if prop.field in ATTRIBUTE_FIELDS and prop.field not in info.attributes:
            continue
        if prop.field == "taxon":
            shapes.prop(shape, PKG + "taxon", max_count=1, datatype=XSD + "string")
            allowed.append(PKG + "taxon")
        shapes.spec(shape, prop, min_count=1 if prop.field == "source" else 0)
        allowed.append(prop.iri)
    for predicate, pinfo in PREDICATES.items():
        if category in pinfo.domain:
            shapes.prop(shape, predicate_iri(predicate), iri_=True, classes=pinfo.range)
            allowed.append(predicate_iri(predicate))
    shapes.add(shape, SH + "closed", Lit("true", XSD + "boolean"))
    shapes.add(shape, SH + "ignoredProperties",
               shapes.items([URIRef(p) for p in dict.fromkeys(allowed)]))


_ASSERTED = f"""SELECT $this WHERE {{
  $this <{RDF_SUBJECT}> ?s ; <{RDF_PREDICATE}> ?p ; <{RDF_OBJECT}> ?o ;
        <{BIOLINK}negated> false .
  FILTER NOT EXISTS {{ ?s ?p ?o }}
}}"""


def _association_shape(shapes: _Shapes) -> None:
    shape = URIRef(SHAPES_NS + "AssociationShape")
    shapes.add(shape, RDF_TYPE, SH + "NodeShape")
    shapes.add(shape, RDFS_LABEL, Lit("an edge as a Biolink association node"))
    shapes.add(shape, SH + "targetClass", ASSOCIATION)
    shapes.add(shape, SH + "class", RDF_STATEMENT)
    for path in (RDF_SUBJECT, RDF_OBJECT):
        shapes.prop(shape, path, min_count=1, max_count=1, iri_=True)
    predicate = shapes.prop(shape, RDF_PREDICATE, min_count=1, max_count=1, iri_=True)
    shapes.add(predicate, SH + "in",
               shapes.items([URIRef(predicate_iri(p)) for p in Predicate]))
    shapes.prop(shape, DCT_IDENTIFIER, min_count=1, max_count=1, datatype=XSD + "string",
                pattern="^[0-9a-f]+$")
    required = {"primary_knowledge_source", "publications", "knowledge_level", "agent_type",
                "negated"}
    for prop in (*PROVENANCE_PROPS, *EDGE_PROPS):
        shapes.spec(shape, prop, min_count=1 if prop.field in required else 0)
    constraint = BNode()
    shapes.add(shape, SH + "sparql", constraint)
    shapes.add(constraint, SH + "message",
               Lit("the association's statement is not negated, yet not asserted as a triple"))
    shapes.add(constraint, SH + "select", Lit(_ASSERTED))
    # A measurement has its measure, value and unit together, or none of them.
    quantity = [p.iri for p in EDGE_PROPS if p.field in ("measure", "value", "unit")]
    options = []
    for count in (0, 1):
        option = BNode()
        for path in quantity:
            node = BNode()
            shapes.add(option, SH + "property", node)
            shapes.add(node, SH + "path", path)
            shapes.add(node, SH + ("minCount" if count else "maxCount"),
                       Lit(str(count), XSD + "integer"))
        options.append(option)
    shapes.add(shape, SH + "xone", shapes.items(options))


def _dataset_shape(shapes: _Shapes) -> None:
    shape = URIRef(SHAPES_NS + "DatasetShape")
    shapes.add(shape, RDF_TYPE, SH + "NodeShape")
    shapes.add(shape, RDFS_LABEL, Lit("the VoID/DCAT description of an export"))
    shapes.add(shape, SH + "targetNode", DATASET_IRI)
    shapes.add(shape, SH + "class", VOID + "Dataset")
    for path, datatype in ((DCAT + "version", XSD + "string"), (DCTERMS + "created", XSD + "date"),
                           (VOID + "triples", XSD + "integer"),
                           (VOID + "entities", XSD + "integer")):
        shapes.prop(shape, path, min_count=1, max_count=1, datatype=datatype)
    shapes.prop(shape, DCTERMS + "license", min_count=1, max_count=1, iri_=True)
    shapes.prop(shape, DCTERMS + "source", min_count=1, iri_=True)


def shapes_graph() -> Graph:
    """The SHACL shapes every export conforms to (``ontology/shapes.ttl``)."""
    shapes = _Shapes()
    head = URIRef(SHAPES_IRI)
    shapes.add(head, RDF_TYPE, OWL + "Ontology")
    shapes.add(head, RDFS_LABEL, Lit("PharmaKG SHACL shapes"))
    shapes.add(head, RDFS_COMMENT, Lit(
        "Shapes of the PharmaKG RDF export, generated from the vocabulary: one closed shape "
        "per category (its attributes and the predicates it may be the subject of, with their "
        "ranges), the association shape of edges, and the dataset description."))
    for category in Category:
        _node_shape(shapes, category)
    _association_shape(shapes)
    _dataset_shape(shapes)
    return shapes.graph


def validate(data: Graph) -> tuple[bool, str]:
    """Validate a graph against ``ontology/shapes.ttl`` with pyshacl: (conforms, report)."""
    import pyshacl  # noqa: PLC0415 - a validation-only dependency, loaded when used

    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    conforms, _report, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True,
                                                inference="none", allow_warnings=True)
    return bool(conforms), str(text)


# -- generated artifacts ---------------------------------------------------------------------


def render_context() -> str:
    return json.dumps(build_context(), indent=2, ensure_ascii=False) + "\n"


def render_owl(version: str) -> str:
    return owl_graph(version).serialize(format="turtle")


def render_shapes() -> str:
    return shapes_graph().serialize(format="turtle")


def iter_artifacts(version: str) -> Iterator[tuple[Path, str]]:
    yield CONTEXT_FILE, render_context()
    yield OWL_FILE, render_owl(version)
    yield SHAPES_FILE, render_shapes()


if __name__ == "__main__":  # pragma: no cover - regenerates the committed artifacts
    from importlib.metadata import version as package_version

    for path, text in iter_artifacts(package_version("pharmakg")):
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
