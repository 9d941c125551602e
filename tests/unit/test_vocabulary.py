"""The vocabulary maps onto the pinned Biolink model and onto IRIs."""

from __future__ import annotations

import pytest

from ontology import biolink
from ontology.identifiers import CurieError, expand, validate_curie
from ontology.vocab import CATEGORIES, PREDICATES, Category, Predicate


@pytest.mark.parametrize("category", list(Category))
def test_every_category_is_a_biolink_class(category: Category) -> None:
    assert biolink.class_curie(category).startswith("biolink:")


@pytest.mark.parametrize("predicate", list(Predicate))
def test_every_predicate_is_a_biolink_slot(predicate: Predicate) -> None:
    assert biolink.slot_curie(predicate).startswith("biolink:")


def test_our_enums_equal_biolinks() -> None:
    biolink.check_enums()


def test_labels_and_types_are_unique() -> None:
    assert len({i.label for i in CATEGORIES.values()}) == len(Category)
    assert len({i.rel_type for i in PREDICATES.values()}) == len(Predicate)


@pytest.mark.parametrize(
    ("curie", "iri"),
    [
        ("PUBCHEM.COMPOUND:3034396", "http://identifiers.org/pubchem.compound/3034396"),
        ("UniProtKB:P35372", "http://purl.uniprot.org/uniprot/P35372"),
        ("MONDO:0005618", "http://purl.obolibrary.org/obo/MONDO_0005618"),
        ("DOI:10.1007/s12576-014-0304-0", "https://doi.org/10.1007/s12576-014-0304-0"),
    ],
)
def test_curies_expand_through_the_maintained_prefix_maps(curie: str, iri: str) -> None:
    assert expand(curie) == iri


@pytest.mark.parametrize(
    ("curie", "message"),
    [
        ("mitragynine", "not a CURIE"),
        ("FOO:1", "unknown CURIE prefix"),
        ("MONDO:5618", "does not match the MONDO pattern"),
        ("UniProtKB:not-an-accession", "does not match"),
    ],
)
def test_bad_curies_fail_with_the_reason(curie: str, message: str) -> None:
    with pytest.raises(CurieError, match=message):
        validate_curie(curie)
