"""Identity resolution: one node per entity, stereoisomers never merged."""

from __future__ import annotations

import pytest

from ontology.identity import IdentityConflictError, IdentityIndex
from ontology.records import Edge, Node, Provenance
from ontology.vocab import Category, Predicate

MITRAGYNINE = Node(
    id="PUBCHEM.COMPOUND:3034396",
    category=Category.ALKALOID,
    name="mitragynine",
    source="infores:pharmakg",
    xrefs=("CHEMBL.COMPOUND:CHEMBL299031", "INCHIKEY:LELBFTMXCIIKKX-QVRQZEMUSA-N"),
)


def test_a_record_named_by_an_xref_lands_on_the_canonical_node() -> None:
    index = IdentityIndex()
    index.resolve_node(MITRAGYNINE)
    from_chembl = Node(
        id="CHEMBL.COMPOUND:CHEMBL299031",
        category=Category.ALKALOID,
        name="MITRAGYNINE",
        source="infores:chembl",
    )
    resolved = index.resolve_node(from_chembl)
    assert resolved.id == MITRAGYNINE.id
    assert "CHEMBL.COMPOUND:CHEMBL299031" in resolved.xrefs


def test_edges_follow_their_endpoints_to_the_canonical_ids() -> None:
    index = IdentityIndex()
    index.resolve_node(MITRAGYNINE)
    edge = Edge(
        subject="CHEMBL.COMPOUND:CHEMBL299031",
        predicate=Predicate.BINDS,
        object="UniProtKB:P35372",
        provenance=Provenance(
            primary_knowledge_source="infores:chembl",
            publications=("PMID:27192616",),
            knowledge_level="knowledge_assertion",
            agent_type="manual_agent",
            source_version="35",
        ),
    )
    assert index.resolve_edge(edge).subject == MITRAGYNINE.id


def test_a_stereoisomer_sharing_the_inchikey_skeleton_stays_apart() -> None:
    index = IdentityIndex()
    index.resolve_node(MITRAGYNINE)
    # Same first InChIKey block (same constitution), different stereo block: another compound.
    isomer = Node(
        id="PUBCHEM.COMPOUND:1",
        category=Category.ALKALOID,
        name="an isomer",
        source="infores:test",
        xrefs=("INCHIKEY:LELBFTMXCIIKKX-AAAAAAAAAA-N",),
    )
    assert index.resolve_node(isomer).id == "PUBCHEM.COMPOUND:1"


def test_mesh_and_cas_do_not_merge() -> None:
    index = IdentityIndex()
    index.add("PUBCHEM.COMPOUND:1", ["MESH:C000001", "CAS:4098-40-2"])
    other = Node(
        id="PUBCHEM.COMPOUND:2",
        category=Category.ALKALOID,
        name="x",
        source="infores:test",
        xrefs=("MESH:C000001", "CAS:4098-40-2"),
    )
    assert index.resolve_node(other).id == "PUBCHEM.COMPOUND:2"


def test_xrefs_naming_two_known_entities_are_a_conflict() -> None:
    index = IdentityIndex()
    index.add("PUBCHEM.COMPOUND:1", ["CHEBI:1"])
    index.add("PUBCHEM.COMPOUND:2", ["CHEBI:2"])
    both = Node(
        id="CHEMBL.COMPOUND:CHEMBL1",
        category=Category.ALKALOID,
        name="x",
        source="infores:test",
        xrefs=("CHEBI:1", "CHEBI:2"),
    )
    with pytest.raises(IdentityConflictError, match="2 different entities"):
        index.resolve_node(both)


def test_a_known_entity_keeps_its_category_when_a_source_files_it_more_broadly() -> None:
    index = IdentityIndex()
    index.add(MITRAGYNINE.id, MITRAGYNINE.xrefs, Category.ALKALOID)
    from_chembl = Node(
        id="CHEMBL.COMPOUND:CHEMBL299031",
        category=Category.DRUG,
        name="MITRAGYNINE",
        source="infores:chembl",
    )
    resolved = index.resolve_node(from_chembl)
    assert (resolved.id, resolved.category) == (MITRAGYNINE.id, Category.ALKALOID)
    # a node first met in the load keeps the category it came with
    assert (
        index.resolve_node(MITRAGYNINE.model_copy(update={"category": Category.DRUG})).category
        is Category.ALKALOID
    )


def test_a_known_entity_of_another_kind_is_a_conflict() -> None:
    index = IdentityIndex()
    index.add("UniProtKB:P35372", ["HGNC:8156"], Category.RECEPTOR)
    compound = Node(
        id="PUBCHEM.COMPOUND:1",
        category=Category.DRUG,
        name="x",
        source="infores:test",
        xrefs=("HGNC:8156",),
    )
    with pytest.raises(IdentityConflictError, match="known as a receptor"):
        index.resolve_node(compound)


def test_an_authoritative_load_gives_a_known_entity_its_own_category_of_the_same_kind() -> None:
    index = IdentityIndex(authoritative=True)
    index.add(MITRAGYNINE.id, ["GTOPDB:13149", *MITRAGYNINE.xrefs], Category.DRUG)
    resolved = index.resolve_node(MITRAGYNINE)
    assert (resolved.id, resolved.category) == (MITRAGYNINE.id, Category.ALKALOID)
    # later records of the load see the category it gave
    from_gtopdb = MITRAGYNINE.model_copy(update={"id": "GTOPDB:13149", "xrefs": ()})
    assert index.resolve_node(from_gtopdb).category is Category.ALKALOID


def test_an_authoritative_load_does_not_merge_another_kind() -> None:
    index = IdentityIndex(authoritative=True)
    index.add("UniProtKB:P35372", ["HGNC:8156"], Category.RECEPTOR)
    compound = Node(
        id="PUBCHEM.COMPOUND:1",
        category=Category.ALKALOID,
        name="x",
        source="infores:pharmakg",
        xrefs=("HGNC:8156",),
    )
    with pytest.raises(IdentityConflictError, match="known as a receptor"):
        index.resolve_node(compound)
