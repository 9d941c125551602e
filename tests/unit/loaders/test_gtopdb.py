from __future__ import annotations

import pytest

from loaders import gtopdb
from loaders.base import Collector
from loaders.errors import SourceError
from ontology.records import Edge
from ontology.vocab import Measure, Predicate, Relation, Unit
from tests.unit.loaders.conftest import fixture


@pytest.fixture
def ligands() -> dict[str, str]:
    return gtopdb.read_ligand_map(fixture("gtopdb", "ligands.csv"))


def edges(name: str, collector: Collector, ligand_map: dict[str, str],
          source_version: str | None = None) -> list[Edge]:
    found = list(gtopdb.iter_records(fixture("gtopdb", name), collector,
                                     ligand_map=ligand_map, source_version=source_version))
    assert all(isinstance(e, Edge) for e in found)
    return found


def test_ligand_map_from_ligands_csv(ligands: dict[str, str]) -> None:
    assert ligands == {"1626": "PUBCHEM.COMPOUND:3345", "1627": "PUBCHEM.COMPOUND:5288826"}


def test_interactions_become_converted_measurements(collector: Collector,
                                                    ligands: dict[str, str]) -> None:
    morphine_mu, fentanyl_mu, morphine_kappa = edges("interactions.csv", collector, ligands)
    assert collector.rejections == []
    assert (morphine_mu.subject, morphine_mu.predicate, morphine_mu.object) == (
        "PUBCHEM.COMPOUND:5288826", Predicate.AGONIST_OF, "UniProtKB:P35372")
    assert (morphine_mu.measure, morphine_mu.relation, morphine_mu.value, morphine_mu.unit) == (
        Measure.KI, Relation.EQ, 3.162, Unit.NM)  # 10^(9 - 8.5)
    assert morphine_mu.note == ("GtoPdb ligand 1627 (morphine); type Agonist, action Full "
                                "agonist; pKi 8.5")
    assert morphine_mu.species == "Human"
    assert morphine_mu.assay == "Radioligand binding, example assay"
    assert morphine_mu.provenance.source_version == "2024.1"
    assert morphine_mu.provenance.primary_knowledge_source == "infores:gtopdb"
    assert fentanyl_mu.provenance.publications == ("PMID:33384303", "PMID:25995615")
    assert (fentanyl_mu.measure, fentanyl_mu.value) == (Measure.EC50, 3.162)
    assert fentanyl_mu.note is not None
    assert fentanyl_mu.note.endswith("pEC50 8.5, high 9.0, low 8.0")  # the range is kept
    # pKi < 6 is Ki > 1000 nM
    assert morphine_kappa.predicate is Predicate.PARTIAL_AGONIST_OF
    assert (morphine_kappa.relation, morphine_kappa.value) == (Relation.GT, 1000.0)


@pytest.mark.parametrize(("type_", "action", "predicate"), [
    ("Antagonist", "Competitive", Predicate.ANTAGONIST_OF),
    ("Inhibitor", "Non-competitive", Predicate.INHIBITS),
    ("Agonist", "Biased agonist", Predicate.AGONIST_OF),
    ("Allosteric modulator", "Positive", Predicate.BINDS),
    ("Antagonist", "Inverse agonist", Predicate.INVERSE_AGONIST_OF),
])
def test_predicate_from_action_then_type(type_: str, action: str, predicate: Predicate) -> None:
    assert gtopdb._predicate({"Type": type_, "Action": action}) is predicate


def test_bad_rows_are_rejected_with_line_and_field(collector: Collector,
                                                   ligands: dict[str, str]) -> None:
    assert edges("bad_rows.csv", collector, ligands) == []
    found = [(r.location.line, r.field) for r in collector.rejections]
    assert found == [(3, "Ligand ID"), (4, "Target UniProt ID"), (5, "Affinity Units"),
                     (6, "PubMed ID"), (7, "Affinity Median"), (8, "Target UniProt ID")]
    reasons = [r.reason for r in collector.rejections]
    assert "has no PubChem CID" in reasons[0]
    assert "a complex of 2 proteins" in reasons[1]
    assert "unsupported affinity units 'pA2'" in reasons[2]
    assert reasons[3] == "no PubMed citation"
    assert reasons[4] == "not a number: 'not-a-number'"


def test_version_line_is_required_unless_given(collector: Collector,
                                               ligands: dict[str, str]) -> None:
    with pytest.raises(SourceError, match="GtoPdb Version"):
        edges("no_version.csv", Collector(), ligands)
    (edge,) = edges("no_version.csv", collector, ligands, source_version="2024.1")
    assert edge.provenance.source_version == "2024.1"


def test_wrong_columns_are_listed(ligands: dict[str, str]) -> None:
    with pytest.raises(SourceError) as caught:
        edges("wrong_columns.csv", Collector(), ligands)
    rejection = caught.value.rejection
    assert rejection.location.line == 2
    assert rejection.reason.startswith("missing column(s) 'Affinity Units', 'Affinity High', "
                                       "'Affinity Median', 'Affinity Low'; found: 'Target',")


def test_truncated_csv(ligands: dict[str, str]) -> None:
    with pytest.raises(SourceError) as caught:
        edges("truncated.csv", Collector(), ligands)
    assert caught.value.rejection.location.line == 3
    assert "malformed row" in caught.value.rejection.reason
