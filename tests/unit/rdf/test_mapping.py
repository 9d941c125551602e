"""Records -> triples: IRIs, Biolink terms, every property kept, and back again."""

from __future__ import annotations

import io
from datetime import date
from typing import Any, cast

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import IdentifiedNode

from loaders import curated
from loaders.base import Collector
from loaders.curated_format import DATASET_VERSION, DEFAULT_DIR
from ontology import rdf
from ontology.identifiers import expand, iri
from ontology.records import Edge, Node, Provenance, Record
from ontology.vocab import PKG, PREDICATES, Category, Predicate
from tests.unit.rdf import fixture_graph as fx

XSD = "http://www.w3.org/2001/XMLSchema#"
INFO = rdf.DatasetInfo(version="0.0.test", created=date(2026, 11, 24))


def curated_records() -> list[Record]:
    return list(curated.iter_records(DEFAULT_DIR, Collector(strict=False)))


def graph_of(records: list[Record], *, star: bool = False) -> Graph:
    collector = rdf.TripleCollector()
    rdf.export_records(records, rdf.Exporter(collector, INFO, star=star))
    return rdf.to_graph(collector.triples)


def normal(record: Record) -> Record:
    """A record with its unordered lists sorted (RDF has no order among values)."""
    if isinstance(record, Node):
        return record.model_copy(
            update={
                "synonyms": tuple(sorted(record.synonyms)),
                "xrefs": tuple(sorted(record.xrefs)),
            }
        )
    prov = record.provenance
    return record.model_copy(
        update={
            "provenance": prov.model_copy(
                update={
                    "publications": tuple(sorted(prov.publications)),
                    "aggregator_knowledge_sources": tuple(
                        sorted(prov.aggregator_knowledge_sources)
                    ),
                }
            )
        }
    )


def test_entity_iris_come_from_the_curie_map() -> None:
    curies = {
        c
        for r in [*curated_records(), *fx.RECORDS]
        if isinstance(r, Node)
        for c in (r.id, *r.xrefs)
    }
    curies |= {
        p
        for r in [*curated_records(), *fx.RECORDS]
        if isinstance(r, Edge)
        for p in r.provenance.publications
    }
    assert len(curies) > 100
    for curie in curies:
        assert iri(curie) == expand(curie), curie
        assert rdf.curie_of(iri(curie)) == curie


@pytest.mark.parametrize(
    ("curie", "expected"),
    [
        ("PUBCHEM.COMPOUND:3034396", "http://identifiers.org/pubchem.compound/3034396"),
        ("UniProtKB:P35372", "http://purl.uniprot.org/uniprot/P35372"),
        ("MONDO:0005618", "http://purl.obolibrary.org/obo/MONDO_0005618"),
        ("PMID:24464759", "http://www.ncbi.nlm.nih.gov/pubmed/24464759"),
        ("DOI:10.1007/s12576-014-0304-0", "https://doi.org/10.1007/s12576-014-0304-0"),
        ("DOI:10.1002/(SICI)1097<4636>", "https://doi.org/10.1002/(SICI)1097%3C4636%3E"),
        ("PHARMAKG:outcome/epm", "https://w3id.org/pharmakg/id/outcome/epm"),
    ],
)
def test_iris_are_standard_and_safe(curie: str, expected: str) -> None:
    assert iri(curie) == expected


def test_a_node_gets_our_class_its_biolink_class_a_label_and_its_attributes() -> None:
    mitragynine = next(n for n in fx.NODES if n.id == fx.MITRAGYNINE)
    g = rdf.to_graph(rdf.node_triples(mitragynine, sources=("infores:chembl",)))
    s = URIRef(iri(fx.MITRAGYNINE))
    types = set(g.objects(s, URIRef(rdf.RDF_TYPE)))
    assert types == {
        URIRef(PKG + "Alkaloid"),
        URIRef("https://w3id.org/biolink/vocab/SmallMolecule"),
    }
    assert g.value(s, URIRef(rdf.RDFS_LABEL)) == Literal("mitragynine")
    assert g.value(s, URIRef(rdf.DCT_IDENTIFIER)) == Literal(fx.MITRAGYNINE)
    assert set(g.objects(s, URIRef("https://w3id.org/biolink/vocab/xref"))) == {
        URIRef("http://identifiers.org/chembl.compound/CHEMBL299031"),
        URIRef("http://identifiers.org/cas/4098-40-2"),
    }
    assert set(g.objects(s, URIRef("https://w3id.org/biolink/vocab/provided_by"))) == {
        URIRef(iri("infores:pharmakg")),
        URIRef(iri("infores:chembl")),
    }
    assert g.value(s, URIRef("https://w3id.org/biolink/vocab/has_chemical_formula")) == Literal(
        "C23H30N2O4"
    )
    assert g.value(s, URIRef("http://purl.org/dc/terms/description")) is not None


