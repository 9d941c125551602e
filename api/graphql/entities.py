"""Thin GraphQL views over ontology records: a type per category, relations with evidence.

A view is built once from its record: the fields that are the record's own values are plain
attributes (graphql-core reads them, no resolver call each); what must be computed or
fetched is a resolver. Entities a view points at are fetched through the request's
DataLoaders, so a list of views costs one query per level, not one per item.

Every field is declared in the class body in the schema's order (a resolver as
``name: T = strawberry.field(resolver=...)``): strawberry lists undeclared resolver methods
after the declared fields, which would reorder ``schema.graphql``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import strawberry
from strawberry.types.base import get_object_definition
from strawberry.types.private import is_private
from strawberry.utils.str_converters import to_camel_case

from api.graphql.common import Connection, GraphInfo, Identifier, connection, identifier, window
from api.graphql.enums import RelationDirection
from api.graphql.limits import DEFAULT_PAGE_SIZE
from graph.reads import Direction, Page, RelationKey
from ontology import vocab
from ontology.identifiers import expand
from ontology.records import Edge as EdgeRecord
from ontology.records import Node
from ontology.vocab import ACTIVITY_PREDICATES, NANOMOLAR_FACTOR, PREDICATES, Category, Predicate

# -- loading ---------------------------------------------------------------------------------


async def load_entity(info: GraphInfo, curie: str) -> Entity:
    node = await info.context.loaders.nodes.load(curie)
    if node is None:
        raise LookupError(f"{curie} is referenced but not in the graph")
    return entity_view(node)


async def load_entities(info: GraphInfo, curies: Sequence[str]) -> list[Entity]:
    nodes = await info.context.loaders.nodes.load_many(list(curies))
    return [entity_view(n) for n in nodes if n is not None]


async def relation_page(
    info: GraphInfo,
    node_id: str,
    predicates: Sequence[Predicate] | None,
    direction: RelationDirection,
    *,
    first: int,
    after: str | None,
) -> Connection[Relation]:
    offset, limit = window(first, after)
    types = rel_types(predicates) if predicates else None
    page = await info.context.loaders.relations.load(
        RelationKey(node_id, types, direction.value, offset, limit)
    )
    nodes = info.context.loaders.nodes
    for neighbour in page.neighbours:  # read with the page: ``neighbour`` costs no query
        nodes.prime(neighbour.id, neighbour)
    return relation_connection(page, node_id, offset)


def relation_connection(page: Page[EdgeRecord], node_id: str, offset: int) -> Connection[Relation]:
    """A page of relations read from ``node_id``, as ``relations`` shows it."""
    return connection(
        [
            relation_view(e, node_id, stored_id)
            for e, stored_id in zip(page.items, page.ids, strict=True)
        ],
        page.total,
        offset,
    )


def rel_types(predicates: Sequence[Predicate]) -> tuple[str, ...]:
    """The relationship types of some predicates, as a ``RelationKey`` holds them."""
    return tuple(sorted(PREDICATES[p].rel_type for p in predicates))


# -- entities --------------------------------------------------------------------------------


def _iri(root: Entity) -> str:
    return expand(root.node.id)


def _xrefs(root: Entity) -> list[Identifier]:
    return [identifier(x) for x in root.node.xrefs]


async def _relations(
    root: Entity,
    info: GraphInfo,
    *,
    predicates: list[Predicate] | None = None,
    direction: RelationDirection = RelationDirection.BOTH,
    first: int = DEFAULT_PAGE_SIZE,
    after: str | None = None,
) -> Connection[Relation]:
    return await relation_page(info, root.node.id, predicates, direction, first=first, after=after)


@strawberry.interface(
    description="Anything in the graph: compounds, targets, conditions, "
    "outcome measures, studies, organisms."
)
class Entity:
    node: strawberry.Private[Node]
    id: strawberry.ID = strawberry.field(
        description="The primary identifier, a CURIE (PUBCHEM.COMPOUND:3034396)."
    )
    iri: str = strawberry.field(resolver=_iri, description="The identifier as a resolvable IRI.")
    name: str
    category: Category
    synonyms: list[str]
    description: str | None
    xrefs: list[Identifier] = strawberry.field(
        resolver=_xrefs, description="The same thing in other databases."
    )
    source: str = strawberry.field(
        description="The infores CURIE of the source the entity comes from."
    )
    relations: Connection[Relation] = strawberry.field(
        resolver=_relations,
        description="The entity's relations, paged (optionally some predicates).",
    )


def _related(
    predicates: frozenset[Predicate] | tuple[Predicate, ...],
    direction: RelationDirection,
    description: str,
) -> Connection[Relation]:
    """A named relation field: ``relations`` with its predicates and direction fixed."""
    fixed = tuple(sorted(predicates, key=lambda p: p.value))

    async def resolve(
        root: Entity, info: GraphInfo, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Relation]:
        return await relation_page(info, root.node.id, fixed, direction, first=first, after=after)

    _FIXED[resolve] = (rel_types(fixed), direction.value)
    field: Connection[Relation] = strawberry.field(resolver=resolve, description=description)
    return field


# Each named relation field's resolver, and the relationship types and direction it reads.
_FIXED: dict[Callable[..., Any], tuple[tuple[str, ...], Direction]] = {}


_OUT, _IN, _BOTH = RelationDirection.OUT, RelationDirection.IN, RelationDirection.BOTH
_P = Predicate


@strawberry.interface(description="A chemical: an alkaloid or a drug.")
class Compound(Entity):
    formula: str | None
    inchikey: str | None
    activities: Connection[Relation] = _related(
        ACTIVITY_PREDICATES, _OUT, "What it does at targets (with values)."
    )
    studies: Connection[Relation] = _related((_P.INVESTIGATES,), _IN, "Studies that gave it.")
    interactions: Connection[Relation] = _related(
        (_P.INTERACTS_WITH,), _BOTH, "Reported interactions."
    )
    metabolized_by: Connection[Relation] = _related(
        (_P.METABOLIZED_BY,), _OUT, "Enzymes that metabolise it."
    )
    metabolites: Connection[Relation] = _related(
        (_P.METABOLIZED_TO,), _OUT, "What it is metabolised to."
    )
    adverse_effects: Connection[Relation] = _related(
        (_P.ADVERSE_EFFECT,), _OUT, "Adverse effects reported."
    )


@strawberry.type(description="A kratom alkaloid (a small molecule).")
class Alkaloid(Compound):
    pass


@strawberry.type(description="A drug.")
class Drug(Compound):
    drug_class: str | None
    treats: Connection[Relation] = _related((_P.TREATS,), _OUT, "Conditions it treats.")


@strawberry.interface(
    description="A protein target: a receptor, an enzyme, a transporter, an ion "
    "channel or another protein."
)
class Target(Entity):
    symbol: str | None = strawberry.field(description="The HGNC gene symbol.")
    taxon: str | None = strawberry.field(description="The organism, an NCBITaxon CURIE.")
    families: Connection[Relation] = _related((_P.MEMBER_OF,), _OUT, "The families it belongs to.")
    ligands: Connection[Relation] = _related(
        ACTIVITY_PREDICATES, _IN, "Compounds acting on it (with values)."
    )
    studies: Connection[Relation] = _related(
        (_P.TESTS_MECHANISM,), _IN, "Studies that tested it as a mechanism."
    )


@strawberry.type(description="A receptor (a protein).")
class Receptor(Target):
    pass


@strawberry.type(description="An enzyme (a protein).")
class Enzyme(Target):
    substrates: Connection[Relation] = _related(
        (_P.METABOLIZED_BY,), _IN, "Compounds it metabolises."
    )


@strawberry.type(description="A transporter (a protein).")
class Transporter(Target):
    pass


@strawberry.type(description="An ion channel that is not a receptor (a protein).")
class IonChannel(Target):
    pass


@strawberry.type(
    description="A protein target that is no receptor, enzyme, transporter or ion channel."
)
class Protein(Target):
    pass


@strawberry.type(description="A family of targets (a class: its members stand for it).")
class TargetFamily(Entity):
    members: Connection[Relation] = _related(
        (_P.MEMBER_OF,), _IN, "The receptors or enzymes in the family."
    )
    studies: Connection[Relation] = _related(
        (_P.TESTS_MECHANISM,), _IN, "Studies that tested the family."
    )


@strawberry.type(description="A disease or phenotype (a class: its subclasses stand for it).")
class Condition(Entity):
    parents: Connection[Relation] = _related((_P.SUBCLASS_OF,), _OUT, "Its broader classes.")
    subclasses: Connection[Relation] = _related((_P.SUBCLASS_OF,), _IN, "Its narrower classes.")
    outcome_measures: Connection[Relation] = _related(
        (_P.OUTCOME_OF,), _IN, "Outcome measures of it."
    )
    adverse_effect_of: Connection[Relation] = _related(
        (_P.ADVERSE_EFFECT,), _IN, "What it is reported after."
    )


@strawberry.type(description="A measured study outcome (e.g. open-arm time in the EPM).")
class OutcomeMeasure(Entity):
    conditions: Connection[Relation] = _related(
        (_P.OUTCOME_OF,), _OUT, "The conditions it measures."
    )
    studies: Connection[Relation] = _related((_P.MEASURES,), _IN, "Studies that measured it.")


@strawberry.type(description="An organism (e.g. Mitragyna speciosa).")
class Organism(Entity):
    constituents: Connection[Relation] = _related((_P.CONTAINS,), _OUT, "Compounds it contains.")
    studies: Connection[Relation] = _related((_P.INVESTIGATES,), _IN, "Studies that gave it.")


def _citations(root: Study) -> list[Identifier]:
    node = root.node
    pairs = (("PMID", node.pmid), ("DOI", node.doi), ("NCT", node.nct))
    return [identifier(f"{prefix}:{value}") for prefix, value in pairs if value]


@strawberry.type(description="A study: design, species, sample size and what it found.")
class Study(Entity):
    title: str | None
    design: vocab.StudyDesign | None
    species: str | None
    population: str | None
    sample_size: int | None
    year: int | None
    summary: str | None
    citations: list[Identifier] = strawberry.field(
        resolver=_citations, description="PMID, DOI and NCT of the study, with links."
    )
    investigates: Connection[Relation] = _related(
        (_P.INVESTIGATES,), _OUT, "What was given (dose, route, role)."
    )
    measures: Connection[Relation] = _related(
        (_P.MEASURES,), _OUT, "What was measured (direction, effect)."
    )
    mechanisms_tested: Connection[Relation] = _related(
        (_P.TESTS_MECHANISM,), _OUT, "Targets tested with a tool (antagonist) and the result."
    )


VIEWS: dict[Category, type[Entity]] = {
    Category.ALKALOID: Alkaloid,
    Category.DRUG: Drug,
    Category.RECEPTOR: Receptor,
    Category.ENZYME: Enzyme,
    Category.TRANSPORTER: Transporter,
    Category.ION_CHANNEL: IonChannel,
    Category.PROTEIN: Protein,
    Category.TARGET_FAMILY: TargetFamily,
    Category.CONDITION: Condition,
    Category.OUTCOME_MEASURE: OutcomeMeasure,
    Category.STUDY: Study,
    Category.ORGANISM: Organism,
}


def plain_fields(view: type) -> tuple[str, ...]:
    """The fields of a view that are values of its record under the same name (no resolver)."""
    definition = get_object_definition(view, strict=True)
    return tuple(
        f.python_name
        for f in definition.fields
        if f.base_resolver is None and not is_private(f.type)
    )


_PLAIN = {category: plain_fields(view) for category, view in VIEWS.items()}


def related_fields(view: type) -> dict[str, tuple[tuple[str, ...], Direction]]:
    """A view's named relation fields (by GraphQL name): the types and direction each reads."""
    definition = get_object_definition(view, strict=True)
    return {
        f.graphql_name or to_camel_case(f.python_name): _FIXED[f.base_resolver.wrapped_func]
        for f in definition.fields
        if f.base_resolver is not None and f.base_resolver.wrapped_func in _FIXED
    }


