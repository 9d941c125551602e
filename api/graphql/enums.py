"""The GraphQL enums: the vocabulary's, and the API's own (relation direction, match kind)."""

from __future__ import annotations

from enum import Enum

import strawberry

from graph.reads import MeasurementOrder, StudyOrder
from ontology import vocab

strawberry.enum(vocab.Category, description="What kind of thing an entity is.")
strawberry.enum(vocab.Predicate, description="What a relation states (Biolink-mapped).")
strawberry.enum(vocab.StudyDesign, description="How a study was done.")
strawberry.enum(vocab.Direction, description="Which way a measured outcome moved.")
strawberry.enum(vocab.EvidenceKind, description="What kind of evidence supports a finding.")
strawberry.enum(vocab.Measure, description="A pharmacological measure (Ki, IC50, ...).")
strawberry.enum(
    vocab.Relation,
    name="Comparator",
    description="How a reported value relates to the true one (=, <, >, ~).",
)
strawberry.enum(vocab.Unit, description="The unit of a value: NM, UM, MM, PERCENT, DIMENSIONLESS.")
strawberry.enum(vocab.MechanismResult, description="What an antagonist did to an effect.")
strawberry.enum(vocab.KnowledgeLevel, description="Biolink knowledge level of a statement.")
strawberry.enum(vocab.AgentType, description="Biolink agent type: who or what made it.")
strawberry.enum(StudyOrder, name="StudySortField", description="How studies are sorted.")
strawberry.enum(
    MeasurementOrder,
    name="MeasurementSortField",
    description="How measurements are sorted (VALUE compares in the filter unit).",
)


@strawberry.enum(description="Which relations of an entity: those it states, or receives.")
class RelationDirection(Enum):
    OUT = "out"
    IN = "in"
    BOTH = "both"


@strawberry.enum(description="How a term was matched to entities.")
class MatchKind(Enum):
    ID = "id"
    CROSS_REFERENCE = "cross_reference"
    NAME = "name"
    CLASS = "class"


MATCH_KINDS = (MatchKind.ID, MatchKind.CROSS_REFERENCE, MatchKind.NAME, MatchKind.CLASS)
