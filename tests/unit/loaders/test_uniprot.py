from __future__ import annotations

import pytest

from loaders import uniprot
from loaders.base import Collector
from loaders.errors import SourceError
from ontology.records import Node
from ontology.vocab import Category
from tests.unit.loaders.conftest import fixture


def nodes(name: str, collector: Collector, **options: object) -> list[Node]:
    found = list(uniprot.iter_records(fixture("uniprot", name), collector,
                                      source_version="2025_01", **options))  # type: ignore[arg-type]
    assert all(isinstance(n, Node) for n in found)
    return found


def test_tsv_receptor_and_enzyme(collector: Collector) -> None:
    oprm1, cyp3a4 = nodes("proteins.tsv", collector)
    assert collector.rejections == []
    assert oprm1 == Node(
        id="UniProtKB:P35372", category=Category.RECEPTOR, name="Mu-type opioid receptor",
        synonyms=("M-OR-1", "MOR-1", "Mu opiate receptor", "Mu opioid receptor", "MOP", "hMOP",
                  "MOR1"),
        xrefs=("HGNC:8156", "IUPHAR.RECEPTOR:319"), description="Homo sapiens (Human) protein",
        symbol="OPRM1", taxon="NCBITaxon:9606", source="infores:uniprot",
        source_version="2025_01")
    assert cyp3a4.category is Category.ENZYME  # an EC number
    assert cyp3a4.name == "Cytochrome P450 3A4"
    assert "Albendazole monooxygenase (sulfoxide-forming)" in cyp3a4.synonyms
    assert not any(s.startswith("EC ") for s in cyp3a4.synonyms)
    assert cyp3a4.xrefs == ("HGNC:2637", "IUPHAR.RECEPTOR:1337")
    assert cyp3a4.symbol == "CYP3A4"


def test_json_search_results_match_the_tsv(collector: Collector) -> None:
    (oprm1,) = nodes("search.json", collector)
    assert oprm1.id == "UniProtKB:P35372"
    assert oprm1.category is Category.RECEPTOR
    assert oprm1.name == "Mu-type opioid receptor"
    assert oprm1.xrefs == ("IUPHAR.RECEPTOR:319", "HGNC:8156")  # ChEMBL xref skipped
    assert oprm1.symbol == "OPRM1"
    assert oprm1.synonyms == ("Mu opiate receptor", "Mu opioid receptor", "MOR1")
    assert oprm1.taxon == "NCBITaxon:9606"


def test_single_json_entry_with_an_ec_number_is_an_enzyme(collector: Collector) -> None:
    (cyp2d6,) = nodes("entry.json", collector)
    assert (cyp2d6.id, cyp2d6.category, cyp2d6.symbol) == (
        "UniProtKB:P10635", Category.ENZYME, "CYP2D6")


def test_explicit_categories_win(collector: Collector) -> None:
    oprm1, cyp3a4 = nodes("proteins.tsv", collector,
                          categories={"P08684": Category.RECEPTOR})
    assert (oprm1.category, cyp3a4.category) == (Category.RECEPTOR, Category.RECEPTOR)


def test_categories_must_be_targets() -> None:
    with pytest.raises(ValueError, match="P35372=alkaloid"):
        nodes("proteins.tsv", Collector(), categories={"P35372": Category.ALKALOID})


@pytest.mark.parametrize(("names", "expected"), [
    ("Mu-type opioid receptor (MOR-1) (MOP)", ["Mu-type opioid receptor", "MOR-1", "MOP"]),
    ("Protein (fragment) kinase", ["Protein (fragment) kinase"]),
    ("Name (Alt (nested)) [Cleaved into: Piece (P1)]", ["Name", "Alt (nested)"]),
    ("(Bracketed)", ["(Bracketed)"]),
])
def test_split_protein_names(names: str, expected: list[str]) -> None:
    assert uniprot.split_protein_names(names) == expected


def test_bad_rows_are_rejected_with_line_and_field(collector: Collector) -> None:
    assert nodes("bad_records.tsv", collector) == []
    found = [(r.location.line, r.field) for r in collector.rejections]
    assert found == [(2, "id"), (3, "Protein names"), (4, "(row)")]
    assert "does not match the UniProtKB pattern" in collector.rejections[0].reason
    assert collector.rejections[2].reason == "has 3 field(s) but the header has 9"


def test_wrong_columns_are_listed() -> None:
    with pytest.raises(SourceError, match=r"missing column.*'Entry', 'Protein names', "
                       r"'Organism'; found: 'Accession', 'Name', 'Species'"):
        nodes("wrong_columns.tsv", Collector())


def test_truncated_json() -> None:
    with pytest.raises(SourceError) as caught:
        nodes("truncated.json", Collector())
    assert caught.value.rejection.location.line is not None
    assert "invalid JSON" in caught.value.rejection.reason
