"""The evidence grade: a documented product of weights, every input returned."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.graphql.grading import (
    DESIGN_WEIGHTS,
    HOP_FACTOR,
    UNKNOWN_DESIGN,
    grade,
    letter,
    sample_size_weight,
    species_weight,
)
from ontology.vocab import StudyDesign


def test_design_order_follows_the_evidence_hierarchy() -> None:
    order = [
        StudyDesign.META_ANALYSIS,
        StudyDesign.SYSTEMATIC_REVIEW,
        StudyDesign.CLINICAL_TRIAL,
        StudyDesign.OBSERVATIONAL_COHORT,
        StudyDesign.ANIMAL_IN_VIVO,
        StudyDesign.IN_VITRO,
        StudyDesign.IN_SILICO,
    ]
    weights = [DESIGN_WEIGHTS[d] for d in order]
    assert weights == sorted(weights, reverse=True)
    assert len(set(weights)) == len(weights)
    assert set(DESIGN_WEIGHTS) == set(StudyDesign)


def test_species_and_sample_size() -> None:
    assert species_weight("Homo sapiens") > species_weight("Rattus norvegicus")
    assert species_weight("human") == species_weight("Homo sapiens")
    assert species_weight(None) < species_weight("Mus musculus")
    assert sample_size_weight(1) == 0.5
    assert sample_size_weight(1000) == 1.0
    assert sample_size_weight(10**6) == 1.0
    assert sample_size_weight(10) < sample_size_weight(100) < sample_size_weight(1000)


def test_grade_returns_its_inputs_and_their_product() -> None:
    graded = grade(StudyDesign.CLINICAL_TRIAL, "Homo sapiens", 100, [0, 1])
    assert graded.design is StudyDesign.CLINICAL_TRIAL
    assert graded.design_weight == DESIGN_WEIGHTS[StudyDesign.CLINICAL_TRIAL]
    assert graded.species_weight == 1.0
    assert graded.extra_hops == 1
    assert graded.directness_weight == HOP_FACTOR
    expected = (
        graded.design_weight
        * graded.species_weight
        * graded.sample_size_weight
        * graded.directness_weight
    )
    assert graded.score == pytest.approx(expected, abs=1e-4)
    assert graded.letter == "A"


def test_a_direct_human_trial_beats_an_indirect_animal_study() -> None:
    trial = grade(StudyDesign.CLINICAL_TRIAL, "Homo sapiens", 60, [0, 0])
    animal = grade(StudyDesign.ANIMAL_IN_VIVO, "Mus musculus", None, [1, 1])
    assert trial.score > animal.score
    assert grade(None, None, None, []).design_weight == UNKNOWN_DESIGN


@given(
    design=st.sampled_from(list(StudyDesign)) | st.none(),
    size=st.integers(min_value=0, max_value=10**7) | st.none(),
    hops=st.lists(st.integers(min_value=0, max_value=5), max_size=6),
)
def test_scores_stay_in_range(
    design: StudyDesign | None, size: int | None, hops: list[int]
) -> None:
    graded = grade(design, None, size, hops)
    assert 0 < graded.score <= 1
    assert math.isclose(graded.directness_weight, round(HOP_FACTOR ** sum(hops), 4))
    assert graded.letter == letter(graded.score)
