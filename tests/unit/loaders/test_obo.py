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
    assert [n.id for n in nodes] == [
        "DOID:2030",
        "DOID:14320",
        "DOID:594",
        "DOID:1596",
        "DOID:1470",
    ]
    assert nodes[0] == Node(
        id="DOID:2030",
        category=Category.CONDITION,
        name="anxiety disorder",
        xrefs=("MESH:D001008",),
        source="infores:doid",
        source_version="doid/releases/2024-03-28",
    )
    assert [(e.subject, e.object) for e in edges] == [
        ("DOID:2030", "DOID:150"),
        ("DOID:14320", "DOID:2030"),
        ("DOID:594", "DOID:2030"),
        ("DOID:1470", "DOID:1596"),
    ]
    edge = edges[1]
    assert edge.predicate is Predicate.SUBCLASS_OF
    assert edge.provenance.publications == ("DOID:14320",)
    assert edge.provenance.primary_knowledge_source == "infores:doid"
    assert edge.provenance.source_version == "doid/releases/2024-03-28"
    assert (edge.provenance.knowledge_level, edge.provenance.agent_type) == (
        KnowledgeLevel.KNOWLEDGE_ASSERTION,
        AgentType.MANUAL_AGENT,
    )


def test_obsolete_foreign_and_typedef_stanzas_are_skipped(
    tmp_path: Path, collector: Collector
) -> None:
    path = tmp_path / "mondo.obo"
    path.write_text(
        "format-version: 1.2\ndata-version: releases/example\nontology: mondo\n\n"
        "[Term]\nid: MONDO:9999991\nname: obsolete example\nis_obsolete: true\n\n"
        "[Term]\nid: UBERON:9999992\nname: anatomy example\n\n"
        "[Term]\nid: MONDO:9999993\nname: kept example\nis_a: BFO:0000016\n"
        'is_a: MONDO:9999994 {source="example"} ! parent example\n'
        'xref: UMLS:C0000000\nxref: MESH:D000001 {source="MONDO:equivalentTo"}\n\n'
        "[Typedef]\nid: example_relation\nname: example relation\n",
        encoding="utf-8",
    )
    records = list(obo.iter_records(path, collector))
    assert collector.rejections == []
    node, edge = records
    assert isinstance(node, Node)
    assert isinstance(edge, Edge)
    assert (node.id, node.xrefs, node.source) == (
        "MONDO:9999993",
        ("MESH:D000001",),
        "infores:mondo",
    )
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
    assert (caught.value.rejection.location.line, caught.value.rejection.field) == (4, "ontology")


def test_bad_encoding_names_its_line() -> None:
    with pytest.raises(SourceError) as caught:
        list(obo.iter_records(fixture("obo", "bad_encoding.obo"), Collector()))
    assert caught.value.rejection.location.line == 6