def type_names(view: type) -> frozenset[str]:
    """The GraphQL names a view answers to in a fragment: its type and its interfaces."""
    definitions = (get_object_definition(k) for k in view.__mro__)
    return frozenset(d.name for d in definitions if d is not None)


def entity_view(node: Node) -> Entity:
    values = node.__dict__
    return VIEWS[node.category](node=node, **{name: values[name] for name in _PLAIN[node.category]})


def study_view(node: Node) -> Study:
    values = node.__dict__
    return Study(node=node, **{name: values[name] for name in _PLAIN[Category.STUDY]})


# -- relations and evidence ------------------------------------------------------------------


@strawberry.type(description="A value with its measure and unit (as reported).")
class Quantity:
    measure: vocab.Measure
    comparator: vocab.Relation
    value: float | None = strawberry.field(
        description="The point value; null when only an interval (a range) is reported."
    )
    low: float | None = strawberry.field(description="The interval's lower end, if reported.")
    high: float | None = strawberry.field(description="The interval's upper end, if reported.")
    interval: str | None = strawberry.field(description="What low..high is: '90% CI', 'range', ...")
    unit: vocab.Unit
    unit_symbol: str
    nanomolar: float | None = strawberry.field(
        description="The value in nM, for concentrations (null for % and pChEMBL)."
    )
    relative_to: str | None = strawberry.field(
        description="The reference a relative value is expressed against (e.g. DAMGO)."
    )
    text: str


