"""One node per real entity: identifiers from several sources resolved to one canonical id.

A node's cross-references are equivalent identifiers. When a source names an entity by one of
them (ChEMBL's CHEMBL299031 for mitragynine), its records are rewritten to the canonical id
already in the graph (PUBCHEM.COMPOUND:3034396) and the source's id joins the xrefs.

An entity keeps the category it was first given: a source that files it more broadly (ChEMBL
calls every compound a drug, mitragynine is curated as an alkaloid) adds to the known node
instead of relabelling it. An authoritative load (the curated dataset) is the exception: its
category wins over one of the same kind, and the writer relabels the node
(``graph.cypher.writes.upsert_nodes``). A category of another kind (a compound named by a protein's
id) is a conflict.

Only identifiers that name exactly one structure or concept take part: a full InChIKey does,
the first block of one does not (it is shared by stereoisomers, which are never merged); MeSH
and CAS do not either, because one heading or number can cover a mixture of stereoisomers.
"""

from __future__ import annotations

from collections.abc import Iterable

from ontology.records import Edge, Node
from ontology.vocab import COMPOUNDS, TARGETS, Category

IDENTITY_PREFIXES = frozenset(
    {
        "PUBCHEM.COMPOUND",
        "CHEMBL.COMPOUND",
        "CHEBI",
        "INCHIKEY",
        "DRUGBANK",
        "UniProtKB",
        "HGNC",
        "IUPHAR.RECEPTOR",
        "IUPHAR.FAMILY",
        "MONDO",
        "DOID",
        "HP",
        "NCBITaxon",
        "PMID",
        "DOI",
        "NCT",
        "GBIF",
    }
)


# Categories that may name the same entity: one kind, filed more or less specifically.
KINDS = (COMPOUNDS, TARGETS)


class IdentityConflictError(ValueError):
    """A record's identifiers point at two different entities already known, or at a known
    entity of another kind."""


def _identifying(curies: Iterable[str]) -> list[str]:
    return [c for c in curies if c.split(":", 1)[0] in IDENTITY_PREFIXES]


class IdentityIndex:
    """Maps every known identifier of an entity to its canonical (primary) id.

    With ``authoritative`` (the curated dataset's load) a record's own category replaces the
    known one of the same kind; otherwise the known category stays.
    """

    def __init__(self, *, authoritative: bool = False) -> None:
        self.authoritative = authoritative
        self._canonical: dict[str, str] = {}
        self._category: dict[str, Category] = {}  # canonical id -> the category it has

    def __len__(self) -> int:
        return len(self._canonical)

    def add(self, canonical: str, xrefs: Iterable[str], category: Category | None = None) -> None:
        self._canonical.setdefault(canonical, canonical)
        for xref in _identifying(xrefs):
            self._canonical.setdefault(xref, canonical)
        if category is not None:
            self._category.setdefault(canonical, category)

    def canonical(self, curie: str) -> str:
        return self._canonical.get(curie, curie)

    def resolve_node(self, node: Node) -> Node:
        """The node under its canonical id (xrefs merged); registers it for later records."""
        known = {
            self._canonical[c] for c in _identifying([node.id, *node.xrefs]) if c in self._canonical
        }
        if len(known) > 1:
            raise IdentityConflictError(
                f"{node.id} and its xrefs name {len(known)} different entities already "
                f"loaded ({', '.join(sorted(known))}); refusing to merge them"
            )
        canonical = known.pop() if known else node.id
        if canonical != node.id:
            xrefs = tuple(dict.fromkeys(x for x in (*node.xrefs, node.id) if x != canonical))
            node = node.model_copy(update={"id": canonical, "xrefs": xrefs})
        category = self._category_of(node)
        if category is not node.category:
            node = node.model_copy(update={"category": category})
        self._category[node.id] = category
        self.add(node.id, node.xrefs)
        return node

    def _category_of(self, node: Node) -> Category:
        """The category the entity keeps: the known one, or the node's own when it is new or
        the load is authoritative."""
        known = self._category.get(node.id, node.category)
        if known is not node.category and not any({known, node.category} <= kind for kind in KINDS):
            raise IdentityConflictError(
                f"{node.id} is known as a {known.value}; a {node.category.value} with the "
                "same identifiers is another kind of entity; refusing to merge them"
            )
        return node.category if self.authoritative else known

    def resolve_edge(self, edge: Edge) -> Edge:
        update = {"subject": self.canonical(edge.subject), "object": self.canonical(edge.object)}
        if edge.tool is not None:
            update["tool"] = self.canonical(edge.tool)
        changed = {k: v for k, v in update.items() if v != getattr(edge, k)}
        return edge.model_copy(update=changed) if changed else edge
