"""The OWL 2 ontology of our own terms (``ontology/pharmakg.owl.ttl``), from the vocabulary.

Every class is a subclass of a Biolink class and every predicate a subproperty of a Biolink
slot; domains and ranges come from the vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node as RdfNode

from ontology.fields import Kind
from ontology.rdf.graphs import to_graph
from ontology.rdf.properties import (
    EDGE_PROPS,
    IDENTIFIER_COMMENT,
    NODE_PROPS,
    PROVENANCE_PROPS,
    Prop,
)
from ontology.rdf.terms import (
    ASSOCIATION,
    BIOLINK,
    DCT_DESCRIPTION,
    DCT_IDENTIFIER,
    DCT_LICENSE,
    DCT_TITLE,
    FOAF,
    FOAF_PAGE,
    MIT_LICENSE,
    ONTOLOGY_IRI,
    OWL_ANNOTATION_PROPERTY,
    OWL_CLASS,
    OWL_DATATYPE_PROPERTY,
    OWL_OBJECT_PROPERTY,
    OWL_ONTOLOGY,
    OWL_UNION_OF,
    OWL_VERSION_INFO,
    PKG_RETRIEVAL_DATE,
    PKG_TAXON,
    RDF_TYPE,
    RDFS_COMMENT,
    RDFS_DEFINED_BY,
    RDFS_DOMAIN,
    RDFS_LABEL,
    RDFS_RANGE,
    RDFS_SEE_ALSO,
    RDFS_SUBCLASS,
    RDFS_SUBPROPERTY,
    XSD_STRING,
    Lit,
    Triple,
)
from ontology.rdf.vocabulary import (
    biolink_predicate_iri,
    category_label,
    category_types,
    class_iri,
    dedupe,
    predicate_iri,
)
from ontology.vocab import CATEGORIES, PKG, PREDICATES, Category, Predicate

_CATEGORY_COMMENTS = {
    Category.ALKALOID: "A plant alkaloid, such as the indole alkaloids of kratom (Mitragyna "
    "speciosa), as a small molecule.",
    Category.DRUG: "A drug or reference compound, used clinically or as a pharmacological tool.",
    Category.RECEPTOR: "A receptor protein (the human gene product unless a taxon says otherwise).",
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
    Predicate.INHIBITS: "The compound inhibits the target's activity (for example a CYP enzyme).",
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


def _own_props() -> dict[str, Prop]:
    """Our own data and object properties (one per IRI)."""
    found: dict[str, Prop] = {}
    for prop in (*NODE_PROPS, *PROVENANCE_PROPS, *EDGE_PROPS):
        if prop.own:
            found.setdefault(prop.iri, prop)
    found[PKG_TAXON] = Prop(
        "taxon",
        PKG_TAXON,
        Kind.STRING,
        "The taxon of the protein, as written when it is not a CURIE.",
    )
    found[PKG_RETRIEVAL_DATE] = next(p for p in PROVENANCE_PROPS if p.field == "retrieval_date")
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
        (o, RDF_TYPE, OWL_ONTOLOGY),
        (o, RDFS_LABEL, Lit("PharmaKG vocabulary")),
        (
            o,
            RDFS_COMMENT,
            Lit(
                "Classes and properties of the PharmaKG RDF export that Biolink lacks or states "
                "more broadly. Every class is a subclass of a Biolink class and every predicate a "
                "subproperty of a Biolink slot, so Biolink-only consumers still read the graph. "
                "Entities use the IRIs of their sources; edges are biolink:Association nodes "
                "(rdf:subject, rdf:predicate, rdf:object) next to the asserted triple."
            ),
        ),
        (o, OWL_VERSION_INFO, Lit(version)),
        (o, DCT_LICENSE, MIT_LICENSE),
        (o, RDFS_SEE_ALSO, BIOLINK),
        (DCT_LICENSE, RDF_TYPE, OWL_ANNOTATION_PROPERTY),
    ]
    for category in Category:
        ours, theirs = category_types()[category]
        out += [
            (ours, RDF_TYPE, OWL_CLASS),
            (ours, RDFS_LABEL, Lit(category_label(category), None)),
            (ours, RDFS_COMMENT, Lit(_CATEGORY_COMMENTS[category])),
            (ours, RDFS_SUBCLASS, theirs),
            (ours, RDFS_DEFINED_BY, o),
            (theirs, RDF_TYPE, OWL_CLASS),
            (theirs, RDFS_LABEL, Lit(CATEGORIES[category].biolink)),
            (theirs, RDFS_DEFINED_BY, BIOLINK),
        ]
    out += [
        (ASSOCIATION, RDF_TYPE, OWL_CLASS),
        (ASSOCIATION, RDFS_LABEL, Lit("association")),
        (ASSOCIATION, RDFS_DEFINED_BY, BIOLINK),
    ]
    for predicate in Predicate:
        out += _predicate_owl(predicate)
    for prop in _own_props().values():
        out += _property_owl(prop, o)
    for prop in _biolink_props().values():
        kind = OWL_OBJECT_PROPERTY if prop.kind is Kind.CURIE else OWL_DATATYPE_PROPERTY
        out += [
            (prop.iri, RDF_TYPE, kind),
            (prop.iri, RDFS_LABEL, Lit(prop.iri.removeprefix(BIOLINK).replace("_", " "))),
            (prop.iri, RDFS_DEFINED_BY, BIOLINK),
        ]
    out += [
        (DCT_IDENTIFIER, RDF_TYPE, OWL_DATATYPE_PROPERTY),
        (DCT_IDENTIFIER, RDFS_LABEL, Lit("identifier")),
        (DCT_IDENTIFIER, RDFS_COMMENT, Lit(IDENTIFIER_COMMENT)),
        (DCT_TITLE, RDF_TYPE, OWL_DATATYPE_PROPERTY),
        (DCT_TITLE, RDFS_LABEL, Lit("title")),
        (DCT_DESCRIPTION, RDF_TYPE, OWL_DATATYPE_PROPERTY),
        (DCT_DESCRIPTION, RDFS_LABEL, Lit("description")),
        (FOAF_PAGE, RDF_TYPE, OWL_OBJECT_PROPERTY),
        (FOAF_PAGE, RDFS_LABEL, Lit("page")),
        (
            FOAF_PAGE,
            RDFS_COMMENT,
            Lit(
                "The entity's page in the PharmaKG API (HTML for "
                "browsers, RDF by content negotiation)."
            ),
        ),
        (FOAF_PAGE, RDFS_DEFINED_BY, FOAF),
    ]
    return dedupe(out)


def _predicate_owl(predicate: Predicate) -> list[Triple]:
    info = PREDICATES[predicate]
    p, bp = predicate_iri(predicate), biolink_predicate_iri(predicate)
    out: list[Triple] = [
        (bp, RDF_TYPE, OWL_OBJECT_PROPERTY),
        (bp, RDFS_LABEL, Lit(info.biolink)),
        (bp, RDFS_DEFINED_BY, BIOLINK),
    ]
    if not info.own_term:
        return out
    return [
        *out,
        (p, RDF_TYPE, OWL_OBJECT_PROPERTY),
        (p, RDFS_LABEL, Lit(predicate.value.replace("_", " "))),
        (p, RDFS_COMMENT, Lit(_PREDICATE_COMMENTS[predicate])),
        (p, RDFS_SUBPROPERTY, bp),
        (p, RDFS_DEFINED_BY, ONTOLOGY_IRI),
    ]


def _property_owl(prop: Prop, ontology: str) -> list[Triple]:
    p = prop.iri
    if prop.kind is Kind.CURIE:
        head: list[Triple] = [(p, RDF_TYPE, OWL_OBJECT_PROPERTY)]
    elif prop.kind in (Kind.DATE, Kind.YEAR):  # not in OWL 2's datatype map: no range
        head = [(p, RDF_TYPE, OWL_DATATYPE_PROPERTY)]
    else:
        head = [(p, RDF_TYPE, OWL_DATATYPE_PROPERTY), (p, RDFS_RANGE, prop.datatype or XSD_STRING)]
    label = p.removeprefix(PKG).replace("_", " ")
    return [
        *head,
        (p, RDFS_LABEL, Lit(label)),
        (p, RDFS_COMMENT, Lit(prop.comment)),
        (p, RDFS_DEFINED_BY, ontology),
    ]


def owl_graph(version: str) -> Graph:
    graph = to_graph(owl_triples(version))
    _add_predicate_domains(graph)
    return graph


def _union(graph: Graph, categories: Iterable[Category]) -> RdfNode:
    classes: list[RdfNode] = [URIRef(class_iri(c)) for c in sorted(categories)]
    if len(classes) == 1:
        return classes[0]
    node = BNode()
    graph.add((node, URIRef(RDF_TYPE), URIRef(OWL_CLASS)))
    head = BNode()
    Collection(graph, head, classes)
    graph.add((node, URIRef(OWL_UNION_OF), head))
    return node


def _add_predicate_domains(graph: Graph) -> None:
    """Domains and ranges of our own predicates, from the vocabulary."""
    for predicate, info in PREDICATES.items():
        if not info.own_term:
            continue
        p = URIRef(predicate_iri(predicate))
        graph.add((p, URIRef(RDFS_DOMAIN), _union(graph, info.domain)))
        graph.add((p, URIRef(RDFS_RANGE), _union(graph, info.range)))


def render_owl(version: str) -> str:
    return owl_graph(version).serialize(format="turtle")
