from __future__ import annotations

import re

import pytest

from loaders import clinicaltrials
from loaders.base import Collector
from loaders.errors import SourceError
from ontology.records import Edge, Node, Record
from ontology.vocab import Category, Predicate, StudyDesign
from tests.unit.loaders.conftest import fixture

INTERVENTIONS = {"kratom": "PUBCHEM.COMPOUND:3034396", "Midazolam": "PUBCHEM.COMPOUND:4192"}


def load(name: str, collector: Collector) -> list[Record]:
    return list(clinicaltrials.iter_records(fixture("clinicaltrials", name), collector,
                                            intervention_map=INTERVENTIONS,
                                            source_version="2025-01-10"))


def test_studies_page(collector: Collector) -> None:
    records = load("studies.json", collector)
    assert collector.rejections == []
    study, outcome, measures, kratom, midazolam, observational = records
    assert study == Node(
        id="NCT:NCT04392011", category=Category.STUDY,
        name="Assessing the Pharmacokinetics and Drug Interaction Liability of Kratom, an "
             "Opioid-like Natural Product",
        title="Assessing the Pharmacokinetics and Drug Interaction Liability of Kratom, an "
              "Opioid-like Natural Product",
        design=StudyDesign.CLINICAL_TRIAL, sample_size=15, nct="NCT04392011",
        summary="ClinicalTrials.gov record: Interventional (Early Phase 1)",
        source="infores:clinicaltrials", source_version="2025-01-10")
    assert isinstance(outcome, Node)
    # 48 characters of slug, then a hash of the whole measure
    assert re.fullmatch(r"PHARMAKG:outcome/nct04392011-area-under-the-plasma-concentration-"
                        r"time-curve-a-[0-9a-f]{8}", outcome.id)
    assert outcome.category is Category.OUTCOME_MEASURE
    assert outcome.description is not None
    assert outcome.description.startswith("primary outcome; time frame: 0,")
    assert isinstance(measures, Edge)
    assert (measures.subject, measures.predicate, measures.object) == (
        study.id, Predicate.MEASURES, outcome.id)
    assert measures.provenance.publications == ("NCT:NCT04392011",)
    assert isinstance(kratom, Edge)
    assert isinstance(midazolam, Edge)
    assert [(e.predicate, e.object) for e in (kratom, midazolam)] == [
        (Predicate.INVESTIGATES, "PUBCHEM.COMPOUND:3034396"),
        (Predicate.INVESTIGATES, "PUBCHEM.COMPOUND:4192")]
    assert isinstance(observational, Node)
    assert (observational.design, observational.year, observational.sample_size) == (
        StudyDesign.OBSERVATIONAL_COHORT, 2024, 22)
    assert observational.title is not None
    assert observational.title.startswith("Observing")
    assert observational.summary == ("ClinicalTrials.gov record: Observational; conditions: "
                                     "Kratom Pharmacokinetics; Kratom Pharmacodynamics; Kratom")


def test_single_study_document(collector: Collector) -> None:
    study, investigates = load("study.json", collector)
    assert isinstance(study, Node)
    assert isinstance(investigates, Edge)
    assert (study.id, study.year, study.sample_size) == ("NCT:NCT06072170", 2023, 40)
    assert investigates.object == "PUBCHEM.COMPOUND:3034396"


def test_outcome_ids_are_short_stable_and_distinct() -> None:
    short = clinicaltrials.outcome_id("NCT04392011", "Cmax of mitragynine")
    assert short == "PHARMAKG:outcome/nct04392011-cmax-of-mitragynine"
    long_a = clinicaltrials.outcome_id("NCT04392011", "x" * 60 + " first")
    long_b = clinicaltrials.outcome_id("NCT04392011", "x" * 60 + " second")
    assert long_a != long_b
    assert long_a == clinicaltrials.outcome_id("NCT04392011", "x" * 60 + " first")


def test_bad_studies_are_rejected_with_their_record(collector: Collector) -> None:
    records = load("bad_records.json", collector)
    assert [r.id for r in records if isinstance(r, Node)] == ["NCT:NCT99999998"]
    found = [(r.location.record, r.field) for r in collector.rejections]
    assert found == [("studies[0]", "identificationModule.nctId"),
                     ("EXAMPLE-1", "id"),
                     ("NCT99999999", "identificationModule.briefTitle"),
                     ("NCT99999998", "outcomesModule.measure")]


def test_structural_errors() -> None:
    with pytest.raises(SourceError, match="invalid JSON at line"):
        load("truncated.json", Collector())
    with pytest.raises(SourceError, match="found keys: totalCount, trials"):
        load("not_ctgov.json", Collector())
