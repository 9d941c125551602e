"""rdflib, for small parts: our triples as an rdflib graph, serialised by rdflib's plugins."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Dataset, Graph, Literal, URIRef

from ontology.rdf.context import build_context
from ontology.rdf.stream import Format
from ontology.rdf.terms import DATASET_IRI, Lit, Obj, Triple, all_prefixes


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
