"""Our classes and predicates as IRIs, each beside the Biolink term it specialises."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from ontology.rdf.terms import (
    ONTOLOGY_IRI,
    OWL_CLASS,
    OWL_OBJECT_PROPERTY,
    PKG_NS,
    RDF_TYPE,
    RDFS_DEFINED_BY,
    RDFS_LABEL,
    RDFS_SUBCLASS,
    RDFS_SUBPROPERTY,
    Lit,
    Triple,
    biolink_class,
    biolink_slot,
)
from ontology.vocab import CATEGORIES, PREDICATES, Category, Predicate


def category_label(category: Category) -> str:
    return category.value.replace("_", " ")


def class_iri(category: Category) -> str:
    return str(PKG_NS[CATEGORIES[category].label])


def biolink_class_iri(category: Category) -> str:
    return biolink_class(CATEGORIES[category].biolink)


def predicate_iri(predicate: Predicate) -> str:
    """Our own term where Biolink's slot is broader, else the Biolink slot."""
    info = PREDICATES[predicate]
    return str(PKG_NS[predicate.value]) if info.own_term else biolink_slot(info.biolink)


def biolink_predicate_iri(predicate: Predicate) -> str:
    return biolink_slot(PREDICATES[predicate].biolink)


@cache
def category_types() -> dict[Category, tuple[str, str]]:
    return {c: (class_iri(c), biolink_class_iri(c)) for c in Category}


@cache
def predicate_iris() -> dict[Predicate, str]:
    return {p: predicate_iri(p) for p in Predicate}


def vocabulary_triples() -> list[Triple]:
    """Our classes and predicates with labels and their Biolink terms (in every export)."""
    out: list[Triple] = []
    for category in Category:
        ours, theirs = category_types()[category]
        out += [
            (ours, RDF_TYPE, OWL_CLASS),
            (ours, RDFS_LABEL, Lit(category_label(category))),
            (ours, RDFS_SUBCLASS, theirs),
            (ours, RDFS_DEFINED_BY, ONTOLOGY_IRI),
            (theirs, RDF_TYPE, OWL_CLASS),
            (theirs, RDFS_LABEL, Lit(CATEGORIES[category].biolink)),
        ]
    for predicate in Predicate:
        info = PREDICATES[predicate]
        p, bp = predicate_iri(predicate), biolink_predicate_iri(predicate)
        out += [
            (p, RDF_TYPE, OWL_OBJECT_PROPERTY),
            (
                p,
                RDFS_LABEL,
                Lit(predicate.value.replace("_", " ") if info.own_term else info.biolink),
            ),
        ]
        if info.own_term:
            out += [
                (p, RDFS_SUBPROPERTY, bp),
                (p, RDFS_DEFINED_BY, ONTOLOGY_IRI),
                (bp, RDF_TYPE, OWL_OBJECT_PROPERTY),
                (bp, RDFS_LABEL, Lit(info.biolink)),
            ]
    return dedupe(out)


def dedupe(triples: Iterable[Triple]) -> list[Triple]:
    return list(dict.fromkeys(triples))
