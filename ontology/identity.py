"""One node per real entity: identifiers from several sources resolved to one canonical id.

A node's cross-references are equivalent identifiers. When a source names an entity by one of
them (ChEMBL's CHEMBL299031 for mitragynine), its records are rewritten to the canonical id
already in the graph (PUBCHEM.COMPOUND:3034396) and the source's id joins the xrefs.

Only identifiers that name exactly one structure or concept take part: a full InChIKey does,
the first block of one does not (it is shared by stereoisomers, which are never merged); MeSH
and CAS do not either, because one heading or number can cover a mixture of stereoisomers.
"""

from __future__ import annotations

from collections.abc import Iterable

from ontology.records import Edge, Node

IDENTITY_PREFIXES = frozenset({
    "PUBCHEM.COMPOUND", "CHEMBL.COMPOUND", "CHEBI", "INCHIKEY", "DRUGBANK", "UniProtKB",
    "HGNC", "IUPHAR.RECEPTOR", "IUPHAR.FAMILY", "MONDO", "DOID", "HP", "NCBITaxon", "PMID",
    "DOI", "NCT", "GBIF",
})


class IdentityConflictError(ValueError):
    """A record's identifiers point at two different entities already known."""


def _identifying(curies: Iterable[str]) -> list[str]:
    return [c for c in curies if c.split(":", 1)[0] in IDENTITY_PREFIXES]


class IdentityIndex:
    """Maps every known identifier of an entity to its canonical (primary) id."""

    def __init__(self) -> None:
        self._canonical: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._canonical)

    def add(self, canonical: str, xrefs: Iterable[str]) -> None:
        self._canonical.setdefault(canonical, canonical)
        for xref in _identifying(xrefs):
            self._canonical.setdefault(xref, canonical)

    def canonical(self, curie: str) -> str:
        return self._canonical.get(curie, curie)

    def resolve_node(self, node: Node) -> Node:
        """The node under its canonical id (xrefs merged); registers it for later records."""
        known = {self._canonical[c] for c in _identifying([node.id, *node.xrefs])
                 if c in self._canonical}
        if len(known) > 1:
            raise IdentityConflictError(
                f"{node.id} and its xrefs name {len(known)} different entities already "
                f"loaded ({', '.join(sorted(known))}); refusing to merge them")
        canonical = known.pop() if known else node.id
        if canonical != node.id:
            xrefs = tuple(dict.fromkeys(x for x in (*node.xrefs, node.id) if x != canonical))
            node = node.model_copy(update={"id": canonical, "xrefs": xrefs})
        self.add(node.id, node.xrefs)
        return node

    def resolve_edge(self, edge: Edge) -> Edge:
        update = {"subject": self.canonical(edge.subject), "object": self.canonical(edge.object)}
        if edge.tool is not None:
            update["tool"] = self.canonical(edge.tool)
        changed = {k: v for k, v in update.items() if v != getattr(edge, k)}
        return edge.model_copy(update=changed) if changed else edge