def test_an_edge_is_a_direct_triple_and_an_association_node_with_every_property() -> None:
    ki = fx.EDGES[2]
    g = rdf.to_graph(rdf.edge_triples(ki, "abc123"))
    s, o = URIRef(iri(fx.MITRAGYNINE)), URIRef(iri(fx.MOR))
    p = URIRef("https://w3id.org/biolink/vocab/directly_physically_interacts_with")
    e = URIRef("https://w3id.org/pharmakg/id/edge/abc123")
    assert (s, p, o) in g
    assert set(g.objects(e, URIRef(rdf.RDF_TYPE))) == {
        URIRef(rdf.ASSOCIATION),
        URIRef(rdf.RDF_STATEMENT),
    }
    assert (
        g.value(e, URIRef(rdf.RDF_SUBJECT)),
        g.value(e, URIRef(rdf.RDF_PREDICATE)),
        g.value(e, URIRef(rdf.RDF_OBJECT)),
    ) == (s, p, o)
    value = g.value(e, URIRef(PKG + "value"))
    assert isinstance(value, Literal)
    assert value.datatype == URIRef(XSD + "double")
    assert value.toPython() == 233.0
    assert g.value(e, URIRef(PKG + "unit")) == Literal("nM")
    assert g.value(e, URIRef(PKG + "measure")) == Literal("Ki")
    assert set(g.objects(e, URIRef("https://w3id.org/biolink/vocab/publications"))) == {
        URIRef("http://www.ncbi.nlm.nih.gov/pubmed/27192616")
    }
    assert g.value(e, URIRef("https://w3id.org/biolink/vocab/primary_knowledge_source")) == URIRef(
        "https://w3id.org/information-resource-registry/chembl"
    )
    assert g.value(e, URIRef("https://w3id.org/biolink/vocab/knowledge_level")) == Literal(
        "knowledge_assertion"
    )
    assert g.value(e, URIRef("https://w3id.org/biolink/vocab/negated")) == Literal(
        "false", datatype=URIRef(XSD + "boolean")
    )
    assert g.value(e, URIRef(PKG + "retrieval_date")) == Literal(
        "2026-01-05", datatype=URIRef(XSD + "date")
    )


@pytest.mark.parametrize("predicate", list(Predicate))
def test_predicates_are_biolink_slots_or_our_subproperties(predicate: Predicate) -> None:
    iri = rdf.predicate_iri(predicate)
    if PREDICATES[predicate].own_term:
        assert iri == PKG + predicate.value
        triples = set(rdf.vocabulary_triples())
        assert (iri, rdf.RDFS_SUBPROPERTY, rdf.biolink_predicate_iri(predicate)) in triples
    else:
        assert iri == rdf.biolink_predicate_iri(predicate)
        assert iri.startswith("https://w3id.org/biolink/vocab/")


def test_every_record_field_has_a_property() -> None:
    """Nothing is lost by omission: a new field on a record must be mapped here."""
    node_fields = set(Node.model_fields) - {"id", "category", "name"}
    assert node_fields == {p.field for p in rdf.NODE_PROPS}
    assert set(Provenance.model_fields) == {p.field for p in rdf.PROVENANCE_PROPS}
    edge_fields = set(Edge.model_fields) - {"subject", "predicate", "object", "provenance"}
    assert edge_fields == {p.field for p in rdf.EDGE_PROPS}