# Round trip: any term written as OBO reads back as the same node and edges.
_words = (
    st.text(
        alphabet=st.characters(
            codec="utf-8",
            exclude_characters='\r\n\\"!{}',
            exclude_categories=("Cs", "Cc", "Zl", "Zp"),
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
_doid = st.integers(min_value=1, max_value=99_999_999).map(lambda n: f"DOID:{n}")


@settings(max_examples=60, deadline=None)
@given(
    term=_doid,
    name=_words,
    synonyms=st.lists(_words, max_size=3, unique=True),
    parents=st.lists(_doid, max_size=3, unique=True),
)
def test_stanza_round_trip(
    tmp_path_factory: pytest.TempPathFactory,
    term: str,
    name: str,
    synonyms: list[str],
    parents: list[str],
) -> None:
    parents = [p for p in parents if p != term]
    # Distinct synonyms other than the name (those are dropped: see the HP test).
    folded = [s.casefold() for s in synonyms]
    synonyms = [
        s
        for i, s in enumerate(synonyms)
        if folded[i] != name.casefold() and folded[i] not in folded[:i]
    ]
    lines = [
        "format-version: 1.2",
        "data-version: example",
        "ontology: doid",
        "",
        "[Term]",
        f"id: {term}",
        f"name: {name}",
    ]
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
        (term, p) for p in parents
    ]


# Real files (origins in tests/fixtures/README.md).
STI = "sexually_transmitted_infectious_disease.obo"
# Its is_a lines, child -> parent, read off the file by hand.
STI_IS_A = [
    ("DOID:0050490", "DOID:9988"),
    ("DOID:0050491", "DOID:9988"),
    ("DOID:10027", "DOID:9988"),
    ("DOID:10035", "DOID:9988"),
    ("DOID:4156", "DOID:4166"),
    ("DOID:4157", "DOID:4166"),
    ("DOID:8200", "DOID:4166"),
    ("DOID:9531", "DOID:4166"),
    ("DOID:9880", "DOID:8200"),
    ("DOID:9988", "DOID:8200"),
]


def test_a_real_doid_subset(collector: Collector) -> None:
    records = list(obo.iter_records(fixture("obo", STI), collector))
    assert collector.rejections == []
    nodes = [r for r in records if isinstance(r, Node)]
    edges = [r for r in records if isinstance(r, Edge)]
    assert len(nodes) == 82 - 54  # terms less the obsolete ones
    assert [(e.subject, e.object) for e in edges] == STI_IS_A
    syphilis = next(n for n in nodes if n.id == "DOID:4166")
    assert syphilis == Node(
        id="DOID:4166",
        category=Category.CONDITION,
        name="syphilis",
        synonyms=("syphilitic chancre",),
        xrefs=("MESH:D002601", "DOID:11095"),  # its alt_id
        description=syphilis.description,
        source="infores:doid",
        source_version="doid/releases/2026-07-31",
    )
    assert syphilis.description is not None
    assert syphilis.description.startswith("A primary bacterial infectious disease")
    assert edges[0].provenance.source_version == "doid/releases/2026-07-31"


def test_two_subsets_of_one_release_stamp_shared_terms_alike() -> None:
    other = "gram-negative_bacterial_infectious_disease.obo"
    first = {r.id: r for r in obo.iter_records(fixture("obo", STI), Collector())}
    second = {r.id: r for r in obo.iter_records(fixture("obo", other), Collector())}
    shared = set(first) & set(second)
    assert len(shared) > 20
    assert all(first[key] == second[key] for key in shared)


def test_hp_names_are_not_repeated_as_synonyms_and_alt_ids_are_xrefs(collector: Collector) -> None:
    short, longer, edge = obo.iter_records(fixture("obo", "hp.obo"), collector)
    assert isinstance(short, Node)
    assert isinstance(longer, Node)
    assert isinstance(edge, Edge)
    assert short.name == "Short finger"
    # The file lists "Short finger" among the EXACT synonyms too.
    assert short.synonyms == (
        "Hypoplastic digits",
        "Hypoplastic fingers",
        "Hypoplastic/small fingers",
        "Stubby finger",
        "Stubby fingers",
    )
    assert short.xrefs == ("HP:0004098", "HP:0006015")
    assert len(longer.xrefs) == 10
    assert (short.source, short.source_version) == ("infores:hp", "hp/releases/2020-08-11")
    assert (edge.subject, edge.object) == ("HP:0009882", "HP:0009381")


def test_go_is_one_error_naming_the_supported_ontologies() -> None:
    collector = Collector()
    with pytest.raises(
        SourceError,
        match=r"ontology 'go' is not one whose terms are "
        r"conditions.*: mondo, doid, hp",
    ):
        list(obo.iter_records(fixture("obo", "go.obo"), collector))
    assert collector.rejections == []


@pytest.mark.parametrize(
    ("source", "name"), [("clinicaltrials", "NCT03630471.json"), ("pubmed", "pubmed-29768149.xml")]
)
def test_a_file_that_is_not_obo_is_one_error(source: str, name: str) -> None:
    collector = Collector()
    with pytest.raises(SourceError, match="not an OBO file") as caught:
        list(obo.iter_records(fixture(source, name), collector))
    assert caught.value.rejection.location.line == 1
    assert collector.rejections == []


@pytest.mark.parametrize(
    ("version", "release"),
    [
        ("doid/releases/2026-07-31/subsets/DO_rare_slim.obo", "doid/releases/2026-07-31"),
        ("releases/2019-07-01", "releases/2019-07-01"),
        ("hp/releases/2020-08-11", "hp/releases/2020-08-11"),
        ("v1.2", "v1.2"),
    ],
)
def test_release_of(version: str, release: str) -> None:
    assert obo.release_of(version) == release
