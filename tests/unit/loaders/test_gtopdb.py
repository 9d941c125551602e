from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from loaders import gtopdb
from loaders.base import Collector
from loaders.errors import SourceError
from loaders.fields import FieldError
from ontology.records import Edge, Node
from ontology.vocab import Category, Measure, Predicate, Relation, Unit
from tests.unit.loaders.conftest import fixture


@pytest.fixture
def ligands() -> dict[str, str]:
    return gtopdb.read_ligand_map(fixture("gtopdb", "ligands.csv"))


def edges(
    name: str, collector: Collector, ligand_map: dict[str, str], source_version: str | None = None
) -> list[Edge]:
    found = list(
        gtopdb.iter_records(
            fixture("gtopdb", name), collector, ligand_map=ligand_map, source_version=source_version
        )
    )
    assert all(isinstance(e, Edge) for e in found)
    return cast(list[Edge], found)


def test_ligand_map_from_ligands_csv(ligands: dict[str, str]) -> None:
    assert ligands == {"1626": "PUBCHEM.COMPOUND:3345", "1627": "PUBCHEM.COMPOUND:5288826"}


def test_interactions_become_converted_measurements(
    collector: Collector, ligands: dict[str, str]
) -> None:
    morphine_mu, fentanyl_mu, morphine_kappa, _ = edges("interactions.csv", collector, ligands)
    assert collector.rejections == []
    assert (morphine_mu.subject, morphine_mu.predicate, morphine_mu.object) == (
        "PUBCHEM.COMPOUND:5288826",
        Predicate.AGONIST_OF,
        "UniProtKB:P35372",
    )
    assert (morphine_mu.measure, morphine_mu.relation, morphine_mu.value, morphine_mu.unit) == (
        Measure.KI,
        Relation.EQ,
        3.162,
        Unit.NM,
    )  # 10^(9 - 8.5)
    assert morphine_mu.note == (
        "GtoPdb ligand 1627 (morphine); type Agonist, action Full agonist; pKi 8.5"
    )
    assert morphine_mu.species == "Human"
    assert morphine_mu.assay == "Radioligand binding, example assay"
    assert morphine_mu.provenance.source_version == "2024.1"
    assert morphine_mu.provenance.primary_knowledge_source == "infores:gtopdb"
    assert fentanyl_mu.provenance.publications == ("PMID:33384303", "PMID:25995615")
    assert (fentanyl_mu.measure, fentanyl_mu.value) == (Measure.EC50, 3.162)
    # pEC50 9.0 (high) .. 8.0 (low) is EC50 1 .. 10 nM: the ends swap
    assert (fentanyl_mu.low, fentanyl_mu.high, fentanyl_mu.interval) == (1.0, 10.0, "range")
    assert fentanyl_mu.note is not None
    assert fentanyl_mu.note.endswith("pEC50 8.5, high 9.0, low 8.0")  # the range is kept
    # pKi < 6 is Ki > 1000 nM
    assert morphine_kappa.predicate is Predicate.PARTIAL_AGONIST_OF
    assert (morphine_kappa.relation, morphine_kappa.value) == (Relation.GT, 1000.0)


@pytest.mark.parametrize(
    ("type_", "action", "predicate"),
    [
        ("Antagonist", "Competitive", Predicate.ANTAGONIST_OF),
        ("Inhibitor", "Non-competitive", Predicate.INHIBITS),
        ("Agonist", "Biased agonist", Predicate.AGONIST_OF),
        ("Allosteric modulator", "Positive", Predicate.BINDS),
        ("Antagonist", "Inverse agonist", Predicate.INVERSE_AGONIST_OF),
    ],
)
def test_predicate_from_action_then_type(type_: str, action: str, predicate: Predicate) -> None:
    assert gtopdb._predicate({"Type": type_, "Action": action}) is predicate