@pytest.mark.parametrize("dataset", ["curated", "fixture"])
def test_records_survive_the_round_trip_through_rdf(dataset: str) -> None:
    records = curated_records() if dataset == "curated" else fx.RECORDS
    nodes, edges = rdf.read_records(graph_of(records))
    expected_nodes = {r.id: normal(r) for r in records if isinstance(r, Node)}
    assert {n.id: normal(n) for n, _ in nodes} == expected_nodes
    expected_edges = {r.id: normal(r) for r in records if isinstance(r, Edge)}
    assert {e.id: normal(e) for e in edges} == expected_edges
    assert len(expected_edges) > 30


def test_a_taxon_that_is_no_curie_is_kept_as_text() -> None:
    kor = next(n for n in fx.NODES if n.id == fx.KOR)
    triples = rdf.node_triples(kor)
    assert (iri(fx.KOR), PKG + "taxon", rdf.Lit("human")) in triples


def test_star_reifies_with_a_triple_term_instead_of_rdf_statement() -> None:
    triples = rdf.edge_triples(fx.EDGES[2], "abc", star=True)
    e = rdf.edge_iri("abc")
    direct = triples[0]
    s, p, o = direct
    assert not isinstance(o, rdf.TripleTerm)
    assert (e, rdf.RDF_REIFIES, rdf.TripleTerm(s, p, o)) in triples
    assert all(p not in (rdf.RDF_SUBJECT, rdf.RDF_PREDICATE, rdf.RDF_OBJECT) for _, p, _ in triples)
    assert (e, PKG + "value", rdf.Lit("233.0", XSD + "double")) in triples
    with pytest.raises(TypeError, match="triple terms"):
        rdf.to_graph(triples)


def test_the_dataset_description_counts_what_was_written() -> None:
    collector = rdf.TripleCollector()
    rdf.export_records(fx.RECORDS, rdf.Exporter(collector, INFO, fmt=rdf.FORMATS["ttl"]))
    g = rdf.to_graph(collector.triples)
    d = URIRef(rdf.DATASET_IRI)

    def one(p: str) -> Any:
        value = g.value(d, URIRef(p))
        assert value is not None, p
        return cast(IdentifiedNode | Literal, value).toPython()

    # every triple once, and the count is of the whole document (its description included)
    assert len(set(collector.triples)) == len(collector.triples) == len(g)
    assert one(rdf.VOID + "triples") == len(g)
    assert one(rdf.VOID + "entities") == len(fx.NODES) + len(fx.EDGES)
    assert one(rdf.DCAT + "version") == "0.0.test"
    assert one("http://purl.org/dc/terms/created") == date(2026, 11, 24)
    assert one("http://purl.org/dc/terms/license") == "https://spdx.org/licenses/CC-BY-4.0"
    assert one(rdf.VOID + "feature") == "http://www.w3.org/ns/formats/Turtle"
    sources = {str(s) for s in g.objects(d, URIRef("http://purl.org/dc/terms/source"))}
    assert sources == {
        iri(s) for s in ("infores:pharmakg", "infores:chembl", "infores:gtopdb", "infores:mondo")
    }
    versions = set(g.objects(URIRef(iri("infores:pharmakg")), URIRef(rdf.DCAT + "version")))
    assert versions == {Literal("test")}
    partition = URIRef(rdf.DATASET_IRI + "/class/Study")
    assert g.value(partition, URIRef(rdf.VOID + "entities")).toPython() == 5  # type: ignore[union-attr]
    for predicate in Predicate:  # per predicate: the distinct triples in the document
        partition = URIRef(rdf.DATASET_IRI + f"/property/{predicate.value}")
        stated = len(list(g.triples((None, URIRef(rdf.predicate_iri(predicate)), None))))
        count = g.value(partition, URIRef(rdf.VOID + "triples"))
        assert (cast(Literal, count).toPython() if count is not None else 0) == stated, predicate


