"""The published artifacts: JSON-LD context, OWL vocabulary, SHACL shapes.

They are generated from the vocabulary (``python -m ontology.rdf``); these tests fail when a
committed file is stale, when a term used by the export is not declared, and when the shapes
let a broken export through.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from importlib.metadata import version

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node as RdfNode

from ontology import rdf
from ontology.identifiers import iri
from ontology.records import Edge, Node
from ontology.vocab import PKG, PREDICATES, Category, Predicate
from tests.unit.rdf import fixture_graph as fx
from tests.unit.rdf.test_mapping import curated_records

INFO = rdf.DatasetInfo(version="0.0.test", created=date(2026, 11, 24))
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = URIRef(rdf.RDF_TYPE)
# The datatypes OWL 2 DL knows (its datatype map), among those we could use.
OWL2_DATATYPES = {
    URIRef(XSD + t) for t in ("string", "integer", "double", "boolean", "dateTime", "decimal")
}


def export_graph(records: list[Node | Edge] | None = None) -> Graph:
    collector = rdf.TripleCollector()
    rdf.export_records(
        records if records is not None else fx.RECORDS,
        rdf.Exporter(collector, INFO, fmt=rdf.FORMATS["ttl"]),
    )
    return rdf.to_graph(collector.triples)


def test_the_published_context_is_current() -> None:
    assert json.loads(rdf.CONTEXT_FILE.read_text()) == rdf.build_context(), (
        "ontology/context.jsonld is stale: run python -m ontology.rdf"
    )


def test_the_owl_file_is_current() -> None:
    committed = Graph().parse(rdf.OWL_FILE, format="turtle")
    assert isomorphic(committed, rdf.owl_graph(version("pharmakg"))), (
        "ontology/pharmakg.owl.ttl is stale: run python -m ontology.rdf"
    )


def test_the_shapes_file_is_current() -> None:
    committed = Graph().parse(rdf.SHAPES_FILE, format="turtle")
    assert isomorphic(committed, rdf.shapes_graph()), (
        "ontology/shapes.ttl is stale: run python -m ontology.rdf"
    )


def owl() -> Graph:
    return Graph().parse(rdf.OWL_FILE, format="turtle")


def test_the_ontology_has_a_header() -> None:
    g = owl()
    ontologies = list(g.subjects(RDF_TYPE, URIRef(OWL + "Ontology")))
    assert ontologies == [URIRef(rdf.ONTOLOGY_IRI)]
    assert g.value(ontologies[0], URIRef(OWL + "versionInfo")) == Literal(version("pharmakg"))


def test_every_term_an_export_uses_is_declared_with_a_label() -> None:
    g, data = owl(), export_graph([*fx.RECORDS, *curated_records()])
    declared = {
        s
        for kind in ("Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty")
        for s in g.subjects(RDF_TYPE, URIRef(OWL + kind))
    }
    builtin = (rdf.RDF, rdf.RDFS, OWL, rdf.VOID, rdf.DCAT)
    used = {p for _, p, _ in data} | {o for _, p, o in data if p == RDF_TYPE}
    ours = {
        t
        for t in used
        if (not str(t).startswith(builtin) and not str(t).startswith(rdf.DCTERMS))
        or t == URIRef(rdf.DCT_IDENTIFIER)
    }
    assert ours - declared == set()
    for term in ours:
        assert g.value(term, URIRef(rdf.RDFS_LABEL)) is not None, term
        if str(term).startswith(PKG):
            assert g.value(term, URIRef(rdf.RDFS_COMMENT)) is not None, term
            assert g.value(term, URIRef(rdf.RDFS_DEFINED_BY)) == URIRef(rdf.ONTOLOGY_IRI)


def test_our_terms_specialise_biolink_terms() -> None:
    g = owl()
    for category in Category:
        assert (
            URIRef(rdf.class_iri(category)),
            URIRef(rdf.RDFS_SUBCLASS),
            URIRef(rdf.biolink_class_iri(category)),
        ) in g
    for predicate in Predicate:
        if PREDICATES[predicate].own_term:
            assert (
                URIRef(rdf.predicate_iri(predicate)),
                URIRef(rdf.RDFS_SUBPROPERTY),
                URIRef(rdf.biolink_predicate_iri(predicate)),
            ) in g


def test_the_ontology_keeps_to_owl2_dl() -> None:
    """What the OWL API's DL profile check would reject: mixed property kinds, unknown
    datatypes, undeclared terms in axioms."""
    g = owl()
    kinds: dict[RdfNode, str] = {}
    for kind in ("ObjectProperty", "DatatypeProperty", "AnnotationProperty"):
        for term in g.subjects(RDF_TYPE, URIRef(OWL + kind)):
            assert term not in kinds, f"{term} is both {kinds[term]} and {kind}"
            kinds[term] = kind
    for _, _, datatype in g.triples((None, URIRef(rdf.RDFS + "range"), None)):
        if str(datatype).startswith(XSD):
            assert datatype in OWL2_DATATYPES, datatype
    declared = set(kinds) | set(g.subjects(RDF_TYPE, URIRef(OWL + "Class")))
    axioms = (rdf.RDFS_SUBCLASS, rdf.RDFS_SUBPROPERTY, rdf.RDFS + "domain", rdf.RDFS + "range")
    for predicate in axioms:
        for s, _, o in g.triples((None, URIRef(predicate), None)):
            assert s in declared, s
            assert isinstance(o, BNode) or o in declared or o in OWL2_DATATYPES, o


# -- SHACL -----------------------------------------------------------------------------------


@pytest.mark.parametrize("dataset", ["fixture", "curated"])
def test_exports_conform_to_the_shapes(dataset: str) -> None:
    records = fx.RECORDS if dataset == "fixture" else curated_records()
    conforms, report = rdf.validate(export_graph(records))
    assert conforms, report


def _edge(g: Graph, predicate: str) -> URIRef:
    for e in g.subjects(URIRef(rdf.RDF_PREDICATE), URIRef(predicate)):
        assert isinstance(e, URIRef)
        return e
    raise AssertionError(predicate)


def drop_direct_triple(g: Graph) -> None:
    e = _edge(g, rdf.predicate_iri(Predicate.METABOLIZED_TO))
    g.remove(
        (
            g.value(e, URIRef(rdf.RDF_SUBJECT)),
            g.value(e, URIRef(rdf.RDF_PREDICATE)),
            g.value(e, URIRef(rdf.RDF_OBJECT)),
        )
    )


def stray_property(g: Graph) -> None:
    g.add((URIRef(iri(fx.MIDAZOLAM)), URIRef(PKG + "value"), Literal(1.0)))


def wrong_range(g: Graph) -> None:
    g.add(
        (
            URIRef(iri(fx.MITRAGYNINE)),
            URIRef(rdf.predicate_iri(Predicate.AGONIST_OF)),
            URIRef(iri(fx.HAZIM)),
        )
    )


def no_publication(g: Graph) -> None:
    g.remove(
        (
            _edge(g, rdf.predicate_iri(Predicate.METABOLIZED_TO)),
            URIRef("https://w3id.org/biolink/vocab/publications"),
            None,
        )
    )


def value_without_unit(g: Graph) -> None:
    g.remove((None, URIRef(PKG + "unit"), Literal("uM")))


def unknown_knowledge_level(g: Graph) -> None:
    e = _edge(g, rdf.predicate_iri(Predicate.METABOLIZED_TO))
    g.set((e, URIRef("https://w3id.org/biolink/vocab/knowledge_level"), Literal("hunch")))


def untyped_value(g: Graph) -> None:
    e = next(g.subjects(URIRef(PKG + "value"), None))
    g.set((e, URIRef(PKG + "value"), Literal("233 nM")))


def no_licence(g: Graph) -> None:
    g.remove((URIRef(rdf.DATASET_IRI), URIRef("http://purl.org/dc/terms/license"), None))


def missing_label(g: Graph) -> None:
    g.remove((URIRef(iri(fx.CYP3A4)), URIRef(rdf.RDFS_LABEL), None))


@pytest.mark.parametrize(
    ("mutate", "component"),
    [
        (drop_direct_triple, "SPARQLConstraintComponent"),
        (stray_property, "ClosedConstraintComponent"),
        (wrong_range, "OrConstraintComponent"),
        (no_publication, "MinCountConstraintComponent"),
        (value_without_unit, "XoneConstraintComponent"),
        (unknown_knowledge_level, "InConstraintComponent"),
        (untyped_value, "DatatypeConstraintComponent"),
        (no_licence, "MinCountConstraintComponent"),
        (missing_label, "MinCountConstraintComponent"),
    ],
)
def test_the_shapes_catch_a_broken_export(mutate: Callable[[Graph], None], component: str) -> None:
    g = export_graph()
    mutate(g)
    conforms, report = rdf.validate(g)
    assert not conforms
    assert component in report
