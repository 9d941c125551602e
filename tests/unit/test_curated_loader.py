"""The curated loader: keys resolve, bad records are reported with file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loaders.base import Collector
from loaders.curated import iter_records
from loaders.curated_format import DEFAULT_DIR
from loaders.errors import RejectedRecordsError, SourceError
from ontology.records import Edge, Node
from ontology.vocab import Category, Predicate


@pytest.fixture(scope="module")
def curated() -> tuple[list[Node], list[Edge], Collector]:
    collector = Collector()
    records = list(iter_records(DEFAULT_DIR, collector))
    return (
        [r for r in records if isinstance(r, Node)],
        [r for r in records if isinstance(r, Edge)],
        collector,
    )


def test_the_curated_dataset_loads_without_rejections(
    curated: tuple[list[Node], list[Edge], Collector],
) -> None:
    _, _, collector = curated
    assert [str(r) for r in collector.rejections] == []


def test_it_has_at_least_thirty_studies_and_every_edge_is_cited(
    curated: tuple[list[Node], list[Edge], Collector],
) -> None:
    nodes, edges, _ = curated
    assert sum(n.category is Category.STUDY for n in nodes) >= 30
    assert all(e.provenance.publications for e in edges)


def test_it_has_at_least_a_hundred_studies_each_with_a_citation(
    curated: tuple[list[Node], list[Edge], Collector],
) -> None:
    nodes, _, _ = curated
    studies = [n for n in nodes if n.category is Category.STUDY]
    assert len(studies) >= 100
    uncited = [n.id for n in studies if not (n.pmid or n.doi or n.nct)]
    assert uncited == []
    # The node id is the first citation, so a study's id is one of its own identifiers.
    assert all(n.id.split(":", 1)[1] in (n.pmid, n.doi, n.nct) for n in studies)


def test_the_hazim_study_tests_the_opioid_mechanism(
    curated: tuple[list[Node], list[Edge], Collector],
) -> None:
    _, edges, _ = curated
    tests = [
        e
        for e in edges
        if e.subject == "PMID:24464759" and e.predicate is Predicate.TESTS_MECHANISM
    ]
    assert any(e.object == "IUPHAR.FAMILY:50" and e.result == "reversed" for e in tests)


def test_nodes_come_before_edges() -> None:
    kinds = [type(r) for r in iter_records(DEFAULT_DIR, Collector())]
    assert kinds.index(Edge) > max(i for i, k in enumerate(kinds) if k is Node)


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    copy = tmp_path / "curated"
    shutil.copytree(DEFAULT_DIR, copy)
    return copy


def _rejections(path: Path) -> list[str]:
    collector = Collector()
    list(iter_records(path, collector))
    return [str(r) for r in collector.rejections]


def test_an_unknown_key_names_file_line_and_field(dataset: Path) -> None:
    studies = dataset / "studies-preclinical.yaml"
    text = studies.read_text().replace("compound: mitragynine\n", "compound: mitragynin\n", 1)
    studies.write_text(text)
    found = _rejections(dataset)
    assert any(
        "studies-preclinical.yaml:" in r
        and "interventions.compound" in r
        and "unknown key 'mitragynin'" in r
        for r in found
    )


def test_an_unknown_curie_prefix_is_rejected(dataset: Path) -> None:
    drugs = dataset / "drugs.yaml"
    drugs.write_text(drugs.read_text().replace("CHEBI:17303", "CHEBBI:17303", 1))
    found = _rejections(dataset)
    assert any("drugs.yaml:" in r and "unknown CURIE prefix 'CHEBBI'" in r for r in found)


def test_a_typo_in_a_field_name_is_rejected(dataset: Path) -> None:
    drugs = dataset / "drugs.yaml"
    drugs.write_text(drugs.read_text().replace("drug_class:", "drugclass:", 1))
    assert any("unknown field(s) drugclass" in r for r in _rejections(dataset))


def test_wrong_columns_are_a_structural_error(dataset: Path) -> None:
    tsv = dataset / "pharmacology.tsv"
    lines = tsv.read_text().splitlines()
    tsv.write_text("\n".join(["compound\ttarget\tvalue", *lines[1:]]) + "\n")
    with pytest.raises(SourceError, match=r"pharmacology.tsv:1: field '\(header\)'"):
        list(iter_records(dataset, Collector()))


def test_truncated_yaml_is_a_structural_error(dataset: Path) -> None:
    studies = dataset / "studies-clinical.yaml"
    studies.write_text(studies.read_text()[:500] + "\n  - {unclosed: [")
    with pytest.raises(SourceError, match=r"studies-clinical.yaml:.*invalid YAML"):
        list(iter_records(dataset, Collector()))


def test_a_bad_encoding_names_the_line(dataset: Path) -> None:
    conditions = dataset / "conditions.yaml"
    conditions.write_bytes(conditions.read_bytes() + b"\n# caf\xe9\n")
    with pytest.raises(SourceError, match=r"conditions.yaml:.*not UTF-8"):
        list(iter_records(dataset, Collector()))


def test_strict_mode_stops_at_the_first_bad_record(dataset: Path) -> None:
    drugs = dataset / "drugs.yaml"
    drugs.write_text(drugs.read_text().replace("CHEBI:17303", "CHEBBI:17303", 1))
    with pytest.raises(RejectedRecordsError, match="1 record"):
        list(iter_records(dataset, Collector(strict=True)))


def test_a_duplicate_key_is_rejected(dataset: Path) -> None:
    extra = dataset / "drugs-extra.yaml"
    extra.write_text("- key: morphine\n  id: PUBCHEM.COMPOUND:1\n  name: other\n")
    assert any("duplicate key 'morphine'" in r for r in _rejections(dataset))


def test_the_dataset_readme_states_the_current_counts(
    curated: tuple[list[Node], list[Edge], Collector],
) -> None:
    nodes, edges, _ = curated
    readme = (DEFAULT_DIR / "README.md").read_text()
    assert f"it is {len(nodes)} nodes and {len(edges)} edges" in readme
    studies = sum(n.category is Category.STUDY for n in nodes)
    assert studies == 60 or f"{studies} " in readme