def quantity(edge: EdgeRecord) -> Quantity | None:
    if edge.measure is None or edge.unit is None or (edge.value is None and edge.low is None):
        return None
    comparator = edge.relation or vocab.Relation.EQ
    factor = NANOMOLAR_FACTOR.get(edge.unit)
    nanomolar = edge.value * factor if factor is not None and edge.value is not None else None
    return Quantity(
        measure=edge.measure,
        comparator=comparator,
        value=edge.value,
        low=edge.low,
        high=edge.high,
        interval=edge.interval,
        unit=edge.unit,
        unit_symbol=edge.unit.value,
        nanomolar=nanomolar,
        relative_to=edge.relative_to,
        text=_quantity_text(edge, edge.measure, comparator, edge.unit),
    )


def _quantity_text(
    edge: EdgeRecord, measure: vocab.Measure, comparator: vocab.Relation, unit: vocab.Unit
) -> str:
    """'Ki = 10 nM', 'AUC_GMR = 0.99 1 (90% CI 0.83-1.19)', 'Ki 5-50 nM (range)'."""
    interval = (
        f"{edge.low:g}-{edge.high:g}" if edge.low is not None and edge.high is not None else ""
    )
    if edge.value is None:
        text = f"{measure.value} {interval} {unit.value} ({edge.interval})"
    else:
        text = f"{measure.value} {comparator.value} {edge.value:g} {unit.value}"
        if interval:
            text += f" ({edge.interval} {interval})"
    return text + (f" relative to {edge.relative_to}" if edge.relative_to else "")


