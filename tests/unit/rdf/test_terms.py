"""The RDF terms come from namespace classes that refuse unknown terms (a typo fails loudly)."""

from __future__ import annotations

import pytest
from rdflib.namespace import DefinedNamespace

from ontology import rdf
from ontology.rdf import terms
from ontology.rdf.writers import jsonld, ntriples, rdfxml, turtle


@pytest.mark.parametrize(
    "namespace",
    [
        terms.RDF_NS,
        terms.RDFS_NS,
        terms.XSD_NS,
        terms.OWL_NS,
        terms.DCTERMS_NS,
        terms.DCAT_NS,
        terms.VOID_NS,
        terms.SH_NS,
        terms.FOAF_NS,
        terms.FORMATS_NS,
    ],
)
def test_a_misspelt_standard_term_fails(namespace: type[DefinedNamespace]) -> None:
    with pytest.raises(AttributeError):
        namespace["Datset"]


@pytest.mark.parametrize("namespace", [terms.PKG_NS, terms.BIOLINK_NS])
def test_a_misspelt_term_of_ours_or_biolinks_fails(namespace: object) -> None:
    with pytest.raises(KeyError, match="taxn"):
        namespace["taxn"]  # type: ignore[index]


def test_the_terms_are_the_published_iris() -> None:
    assert terms.RDF_REIFIES == "http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies"
    assert terms.PKG_TAXON == "https://w3id.org/pharmakg/vocab/taxon"
    assert terms.ASSOCIATION == "https://w3id.org/biolink/vocab/Association"
    assert terms.BIOLINK_NEGATED == "https://w3id.org/biolink/vocab/negated"
    assert rdf.FORMATS["nt"].w3c == "http://www.w3.org/ns/formats/N-Triples"
    assert rdf.FORMATS["xml"].w3c == "http://www.w3.org/ns/formats/RDF_XML"
    assert all(type(v) is str for v in (terms.RDF_TYPE, terms.XSD_YEAR, terms.DCT_IDENTIFIER))


def test_the_registry_holds_each_writer_module_format_once() -> None:
    declared = [
        turtle.TURTLE,
        ntriples.NTRIPLES,
        jsonld.JSONLD,
        rdfxml.RDFXML,
        ntriples.NQUADS,
        turtle.TRIG,
    ]
    assert list(rdf.FORMATS.values()) == declared
    for fmt in declared:
        for key in (fmt.name, fmt.extension, fmt.media_type, *fmt.aliases):
            assert rdf.format_for(key.upper()) is fmt
    with pytest.raises(rdf.UnknownFormatError, match=r"ttl \(text/turtle\)"):
        rdf.format_for("text/n4")
