from __future__ import annotations

from pathlib import Path

import pytest

from loaders import chembl, registry
from loaders.base import Collector
from ontology.records import Edge
from tests.unit.loaders.conftest import fixture


@pytest.mark.parametrize(
    ("source", "name", "expected"),
    [
        ("pubchem", "properties.json", "pubchem"),
        ("pubchem", "compound.json", "pubchem"),
        ("chembl", "activities.json", "chembl"),
        ("chembl", "activities.tsv", "chembl"),
        ("uniprot", "proteins.tsv", "uniprot"),
        ("uniprot", "search.json", "uniprot"),
        ("uniprot", "entry.json", "uniprot"),
        ("gtopdb", "interactions.csv", "gtopdb"),
        ("pubmed", "articles.xml", "pubmed"),
        ("clinicaltrials", "studies.json", "clinicaltrials"),
        ("clinicaltrials", "study.json", "clinicaltrials"),
        ("obo", "doid_subset.obo", "obo"),
        ("obo", "hp.obo", "obo"),
        ("pubmed", "medline16n0902.xml.gz", "pubmed"),
        ("pubmed", "test_current_medline.xml.gz", "pubmed"),
        ("clinicaltrials", "NCT03630471.json", "clinicaltrials"),
    ],
)
def test_detect_source(source: str, name: str, expected: str) -> None:
    assert registry.detect_source(fixture(source, name)) == expected


def test_undetectable_file_lists_the_sources(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("nothing to see\n", encoding="utf-8")
    with pytest.raises(registry.UnknownSourceError) as caught:
        registry.detect_source(path)
    assert "pubchem, chembl, chembl-tsv, uniprot, gtopdb, pubmed, clinicaltrials, obo" in str(
        caught.value
    )


def test_every_detected_name_has_a_reader() -> None:
    assert set(registry.SOURCES) == {
        "pubchem",
        "chembl",
        "chembl-tsv",
        "uniprot",
        "gtopdb",
        "pubmed",
        "clinicaltrials",
        "obo",
    }


def test_reader_binds_options() -> None:
    read = registry.reader(
        "chembl",
        target_map={"CHEMBL233": "UniProtKB:P35372"},
        document_map={"CHEMBL_EXAMPLE_DOC_1": "PMID:33384303"},
        source_version="ChEMBL 35",
    )
    collector = Collector()
    records = list(read(fixture("chembl", "activities.json"), collector))
    assert len([r for r in records if isinstance(r, Edge)]) == 2
    assert registry.reader("obo") is registry.SOURCES["obo"]
    assert registry.SOURCES["chembl-tsv"] is chembl.iter_tsv


def test_unknown_name_lists_the_valid_ones() -> None:
    with pytest.raises(
        registry.UnknownSourceError,
        match="unknown source 'drugbank'; expected one of: pubchem, chembl",
    ):
        registry.reader("drugbank")


def test_a_compressed_file_is_told_by_its_content(tmp_path: Path) -> None:
    import gzip  # noqa: PLC0415

    path = tmp_path / "download.gz"  # no format suffix: the content tells
    path.write_bytes(gzip.compress(fixture("clinicaltrials", "NCT03630471.json").read_bytes()))
    assert registry.detect_source(path) == "clinicaltrials"


def test_files_of_two_sources_are_refused_by_name() -> None:
    obo_file, ctgov = fixture("obo", "hp.obo"), fixture("clinicaltrials", "study.json")
    assert registry.source_of_files([obo_file, fixture("obo", "go.obo")]) == "obo"
    with pytest.raises(registry.UnknownSourceError, match="from different sources"):
        registry.source_of_files([obo_file, ctgov])
