"""Streaming writers and rdflib serializers give the same graph, in every format."""

from __future__ import annotations

import json
from datetime import date

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from ontology import rdf
from ontology.identifiers import iri
from ontology.records import Record
from tests.unit.rdf import fixture_graph as fx
from tests.unit.rdf.test_mapping import curated_records

INFO = rdf.DatasetInfo(version="0.0.test", created=date(2026, 11, 24))
OXIGRAPH = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}


def streamed(records: list[Record], fmt: rdf.Format, *, star: bool = False) -> str:
    parts: list[str] = []
    exporter = rdf.Exporter(rdf.writer_for(fmt, parts.append), INFO, fmt=fmt, star=star)
    rdf.export_records(records, exporter)
    return "".join(parts)


def reference(records: list[Record], fmt: rdf.Format) -> Graph:
    collector = rdf.TripleCollector()
    rdf.export_records(records, rdf.Exporter(collector, INFO, fmt=fmt))
    return rdf.to_graph(collector.triples)


def parse(data: str | bytes, fmt: rdf.Format) -> Graph:
    if not fmt.quads:
        return Graph().parse(data=data, format=fmt.rdflib)
    dataset = Dataset()
    dataset.parse(data=data, format=fmt.rdflib)
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert graphs == {rdf.DATASET_IRI}
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def assert_same(actual: Graph, expected: Graph) -> None:
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail(f"graphs differ:\n+ {sorted(only_actual)[:5]}\n- {sorted(only_expected)[:5]}")


@pytest.mark.parametrize("name", list(rdf.FORMATS))
def test_streamed_output_is_the_graph(name: str) -> None:
    fmt = rdf.FORMATS[name]
    records = [*fx.RECORDS, *curated_records()]
    text = streamed(records, fmt)
    expected = reference(records, fmt)
    assert_same(parse(text, fmt), expected)
    assert len(expected) > 5000
    # and another implementation reads it the same way
    quads = {(q.subject, q.predicate, q.object) for q in ox.parse(text, OXIGRAPH[name])}
    assert len(quads) == len(expected)


@pytest.mark.parametrize("name", list(rdf.FORMATS))
def test_rdflib_serializers_give_the_same_graph(name: str) -> None:
    fmt = rdf.FORMATS[name]
    collector = rdf.TripleCollector()
    rdf.export_records(fx.RECORDS, rdf.Exporter(collector, INFO, fmt=fmt))
    assert_same(parse(rdf.serialize(collector.triples, fmt), fmt), reference(fx.RECORDS, fmt))


def test_turtle_is_compact_and_jsonld_carries_the_published_context() -> None:
    turtle = streamed(fx.RECORDS, rdf.FORMATS["ttl"])
    assert "a pkg:Alkaloid , biolink:SmallMolecule ;" in turtle
    assert "edge:" in turtle
    assert "PUBCHEM.COMPOUND:3034396 a pkg:Alkaloid" in turtle
    document = json.loads(streamed(fx.RECORDS, rdf.FORMATS["jsonld"]))
    published = json.loads(rdf.CONTEXT_FILE.read_text())
    assert document["@context"] == published["@context"]
    mitragynine = next(o for o in document["@graph"] if o["@id"] == fx.MITRAGYNINE)
    assert mitragynine["@type"] == ["Alkaloid", "biolink:SmallMolecule"]
    assert mitragynine["name"] == "mitragynine"
    assert mitragynine["xrefs"] == ["CHEMBL.COMPOUND:CHEMBL299031", "CAS:4098-40-2"]


def test_writers_stream_each_record_as_it_comes() -> None:
    for fmt in rdf.FORMATS.values():
        parts: list[str] = []
        exporter = rdf.Exporter(rdf.writer_for(fmt, parts.append), INFO, fmt=fmt)
        exporter.begin()
        before = len(parts)
        exporter.node(fx.NODES[1])
        assert len(parts) == before + 1, fmt.name
        assert "mitragynine" in parts[-1]


@pytest.mark.parametrize("name", ["nt", "ttl", "nq", "trig"])
def test_rdf_star_output_reads_as_rdf_1_2_and_answers_sparql_star(name: str) -> None:
    fmt = rdf.FORMATS[name]
    text = streamed(fx.RECORDS, fmt, star=True)
    store = ox.Store()
    store.load(text, OXIGRAPH[name])
    pattern = """<< <http://identifiers.org/pubchem.compound/3034396>
                    biolink:directly_physically_interacts_with
                    <http://purl.uniprot.org/uniprot/P35372> >> pkg:value ?value ; pkg:unit ?unit"""
    query = f"""
    PREFIX pkg: <https://w3id.org/pharmakg/vocab/>
    PREFIX biolink: <https://w3id.org/biolink/vocab/>
    SELECT ?value ?unit WHERE {{ {f"GRAPH ?g {{ {pattern} }}" if fmt.quads else pattern} }}"""
    rows = {(float(r["value"].value), r["unit"].value) for r in store.query(query)}  # type: ignore[union-attr]
    assert rows == {(233.0, "nM"), (709.0, "nM")}
    assert "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement>" not in text


def test_star_needs_a_format_that_carries_it() -> None:
    with pytest.raises(rdf.UnknownFormatError, match="ttl, nt, nq, trig"):
        rdf.Exporter(rdf.TripleCollector(), INFO, fmt=rdf.FORMATS["jsonld"], star=True)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ttl", "ttl"),
        ("Turtle", "ttl"),
        ("text/turtle", "ttl"),
        ("nt", "nt"),
        ("application/n-triples", "nt"),
        ("json-ld", "jsonld"),
        ("application/ld+json", "jsonld"),
        ("rdfxml", "xml"),
        ("application/rdf+xml", "xml"),
        ("nquads", "nq"),
        ("trig", "trig"),
    ],
)
def test_formats_by_name_alias_or_media_type(name: str, expected: str) -> None:
    assert rdf.format_for(name).name == expected


def test_an_unknown_format_lists_the_known_ones() -> None:
    with pytest.raises(rdf.UnknownFormatError, match=r"ttl \(text/turtle\).*jsonld"):
        rdf.format_for("yaml")


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40)
# XML 1.0 cannot carry most control characters (the RDF/XML writer replaces them).
_XML_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
)


@settings(max_examples=60, deadline=None)
@given(name=_TEXT, note=_TEXT, local=st.from_regex(r"10\.[0-9]{4}/[!-~]{1,20}", fullmatch=True))
def test_any_text_and_any_doi_survive_every_text_format(name: str, note: str, local: str) -> None:
    records: list[Record] = [
        fx.NODES[1].model_copy(update={"name": name, "description": note}),
        fx.NODES[6],
        fx.EDGES[2].model_copy(update={"note": note, "provenance": fx.prov(f"DOI:{local}")}),
    ]
    for fmt_name in ("nt", "ttl", "jsonld", "nq", "trig"):
        fmt = rdf.FORMATS[fmt_name]
        graph = parse(streamed(records, fmt), fmt)
        assert_same(graph, reference(records, fmt))
        assert Literal(note) in set(graph.objects())


@settings(max_examples=40, deadline=None)
@given(note=_XML_TEXT)
def test_any_printable_text_survives_rdf_xml(note: str) -> None:
    fmt = rdf.FORMATS["xml"]
    records: list[Record] = [fx.NODES[1].model_copy(update={"description": note})]
    graph = parse(streamed(records, fmt), fmt)
    assert (
        URIRef(iri(fx.MITRAGYNINE)),
        URIRef("http://purl.org/dc/terms/description"),
        Literal(note),
    ) in graph
