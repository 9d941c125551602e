"""Thin GraphQL views over ontology records: a type per category, relations with evidence.

A view holds its record (``strawberry.Private``) and exposes it field by field; entities it
points at are fetched through the request's DataLoaders, so a list of views costs one query
per level, not one per item.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar, cast

import strawberry
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.grading import Grade
from api.graphql.limits import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PublicError
from graph.queries import MeasurementOrder, StudyOrder
from graph.reads import RelationKey
from ontology import vocab
from ontology.identifiers import expand, split_curie
from ontology.records import Edge as EdgeRecord
from ontology.records import Node
from ontology.vocab import (
    ACTIVITY_PREDICATES,
    NANOMOLAR_FACTOR,
    PREDICATES,
    Category,
    Predicate,
)

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
GraphInfo = Info[Context, None]


def described(text: str) -> Callable[[F], F]:
    """``@strawberry.field(description=...)``, typed for mypy (strawberry's returns Any)."""

    def wrap(resolver: F) -> F:
        return cast("F", strawberry.field(resolver, description=text))

    return wrap

# -- enums -----------------------------------------------------------------------------------

strawberry.enum(vocab.Category, description="What kind of thing an entity is.")
strawberry.enum(vocab.Predicate, description="What a relation states (Biolink-mapped).")
strawberry.enum(vocab.StudyDesign, description="How a study was done.")
strawberry.enum(vocab.Direction, description="Which way a measured outcome moved.")
strawberry.enum(vocab.EvidenceKind, description="What kind of evidence supports a finding.")
strawberry.enum(vocab.Measure, description="A pharmacological measure (Ki, IC50, ...).")
strawberry.enum(vocab.Relation, name="Comparator",
                description="How a reported value relates to the true one (=, <, >, ~).")
strawberry.enum(vocab.Unit, description="The unit of a value: NM, UM, MM, PERCENT, DIMENSIONLESS.")
strawberry.enum(vocab.MechanismResult, description="What an antagonist did to an effect.")
strawberry.enum(vocab.KnowledgeLevel, description="Biolink knowledge level of a statement.")
strawberry.enum(vocab.AgentType, description="Biolink agent type: who or what made it.")
strawberry.enum(StudyOrder, name="StudySortField", description="How studies are sorted.")
strawberry.enum(MeasurementOrder, name="MeasurementSortField",
                description="How measurements are sorted (VALUE compares in the filter unit).")


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

# -- pagination ------------------------------------------------------------------------------

_CURSOR_PREFIX = "offset:"


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"{_CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        raise PublicError(f"invalid cursor {cursor!r}") from error
    number = text.removeprefix(_CURSOR_PREFIX)
    if not text.startswith(_CURSOR_PREFIX) or not number.isdigit():
        raise PublicError(f"invalid cursor {cursor!r}")
    return int(number)


def window(first: int, after: str | None) -> tuple[int, int]:
    """(offset, limit) for ``first`` items after ``after``; the page size is capped."""
    if not 0 <= first <= MAX_PAGE_SIZE:
        raise PublicError(f"first must be between 0 and {MAX_PAGE_SIZE} (got {first})")
    return (decode_cursor(after) + 1 if after else 0), first


@strawberry.type(description="Where a page sits in its list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="An item of a page, with its cursor.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list: its items, the total and cursors.")
class Connection(Generic[T]):
    total_count: int
    page_info: PageInfo
    edges: list[Edge[T]]

    @described("The items of the page, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def connection(items: Sequence[T], total: int, offset: int) -> Connection[T]:
    edges = [Edge(cursor=encode_cursor(offset + i), node=item) for i, item in enumerate(items)]
    info = PageInfo(has_next_page=offset + len(items) < total, has_previous_page=offset > 0,
                    start_cursor=edges[0].cursor if edges else None,
                    end_cursor=edges[-1].cursor if edges else None)
    return Connection(total_count=total, page_info=info, edges=edges)


# -- identifiers -----------------------------------------------------------------------------


@strawberry.type(description="A CURIE with its resolvable IRI.")
class Identifier:
    curie: str
    prefix: str
    local_id: str
    iri: str


def identifier(curie: str) -> Identifier:
    prefix, local = split_curie(curie)
    return Identifier(curie=curie, prefix=prefix, local_id=local, iri=expand(curie))


# -- entities --------------------------------------------------------------------------------


async def load_entity(info: GraphInfo, curie: str) -> Entity:
    node = await info.context.loaders.nodes.load(curie)
    if node is None:
        raise LookupError(f"{curie} is referenced but not in the graph")
    return entity_view(node)


async def load_entities(info: GraphInfo, curies: Sequence[str]) -> list[Entity]:
    nodes = await info.context.loaders.nodes.load_many(list(curies))
    return [entity_view(n) for n in nodes if n is not None]


async def relation_page(info: GraphInfo, node_id: str, predicates: Sequence[Predicate] | None,
                        direction: RelationDirection, *, first: int,
                        after: str | None) -> Connection[Relation]:
    offset, limit = window(first, after)
    types = tuple(sorted(PREDICATES[p].rel_type for p in predicates)) if predicates else None
    page = await info.context.loaders.relations.load(
        RelationKey(node_id, types, direction.value, offset, limit))
    nodes = info.context.loaders.nodes
    for neighbour in page.neighbours:  # read with the page: ``neighbour`` costs no query
        nodes.prime(neighbour.id, neighbour)
    return connection([Relation(edge=e, origin=node_id) for e in page.items], page.total, offset)


@strawberry.interface(description="Anything in the graph: compounds, targets, conditions, "
                                  "outcome measures, studies, organisms.")
class Entity:
    node: strawberry.Private[Node]

    @described("The primary identifier, a CURIE (PUBCHEM.COMPOUND:3034396).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.id)

    @described("The identifier as a resolvable IRI.")
    def iri(self) -> str:
        return expand(self.node.id)

    @strawberry.field
    def name(self) -> str:
        return self.node.name

    @strawberry.field
    def category(self) -> Category:
        return self.node.category

    @strawberry.field
    def synonyms(self) -> list[str]:
        return list(self.node.synonyms)

    @strawberry.field
    def description(self) -> str | None:
        return self.node.description

    @described("The same thing in other databases.")
    def xrefs(self) -> list[Identifier]:
        return [identifier(x) for x in self.node.xrefs]

    @described("The infores CURIE of the source the entity comes from.")
    def source(self) -> str:
        return self.node.source

    @described("The entity's relations, paged (optionally some predicates).")
    async def relations(self, info: GraphInfo, predicates: list[Predicate] | None = None,
                        direction: RelationDirection = RelationDirection.BOTH,
                        first: int = DEFAULT_PAGE_SIZE,
                        after: str | None = None) -> Connection[Relation]:
        return await relation_page(info, self.node.id, predicates, direction, first=first,
                                   after=after)


def _related(predicates: frozenset[Predicate] | tuple[Predicate, ...],
             direction: RelationDirection, description: str) -> Connection[Relation]:
    """A named relation field: ``relations`` with its predicates and direction fixed."""
    fixed = tuple(sorted(predicates, key=lambda p: p.value))

    async def resolve(root: Entity, info: GraphInfo, first: int = DEFAULT_PAGE_SIZE,
                      after: str | None = None) -> Connection[Relation]:
        return await relation_page(info, root.node.id, fixed, direction, first=first,
                                   after=after)

    field: Connection[Relation] = strawberry.field(resolver=resolve, description=description)
    return field


_OUT, _IN, _BOTH = RelationDirection.OUT, RelationDirection.IN, RelationDirection.BOTH
_P = Predicate


@strawberry.interface(description="A chemical: an alkaloid or a drug.")
class Compound(Entity):
    @strawberry.field
    def formula(self) -> str | None:
        return self.node.formula

    @strawberry.field
    def inchikey(self) -> str | None:
        return self.node.inchikey

    activities = _related(ACTIVITY_PREDICATES, _OUT, "What it does at targets (with values).")
    studies = _related((_P.INVESTIGATES,), _IN, "Studies that gave it.")
    interactions = _related((_P.INTERACTS_WITH,), _BOTH, "Reported interactions.")
    metabolized_by = _related((_P.METABOLIZED_BY,), _OUT, "Enzymes that metabolise it.")
    metabolites = _related((_P.METABOLIZED_TO,), _OUT, "What it is metabolised to.")
    adverse_effects = _related((_P.ADVERSE_EFFECT,), _OUT, "Adverse effects reported.")


@strawberry.type(description="A kratom alkaloid (a small molecule).")
class Alkaloid(Compound):
    pass


@strawberry.type(description="A drug.")
class Drug(Compound):
    @strawberry.field
    def drug_class(self) -> str | None:
        return self.node.drug_class

    treats = _related((_P.TREATS,), _OUT, "Conditions it treats.")


@strawberry.interface(description="A protein target: a receptor, an enzyme, a transporter, an ion "
                                 "channel or another protein.")
class Target(Entity):
    @described("The HGNC gene symbol.")
    def symbol(self) -> str | None:
        return self.node.symbol

    @described("The organism, an NCBITaxon CURIE.")
    def taxon(self) -> str | None:
        return self.node.taxon

    families = _related((_P.MEMBER_OF,), _OUT, "The families it belongs to.")
    ligands = _related(ACTIVITY_PREDICATES, _IN, "Compounds acting on it (with values).")
    studies = _related((_P.TESTS_MECHANISM,), _IN, "Studies that tested it as a mechanism.")


@strawberry.type(description="A receptor (a protein).")
class Receptor(Target):
    pass


@strawberry.type(description="An enzyme (a protein).")
class Enzyme(Target):
    substrates = _related((_P.METABOLIZED_BY,), _IN, "Compounds it metabolises.")


@strawberry.type(description="A transporter (a protein).")
class Transporter(Target):
    pass


@strawberry.type(description="An ion channel that is not a receptor (a protein).")
class IonChannel(Target):
    pass


@strawberry.type(description="A protein target that is no receptor, enzyme, transporter or "
                             "ion channel.")
class Protein(Target):
    pass


@strawberry.type(description="A family of targets (a class: its members stand for it).")
class TargetFamily(Entity):
    members = _related((_P.MEMBER_OF,), _IN, "The receptors or enzymes in the family.")
    studies = _related((_P.TESTS_MECHANISM,), _IN, "Studies that tested the family.")


@strawberry.type(description="A disease or phenotype (a class: its subclasses stand for it).")
class Condition(Entity):
    parents = _related((_P.SUBCLASS_OF,), _OUT, "Its broader classes.")
    subclasses = _related((_P.SUBCLASS_OF,), _IN, "Its narrower classes.")
    outcome_measures = _related((_P.OUTCOME_OF,), _IN, "Outcome measures of it.")
    adverse_effect_of = _related((_P.ADVERSE_EFFECT,), _IN, "What it is reported after.")


@strawberry.type(description="A measured study outcome (e.g. open-arm time in the EPM).")
class OutcomeMeasure(Entity):
    conditions = _related((_P.OUTCOME_OF,), _OUT, "The conditions it measures.")
    studies = _related((_P.MEASURES,), _IN, "Studies that measured it.")


@strawberry.type(description="An organism (e.g. Mitragyna speciosa).")
class Organism(Entity):
    constituents = _related((_P.CONTAINS,), _OUT, "Compounds it contains.")
    studies = _related((_P.INVESTIGATES,), _IN, "Studies that gave it.")


@strawberry.type(description="A study: design, species, sample size and what it found.")
class Study(Entity):
    @strawberry.field
    def title(self) -> str | None:
        return self.node.title

    @strawberry.field
    def design(self) -> vocab.StudyDesign | None:
        return self.node.design

    @strawberry.field
    def species(self) -> str | None:
        return self.node.species

    @strawberry.field
    def population(self) -> str | None:
        return self.node.population

    @strawberry.field
    def sample_size(self) -> int | None:
        return self.node.sample_size

    @strawberry.field
    def year(self) -> int | None:
        return self.node.year

    @strawberry.field
    def summary(self) -> str | None:
        return self.node.summary

    @described("PMID, DOI and NCT of the study, with links.")
    def citations(self) -> list[Identifier]:
        node = self.node
        pairs = (("PMID", node.pmid), ("DOI", node.doi), ("NCT", node.nct))
        return [identifier(f"{prefix}:{value}") for prefix, value in pairs if value]

    investigates = _related((_P.INVESTIGATES,), _OUT, "What was given (dose, route, role).")
    measures = _related((_P.MEASURES,), _OUT, "What was measured (direction, effect).")
    mechanisms_tested = _related((_P.TESTS_MECHANISM,), _OUT,
                                 "Targets tested with a tool (antagonist) and the result.")


VIEWS: dict[Category, type[Entity]] = {
    Category.ALKALOID: Alkaloid, Category.DRUG: Drug, Category.RECEPTOR: Receptor,
    Category.ENZYME: Enzyme, Category.TRANSPORTER: Transporter,
    Category.ION_CHANNEL: IonChannel, Category.PROTEIN: Protein,
    Category.TARGET_FAMILY: TargetFamily,
    Category.CONDITION: Condition, Category.OUTCOME_MEASURE: OutcomeMeasure,
    Category.STUDY: Study, Category.ORGANISM: Organism,
}


def entity_view(node: Node) -> Entity:
    return VIEWS[node.category](node=node)


def study_view(node: Node) -> Study:
    return Study(node=node)


# -- relations and evidence ------------------------------------------------------------------


@strawberry.type(description="A value with its measure and unit (as reported).")
class Quantity:
    measure: vocab.Measure
    comparator: vocab.Relation
    value: float | None = strawberry.field(
        description="The point value; null when only an interval (a range) is reported.")
    low: float | None = strawberry.field(description="The interval's lower end, if reported.")
    high: float | None = strawberry.field(description="The interval's upper end, if reported.")
    interval: str | None = strawberry.field(
        description="What low..high is: '90% CI', 'range', ...")
    unit: vocab.Unit
    unit_symbol: str
    nanomolar: float | None = strawberry.field(
        description="The value in nM, for concentrations (null for % and pChEMBL).")
    relative_to: str | None = strawberry.field(
        description="The reference a relative value is expressed against (e.g. DAMGO).")
    text: str


def quantity(edge: EdgeRecord) -> Quantity | None:
    if edge.measure is None or edge.unit is None or (edge.value is None and edge.low is None):
        return None
    comparator = edge.relation or vocab.Relation.EQ
    factor = NANOMOLAR_FACTOR.get(edge.unit)
    nanomolar = edge.value * factor if factor is not None and edge.value is not None else None
    return Quantity(measure=edge.measure, comparator=comparator, value=edge.value,
                    low=edge.low, high=edge.high, interval=edge.interval,
                    unit=edge.unit, unit_symbol=edge.unit.value, nanomolar=nanomolar,
                    relative_to=edge.relative_to,
                    text=_quantity_text(edge, edge.measure, comparator, edge.unit))


def _quantity_text(edge: EdgeRecord, measure: vocab.Measure, comparator: vocab.Relation,
                   unit: vocab.Unit) -> str:
    """'Ki = 10 nM', 'AUC_GMR = 0.99 1 (90% CI 0.83-1.19)', 'Ki 5-50 nM (range)'."""
    interval = (f"{edge.low:g}-{edge.high:g}" if edge.low is not None and edge.high is not None
                else "")
    if edge.value is None:
        text = f"{measure.value} {interval} {unit.value} ({edge.interval})"
    else:
        text = f"{measure.value} {comparator.value} {edge.value:g} {unit.value}"
        if interval:
            text += f" ({edge.interval} {interval})"
    return text + (f" relative to {edge.relative_to}" if edge.relative_to else "")


@strawberry.type(description="Why a relation is believed: citations, source, context, values.")
class Evidence:
    edge: strawberry.Private[EdgeRecord]

    @described("The papers and trials (PMID, DOI, NCT), with links.")
    def citations(self) -> list[Identifier]:
        return [identifier(c) for c in self.edge.provenance.citations]

    @described("Every publication or source record cited.")
    def publications(self) -> list[Identifier]:
        return [identifier(c) for c in self.edge.provenance.publications]

    @described("The primary knowledge source, an infores CURIE.")
    def source(self) -> str:
        return self.edge.provenance.primary_knowledge_source

    @strawberry.field
    def aggregator_sources(self) -> list[str]:
        return list(self.edge.provenance.aggregator_knowledge_sources)

    @strawberry.field
    def source_version(self) -> str | None:
        return self.edge.provenance.source_version

    @strawberry.field
    def knowledge_level(self) -> vocab.KnowledgeLevel:
        return self.edge.provenance.knowledge_level

    @strawberry.field
    def agent_type(self) -> vocab.AgentType:
        return self.edge.provenance.agent_type

    @described("clinical, in vitro, animal or predicted.")
    def evidence_kind(self) -> vocab.EvidenceKind | None:
        return self.edge.evidence_kind

    @described("False for predictions: never shown as an observation.")
    def observed(self) -> bool:
        return is_observed(self.edge)

    @described("Measure, comparator, value and unit, where reported.")
    def measurement(self) -> Quantity | None:
        return quantity(self.edge)

    @strawberry.field
    def assay(self) -> str | None:
        return self.edge.assay

    @strawberry.field
    def species(self) -> str | None:
        return self.edge.species

    @strawberry.field
    def cell_system(self) -> str | None:
        return self.edge.cell_system

    @described("Where in the publication the finding is: a table or a figure.")
    def source_location(self) -> str | None:
        return self.edge.source_location

    @described("Which way the outcome moved.")
    def direction(self) -> vocab.Direction | None:
        return self.edge.direction

    @described("True when the finding is that it did NOT happen.")
    def negated(self) -> bool:
        return self.edge.negated

    @strawberry.field
    def effect(self) -> str | None:
        return self.edge.effect

    @strawberry.field
    def effect_size(self) -> str | None:
        return self.edge.effect_size

    @strawberry.field
    def mechanism(self) -> str | None:
        return self.edge.mechanism

    @described("For a mechanism test: what the antagonist did.")
    def result(self) -> vocab.MechanismResult | None:
        return self.edge.result

    @strawberry.field
    def dose(self) -> str | None:
        return self.edge.dose

    @strawberry.field
    def route(self) -> str | None:
        return self.edge.route

    @strawberry.field
    def role(self) -> str | None:
        return self.edge.role

    @strawberry.field
    def note(self) -> str | None:
        return self.edge.note

    @described("The tool compound of a mechanism test (e.g. naloxone).")
    async def tool(self, info: GraphInfo) -> Entity | None:
        return await load_entity(info, self.edge.tool) if self.edge.tool else None

    @described("The studies in the graph behind this relation.")
    async def studies(self, info: GraphInfo) -> list[Study]:
        return [study_view(n) for n in await self._studies(info)]

    @described("The design of the study behind it (the first, if several).")
    async def study_design(self, info: GraphInfo) -> vocab.StudyDesign | None:
        designs = [n.design for n in await self._studies(info) if n.design]
        return designs[0] if designs else None

    async def _studies(self, info: GraphInfo) -> list[Node]:
        keys = list(dict.fromkeys((self.edge.subject, *self.edge.provenance.citations)))
        nodes = await info.context.loaders.nodes.load_many(keys)
        unique = {n.id: n for n in nodes if n is not None and n.category is Category.STUDY}
        return list(unique.values())


def is_null_finding(edge: EdgeRecord) -> bool:
    """A finding that something did not happen: negated, no change, or not reversed."""
    return (edge.negated or edge.direction is vocab.Direction.NO_CHANGE
            or edge.result is vocab.MechanismResult.NOT_REVERSED)


def is_observed(edge: EdgeRecord) -> bool:
    return (edge.evidence_kind is not vocab.EvidenceKind.PREDICTED
            and edge.provenance.knowledge_level is not vocab.KnowledgeLevel.PREDICTION)


@strawberry.type(description="A statement between two entities, with its evidence.")
class Relation:
    edge: strawberry.Private[EdgeRecord]
    origin: strawberry.Private[str | None] = None

    @described("A stable id (the same statement from the same source).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.edge.id)

    @strawberry.field
    def predicate(self) -> Predicate:
        return self.edge.predicate

    @described("The Biolink predicate, e.g. biolink:has_output.")
    def biolink_predicate(self) -> str:
        return "biolink:" + PREDICATES[self.edge.predicate].biolink.replace(" ", "_")

    @described("OUT when the entity it was reached from states it.")
    def direction(self) -> RelationDirection:
        return RelationDirection.IN if self.origin == self.edge.object else RelationDirection.OUT

    @strawberry.field
    async def subject(self, info: GraphInfo) -> Entity:
        return await load_entity(info, self.edge.subject)

    @strawberry.field
    async def object(self, info: GraphInfo) -> Entity:
        return await load_entity(info, self.edge.object)

    @described("The other end, seen from the entity it was reached from.")
    async def neighbour(self, info: GraphInfo) -> Entity:
        other = self.edge.subject if self.origin == self.edge.object else self.edge.object
        return await load_entity(info, other)

    @strawberry.field
    def evidence(self) -> Evidence:
        return Evidence(edge=self.edge)


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
    Alkaloid | Drug | Receptor | Enzyme | Transporter | IonChannel | Protein | TargetFamily
    | Condition | OutcomeMeasure | Study | Organism | NotFound | Ambiguous,
    strawberry.union("EntityResult", description="An entity, or why there is none.")]


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

    @described("Everything the term stands for: members, subclasses, "
                                  "outcome measures (the entities themselves included).")
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


@strawberry.type(description="score = designWeight * speciesWeight * sampleSizeWeight * "
                             "directnessWeight; letter A >= 0.6, B >= 0.4, C >= 0.2, else D.")
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
                    "expansion: family member, subclass, outcome measure).")
    directness_weight: float


def grade_view(grade: Grade) -> EvidenceGrade:
    return EvidenceGrade(score=grade.score, letter=grade.letter, design=grade.design,
                         design_weight=grade.design_weight, species=grade.species,
                         species_weight=grade.species_weight, sample_size=grade.sample_size,
                         sample_size_weight=grade.sample_size_weight,
                         extra_hops=grade.extra_hops,
                         directness_weight=grade.directness_weight)


@strawberry.type(description="A study that connects every term, why, and how strongly. "
                             "Where its links are null findings, the grade grades the "
                             "evidence against them.")
class ConnectingStudy:
    study: Study
    grade: EvidenceGrade
    paths: list[ExplainedPath]

    @described("Links on the study's paths that report that something did NOT happen (a "
               "negated finding, no change, not reversed): evidence against, never for.")
    def null_findings(self) -> list[Relation]:
        found = {hop.edge.id: hop for path in self.paths for hop in path.hops
                 if is_null_finding(hop.edge)}
        return list(found.values())


@strawberry.type(description="The studies connecting all terms, best evidence first.")
class ConnectingStudies:
    terms: list[ResolvedTerm]
    studies: Connection[ConnectingStudy]


StudiesConnectingResult = Annotated[ConnectingStudies | Unresolved,
                                    strawberry.union("StudiesConnectingResult")]


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


@strawberry.type(description="An interaction risk: with whom, by what mechanism, on what "
                             "evidence. Inferred risks are never marked observed.")
class InteractionRisk:
    perpetrator_id: strawberry.Private[str]
    partner_id: strawberry.Private[str]
    enzyme_id: strawberry.Private[str | None]
    basis: InteractionBasis
    observed: bool = strawberry.field(
        description="True only when a source reports it (clinical, animal or in vitro); "
                    "false for predictions and for risks PharmaKG infers.")
    inferred: bool = strawberry.field(
        description="True when PharmaKG inferred it from an enzyme both share.")
    evidence_kind: vocab.EvidenceKind = strawberry.field(
        description="The strongest kind among the evidence; PREDICTED for inferred risks.")
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
                    "(e.g. an AUC ratio and its 90% CI), evidence against a risk, never a risk.")


InteractionsResult = Annotated[Interactions | Unresolved | Ambiguous,
                               strawberry.union("InteractionsResult")]

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
                    "(assessed by `pharmacology`; null in plain listings).")

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


@strawberry.type(description="count, min, median and max of one measure at one target. "
                             "Concentrations are in nM; bounds (<, >) are counted, not used.")
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
    qualitative: list[Relation] = strawberry.field(
        description="Activities stated without a value.")
    summaries: list[MeasureSummary]
    conflicts: list[Conflict]

    @described("The targets asked about (a family: its members too), or "
                                  "every target measured when none was given.")
    async def targets(self, info: GraphInfo) -> list[Entity]:
        return await load_entities(info, self.target_ids)


PharmacologyResult = Annotated[Pharmacology | Unresolved | Ambiguous,
                               strawberry.union("PharmacologyResult")]

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


MetabolismResult = Annotated[Metabolism | Unresolved | Ambiguous,
                             strawberry.union("MetabolismResult")]

# -- filters ---------------------------------------------------------------------------------


@strawberry.input(description="Which studies (all given conditions hold).")
class StudyFilter:
    designs: list[vocab.StudyDesign] | None = None
    species: list[str] | None = strawberry.field(
        default=None, description="Species, case-insensitive; 'human', 'rat', 'mouse' work.")
    year_from: int | None = None
    year_to: int | None = None
    min_sample_size: int | None = None
    max_sample_size: int | None = None
    investigates: str | None = strawberry.field(
        default=None, description="A compound or organism (CURIE or name) the study gave.")


@strawberry.input
class StudySort:
    field: StudyOrder = StudyOrder.YEAR
    descending: bool = True


@strawberry.input(description="Which measurements (all given conditions hold).")
class MeasurementFilter:
    compound: str | None = None
    target: str | None = strawberry.field(
        default=None, description="A target or a target family (CURIE or name).")
    measures: list[vocab.Measure] | None = None
    value_min: float | None = None
    value_max: float | None = None
    unit: vocab.Unit | None = strawberry.field(
        default=None, description="The unit of valueMin/valueMax (concentrations convert).")
    assay: str | None = strawberry.field(default=None, description="Text the assay contains.")
    species: list[str] | None = None


@strawberry.input
class MeasurementSort:
    field: MeasurementOrder = MeasurementOrder.VALUE
    descending: bool = False