def is_null_finding(edge: EdgeRecord) -> bool:
    """A finding that something did not happen: negated, no change, or not reversed."""
    return (
        edge.negated
        or edge.direction is vocab.Direction.NO_CHANGE
        or edge.result is vocab.MechanismResult.NOT_REVERSED
    )


def is_observed(edge: EdgeRecord) -> bool:
    return (
        edge.evidence_kind is not vocab.EvidenceKind.PREDICTED
        and edge.provenance.knowledge_level is not vocab.KnowledgeLevel.PREDICTION
    )


def _evidence_citations(root: Evidence) -> list[Identifier]:
    return [identifier(c) for c in root.edge.provenance.citations]


def _publications(root: Evidence) -> list[Identifier]:
    return [identifier(c) for c in root.edge.provenance.publications]


def _measurement(root: Evidence) -> Quantity | None:
    return quantity(root.edge)


async def _tool(root: Evidence, info: GraphInfo) -> Entity | None:
    return await load_entity(info, root.edge.tool) if root.edge.tool else None


async def _studies_behind(info: GraphInfo, edge: EdgeRecord) -> list[Node]:
    keys = list(dict.fromkeys((edge.subject, *edge.provenance.citations)))
    nodes = await info.context.loaders.nodes.load_many(keys)
    unique = {n.id: n for n in nodes if n is not None and n.category is Category.STUDY}
    return list(unique.values())


async def _studies(root: Evidence, info: GraphInfo) -> list[Study]:
    return [study_view(n) for n in await _studies_behind(info, root.edge)]


async def _study_design(root: Evidence, info: GraphInfo) -> vocab.StudyDesign | None:
    designs = [n.design for n in await _studies_behind(info, root.edge) if n.design]
    return designs[0] if designs else None


@strawberry.type(description="Why a relation is believed: citations, source, context, values.")
class Evidence:
    edge: strawberry.Private[EdgeRecord]
    citations: list[Identifier] = strawberry.field(
        resolver=_evidence_citations,
        description="The papers and trials (PMID, DOI, NCT), with links.",
    )
    publications: list[Identifier] = strawberry.field(
        resolver=_publications, description="Every publication or source record cited."
    )
    source: str = strawberry.field(description="The primary knowledge source, an infores CURIE.")
    aggregator_sources: list[str]
    source_version: str | None
    knowledge_level: vocab.KnowledgeLevel
    agent_type: vocab.AgentType
    evidence_kind: vocab.EvidenceKind | None = strawberry.field(
        description="clinical, in vitro, animal or predicted."
    )
    observed: bool = strawberry.field(
        description="False for predictions: never shown as an observation."
    )
    measurement: Quantity | None = strawberry.field(
        resolver=_measurement, description="Measure, comparator, value and unit, where reported."
    )
    assay: str | None
    species: str | None
    cell_system: str | None
    source_location: str | None = strawberry.field(
        description="Where in the publication the finding is: a table or a figure."
    )
    direction: vocab.Direction | None = strawberry.field(description="Which way the outcome moved.")
    negated: bool = strawberry.field(description="True when the finding is that it did NOT happen.")
    effect: str | None
    effect_size: str | None
    mechanism: str | None
    result: vocab.MechanismResult | None = strawberry.field(
        description="For a mechanism test: what the antagonist did."
    )
    dose: str | None
    route: str | None
    role: str | None
    note: str | None
    tool: Entity | None = strawberry.field(
        resolver=_tool, description="The tool compound of a mechanism test (e.g. naloxone)."
    )
    studies: list[Study] = strawberry.field(
        resolver=_studies, description="The studies in the graph behind this relation."
    )
    study_design: vocab.StudyDesign | None = strawberry.field(
        resolver=_study_design,
        description="The design of the study behind it (the first, if several).",
    )


