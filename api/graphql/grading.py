"""The evidence grade of a study connecting entities: a transparent product of four weights.

``score = design * species * sample size * directness``, each in (0, 1]:

- design: how strong the study design is (meta-analysis 1.0 ... in silico 0.2);
- species: human 1.0, another named species 0.7, not stated 0.6;
- sample size: 0.5 + 0.5 * min(1, log10(n) / 3) (n = 1: 0.5, 10: 0.67, 100: 0.83, >= 1000: 1);
  not reported: 0.6;
- directness: 0.85 for every hop a connection needs beyond the study's own link, over all
  terms (a study that tests the opioid receptor family itself is direct; one that tests
  OPRM1 when asked about "opioid receptors" is one hop away; an outcome measure of an
  anxiety disorder is one hop from "anxiety disorder").

The letter is A (>= 0.6), B (>= 0.4), C (>= 0.2) or D. Every input is returned with the score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from ontology.vocab import StudyDesign

DESIGN_WEIGHTS: dict[StudyDesign, float] = {
    StudyDesign.META_ANALYSIS: 1.0,
    StudyDesign.SYSTEMATIC_REVIEW: 0.95,
    StudyDesign.CLINICAL_TRIAL: 0.85,
    StudyDesign.CLINICAL_INTERACTION: 0.8,
    StudyDesign.CLINICAL_PK: 0.75,
    StudyDesign.OBSERVATIONAL_COHORT: 0.7,
    StudyDesign.CROSS_SECTIONAL_SURVEY: 0.55,
    StudyDesign.SCOPING_REVIEW: 0.5,  # maps the evidence; no pooled estimate
    StudyDesign.CASE_SERIES: 0.5,
    StudyDesign.ANIMAL_IN_VIVO: 0.5,
    StudyDesign.CASE_REPORT: 0.4,
    StudyDesign.NARRATIVE_REVIEW: 0.35,
    StudyDesign.IN_VITRO: 0.35,
    StudyDesign.IN_SILICO: 0.2,
}
UNKNOWN_DESIGN = 0.3
HUMAN, ANIMAL, UNKNOWN_SPECIES = 1.0, 0.7, 0.6
UNKNOWN_SAMPLE_SIZE = 0.6
HOP_FACTOR = 0.85
HUMAN_NAMES = frozenset({"homo sapiens", "human", "humans"})
LETTERS = ((0.6, "A"), (0.4, "B"), (0.2, "C"))


@dataclass(frozen=True)
class Grade:
    score: float
    letter: str
    design: StudyDesign | None
    design_weight: float
    species: str | None
    species_weight: float
    sample_size: int | None
    sample_size_weight: float
    extra_hops: int
    directness_weight: float


def design_weight(design: StudyDesign | None) -> float:
    return DESIGN_WEIGHTS.get(design, UNKNOWN_DESIGN) if design else UNKNOWN_DESIGN


def species_weight(species: str | None) -> float:
    if not species:
        return UNKNOWN_SPECIES
    return HUMAN if species.strip().lower() in HUMAN_NAMES else ANIMAL


def sample_size_weight(n: int | None) -> float:
    if n is None:
        return UNKNOWN_SAMPLE_SIZE
    return 0.5 + 0.5 * min(1.0, math.log10(max(n, 1)) / 3)


def letter(score: float) -> str:
    return next((mark for floor, mark in LETTERS if score >= floor), "D")


def grade(
    design: StudyDesign | None,
    species: str | None,
    sample_size: int | None,
    extra_hops_per_term: Iterable[int],
) -> Grade:
    """Grade a study; ``extra_hops_per_term``: the fewest extra hops each term needed."""
    hops = sum(extra_hops_per_term)
    weights = (
        design_weight(design),
        species_weight(species),
        sample_size_weight(sample_size),
        HOP_FACTOR**hops,
    )
    score = round(math.prod(weights), 4)
    return Grade(
        score=score,
        letter=letter(score),
        design=design,
        design_weight=weights[0],
        species=species,
        species_weight=weights[1],
        sample_size=sample_size,
        sample_size_weight=round(weights[2], 4),
        extra_hops=hops,
        directness_weight=round(weights[3], 4),
    )


@cache  # constants: built once, not once a request
def cypher_weights() -> Mapping[str, Any]:
    """The weights as a Cypher parameter (``graph.cypher.reads.studies_connecting`` ranks by
    them)."""
    return {
        "design": {d.value: w for d, w in DESIGN_WEIGHTS.items()},
        "unknown_design": UNKNOWN_DESIGN,
        "human": HUMAN,
        "animal": ANIMAL,
        "unknown_species": UNKNOWN_SPECIES,
        "human_names": sorted(HUMAN_NAMES),
        "unknown_sample_size": UNKNOWN_SAMPLE_SIZE,
        "hop_factor": HOP_FACTOR,
    }