def test_bad_rows_are_rejected_with_line_and_field(
    collector: Collector, ligands: dict[str, str]
) -> None:
    assert edges("bad_rows.csv", collector, ligands) == []
    found = [(r.location.line, r.field) for r in collector.rejections]
    assert found == [
        (3, "Ligand ID"),
        (4, "Target UniProt ID"),
        (5, "Affinity Units"),
        (6, "PubMed ID"),
        (7, "Affinity Median"),
        (8, "Target UniProt ID"),
    ]
    reasons = [r.reason for r in collector.rejections]
    assert "has no PubChem CID" in reasons[0]
    assert "a complex of 2 proteins" in reasons[1]
    assert "unsupported affinity units 'pA2'" in reasons[2]
    assert reasons[3] == "no PubMed citation"
    assert reasons[4] == "not a number: 'not-a-number'"


def test_version_line_is_required_unless_given(
    collector: Collector, ligands: dict[str, str]
) -> None:
    with pytest.raises(SourceError, match="GtoPdb Version"):
        edges("no_version.csv", Collector(), ligands)
    (edge,) = edges("no_version.csv", collector, ligands, source_version="2024.1")
    assert edge.provenance.source_version == "2024.1"


def test_wrong_columns_are_listed(ligands: dict[str, str]) -> None:
    with pytest.raises(SourceError) as caught:
        edges("wrong_columns.csv", Collector(), ligands)
    rejection = caught.value.rejection
    assert rejection.location.line == 2
    assert rejection.reason.startswith(
        "missing column(s) 'Affinity Units', 'Affinity High', "
        "'Affinity Median', 'Affinity Low'; found: 'Target',"
    )


def test_truncated_csv(ligands: dict[str, str]) -> None:
    with pytest.raises(SourceError) as caught:
        edges("truncated.csv", Collector(), ligands)
    assert caught.value.rejection.location.line == 3
    assert "malformed row" in caught.value.rejection.reason


def test_a_range_without_median_stays_a_range(
    collector: Collector, ligands: dict[str, str]
) -> None:
    *_, morphine_delta = edges("interactions.csv", collector, ligands)
    # pKi 7.0 (high) .. 6.0 (low), no median: Ki 100 .. 1000 nM, no point value, not averaged
    assert (morphine_delta.measure, morphine_delta.value) == (Measure.KI, None)
    assert (morphine_delta.low, morphine_delta.high, morphine_delta.interval) == (
        100.0,
        1000.0,
        "range",
    )
    assert morphine_delta.note is not None
    assert morphine_delta.note.endswith("; pKi, high 7.0, low 6.0")


def test_a_range_needs_both_ends() -> None:
    row = {
        "Affinity Units": "pKi",
        "Affinity High": "7.0",
        "Affinity Median": "",
        "Affinity Low": "",
    }
    with pytest.raises(FieldError, match="a range needs both ends; only Affinity High"):
        gtopdb._affinity(row)


def test_a_release_loads_its_ligands_and_targets_first(collector: Collector) -> None:
    folder = fixture("gtopdb", "interactions.csv").parent
    paths = [
        folder / "interactions.csv",
        folder / "targets_and_families.csv",
        folder / "ligands.csv",
    ]  # in the order a user may type them
    records = list(gtopdb.iter_release(paths, collector))
    assert collector.rejections == []
    nodes = [r for r in records if isinstance(r, Node)]
    edges_ = [r for r in records if isinstance(r, Edge)]
    assert records == [*nodes, *edges_]  # every node before any edge
    by_id = {n.id: n for n in nodes}
    morphine = by_id["PUBCHEM.COMPOUND:5288826"]
    assert (morphine.category, morphine.name, morphine.inchikey) == (
        Category.DRUG,
        "morphine",
        "BQJCRHHNABKAKU-KBQPJGBKSA-N",
    )
    assert morphine.xrefs == (
        "GTOPDB:1627",
        "CHEMBL.COMPOUND:CHEMBL70",
        "INCHIKEY:BQJCRHHNABKAKU-KBQPJGBKSA-N",
    )
    mu = by_id["UniProtKB:P35372"]  # "&mu; receptor" in the real 2024.1 file
    assert (mu.category, mu.name, mu.symbol, mu.taxon, mu.xrefs) == (
        Category.RECEPTOR,
        "\u03bc receptor",
        "OPRM1",
        "NCBITaxon:9606",
        ("IUPHAR.RECEPTOR:319", "HGNC:8156"),
    )
    rat_mu = by_id["UniProtKB:P33535"]
    assert (rat_mu.symbol, rat_mu.taxon, rat_mu.xrefs) == ("Oprm1", "NCBITaxon:10116", ())
    categories = {
        by_id[f"UniProtKB:{acc}"].category
        for acc in ("Q12809", "P10635", "P08183", "P30536", "P46098")
    }
    assert categories == {
        Category.ION_CHANNEL,
        Category.ENZYME,
        Category.TRANSPORTER,
        Category.PROTEIN,
        Category.RECEPTOR,
    }
    assert by_id["UniProtKB:Q12809"].name == "Kv11.1"  # "K<SUB>v</SUB>11.1"
    assert {e.subject for e in edges_} <= set(by_id)
    assert {e.object for e in edges_} <= set(by_id)


