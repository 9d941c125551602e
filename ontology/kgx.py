"""Records as KGX, the Biolink exchange format of Translator, ROBOKOP and RTX-KG2.

A KGX node or edge is the record's flat row (``ontology.table``) with Biolink's names where
Biolink has a slot for the property: ``category`` (the Biolink class), ``predicate`` (the
Biolink slot), ``provided_by``, ``synonym``, ``xref``, ``aggregator_knowledge_source``; the
provenance slots ``primary_knowledge_source``, ``knowledge_level``, ``agent_type`` and
``publications`` keep their names. PharmaKG's own category and predicate, more precise than
Biolink's (a receptor and an enzyme are both ``biolink:Protein``), travel as
``pharmakg_category`` and ``pharmakg_predicate``. Every other property keeps its name.

Identifiers are CURIEs of Biolink's JSON-LD context where it has the namespace: ``doi:`` and
``CLINICALTRIALS:`` (Biolink's spelling of our ``DOI:`` and ``NCT:``), and a PharmaKG id's
path moved into its prefix (``PHARMAKG:outcome/cows`` is ``PHARMAKG.OUTCOME:cows``: kgx reads
a local id holding a ``/`` as no CURIE). Each names the IRI the RDF files give it (but for
``CLINICALTRIALS:``, whose Biolink IRI is identifiers.org's for the same trial); ``prefix_map``
gives the IRI of every prefix a release's KGX files use, Biolink's where its context has one.

TSV: one ``nodes.tsv`` and one ``edges.tsv``, lists joined with ``|`` (KGX's delimiter).
JSON Lines: one object per line, absent values left out, lists as JSON arrays.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from ontology import table
from ontology.biolink import BIOLINK, class_curie, slot_curie
from ontology.identifiers import PHARMAKG_PREFIX, biolink_prefix_map, prefixes, split_curie
from ontology.records import Edge, Node
from ontology.vocab import PKG_ENTITY, Category, Predicate

# Our prefixes that Biolink spells otherwise: ``doi`` is in biolink_model.yaml's own
# ``prefixes``; a clinical trial's ``id_prefixes`` is CLINICALTRIALS (its ids: NCT numbers).
BIOLINK_SPELLING = {"DOI": "doi", "NCT": "CLINICALTRIALS"}
# The columns holding CURIEs of our prefixes (the fields typed ``Curie``), and the columns
# holding CURIEs of Biolink's and infores' own: together, every prefix of a KGX file.
_NODE_CURIES = ("id", "xref")
_EDGE_CURIES = ("subject", "object", "publications")
_TERM_COLUMNS = (
    "category",
    "predicate",
    "provided_by",
    "source",
    "primary_knowledge_source",
    "aggregator_knowledge_source",
)

# Our column -> KGX's name for it (Biolink slots); everything else keeps its name.
_RENAMED = {
    "category": "pharmakg_category",
    "sources": "provided_by",
    "synonyms": "synonym",
    "xrefs": "xref",
    "predicate": "pharmakg_predicate",
    "aggregator_knowledge_sources": "aggregator_knowledge_source",
}
_FIRST_NODE = ("id", "category")
_FIRST_EDGE = ("id", "subject", "predicate", "object")


def curie(value: str) -> str:
    """A CURIE of ours as KGX writes it (Biolink's prefix; a PharmaKG id's path in its prefix)."""
    prefix, local = split_curie(value)
    path, slash, rest = local.rpartition("/")
    if prefix == PHARMAKG_PREFIX and slash and "." not in path:
        return f"{PHARMAKG_PREFIX}.{path.replace('/', '.').upper()}:{rest}"
    return f"{BIOLINK_SPELLING.get(prefix, prefix)}:{local}"


def _iri_base(prefix: str) -> str:
    if (base := biolink_prefix_map().get(prefix)) is not None:
        return base
    if prefix == "biolink":
        return BIOLINK
    own, _, path = prefix.partition(".")
    if own == PHARMAKG_PREFIX and path:
        return PKG_ENTITY + path.lower().replace(".", "/") + "/"
    return prefixes()[prefix].iri_base


def prefixes_of(record: dict[str, Any]) -> set[str]:
    """The CURIE prefixes a KGX record uses."""
    found = set()
    curies = _EDGE_CURIES if "subject" in record else _NODE_CURIES
    for column in (*curies, *_TERM_COLUMNS):
        value = record.get(column)
        for item in value if isinstance(value, list) else [value] if value else []:
            found.add(split_curie(item)[0])
    return found


def prefix_map(used: Iterable[str]) -> dict[str, str]:
    """The IRI of each prefix: Biolink's where its context has it, the RDF files' otherwise."""
    return {prefix: _iri_base(prefix) for prefix in sorted(set(used))}


def _curies(row: dict[str, Any], columns: tuple[str, ...]) -> dict[str, Any]:
    for column in columns:
        value = row.get(column)
        if isinstance(value, list):
            row[column] = [curie(v) for v in value]
        elif value is not None:
            row[column] = curie(value)
    return row


def _name(column: str) -> str:
    return _RENAMED.get(column, column)


def node_columns() -> list[str]:
    """``id``, ``category`` (Biolink), then every node column under its KGX name."""
    return [*_FIRST_NODE, *(_name(c) for c in table.node_columns() if c != "id")]


def edge_columns() -> list[str]:
    """``id``, ``subject``, ``predicate`` (Biolink), ``object``, then every edge column."""
    rest = (_name(c) for c in table.edge_columns() if c not in ("id", "subject", "object"))
    return [*_FIRST_EDGE, *rest]


def node_record(node: Node, sources: Sequence[str] = ()) -> dict[str, Any]:
    row = _curies({_name(k): v for k, v in table.node_row(node, sources).items()}, _NODE_CURIES)
    row["category"] = [class_curie(Category(node.category))]
    return {column: row[column] for column in node_columns()}


def edge_record(edge: Edge, edge_id: str | None = None) -> dict[str, Any]:
    row = _curies({_name(k): v for k, v in table.edge_row(edge, edge_id).items()}, _EDGE_CURIES)
    row["predicate"] = slot_curie(Predicate(edge.predicate))
    return {column: row[column] for column in edge_columns()}


def tsv_cells(record: dict[str, Any], columns: Sequence[str]) -> list[str]:
    return table.cells(record, columns)


def json_line(record: dict[str, Any]) -> str:
    """One JSON Lines line: absent values and empty lists left out, keys in column order."""
    kept = {k: v for k, v in record.items() if v is not None and v != []}
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":")) + "\n"