def test_edges_stating_one_triple_write_it_once() -> None:
    """Two studies of one binding: two association nodes, one direct triple."""
    first = next(e for e in fx.EDGES if not e.negated)
    second = first.model_copy(
        update={
            "provenance": first.provenance.model_copy(update={"publications": ("PMID:30000003",)})
        }
    )
    assert first.id != second.id
    collector = rdf.TripleCollector()
    rdf.export_records([first, second], rdf.Exporter(collector, INFO))
    direct = (iri(first.subject), rdf.predicate_iri(first.predicate), iri(first.object))
    assert collector.triples.count(direct) == 1
    assert len(set(collector.triples)) == len(collector.triples)


def test_the_vocabulary_block_labels_our_terms_and_biolinks() -> None:
    g = rdf.to_graph(rdf.vocabulary_triples())
    alkaloid = URIRef(PKG + "Alkaloid")
    assert g.value(alkaloid, URIRef(rdf.RDFS_LABEL)) == Literal("alkaloid")
    small = URIRef("https://w3id.org/biolink/vocab/SmallMolecule")
    assert g.value(alkaloid, URIRef(rdf.RDFS_SUBCLASS)) == small
    assert g.value(small, URIRef(rdf.RDFS_LABEL)) == Literal("small molecule")
    for category in Category:
        assert g.value(URIRef(rdf.class_iri(category)), URIRef(rdf.RDFS_LABEL)) is not None


def test_the_same_records_give_the_same_graph() -> None:
    assert isomorphic(graph_of(fx.RECORDS), graph_of(list(reversed(fx.RECORDS))))


def test_a_negated_edge_is_an_association_without_its_triple() -> None:
    negated = next(e for e in fx.EDGES if e.negated)
    triples = rdf.edge_triples(negated, "n1")
    s, o = iri(negated.subject), iri(negated.object)
    p = rdf.predicate_iri(negated.predicate)
    assert (s, p, o) not in triples
    e = rdf.edge_iri("n1")
    assert (e, rdf.RDF_SUBJECT, s) in triples
    true = rdf.Lit("true", XSD + "boolean")
    assert (e, "https://w3id.org/biolink/vocab/negated", true) in triples
    star = rdf.edge_triples(negated, "n1", star=True)
    assert (e, rdf.RDF_REIFIES, rdf.TripleTerm(s, p, o)) in star
    assert (s, p, o) not in star


@pytest.mark.parametrize("name", ["ttl", "nt", "xml", "nq"])
def test_the_curated_export_describes_itself_truly(name: str) -> None:
    """Counted against the written file: distinct triples, per predicate, each source's own
    version (never the curated dataset's for HP, DOID, GtoPdb)."""
    fmt = rdf.FORMATS[name]
    text = io.StringIO()
    rdf.export_records(
        curated_records(), rdf.Exporter(rdf.writer_for(fmt, text.write), INFO, fmt=fmt)
    )
    lines = text.getvalue()
    if fmt.quads:
        dataset = Dataset()
        dataset.parse(data=lines, format=fmt.rdflib)
        g = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            g.add((s, p, o))
        assert len(lines.splitlines()) == len(g)  # one quad a line, none repeated
    else:
        g = Graph().parse(data=lines, format=fmt.rdflib)
        if name == "nt":
            assert len(lines.splitlines()) == len(set(lines.splitlines())) == len(g)
    d = URIRef(rdf.DATASET_IRI)
    assert g.value(d, URIRef(rdf.VOID + "triples")).toPython() == len(g)  # type: ignore[union-attr]
    for predicate in Predicate:
        partition = URIRef(rdf.DATASET_IRI + f"/property/{predicate.value}")
        count = g.value(partition, URIRef(rdf.VOID + "triples"))
        stated = len(set(g.triples((None, URIRef(rdf.predicate_iri(predicate)), None))))
        assert (cast(Literal, count).toPython() if count is not None else 0) == stated, predicate
    for source in ("infores:hp", "infores:doid", "infores:gtopdb"):
        versions = {str(v) for v in g.objects(URIRef(iri(source)), URIRef(rdf.DCAT + "version"))}
        assert DATASET_VERSION not in versions, source
    assert {
        str(v) for v in g.objects(URIRef(iri("infores:pharmakg")), URIRef(rdf.DCAT + "version"))
    } == {DATASET_VERSION}