# Header lines of the layouts GtoPdb used: today's (2024.1), the 2019-2020 spelling
# ("Ligand id", "Target UniProtKB ID") and the snake_case columns of older dumps.
LAYOUTS = {
    "today": "Target,Target ID,Target UniProt ID,Target Species,Ligand,Ligand ID,Type,Action,"
    "Affinity Units,Affinity High,Affinity Median,Affinity Low,PubMed ID",
    "2019-2020": "Target,Target id,Target UniProtKB ID,Target Species,Ligand,Ligand id,Type,"
    "Action,Affinity Units,Affinity High,Affinity Median,Affinity Low,PubMed ID",
    "snake_case": "target,target_id,target_uniprot,target_species,ligand,ligand_id,type,"
    "action,affinity_units,affinity_high,affinity_median,affinity_low,pubmed_id",
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_header_layout_reads_the_same(
    layout: str, tmp_path: Path, collector: Collector
) -> None:
    path = tmp_path / "interactions.csv"
    path.write_text(
        '"# GtoPdb Version: 2020.5 - published: 2020-10-01"\n'
        f"{LAYOUTS[layout]}\n"
        "mu,319,P35372,Human,morphine,1627,Agonist,Full agonist,pKi,,8.5,,"
        "33384303\n"
    )
    (edge,) = gtopdb.iter_records(path, collector, ligand_map={"1627": "PUBCHEM.COMPOUND:5288826"})
    assert collector.rejections == []
    assert isinstance(edge, Edge)
    assert (edge.subject, edge.object, edge.value) == (
        "PUBCHEM.COMPOUND:5288826",
        "UniProtKB:P35372",
        3.162,
    )


def test_a_file_that_is_no_gtopdb_download_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("name,value\na,1\n")
    with pytest.raises(SourceError, match="not a GtoPdb download"):
        list(gtopdb.iter_records(path, Collector()))


def test_stereoisomers_stay_two_compounds(tmp_path: Path, collector: Collector) -> None:
    # Two ligands whose InChIKeys share the skeleton block (stereoisomers): each keeps its own
    # CID; nothing joins them. Synthetic ids.
    path = tmp_path / "ligands.csv"
    path.write_text(
        '"# GtoPdb Version: 2024.1 - published: 2024-03-26"\n'
        '"Ligand ID","Name","PubChem CID","InChIKey"\n'
        '"90001","(R)-example","999999991","AAAAAAAAAAAAAA-BBBBBBBBBB-N"\n'
        '"90002","(S)-example","999999992","AAAAAAAAAAAAAA-CCCCCCCCCC-N"\n'
    )
    nodes = list(gtopdb.iter_records(path, collector))
    assert collector.rejections == []
    assert [n.id for n in nodes] == ["PUBCHEM.COMPOUND:999999991", "PUBCHEM.COMPOUND:999999992"]
    assert [n.xrefs[0] for n in nodes if isinstance(n, Node)] == ["GTOPDB:90001", "GTOPDB:90002"]
