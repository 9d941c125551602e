"""The RDF terms we write, from namespace classes: a misspelt term fails at import.

The writers work on plain ``str`` IRIs (a dump creates no rdflib object per term), so each term
is taken once from an rdflib ``DefinedNamespace`` (or a ``ClosedNamespace`` of our own and of the
pinned Biolink model) and kept as a ``str`` constant. rdflib's own classes are used where they
refuse unknown terms; ``XSD`` and ``DCAT`` are narrowed to do so, ``RDF`` gains RDF 1.2's
``rdf:reifies``.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from rdflib import URIRef
from rdflib import namespace as rdflib_ns
from rdflib.namespace import ClosedNamespace, DefinedNamespace, Namespace

from ontology import biolink
from ontology.identifiers import CurieError, compress, prefixes, safe_iri
from ontology.records import Edge, Node, Provenance
from ontology.vocab import BASE, CATEGORIES, PKG, PKG_ENTITY, PREDICATES

# -- namespace classes -----------------------------------------------------------------------


class Rdf12(rdflib_ns.RDF):
    """rdflib's RDF, with RDF 1.2's ``rdf:reifies`` (triple terms)."""

    reifies: URIRef


class StrictXsd(rdflib_ns.XSD):
    """rdflib's XSD, refusing unknown terms (rdflib's only warns)."""

    _fail = True


class Dcat3(DefinedNamespace):
    """The DCAT 3 terms we write (rdflib's DCAT lacks ``dcat:version`` and only warns)."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/dcat#")

    Dataset: URIRef
    landingPage: URIRef  # noqa: N815 - the DCAT term, as DCAT spells it
    version: URIRef


class W3cFormats(DefinedNamespace):
    """W3C's unique URIs of RDF formats (https://www.w3.org/ns/formats/)."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/formats/")
    # not Python names: rdflib looks these up in _extras (as its own namespaces do)
    _extras = ["Turtle", "N-Triples", "JSON-LD", "RDF_XML", "N-Quads", "TriG"]  # noqa: RUF012


RDF_NS, RDFS_NS, XSD_NS, OWL_NS = Rdf12, rdflib_ns.RDFS, StrictXsd, rdflib_ns.OWL
DCTERMS_NS, DCAT_NS, VOID_NS = rdflib_ns.DCTERMS, Dcat3, rdflib_ns.VOID
SH_NS, FOAF_NS, FORMATS_NS = rdflib_ns.SH, rdflib_ns.FOAF, W3cFormats

# Our own vocabulary: a class per category, a term per predicate Biolink states too broadly,
# a property per record field. Anything else is a typo.
PKG_NS = ClosedNamespace(
    PKG,
    sorted(
        {info.label for info in CATEGORIES.values()}
        | {p.value for p, info in PREDICATES.items() if info.own_term}
        | set(Node.model_fields)
        | set(Edge.model_fields)
        | set(Provenance.model_fields)
    ),
)

# The pinned Biolink model's classes (CamelCase) and slots (snake_case).
BIOLINK = biolink.BIOLINK
BIOLINK_NS = ClosedNamespace(
    BIOLINK,
    sorted(
        {
            "".join(word[0].upper() + word[1:] for word in name.split())
            for name in biolink.model()["classes"]
        }
        | {name.replace(" ", "_") for name in biolink.model()["slots"]}
    ),
)

# -- namespace IRIs (str) --------------------------------------------------------------------

RDF = str(RDF_NS)
RDFS = str(RDFS_NS)
XSD = str(XSD_NS)
OWL = str(OWL_NS)
DCTERMS = str(DCTERMS_NS)
DCAT = str(DCAT_NS)
VOID = str(VOID_NS)
SH = str(SH_NS)
FOAF = str(FOAF_NS)

EDGE_NS = PKG_ENTITY + "edge/"
ONTOLOGY_IRI = BASE + "vocab"
SHAPES_IRI = BASE + "shapes"
SHAPES_NS = SHAPES_IRI + "#"
DATASET_IRI = BASE + "dataset"
CONTEXT_URL = BASE + "context.jsonld"
PAGE_NS = BASE + "entity/"  # an entity's page (HTML or RDF by content negotiation)

# Prefixes used in Turtle, JSON-LD and RDF/XML, besides the CURIE prefixes of identifiers.
NAMESPACES: dict[str, str] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "foaf": FOAF,
    "biolink": BIOLINK,
    "pkg": PKG,
    "edge": EDGE_NS,
}

# -- terms (str) -----------------------------------------------------------------------------

RDF_TYPE = str(RDF_NS.type)
RDF_STATEMENT = str(RDF_NS.Statement)
RDF_SUBJECT = str(RDF_NS.subject)
RDF_PREDICATE = str(RDF_NS.predicate)
RDF_OBJECT = str(RDF_NS.object)
RDF_REIFIES = str(RDF_NS.reifies)
RDFS_LABEL = str(RDFS_NS.label)
RDFS_COMMENT = str(RDFS_NS.comment)
RDFS_SUBCLASS = str(RDFS_NS.subClassOf)
RDFS_SUBPROPERTY = str(RDFS_NS.subPropertyOf)
RDFS_DEFINED_BY = str(RDFS_NS.isDefinedBy)
RDFS_SEE_ALSO = str(RDFS_NS.seeAlso)
RDFS_DOMAIN = str(RDFS_NS.domain)
RDFS_RANGE = str(RDFS_NS.range)
XSD_STRING = str(XSD_NS.string)
XSD_INTEGER = str(XSD_NS.integer)
XSD_DOUBLE = str(XSD_NS.double)
XSD_BOOLEAN = str(XSD_NS.boolean)
XSD_DATE = str(XSD_NS.date)
XSD_YEAR = str(XSD_NS.gYear)
OWL_CLASS = str(OWL_NS.Class)
OWL_OBJECT_PROPERTY = str(OWL_NS.ObjectProperty)
OWL_DATATYPE_PROPERTY = str(OWL_NS.DatatypeProperty)
OWL_ANNOTATION_PROPERTY = str(OWL_NS.AnnotationProperty)
OWL_ONTOLOGY = str(OWL_NS.Ontology)
OWL_VERSION_INFO = str(OWL_NS.versionInfo)
OWL_UNION_OF = str(OWL_NS.unionOf)
DCT_IDENTIFIER = str(DCTERMS_NS.identifier)
DCT_TITLE = str(DCTERMS_NS.title)
DCT_DESCRIPTION = str(DCTERMS_NS.description)
DCT_LICENSE = str(DCTERMS_NS.license)
DCT_CREATED = str(DCTERMS_NS.created)
DCT_CONFORMS_TO = str(DCTERMS_NS.conformsTo)
DCT_SOURCE = str(DCTERMS_NS.source)
FOAF_PAGE = str(FOAF_NS.page)
PKG_TAXON = str(PKG_NS.taxon)  # a taxon written as text when it is not a CURIE
PKG_RETRIEVAL_DATE = str(PKG_NS.retrieval_date)
ASSOCIATION = str(BIOLINK_NS.Association)
BIOLINK_NEGATED = str(BIOLINK_NS.negated)

MIT_LICENSE = "https://spdx.org/licenses/MIT"  # the code and the vocabulary (OWL, SHACL)
DATA_LICENCE = "https://spdx.org/licenses/CC-BY-4.0"  # the curated dataset and every export


# -- values ----------------------------------------------------------------------------------


class Lit(NamedTuple):
    """A literal: its lexical form and datatype IRI (None: a plain xsd:string)."""

    lexical: str
    datatype: str | None = None


class TripleTerm(NamedTuple):
    """An RDF 1.2 triple term ``<<( s p o )>>`` (only written with ``star=True``)."""

    s: str
    p: str
    o: str | Lit


Obj = str | Lit | TripleTerm
Triple = tuple[str, str, Obj]


# -- IRIs of ours ----------------------------------------------------------------------------


def curie_of(value: str) -> str:
    """The CURIE of one of our IRIs (the inverse of ``iri``)."""
    if value.startswith(EDGE_NS):
        raise CurieError(f"{value} is an edge, not an entity")
    curie = compress(value)
    if curie is None:
        raise CurieError(f"{value} is in none of the known namespaces")
    return curie


def page_iri(curie: str) -> str:
    """The entity's page in the API (``/entity/{curie}``), under the minted base."""
    return safe_iri(PAGE_NS + curie)


def edge_iri(edge_id: str) -> str:
    return EDGE_NS + edge_id


def biolink_slot(name: str) -> str:
    """The IRI of a Biolink slot, honouring its ``slot_uri`` (name is rdfs:label, ...)."""
    model = biolink.model()
    slot = model["slots"].get(name)
    if slot is None:
        raise KeyError(f"Biolink {biolink.version()} has no slot {name!r}")
    uri: str | None = slot.get("slot_uri")
    if uri:
        prefix, local = uri.split(":", 1)
        return str(model["prefixes"].get(prefix) or NAMESPACES[prefix]) + local
    return str(BIOLINK_NS[name.replace(" ", "_")])


def biolink_class(name: str) -> str:
    if name not in biolink.model()["classes"]:
        raise KeyError(f"Biolink {biolink.version()} has no class {name!r}")
    return str(BIOLINK_NS["".join(word[0].upper() + word[1:] for word in name.split())])


def curie_bases() -> dict[str, str]:
    return {prefix: info.iri_base for prefix, info in prefixes().items()}


@cache
def all_prefixes() -> dict[str, str]:
    """Prefix -> namespace: the common vocabularies and every CURIE prefix we know."""
    table = dict(NAMESPACES)
    for prefix, base in curie_bases().items():
        table.setdefault(prefix, base)
    return table
