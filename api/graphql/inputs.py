"""The input types: which studies and measurements, and in what order."""

from __future__ import annotations

import strawberry

from api.graphql import enums  # noqa: F401 - registers the vocabulary's enums
from graph.reads import MeasurementOrder, StudyOrder
from ontology import vocab

# -- filters ---------------------------------------------------------------------------------


@strawberry.input(description="Which studies (all given conditions hold).")
class StudyFilter:
    designs: list[vocab.StudyDesign] | None = None
    species: list[str] | None = strawberry.field(
        default=None, description="Species, case-insensitive; 'human', 'rat', 'mouse' work."
    )
    year_from: int | None = None
    year_to: int | None = None
    min_sample_size: int | None = None
    max_sample_size: int | None = None
    investigates: str | None = strawberry.field(
        default=None, description="A compound or organism (CURIE or name) the study gave."
    )


@strawberry.input
class StudySort:
    field: StudyOrder = StudyOrder.YEAR
    descending: bool = True


@strawberry.input(description="Which measurements (all given conditions hold).")
class MeasurementFilter:
    compound: str | None = None
    target: str | None = strawberry.field(
        default=None, description="A target or a target family (CURIE or name)."
    )
    measures: list[vocab.Measure] | None = None
    value_min: float | None = None
    value_max: float | None = None
    unit: vocab.Unit | None = strawberry.field(
        default=None, description="The unit of valueMin/valueMax (concentrations convert)."
    )
    assay: str | None = strawberry.field(default=None, description="Text the assay contains.")
    species: list[str] | None = None


@strawberry.input
class MeasurementSort:
    field: MeasurementOrder = MeasurementOrder.VALUE
    descending: bool = False
