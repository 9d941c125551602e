"""The types of the Query's answers: typed failures, studiesConnecting, paths, interactions,
pharmacology and metabolism (built by ``api.graphql.resolvers`` and ``api.graphql.answers``)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from api.graphql.common import Connection, GraphInfo, Identifier, described, identifier
from api.graphql.entities import (
    Alkaloid,
    Condition,
    Drug,
    Entity,
    Enzyme,
    IonChannel,
    Organism,
    OutcomeMeasure,
    Protein,
    Quantity,
    Receptor,
    Relation,
    Study,
    TargetFamily,
    Transporter,
    is_null_finding,
    load_entities,
    load_entity,
)
from api.graphql.enums import MatchKind
from api.graphql.grading import Grade
from ontology import vocab
from ontology.vocab import Predicate

# -- lookups and typed failures ---------------------------------------------------------------


@strawberry.type(description="Nothing has this identifier or cross-reference.")
class NotFound:
    message: str
    id: strawberry.ID


@strawberry.type(description="A term names several entities where one was needed.")
class Ambiguous:
    message: str
    term: str
    candidates: list[Entity]


@strawberry.type(description="Terms that matched nothing (no id, xref, name or class).")
class Unresolved:
    message: str
    unresolved: list[str] = strawberry.field(description="The terms that matched nothing.")


EntityResult = Annotated[
    Alkaloid
    | Drug
    | Receptor
    | Enzyme
    | Transporter
    | IonChannel
    | Protein
    | TargetFamily
    | Condition
    | OutcomeMeasure
    | Study
    | Organism
    | NotFound
    | Ambiguous,
    strawberry.union("EntityResult", description="An entity, or why there is none."),
]


@strawberry.type(description="A full-text hit.")
class SearchHit:
    score: float
    entity: Entity


# -- studies connecting entities -------------------------------------------------------------


@strawberry.type(description="How a term of the question was understood.")
class ResolvedTerm:
    term: str
    matched_by: MatchKind
    entities: list[Entity]
    expanded_ids: strawberry.Private[tuple[str, ...]]

    @described(
        "Everything the term stands for: members, subclasses, "
        "outcome measures (the entities themselves included)."
    )
    async def expanded_to(self, info: GraphInfo) -> list[Entity]:
        return await load_entities(info, self.expanded_ids)


@strawberry.type(description="A path with the evidence on each hop.")
class ExplainedPath:
    term: str | None = strawberry.field(description="The term this path explains, if any.")
    ids: strawberry.Private[tuple[str, ...]]
    hops: list[Relation]

    @strawberry.field
    def length(self) -> int:
        return len(self.hops)

    @described("The entities along the path, in order.")
    async def nodes(self, info: GraphInfo) -> list[Entity]:
        return await load_entities(info, self.ids)


@strawberry.type(
    description="score = designWeight * speciesWeight * sampleSizeWeight * "
    "directnessWeight; letter A >= 0.6, B >= 0.4, C >= 0.2, else D."
)
class EvidenceGrade:
    score: float
    letter: str
    design: vocab.StudyDesign | None
    design_weight: float
    species: str | None
    species_weight: float
    sample_size: int | None
    sample_size_weight: float
    extra_hops: int = strawberry.field(
        description="Hops beyond the study's own links, summed over the terms (class "
        "expansion: family member, subclass, outcome measure)."
    )
    directness_weight: float


def grade_view(grade: Grade) -> EvidenceGrade:
    return EvidenceGrade(
        score=grade.score,
        letter=grade.letter,
        design=grade.design,
        design_weight=grade.design_weight,
        species=grade.species,
        species_weight=grade.species_weight,
        sample_size=grade.sample_size,
        sample_size_weight=grade.sample_size_weight,
        extra_hops=grade.extra_hops,
        directness_weight=grade.directness_weight,
    )


@strawberry.type(
    description="A study that connects every term, why, and how strongly. "
    "Where its links are null findings, the grade grades the "
    "evidence against them."
)
class ConnectingStudy:
    study: Study
    grade: EvidenceGrade
    paths: list[ExplainedPath]

    @described(
        "Links on the study's paths that report that something did NOT happen (a "
        "negated finding, no change, not reversed): evidence against, never for."
    )
    def null_findings(self) -> list[Relation]:
        found = {
            hop.edge.id: hop
            for path in self.paths
            for hop in path.hops
            if is_null_finding(hop.edge)
        }
        return list(found.values())


@strawberry.type(description="The studies connecting all terms, best evidence first.")
class ConnectingStudies:
    terms: list[ResolvedTerm]
    studies: Connection[ConnectingStudy]


StudiesConnectingResult = Annotated[
    ConnectingStudies | Unresolved, strawberry.union("StudiesConnectingResult")
]


@strawberry.type(description="Explained paths between two entities, shortest first.")
class Paths:
    source: Entity
    target: Entity
    paths: list[ExplainedPath]


PathsResult = Annotated[Paths | Unresolved | Ambiguous, strawberry.union("PathsResult")]

# -- interactions ----------------------------------------------------------------------------


@strawberry.enum(description="Why an interaction risk is listed.")
class InteractionBasis(Enum):
    REPORTED = "reported"
    ENZYME_MODULATION = "enzyme"
    INFERRED = "inferred"


@strawberry.type(
    description="An interaction risk: with whom, by what mechanism, on what "
    "evidence. Inferred risks are never marked observed."
)
class InteractionRisk:
    perpetrator_id: strawberry.Private[str]
    partner_id: strawberry.Private[str]
    enzyme_id: strawberry.Private[str | None]
    basis: InteractionBasis
    observed: bool = strawberry.field(
        description="True only when a source reports it (clinical, animal or in vitro); "
        "false for predictions and for risks PharmaKG infers."
    )
    inferred: bool = strawberry.field(
        description="True when PharmaKG inferred it from an enzyme both share."
    )
    evidence_kind: vocab.EvidenceKind = strawberry.field(
        description="The strongest kind among the evidence; PREDICTED for inferred risks."
    )
    evidence_kinds: list[vocab.EvidenceKind]
    mechanism: str | None
    evidence: list[Relation]

    @described("The entity (or its constituent) that causes the risk.")
    async def perpetrator(self, info: GraphInfo) -> Entity:
        return await load_entity(info, self.perpetrator_id)

    @described("The drug or compound at risk, or the enzyme modulated.")
    async def partner(self, info: GraphInfo) -> Entity:
        return await load_entity(info, self.partner_id)

    @described("The enzyme through which the risk arises, if any.")
    async def enzyme(self, info: GraphInfo) -> Entity | None:
        return await load_entity(info, self.enzyme_id) if self.enzyme_id else None


@strawberry.type
class Interactions:
    entity: Entity
    risks: list[InteractionRisk]
    tested_without_interaction: list[InteractionRisk] = strawberry.field(
        description="Tested, no interaction found: negated findings with their measurements "
        "(e.g. an AUC ratio and its 90% CI), evidence against a risk, never a risk."
    )


InteractionsResult = Annotated[
    Interactions | Unresolved | Ambiguous, strawberry.union("InteractionsResult")
]

# -- pharmacology ----------------------------------------------------------------------------


@strawberry.type(description="One measured value with its context.")
class Measurement:
    relation: Relation
    target_id: strawberry.Private[str]
    compound_id: strawberry.Private[str]
    action: Predicate
    quantity: Quantity
    in_conflict: bool | None = strawberry.field(
        description="True when another measurement of the same measure and target disagrees "
        "(assessed by `pharmacology`; null in plain listings)."
    )

    @strawberry.field
    async def compound(self, info: GraphInfo) -> Entity:
        return await load_entity(info, self.compound_id)

    @strawberry.field
    async def target(self, info: GraphInfo) -> Entity:
        return await load_entity(info, self.target_id)

    @strawberry.field
    def assay(self) -> str | None:
        return self.relation.edge.assay

    @strawberry.field
    def species(self) -> str | None:
        return self.relation.edge.species

    @strawberry.field
    def cell_system(self) -> str | None:
        return self.relation.edge.cell_system

    @strawberry.field
    def citations(self) -> list[Identifier]:
        return [identifier(c) for c in self.relation.edge.provenance.citations]


@strawberry.type(
    description="count, min, median and max of one measure at one target. "
    "Concentrations are in nM; bounds (<, >) are counted, not used."
)
class MeasureSummary:
    target_id: strawberry.Private[str]
    measure: vocab.Measure
    unit: vocab.Unit
    count: int
    exact_count: int
    min: float | None
    median: float | None
    max: float | None
    fold_range: float | None
    conflict: bool

    @strawberry.field
    async def target(self, info: GraphInfo) -> Entity:
        return await load_entity(info, self.target_id)


@strawberry.type(description="Measurements (or actions) that disagree, and how.")
class Conflict:
    target_id: strawberry.Private[str]
    measure: vocab.Measure | None
    reason: str
    measurements: list[Measurement]
    relations: list[Relation]

    @strawberry.field
    async def target(self, info: GraphInfo) -> Entity:
        return await load_entity(info, self.target_id)


@strawberry.type(description="Every measurement of a compound at its targets, side by side.")
class Pharmacology:
    compound: Entity
    target_ids: strawberry.Private[tuple[str, ...]]
    measurements: list[Measurement]
    qualitative: list[Relation] = strawberry.field(description="Activities stated without a value.")
    summaries: list[MeasureSummary]
    conflicts: list[Conflict]

    @described(
        "The targets asked about (a family: its members too), or "
        "every target measured when none was given."
    )
    async def targets(self, info: GraphInfo) -> list[Entity]:
        return await load_entities(info, self.target_ids)


PharmacologyResult = Annotated[
    Pharmacology | Unresolved | Ambiguous, strawberry.union("PharmacologyResult")
]

# -- metabolism ------------------------------------------------------------------------------


@strawberry.type(description="One substance of a metabolic chain: its enzymes and products.")
class MetabolicStep:
    substance_id: strawberry.Private[str]
    depth: int = strawberry.field(description="Steps from the compound asked about (0: it).")
    enzymes: list[Relation]
    products: list[Relation]
    formed_from: list[Relation]

    @strawberry.field
    async def substance(self, info: GraphInfo) -> Entity:
        return await load_entity(info, self.substance_id)


@strawberry.type(description="The chain of enzymes and metabolites from a compound.")
class Metabolism:
    compound: Entity
    steps: list[MetabolicStep]
    enzyme_ids: strawberry.Private[tuple[str, ...]]
    metabolite_ids: strawberry.Private[tuple[str, ...]]

    @described("Every enzyme in the chain.")
    async def enzymes(self, info: GraphInfo) -> list[Entity]:
        return await load_entities(info, self.enzyme_ids)

    @described("Every metabolite in the chain.")
    async def metabolites(self, info: GraphInfo) -> list[Entity]:
        return await load_entities(info, self.metabolite_ids)


MetabolismResult = Annotated[
    Metabolism | Unresolved | Ambiguous, strawberry.union("MetabolismResult")
]
