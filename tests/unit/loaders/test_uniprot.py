from __future__ import annotations

from pathlib import Path

import pytest

from loaders import uniprot
from loaders.base import Collector
from loaders.errors import SourceError
from ontology.records import Node
from ontology.vocab import Category
from tests.unit.loaders.conftest import fixture


def nodes(name: str, collector: Collector, **options: object) -> list[Node]:
    found = list(
        uniprot.iter_records(
            fixture("uniprot", name),
            collector,
            source_version="2025_01",
            **options,  # type: ignore[arg-type]
        )
    )
    assert all(isinstance(n, Node) for n in found)
    return found


def test_tsv_receptor_and_enzyme(collector: Collector) -> None:
    oprm1, cyp3a4 = nodes("proteins.tsv", collector)
    assert collector.rejections == []
    assert oprm1 == Node(
        id="UniProtKB:P35372",
        category=Category.RECEPTOR,
        name="Mu-type opioid receptor",
        synonyms=(
            "M-OR-1",
            "MOR-1",
            "Mu opiate receptor",
            "Mu opioid receptor",
            "MOP",
            "hMOP",
            "MOR1",
        ),
        xrefs=("HGNC:8156", "IUPHAR.RECEPTOR:319"),
        description="Homo sapiens (Human) protein",
        symbol="OPRM1",
        taxon="NCBITaxon:9606",
        source="infores:uniprot",
        source_version="2025_01",
    )
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
        "UniProtKB:P10635",
        Category.ENZYME,
        "CYP2D6",
    )


def test_explicit_categories_win(collector: Collector) -> None:
    oprm1, cyp3a4 = nodes("proteins.tsv", collector, categories={"P08684": Category.RECEPTOR})
    assert (oprm1.category, cyp3a4.category) == (Category.RECEPTOR, Category.RECEPTOR)


def test_categories_must_be_targets() -> None:
    with pytest.raises(ValueError, match="P35372=alkaloid"):
        nodes("proteins.tsv", Collector(), categories={"P35372": Category.ALKALOID})


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ("Mu-type opioid receptor (MOR-1) (MOP)", ["Mu-type opioid receptor", "MOR-1", "MOP"]),
        ("Protein (fragment) kinase", ["Protein (fragment) kinase"]),
        ("Name (Alt (nested)) [Cleaved into: Piece (P1)]", ["Name", "Alt (nested)"]),
        ("(Bracketed)", ["(Bracketed)"]),
    ],
)
def test_split_protein_names(names: str, expected: list[str]) -> None:
    assert uniprot.split_protein_names(names) == expected


def test_bad_rows_are_rejected_with_line_and_field(collector: Collector) -> None:
    assert nodes("bad_records.tsv", collector) == []
    found = [(r.location.line, r.field) for r in collector.rejections]
    assert found == [(2, "id"), (3, "Protein names"), (4, "(row)")]
    assert "does not match the UniProtKB pattern" in collector.rejections[0].reason
    assert collector.rejections[2].reason == "has 3 field(s) but the header has 10"


def test_wrong_columns_are_listed() -> None:
    with pytest.raises(
        SourceError,
        match=r"missing column.*'Entry', 'Protein names', "
        r"'Organism'; found: 'Accession', 'Name', 'Species'",
    ):
        nodes("wrong_columns.tsv", Collector())


def test_truncated_json() -> None:
    with pytest.raises(SourceError) as caught:
        nodes("truncated.json", Collector())
    assert caught.value.rejection.location.line is not None
    assert "invalid JSON" in caught.value.rejection.reason


@pytest.mark.parametrize(
    ("keywords", "families", "ec", "category"),
    [
        (["Receptor", "Transducer"], [], [], Category.RECEPTOR),
        (["G-protein coupled receptor"], [], [], Category.RECEPTOR),
        # a ligand-gated channel UniProt calls a receptor is a receptor
        (["Ion channel", "Ligand-gated ion channel", "Receptor"], [], [], Category.RECEPTOR),
        (["Ion channel", "Voltage-gated channel"], [], [], Category.ION_CHANNEL),
        (
            ["Membrane"],
            ["Sodium:neurotransmitter symporter (SNF) (TC 2.A.22) family"],
            [],
            Category.TRANSPORTER,
        ),
        (["Symport"], [], [], Category.TRANSPORTER),
        (["Translocase"], ["ABC transporter superfamily"], ["7.6.2.2"], Category.TRANSPORTER),
        (["Oxidoreductase"], ["Cytochrome P450 family"], [], Category.ENZYME),
        ([], [], ["3.5.1.99"], Category.ENZYME),
        # a peptide or a binding protein is not a receptor: a protein, says the category
        (["Secreted", "Hormone"], ["Opioid neuropeptide precursor family"], [], Category.PROTEIN),
        ([], [], [], None),
    ],
)
def test_category_is_what_uniprot_says(
    keywords: list[str], families: list[str], ec: list[str], category: Category | None
) -> None:
    protein = uniprot.Protein("P00000", ["x"], keywords=keywords, families=families, ec_numbers=ec)
    assert uniprot.category_of(protein) is category


def test_an_entry_uniprot_says_nothing_about_is_rejected(
    tmp_path: Path, collector: Collector
) -> None:
    path = tmp_path / "proteins.tsv"
    path.write_text(
        "Entry\tProtein names\tOrganism\nP35372\tMu-type opioid receptor\tHomo sapiens (Human)\n"
    )
    assert list(uniprot.iter_records(path, collector)) == []
    (rejection,) = collector.rejections
    assert rejection.field == "Keywords"
    assert "download with the columns keyword, protein_families and ec" in rejection.reason


@pytest.mark.parametrize(
    ("source", "name", "shown"),
    [
        # a real legacy UniProt JSON (EBI Proteins API layout); see tests/fixtures/README.md
        ("uniprot", "legacy_proteins_api.json", "a legacy UniProt JSON"),
        ("clinicaltrials", "study.json", "not UniProtKB JSON"),
    ],
)
def test_a_json_file_that_is_not_uniprot_is_one_clear_error(
    source: str, name: str, shown: str
) -> None:
    collector = Collector()
    with pytest.raises(SourceError, match=shown) as caught:
        list(uniprot.iter_records(fixture(source, name), collector))
    assert "expected a rest.uniprot.org answer" in str(caught.value)
    assert collector.rejections == []
