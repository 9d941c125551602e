"""Stereoisomers in the curated dataset stay apart: one node per InChIKey, one InChIKey per node.

Mitragynine, speciogynine, speciociliatine and mitraciliatine share a constitution (the first
InChIKey block) and differ only in stereochemistry; so do corynoxine / corynoxine B and
rhynchophylline / isorhynchophylline. A record that merged two of them would carry the other's
name as a synonym or reuse its InChIKey; these tests fail on either.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from loaders.base import Collector
from loaders.curated import iter_records
from loaders.curated_format import DEFAULT_DIR
from ontology.records import Node
from ontology.vocab import Category

STANDARD_INCHIKEY = re.compile(r"[A-Z]{14}-[A-Z]{8}SA-[A-Z]")
DIASTEREOMER_SETS = (
    {"mitragynine", "speciogynine", "speciociliatine", "mitraciliatine"},
    {"corynoxine", "corynoxine b"},
    {"rhynchophylline", "isorhynchophylline"},
)


@pytest.fixture(scope="module")
def alkaloids() -> list[Node]:
    collector = Collector()
    nodes = [
        r
        for r in iter_records(DEFAULT_DIR, collector)
        if isinstance(r, Node) and r.category is Category.ALKALOID
    ]
    assert [str(r) for r in collector.rejections] == []
    return nodes


def _keys(node: Node) -> set[str]:
    found = {x.removeprefix("INCHIKEY:") for x in node.xrefs if x.startswith("INCHIKEY:")}
    if node.id.startswith("INCHIKEY:"):
        found.add(node.id.removeprefix("INCHIKEY:"))
    return found


def test_every_alkaloid_has_exactly_one_standard_inchikey(alkaloids: list[Node]) -> None:
    for node in alkaloids:
        keys = _keys(node)
        assert len(keys) == 1, (node.id, keys)
        [key] = keys
        assert STANDARD_INCHIKEY.fullmatch(key), f"{node.name}: not a standard InChIKey ({key})"


def test_no_two_alkaloids_share_an_inchikey_or_an_id(alkaloids: list[Node]) -> None:
    keys = Counter(k for node in alkaloids for k in _keys(node))
    assert [k for k, n in keys.items() if n > 1] == []
    ids = Counter(node.id for node in alkaloids)
    assert [i for i, n in ids.items() if n > 1] == []


def test_same_constitution_means_different_stereo_block_and_different_node(
    alkaloids: list[Node],
) -> None:
    by_skeleton: dict[str, list[Node]] = {}
    for node in alkaloids:
        [key] = _keys(node)
        by_skeleton.setdefault(key[:14], []).append(node)
    for group in by_skeleton.values():
        stereo_blocks = [next(iter(_keys(n)))[15:25] for n in group]
        assert len(set(stereo_blocks)) == len(group), [n.name for n in group]
        assert len({n.id for n in group}) == len(group)


def test_a_diastereomer_name_names_at_most_its_own_node(alkaloids: list[Node]) -> None:
    for isomers in DIASTEREOMER_SETS:
        for name in isomers:
            holders = [
                n for n in alkaloids if name in {n.name.lower(), *(s.lower() for s in n.synonyms)}
            ]
            assert len(holders) <= 1, (name, [n.id for n in holders])
            if holders:
                others = isomers - {name}
                assert holders[0].name.lower() not in others