# The evidence's plain fields that are not the edge's own attributes of the same name.
_FROM_PROVENANCE = (
    "source",
    "aggregator_sources",
    "source_version",
    "knowledge_level",
    "agent_type",
)
_EVIDENCE_OWN = tuple(
    name for name in plain_fields(Evidence) if name not in (*_FROM_PROVENANCE, "observed")
)


def evidence_view(edge: EdgeRecord) -> Evidence:
    values = edge.__dict__
    provenance = edge.provenance
    return Evidence(
        edge=edge,
        source=provenance.primary_knowledge_source,
        aggregator_sources=list(provenance.aggregator_knowledge_sources),
        source_version=provenance.source_version,
        knowledge_level=provenance.knowledge_level,
        agent_type=provenance.agent_type,
        observed=is_observed(edge),
        **{name: values[name] for name in _EVIDENCE_OWN},
    )


def _biolink_predicate(root: Relation) -> str:
    return "biolink:" + PREDICATES[root.edge.predicate].biolink.replace(" ", "_")


async def _subject(root: Relation, info: GraphInfo) -> Entity:
    return await load_entity(info, root.edge.subject)


async def _object(root: Relation, info: GraphInfo) -> Entity:
    return await load_entity(info, root.edge.object)


def _neighbour_id(root: Relation) -> str:
    edge = root.edge
    return edge.subject if root.origin == edge.object else edge.object


async def _neighbour(root: Relation, info: GraphInfo) -> Entity:
    return await load_entity(info, _neighbour_id(root))


def _evidence(root: Relation) -> Evidence:
    return evidence_view(root.edge)


@strawberry.type(description="A statement between two entities, with its evidence.")
class Relation:
    edge: strawberry.Private[EdgeRecord]
    origin: strawberry.Private[str | None]
    id: strawberry.ID = strawberry.field(
        description="A stable id (the same statement from the same source)."
    )
    predicate: Predicate
    biolink_predicate: str = strawberry.field(
        resolver=_biolink_predicate, description="The Biolink predicate, e.g. biolink:has_output."
    )
    direction: RelationDirection = strawberry.field(
        description="OUT when the entity it was reached from states it."
    )
    subject: Entity = strawberry.field(resolver=_subject)
    object: Entity = strawberry.field(resolver=_object)
    neighbour: Entity = strawberry.field(
        resolver=_neighbour, description="The other end, seen from the entity it was reached from."
    )
    evidence: Evidence = strawberry.field(resolver=_evidence)


def relation_view(
    edge: EdgeRecord, origin: str | None = None, stored_id: str | None = None
) -> Relation:
    """The relation as seen from ``origin`` (its id: the one stored with it, if read)."""
    direction = RelationDirection.IN if origin == edge.object else RelationDirection.OUT
    return Relation(
        edge=edge,
        origin=origin,
        id=strawberry.ID(stored_id or edge.id),
        predicate=edge.predicate,
        direction=direction,
    )


# -- what each resolver reads, for answers shaped without the executor (api.graphql.compiled) --


def reads_page(resolver: Callable[..., Any]) -> bool:
    """Whether a field's resolver reads a page of relations (``relations`` or a named one)."""
    return resolver is _relations or resolver in _FIXED


def is_neighbour(resolver: Callable[..., Any]) -> bool:
    """Whether a field's resolver loads a relation's other end (whose pages are read ahead)."""
    return resolver is _neighbour


# The resolvers that load one entity a relation points at, and the id each loads.
ENTITY_OF: dict[Callable[..., Any], Callable[[Relation], str]] = {
    _subject: lambda root: root.edge.subject,
    _object: lambda root: root.edge.object,
    _neighbour: _neighbour_id,
}
