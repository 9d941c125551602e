"""The published JSON-LD @context (``ontology/context.jsonld``), from the vocabulary."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from ontology.fields import Kind
from ontology.rdf.properties import (
    EDGE_PROPS,
    IDENTIFIER_COMMENT,
    NODE_PROPS,
    PROVENANCE_PROPS,
    Prop,
)
from ontology.rdf.terms import (
    ASSOCIATION,
    DCT_IDENTIFIER,
    NAMESPACES,
    RDF_OBJECT,
    RDF_PREDICATE,
    RDF_SUBJECT,
    RDFS_LABEL,
    curie_bases,
)
from ontology.rdf.vocabulary import class_iri, predicate_iri
from ontology.vocab import CATEGORIES, Category, Predicate


@cache
def class_terms() -> dict[str, str]:
    terms = {CATEGORIES[c].label: class_iri(c) for c in Category}
    terms["Association"] = ASSOCIATION
    return terms


def all_props() -> list[Prop]:
    identifier = Prop("id", DCT_IDENTIFIER, Kind.STRING, IDENTIFIER_COMMENT, "identifier")
    name = Prop("name", RDFS_LABEL, Kind.STRING, "The entity's preferred name.")
    return [identifier, name, *NODE_PROPS, *PROVENANCE_PROPS, *EDGE_PROPS]


@cache
def term_index() -> dict[tuple[str, str | None], str]:
    """(property IRI, "@id" or datatype or None) -> the JSON-LD term that writes it compactly."""
    index: dict[tuple[str, str | None], str] = {}
    for prop in all_props():
        coercion = "@id" if prop.kind is Kind.CURIE else prop.datatype
        index.setdefault((prop.iri, coercion), prop.name)
    for predicate in Predicate:
        index.setdefault((predicate_iri(predicate), "@id"), predicate.value)
    for name, target in (
        ("subject", RDF_SUBJECT),
        ("predicate", RDF_PREDICATE),
        ("object", RDF_OBJECT),
    ):
        index[(target, "@id")] = name
    return index


def _compact_iri(value: str) -> str:
    for prefix, base in NAMESPACES.items():
        if value.startswith(base) and len(value) > len(base):
            return f"{prefix}:{value[len(base) :]}"
    return value


def build_context() -> dict[str, Any]:
    """The published JSON-LD @context (``ontology/context.jsonld``)."""
    ctx: dict[str, Any] = {"@version": 1.1}
    ctx.update(NAMESPACES)
    for prefix, base in curie_bases().items():
        if base.endswith(("/", "#")):
            ctx[prefix] = base
        else:  # JSON-LD 1.1 only treats such a term as a prefix when told so
            ctx[prefix] = {"@id": base, "@prefix": True}
    for term, target in class_terms().items():
        ctx[term] = _compact_iri(target)
    for name, target in (
        ("subject", RDF_SUBJECT),
        ("predicate", RDF_PREDICATE),
        ("object", RDF_OBJECT),
    ):
        ctx[name] = {"@id": _compact_iri(target), "@type": "@id"}
    for predicate in Predicate:
        ctx[predicate.value] = {"@id": _compact_iri(predicate_iri(predicate)), "@type": "@id"}
    for prop in all_props():
        if prop.name in ctx:
            continue
        definition: dict[str, Any] = {"@id": _compact_iri(prop.iri)}
        if prop.kind is Kind.CURIE:
            definition["@type"] = "@id"
        elif prop.datatype is not None:
            definition["@type"] = _compact_iri(prop.datatype)
        ctx[prop.name] = definition
    return {"@context": ctx}


def render_context() -> str:
    return json.dumps(build_context(), indent=2, ensure_ascii=False) + "\n"
