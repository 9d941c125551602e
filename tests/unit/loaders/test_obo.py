from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders import obo
from loaders.base import Collector
from loaders.errors import SourceError
from ontology.records import Edge, Node, Record
from ontology.vocab import AgentType, Category, KnowledgeLevel, Predicate
from tests.unit.loaders.conftest import fixture


def test_doid_subset(collector: Collector) -> None:
    records = list(obo.iter_records(fixture("obo", "doid_subset.obo"), collector))
    assert collector.rejections == []
    nodes = [r for r in records if isinstance(r, Node)]
    edges = [r for r in records if isinstance(r, Edge)]
    assert [n.id for n in nodes] == ["DOID:2030", "DOID:14320", "DOID:594", "DOID:1596",
                                     "DOID:1470"]
    assert nodes[0] == Node(id="DOID:2030", category=Category.CONDITION,
                            name="anxiety disorder", xrefs=("MESH:D001008",),
                            source="infores:doid",
                            source_version="doid/releases/2024-03-28")
    assert [(e.subject, e.object) for e in edges] == [
        ("DOID:2030", "DOID:150"), ("DOID:14320", "DOID:2030"), ("DOID:594", "DOID:2030"),
        ("DOID:1470", "DOID:1596")]
    edge = edges[1]
    assert edge.predicate is Predicate.SUBCLASS_OF
    assert edge.provenance.publications == ("DOID:14320",)
    assert edge.provenance.primary_knowledge_source == "infores:doid"
    assert edge.provenance.source_version == "doid/releases/2024-03-28"
    assert (edge.provenance.knowledge_level, edge.provenance.agent_type) == (
        KnowledgeLevel.KNOWLEDGE_ASSERTION, AgentType.MANUAL_AGENT)


def test_obsolete_foreign_and_typedef_stanzas_are_skipped(tmp_path: Path,
                                                           collector: Collector) -> None:
    path = tmp_path / "mondo.obo"
    path.write_text(
        "format-version: 1.2\ndata-version: releases/example\nontology: mondo\n\n"
        "[Term]\nid: MONDO:9999991\nname: obsolete example\nis_obsolete: true\n\n"
        "[Term]\nid: UBERON:9999992\nname: anatomy example\n\n"
        "[Term]\nid: MONDO:9999993\nname: kept example\nis_a: BFO:0000016\n"
        "is_a: MONDO:9999994 {source=\"example\"} ! parent example\n"
        "xref: UMLS:C0000000\nxref: MESH:D000001 {source=\"MONDO:equivalentTo\"}\n\n"
        "[Typedef]\nid: example_relation\nname: example relation\n", encoding="utf-8")
    records = list(obo.iter_records(path, collector))
    assert collector.rejections == []
    node, edge = records
    assert isinstance(node, Node)
    assert isinstance(edge, Edge)
    assert (node.id, node.xrefs, node.source) == ("MONDO:9999993", ("MESH:D000001",),
                                                  "infores:mondo")
    assert (edge.subject, edge.object) == ("MONDO:9999993", "MONDO:9999994")


def test_bad_terms_are_reported_with_their_line(collector: Collector) -> None:
    records = list(obo.iter_records(fixture("obo", "bad_terms.obo"), collector))
    assert [r.id for r in records if isinstance(r, Node)] == ["DOID:2030", "DOID:9999992"]
    found = [(r.location.line, r.field) for r in collector.rejections]
    assert found == [(8, "(line)"), (10, "name"), (17, "xref"), (19, "id")]
    assert "does not match the MESH pattern" in collector.rejections[2].reason


def test_missing_ontology_header_is_structural() -> None:
    with pytest.raises(SourceError) as caught:
        list(obo.iter_records(fixture("obo", "no_ontology.obo"), Collector()))
    assert (caught.value.rejection.location.line, caught.value.rejection.field) == (
        4, "ontology")


def test_bad_encoding_names_its_line() -> None:
    with pytest.raises(SourceError) as caught:
        list(obo.iter_records(fixture("obo", "bad_encoding.obo"), Collector()))
    assert caught.value.rejection.location.line == 6


# Round trip: any term written as OBO reads back as the same node and edges.
_words = st.text(alphabet=st.characters(codec="utf-8", exclude_characters='\r\n\\"!{}',
                                        exclude_categories=("Cs", "Cc", "Zl", "Zp")),
                 min_size=1, max_size=30).map(str.strip).filter(bool)
_doid = st.integers(min_value=1, max_value=99_999_999).map(lambda n: f"DOID:{n}")


@settings(max_examples=60, deadline=None)
@given(term=_doid, name=_words, synonyms=st.lists(_words, max_size=3, unique=True),
       parents=st.lists(_doid, max_size=3, unique=True))
def test_stanza_round_trip(tmp_path_factory: pytest.TempPathFactory, term: str, name: str,
                           synonyms: list[str], parents: list[str]) -> None:
    parents = [p for p in parents if p != term]
    # Distinct synonyms other than the name (those are dropped: see the HP test).
    folded = [s.casefold() for s in synonyms]
    synonyms = [s for i, s in enumerate(synonyms)
                if folded[i] != name.casefold() and folded[i] not in folded[:i]]
    lines = ["format-version: 1.2", "data-version: example", "ontology: doid", "",
             "[Term]", f"id: {term}", f"name: {name}"]
    lines += [f'synonym: "{s}" EXACT []' for s in synonyms]
    lines += ['synonym: "a related example" RELATED []']
    lines += [f"is_a: {p} ! parent" for p in parents]
    path = tmp_path_factory.mktemp("obo") / "t.obo"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    collector = Collector()
    records: list[Record] = list(obo.iter_records(path, collector))
    assert collector.rejections == []
    node, *edges = records
    assert isinstance(node, Node)
    assert (node.id, node.name, node.synonyms) == (term, name, tuple(synonyms))
    assert [(e.subject, e.object) for e in edges if isinstance(e, Edge)] == [
        (term, p) for p in parents]
