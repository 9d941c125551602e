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
    return list(
        clinicaltrials.iter_records(
            fixture("clinicaltrials", name),
            collector,
            intervention_map=INTERVENTIONS,
            source_version="2025-01-10",
        )
    )


def test_studies_page(collector: Collector) -> None:
    records = load("studies.json", collector)
    assert collector.rejections == []
    study, outcome, measures, kratom, midazolam, observational = records
    assert study == Node(
        id="NCT:NCT04392011",
        category=Category.STUDY,
        name="Assessing the Pharmacokinetics and Drug Interaction Liability of Kratom, an "
        "Opioid-like Natural Product",
        title="Assessing the Pharmacokinetics and Drug Interaction Liability of Kratom, an "
        "Opioid-like Natural Product",
        design=StudyDesign.CLINICAL_TRIAL,
        sample_size=15,
        nct="NCT04392011",
        summary="ClinicalTrials.gov record: Interventional (Early Phase 1)",
        source="infores:clinicaltrials",
        source_version="2025-01-10",
    )
    assert isinstance(outcome, Node)
    # 48 characters of slug, then a hash of the whole measure
    assert re.fullmatch(
        r"PHARMAKG:outcome/nct04392011-area-under-the-plasma-concentration-"
        r"time-curve-a-[0-9a-f]{8}",
        outcome.id,
    )
    assert outcome.category is Category.OUTCOME_MEASURE
    assert outcome.description is not None
    assert outcome.description.startswith("primary outcome; time frame: 0,")
    assert isinstance(measures, Edge)
    assert (measures.subject, measures.predicate, measures.object) == (
        study.id,
        Predicate.MEASURES,
        outcome.id,
    )
    assert measures.provenance.publications == ("NCT:NCT04392011",)
    assert isinstance(kratom, Edge)
    assert isinstance(midazolam, Edge)
    assert [(e.predicate, e.object) for e in (kratom, midazolam)] == [
        (Predicate.INVESTIGATES, "PUBCHEM.COMPOUND:3034396"),
        (Predicate.INVESTIGATES, "PUBCHEM.COMPOUND:4192"),
    ]
    assert isinstance(observational, Node)
    assert (observational.design, observational.year, observational.sample_size) == (
        StudyDesign.OBSERVATIONAL_COHORT,
        2024,
        22,
    )
    assert observational.title is not None
    assert observational.title.startswith("Observing")
    assert observational.summary == (
        "ClinicalTrials.gov record: Observational; conditions: "
        "Kratom Pharmacokinetics; Kratom Pharmacodynamics; Kratom"
    )


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
    assert found == [
        ("studies[0]", "identificationModule.nctId"),
        ("EXAMPLE-1", "id"),
        ("NCT99999999", "identificationModule.briefTitle"),
        ("NCT99999998", "outcomesModule.measure"),
    ]


def test_structural_errors() -> None:
    with pytest.raises(SourceError, match="invalid JSON at line"):
        load("truncated.json", Collector())
    with pytest.raises(SourceError, match="found keys: totalCount, trials"):
        load("not_ctgov.json", Collector())


def test_outcomes_sharing_a_measure_stay_apart_by_time_frame(collector: Collector) -> None:
    """NCT03630471 measures 'Mental health symptoms' at 6 weeks (primary) and 12 weeks."""
    records = list(
        clinicaltrials.iter_records(
            fixture("clinicaltrials", "NCT03630471.json"), collector, source_version="aact-fixture"
        )
    )
    assert collector.rejections == []
    study = records[0]
    assert isinstance(study, Node)
    assert study.summary == (
        "ClinicalTrials.gov record: Interventional (Not Applicable); allocation: Randomized; "
        "intervention model: Parallel Assignment; masking: Double; primary purpose: Treatment; "
        "conditions: Mental Health Issue (E.G., Depression, Psychosis, Personality Disorder, "
        "Substance Abuse)"
    )
    outcomes = [r for r in records[1:] if isinstance(r, Node)]
    measures = [r for r in records if isinstance(r, Edge)]
    assert len(outcomes) == len(measures) == 11  # 2 primary + 9 secondary in the record
    symptoms = [o for o in outcomes if o.name == "Mental health symptoms"]
    assert [o.id for o in symptoms] == [
        "PHARMAKG:outcome/nct03630471-mental-health-symptoms-6-weeks",
        clinicaltrials.outcome_id(
            "NCT03630471", "Mental health symptoms", "12 weeks post-randomization"
        ),
    ]
    descriptions = [o.description or "" for o in symptoms]
    assert descriptions[0].startswith("primary outcome; time frame: 6 weeks; ")
    assert descriptions[1].startswith(
        "secondary outcome; time frame: 12 weeks post-randomization; "
    )


def test_an_observational_registry_record(collector: Collector) -> None:
    records = list(
        clinicaltrials.iter_records(
            fixture("clinicaltrials", "NCT03475563.json"), collector, source_version="aact-fixture"
        )
    )
    study = records[0]
    assert isinstance(study, Node)
    assert study.design is StudyDesign.OBSERVATIONAL_COHORT
    assert study.summary == (
        "ClinicalTrials.gov record: Observational; observational model: "
        "Case-Only; time perspective: Prospective; conditions: Coronary "
        "Artery Disease"
    )
    assert sum(isinstance(r, Edge) for r in records) == 7
