"""The VoID/DCAT description that ends every export: what it holds, from where, under what."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ontology.identifiers import iri, prefixes
from ontology.rdf.formats import FORMATS
from ontology.rdf.stream import Format
from ontology.rdf.terms import (
    BIOLINK,
    DATA_LICENCE,
    DATASET_IRI,
    DCAT_NS,
    DCT_CONFORMS_TO,
    DCT_CREATED,
    DCT_DESCRIPTION,
    DCT_IDENTIFIER,
    DCT_LICENSE,
    DCT_SOURCE,
    DCT_TITLE,
    EDGE_NS,
    PKG_RETRIEVAL_DATE,
    RDF_TYPE,
    SHAPES_IRI,
    VOID_NS,
    XSD_DATE,
    XSD_INTEGER,
    Lit,
    Triple,
)
from ontology.rdf.vocabulary import class_iri, predicate_iri
from ontology.vocab import BASE, CATEGORIES, PKG, Category, Predicate

# The VoID and DCAT terms of the description (a misspelt one fails here, at import).
DATASET, VOCABULARY, LOOKUP, ROOT = (
    str(VOID_NS[t]) for t in ("Dataset", "vocabulary", "uriLookupEndpoint", "rootResource")
)
ENTITIES, CLASSES, PROPERTIES, TRIPLES = (
    str(VOID_NS[t]) for t in ("entities", "classes", "properties", "triples")
)
DUMP, EXAMPLE, SUBSET, URI_SPACE, FEATURE = (
    str(VOID_NS[t]) for t in ("dataDump", "exampleResource", "subset", "uriSpace", "feature")
)
CLASS_PARTITION, CLASS, PROPERTY_PARTITION, PROPERTY = (
    str(VOID_NS[t]) for t in ("classPartition", "class", "propertyPartition", "property")
)
DCAT_DATASET, DCAT_VERSION, DCAT_LANDING_PAGE = (
    str(DCAT_NS[t]) for t in ("Dataset", "version", "landingPage")
)


@dataclass
class SourceSummary:
    versions: set[str] = field(default_factory=set)
    retrieved: set[date] = field(default_factory=set)


@dataclass
class Summary:
    """What an export wrote, counted as it streams (bounded by the vocabulary and sources)."""

    triples: int = 0
    nodes: Counter[Category] = field(default_factory=Counter)
    edges: Counter[Predicate] = field(default_factory=Counter)
    asserted: Counter[Predicate] = field(default_factory=Counter)  # direct triples written
    spaces: Counter[str] = field(default_factory=Counter)  # entities per CURIE prefix
    examples: dict[Category, str] = field(default_factory=dict)  # the least id per category
    sources: dict[str, SourceSummary] = field(default_factory=dict)

    @property
    def node_total(self) -> int:
        return sum(self.nodes.values())

    @property
    def edge_total(self) -> int:
        return sum(self.edges.values())

    def source(self, infores: str, version: str | None, retrieved: date | None = None) -> None:
        entry = self.sources.get(infores)
        if entry is None:
            entry = self.sources[infores] = SourceSummary()
        if version:
            entry.versions.add(version)
        if retrieved:
            entry.retrieved.add(retrieved)


@dataclass(frozen=True)
class DatasetInfo:
    """What the VoID/DCAT description of an export states besides the counts."""

    version: str
    created: date
    license: str = DATA_LICENCE
    title: str = "PharmaKG"
    description: str = (
        "An open pharmacology knowledge graph of kratom alkaloids, their "
        "targets and the studies behind them."
    )
    selection: str = "the whole graph"
    homepage: str | None = None


def dataset_triples(summary: Summary, info: DatasetInfo, fmt: Format | None = None) -> list[Triple]:
    """The VoID/DCAT description of an export: version, licence, sources, counts, date."""
    d = DATASET_IRI
    out: list[Triple] = [
        (d, RDF_TYPE, DATASET),
        (d, RDF_TYPE, DCAT_DATASET),
        (d, DCT_TITLE, Lit(info.title)),
        (d, DCT_DESCRIPTION, Lit(f"{info.description} This file: {info.selection}.")),
        (d, DCAT_VERSION, Lit(info.version)),
        (d, DCT_LICENSE, info.license),
        (d, DCT_CREATED, Lit(info.created.isoformat(), XSD_DATE)),
        (d, DCT_CONFORMS_TO, SHAPES_IRI),
        (d, VOCABULARY, BIOLINK),
        (d, VOCABULARY, PKG),
        # Entities keep their sources' IRIs: one subset per URI space, below. Any IRI can be
        # looked up (``/lookup?uri=``); the dumps are the API's exports.
        (d, LOOKUP, BASE + "lookup"),
        (d, ROOT, DATASET_IRI),
        (d, ENTITIES, Lit(str(summary.node_total + summary.edge_total), XSD_INTEGER)),
        (d, CLASSES, Lit(str(len(summary.nodes)), XSD_INTEGER)),
        (d, PROPERTIES, Lit(str(len(summary.asserted)), XSD_INTEGER)),
    ]
    out += [(d, DUMP, f"{BASE}rdf/export?format={name}") for name in FORMATS]
    out += [(d, EXAMPLE, iri(summary.examples[c])) for c in sorted(summary.examples)]
    for prefix in sorted(summary.spaces):
        space = f"{d}/space/{prefix}"
        out += [
            (d, SUBSET, space),
            (space, RDF_TYPE, DATASET),
            (space, URI_SPACE, Lit(prefixes()[prefix].iri_base)),
            (space, ENTITIES, Lit(str(summary.spaces[prefix]), XSD_INTEGER)),
        ]
    out += [
        (d, SUBSET, f"{d}/space/edges"),
        (f"{d}/space/edges", RDF_TYPE, DATASET),
        (f"{d}/space/edges", URI_SPACE, Lit(EDGE_NS)),
        (f"{d}/space/edges", ENTITIES, Lit(str(summary.edge_total), XSD_INTEGER)),
    ]
    if info.homepage:
        out.append((d, DCAT_LANDING_PAGE, info.homepage))
    if fmt is not None:
        out.append((d, FEATURE, fmt.w3c))
    for category in sorted(summary.nodes):
        part = f"{d}/class/{CATEGORIES[category].label}"
        out += [
            (d, CLASS_PARTITION, part),
            (part, CLASS, class_iri(category)),
            (part, ENTITIES, Lit(str(summary.nodes[category]), XSD_INTEGER)),
        ]
    for predicate in sorted(summary.asserted):
        part = f"{d}/property/{predicate.value}"
        out += [
            (d, PROPERTY_PARTITION, part),
            (part, PROPERTY, predicate_iri(predicate)),
            (part, TRIPLES, Lit(str(summary.asserted[predicate]), XSD_INTEGER)),
        ]
    for infores in sorted(summary.sources):
        source = iri(infores)
        entry = summary.sources[infores]
        out += [
            (d, DCT_SOURCE, source),
            (source, RDF_TYPE, DCAT_DATASET),
            (source, DCT_IDENTIFIER, Lit(infores)),
        ]
        out += [(source, DCAT_VERSION, Lit(v)) for v in sorted(entry.versions)]
        out += [
            (source, PKG_RETRIEVAL_DATE, Lit(r.isoformat(), XSD_DATE))
            for r in sorted(entry.retrieved)
        ]
    # Every distinct triple of the document, this description (and this count) included.
    out.append((d, TRIPLES, Lit(str(summary.triples + len(out) + 1), XSD_INTEGER)))
    return out
