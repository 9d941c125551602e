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

The package, one concern a module (this module is its public face; callers import from here):

- ``terms``: namespaces as rdflib ``DefinedNamespace``/``ClosedNamespace`` classes, the terms we
  write as ``str`` constants taken from them (a misspelt term fails at import), ``Lit``;
- ``vocabulary``: class and predicate IRIs; ``properties``: record fields as RDF properties;
- ``mapping``: records to triples and back; ``void``: the VoID/DCAT description of an export;
- ``stream`` and ``formats``: the writer protocol and the format registry (name, aliases,
  suffix, media type -> writer); ``writers/``: one module per streaming writer;
- ``exporter``: records in, a complete document out; ``graphs``: rdflib for small parts;
- ``context``, ``owl``, ``shacl``: the generated JSON-LD context, OWL ontology and SHACL shapes
  (``python -m ontology.rdf`` regenerates them; the tests fail when they are stale).
"""

from __future__ import annotations

from ontology.fields import Kind
from ontology.rdf.artifacts import ARTIFACTS, CONTEXT_FILE, OWL_FILE, SHAPES_FILE
from ontology.rdf.context import build_context, render_context
from ontology.rdf.exporter import Exporter, export_records
from ontology.rdf.formats import FORMATS, format_for, format_names, writer_for
from ontology.rdf.graphs import bind, rdflib_term, serialize, to_graph
from ontology.rdf.mapping import edge_triples, label_triples, node_triples, read_records
from ontology.rdf.owl import owl_graph, owl_triples, render_owl
from ontology.rdf.properties import EDGE_PROPS, NODE_PROPS, PROVENANCE_PROPS, Prop
from ontology.rdf.shacl import render_shapes, shapes_graph, validate
from ontology.rdf.stream import (
    Format,
    Sink,
    StreamWriter,
    TripleCollector,
    TripleCounter,
    UnknownFormatError,
)
from ontology.rdf.terms import (
    ASSOCIATION,
    BIOLINK,
    CONTEXT_URL,
    DATASET_IRI,
    DCAT,
    DCT_IDENTIFIER,
    DCTERMS,
    EDGE_NS,
    FOAF,
    FOAF_PAGE,
    NAMESPACES,
    ONTOLOGY_IRI,
    OWL,
    PAGE_NS,
    RDF,
    RDF_OBJECT,
    RDF_PREDICATE,
    RDF_REIFIES,
    RDF_STATEMENT,
    RDF_SUBJECT,
    RDF_TYPE,
    RDFS,
    RDFS_COMMENT,
    RDFS_DEFINED_BY,
    RDFS_LABEL,
    RDFS_SUBCLASS,
    RDFS_SUBPROPERTY,
    SH,
    SHAPES_IRI,
    SHAPES_NS,
    VOID,
    XSD,
    Lit,
    Obj,
    Triple,
    TripleTerm,
    all_prefixes,
    curie_of,
    edge_iri,
    page_iri,
)
from ontology.rdf.vocabulary import (
    biolink_class_iri,
    biolink_predicate_iri,
    category_label,
    class_iri,
    predicate_iri,
    vocabulary_triples,
)
from ontology.rdf.void import DatasetInfo, SourceSummary, Summary, dataset_triples
from ontology.rdf.writers.ntriples import nt_term

__all__ = [
    "ARTIFACTS",
    "ASSOCIATION",
    "BIOLINK",
    "CONTEXT_FILE",
    "CONTEXT_URL",
    "DATASET_IRI",
    "DCAT",
    "DCTERMS",
    "DCT_IDENTIFIER",
    "EDGE_NS",
    "EDGE_PROPS",
    "FOAF",
    "FOAF_PAGE",
    "FORMATS",
    "NAMESPACES",
    "NODE_PROPS",
    "ONTOLOGY_IRI",
    "OWL",
    "OWL_FILE",
    "PAGE_NS",
    "PROVENANCE_PROPS",
    "RDF",
    "RDFS",
    "RDFS_COMMENT",
    "RDFS_DEFINED_BY",
    "RDFS_LABEL",
    "RDFS_SUBCLASS",
    "RDFS_SUBPROPERTY",
    "RDF_OBJECT",
    "RDF_PREDICATE",
    "RDF_REIFIES",
    "RDF_STATEMENT",
    "RDF_SUBJECT",
    "RDF_TYPE",
    "SH",
    "SHAPES_FILE",
    "SHAPES_IRI",
    "SHAPES_NS",
    "VOID",
    "XSD",
    "DatasetInfo",
    "Exporter",
    "Format",
    "Kind",
    "Lit",
    "Obj",
    "Prop",
    "Sink",
    "SourceSummary",
    "StreamWriter",
    "Summary",
    "Triple",
    "TripleCollector",
    "TripleCounter",
    "TripleTerm",
    "UnknownFormatError",
    "all_prefixes",
    "bind",
    "biolink_class_iri",
    "biolink_predicate_iri",
    "build_context",
    "category_label",
    "class_iri",
    "curie_of",
    "dataset_triples",
    "edge_iri",
    "edge_triples",
    "export_records",
    "format_for",
    "format_names",
    "label_triples",
    "node_triples",
    "nt_term",
    "owl_graph",
    "owl_triples",
    "page_iri",
    "predicate_iri",
    "rdflib_term",
    "read_records",
    "render_context",
    "render_owl",
    "render_shapes",
    "serialize",
    "shapes_graph",
    "to_graph",
    "validate",
    "vocabulary_triples",
    "writer_for",
]
