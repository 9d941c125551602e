"""Records to triples and back: a node, an edge (its association node), a neighbour's label."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node as RdfNode

from ontology.identifiers import iri, is_curie
from ontology.rdf.properties import (
    EDGE_PROPS,
    EDGE_SPECS,
    NODE_PROPS,
    PROVENANCE_PROPS,
    PROVENANCE_SPECS,
    Prop,
    Spec,
)
from ontology.rdf.terms import (
    ASSOCIATION,
    DCT_IDENTIFIER,
    FOAF_PAGE,
    PKG_TAXON,
    RDF_OBJECT,
    RDF_PREDICATE,
    RDF_REIFIES,
    RDF_STATEMENT,
    RDF_SUBJECT,
    RDF_TYPE,
    RDFS_LABEL,
    Lit,
    Triple,
    TripleTerm,
    curie_of,
    edge_iri,
    page_iri,
)
from ontology.rdf.vocabulary import category_types, class_iri, predicate_iris
from ontology.records import Edge, Node, Provenance
from ontology.vocab import Category


def node_triples(node: Node, sources: Iterable[str] = ()) -> list[Triple]:
    """A node's triples; ``sources`` are further infores that contributed to it (storage)."""
    s = iri(node.id)
    ours, theirs = category_types()[node.category]
    out: list[Triple] = [
        (s, RDF_TYPE, ours),
        (s, RDF_TYPE, theirs),
        (s, RDFS_LABEL, Lit(node.name)),
        (s, DCT_IDENTIFIER, Lit(node.id)),
        (s, FOAF_PAGE, page_iri(node.id)),
    ]
    for prop in NODE_PROPS:
        value = getattr(node, prop.field)
        if value is None:
            continue
        if prop.field == "source":
            out += [(s, prop.iri, iri(v)) for v in sorted({value, *sources})]
        elif prop.field == "taxon" and not is_curie(value):
            out.append((s, PKG_TAXON, Lit(value)))
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
    s, p, o = iri(edge.subject), predicate_iris()[edge.predicate], iri(edge.object)
    out: list[Triple] = [] if edge.negated else [(s, p, o)]
    if star:
        out += [(e, RDF_TYPE, ASSOCIATION), (e, RDF_REIFIES, TripleTerm(s, p, o))]
    else:
        out += [
            (e, RDF_TYPE, ASSOCIATION),
            (e, RDF_TYPE, RDF_STATEMENT),
            (e, RDF_SUBJECT, s),
            (e, RDF_PREDICATE, p),
            (e, RDF_OBJECT, o),
        ]
    out.append((e, DCT_IDENTIFIER, Lit(edge_id or edge.id)))
    _add_props(out, e, edge.provenance, PROVENANCE_SPECS)
    _add_props(out, e, edge, EDGE_SPECS)
    return out


def _add_props(
    out: list[Triple], subject: str, record: Provenance | Edge, specs: dict[str, Spec]
) -> None:
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
    ours, theirs = category_types()[node.category]
    return [
        (s, RDF_TYPE, ours),
        (s, RDF_TYPE, theirs),
        (s, RDFS_LABEL, Lit(node.name)),
        (s, DCT_IDENTIFIER, Lit(node.id)),
    ]


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
            taxon = graph.value(subject, URIRef(PKG_TAXON))
            if taxon is not None:
                fields["taxon"] = str(taxon)
            nodes.append((Node(**fields), sources))
    edges = [_read_edge(graph, e) for e in graph.subjects(URIRef(RDF_TYPE), URIRef(ASSOCIATION))]
    return nodes, edges


def _read_edge(graph: Graph, e: RdfNode) -> Edge:
    by_iri = {URIRef(iri_): p for p, iri_ in predicate_iris().items()}
    predicate = by_iri[URIRef(str(graph.value(e, URIRef(RDF_PREDICATE))))]
    subject = curie_of(str(graph.value(e, URIRef(RDF_SUBJECT))))
    obj = curie_of(str(graph.value(e, URIRef(RDF_OBJECT))))
    provenance = _read_props(graph, e, PROVENANCE_PROPS)
    fields = _read_props(graph, e, EDGE_PROPS)
    return Edge(
        subject=subject,
        predicate=predicate,
        object=obj,
        provenance=Provenance(**provenance),
        **fields,
    )


def _read_props(graph: Graph, subject: RdfNode, props: tuple[Prop, ...]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for prop in props:
        found = sorted(prop.value(v) for v in graph.objects(subject, URIRef(prop.iri)))
        if found:
            fields[prop.field] = tuple(found) if prop.many else found[0]
    return fields


# -- the vocabulary block, the dataset description -------------------------------------------
