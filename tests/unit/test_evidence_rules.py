"""Evidence at its true level (#13): the curated loader's rules, the curated data that keeps
them, and a null finding as the RDF export states it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from api import pipeline
from loaders.base import Collector
from loaders.curated import iter_records
from loaders.curated_format import DEFAULT_DIR, SPECIES_TAXA
from loaders.errors import Rejection
from ontology import rdf
from ontology.identifiers import iri
from ontology.records import Edge, Node
from ontology.vocab import TARGETS, EvidenceKind, Measure, Predicate

DEXTROMETHORPHAN = "PUBCHEM.COMPOUND:5360696"
HUMAN = "NCBITaxon:9606"


def _curated(directory: Path = DEFAULT_DIR) -> tuple[list[Node | Edge], list[Rejection]]:
    rejected: list[Rejection] = []
    return list(iter_records(directory, rejected.append)), rejected


@pytest.fixture(scope="module")
def curated() -> list[Node | Edge]:
    records, rejected = _curated()
    assert rejected == []
    return records


def test_every_target_edge_is_about_its_targets_taxon(curated: list[Node | Edge]) -> None:
    """No curated edge about a mouse or rat protein points at a human protein: each target
    edge's species (its row's, or its study's) is the taxon of the protein it attaches to."""
    taxa = {n.id: n.taxon for n in curated if isinstance(n, Node) and n.category in TARGETS}
    studies = {n.id: n.species for n in curated if isinstance(n, Node) and n.species}
    checked = 0
    for edge in curated:
        if not isinstance(edge, Edge) or edge.object not in taxa:
            continue
        species = edge.species or studies.get(edge.subject)
        if edge.evidence_kind is EvidenceKind.ANIMAL:
            assert species is not None, f"animal edge {edge.id} names no species"
        if species is not None:
            assert SPECIES_TAXA[species.lower()] == taxa[edge.object], (
                f"{edge.predicate.value} {edge.subject} -> {edge.object} ({taxa[edge.object]}) "
                f"is about {species}"
            )
            checked += 1
    assert checked > 5  # the rows and studies that name a species


def test_no_animal_metabolism_finding_attaches_to_a_human_enzyme(
    curated: list[Node | Edge],
) -> None:
    human = {n.id for n in curated if isinstance(n, Node) and n.taxon == HUMAN}
    animal = [
        e
        for e in curated
        if isinstance(e, Edge)
        and e.predicate is Predicate.METABOLIZED_BY
        and e.evidence_kind is EvidenceKind.ANIMAL
    ]
    assert len(animal) == 3  # Chakraborty 2021 (two products) and Hill 2022, in mice
    assert all(e.object not in human and e.species == "mouse" for e in animal)


def test_an_inactivation_constant_is_never_a_ki(curated: list[Node | Edge]) -> None:
    constants = {
        (e.measure, e.value, e.unit.value if e.unit else None)
        for e in curated
        if isinstance(e, Edge) and e.assay and "time-dependent" in e.assay
    }
    assert constants == {(Measure.KI_INACT, 4.0, "uM"), (Measure.KINACT, 0.07, "1/min")}


def test_the_dextromethorphan_null_finding_is_negated_in_rdf(curated: list[Node | Edge]) -> None:
    null = [
        e
        for e in curated
        if isinstance(e, Edge)
        and e.object == DEXTROMETHORPHAN
        and e.predicate is Predicate.INTERACTS_WITH
    ]
    assert {(e.measure, e.value, e.low, e.high, e.interval) for e in null} == {
        (Measure.AUC_GMR, 0.99, 0.83, 1.19, "90% CI"),
        (Measure.CMAX_GMR, 0.96, 0.78, 1.19, "90% CI"),
    }
    true = rdf.Lit("true", "http://www.w3.org/2001/XMLSchema#boolean")
    for edge in null:
        assert edge.negated
        triples = rdf.edge_triples(edge)
        assert (rdf.edge_iri(edge.id), "https://w3id.org/biolink/vocab/negated", true) in triples
        assert (
            iri(edge.subject),
            rdf.predicate_iri(edge.predicate),
            iri(edge.object),
        ) not in triples


# -- the loader refuses a record that breaks a rule, naming file, record, field and reason -----


def _broken(tmp_path: Path, name: str, old: str, new: str) -> list[Rejection]:
    copy = tmp_path / "curated"
    shutil.copytree(DEFAULT_DIR, copy)
    path = copy / name
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    return [r for r in _curated(copy)[1] if r.location.file.name == name]


def test_an_authors_proposal_coded_as_clinical_is_refused(tmp_path: Path) -> None:
    (rejection,) = _broken(
        tmp_path,
        "interactions.yaml",
        "evidence_kind: predicted   # the case report",
        "evidence_kind: clinical   # the case report",
    )
    assert rejection.field == "evidence_kind"
    assert rejection.location.line is not None
    assert "author's proposal" in rejection.reason


def test_a_mouse_result_on_the_human_enzyme_is_refused(tmp_path: Path) -> None:
    rejections = _broken(
        tmp_path,
        "metabolism.yaml",
        "{substrate: mitragynine, enzyme: cyp3-family, product: 7-hydroxymitr",
        "{substrate: mitragynine, enzyme: cyp3a4, product: 7-hydroxymitr",
    )
    assert [r.field for r in rejections] == ["enzyme"]
    assert "a mouse finding cannot attach to UniProtKB:P08684" in rejections[0].reason


def test_a_rat_row_on_a_human_enzyme_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "curated"
    shutil.copytree(DEFAULT_DIR, copy)
    table = copy / "pharmacology.tsv"
    lines = table.read_text().splitlines()
    human = next(i for i, line in enumerate(lines) if "\tcyp2c9\t" in line and "\thuman\t" in line)
    lines[human] = lines[human].replace("\thuman\t", "\trat\t", 1)
    table.write_text("\n".join(lines) + "\n")
    (rejection,) = _curated(copy)[1]
    assert (rejection.location.file.name, rejection.location.line) == (
        "pharmacology.tsv",
        human + 1,
    )
    assert rejection.field == "species"
    assert "a rat finding cannot attach to UniProtKB:P11712" in rejection.reason


def test_a_time_dependent_ki_is_refused(tmp_path: Path) -> None:
    (rejection,) = _broken(tmp_path, "pharmacology.tsv", "inhibitor\tKI_inact\t", "inhibitor\tKi\t")
    assert rejection.field == "measure"
    assert "KI_inact" in rejection.reason


def test_a_design_the_paper_does_not_claim_is_refused(tmp_path: Path) -> None:
    (rejection,) = _broken(
        tmp_path,
        "studies-clinical.yaml",
        "design: scoping_review   #",
        "design: systematic_review   #",
    )
    assert rejection.field == "design"
    assert "scoping review" in rejection.reason


def test_a_record_read_twice_names_both_places(tmp_path: Path) -> None:
    """'appears twice in this load' names the file and line of each copy, not a hash."""
    copy = tmp_path / "curated"
    shutil.copytree(DEFAULT_DIR, copy)
    table = copy / "pharmacology.tsv"
    lines = table.read_text().splitlines()
    changed = lines[1].replace("Hanapi 2013", "Hanapi 2013 (note changed)")
    table.write_text("\n".join([*lines, changed]) + "\n")
    collector = Collector()
    records = pipeline.validated_records(pipeline.CURATED, [copy], collector)
    assert sum(1 for _ in records) > 400
    (rejection,) = collector.rejections
    assert (rejection.location.file, rejection.location.line) == (table, len(lines) + 1)
    assert f"{table}:2" in rejection.reason
