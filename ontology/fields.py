"""Each record field declared once, beside its type in ``ontology.records``.

A declaration says what the field means, whether it tells two statements apart (part of
``Edge.id``), how RDF writes it (its literal kind, the Biolink slot or other term it is written
as, its JSON-LD term, a closed list of values), which GraphQL field shows it and where the
curated dataset's format takes it. Derived from these tables:

- ``Edge.id`` and the stored properties (``Node.properties``, ``Edge.properties``);
- the flat columns: the bulk importer's (``graph.bulk``) and the CSV/TSV tables'
  (``ontology.table``), both from ``node_property_fields`` / ``edge_property_fields``;
- the RDF properties (``ontology.rdf.properties``, and from them the mapping, the JSON-LD
  context, the OWL ontology and the SHACL shapes);
- the curated loader's pass-through fields (``loaders.curated_format``).

Tests check that the tables name exactly the fields of ``Node``, ``Provenance`` and ``Edge``, in
order (a field added to a record without its declaration fails, and the reverse), and that the
GraphQL evidence types show exactly the declared fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from rdflib.namespace import DCTERMS

from ontology.vocab import (
    AgentType,
    Direction,
    EvidenceKind,
    KnowledgeLevel,
    Measure,
    MechanismResult,
    Relation,
    StudyDesign,
    Unit,
)


class Kind(Enum):
    """How a field's value is written in RDF."""

    STRING = "string"
    CURIE = "curie"  # a CURIE written as the IRI it expands to
    INTEGER = "integer"
    DOUBLE = "double"
    BOOLEAN = "boolean"
    DATE = "date"
    YEAR = "gYear"


class Curated(StrEnum):
    """Where the curated dataset's format (data/curated/FORMAT.md) takes a field as it is."""

    ENTITY = "entity"  # a key of an entity record (alkaloids.yaml, targets.yaml, ...)
    STUDY = "study"  # a key of a study record (studies.yaml)
    PHARMACOLOGY = "pharmacology"  # an optional column of pharmacology.tsv
    MEASUREMENT = "measurement"  # a key of an interaction's measurements


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind
    comment: str
    slot: str | None = None  # the Biolink slot it is written as; else pkg:<name>
    iri: str | None = None  # or a term of another vocabulary
    term: str = ""  # its JSON-LD term, when not its name
    many: bool = False
    values: tuple[str, ...] = ()  # a closed list of values (SHACL sh:in)
    identifying: bool = True  # tells two statements apart: part of Edge.id
    rdf: bool = True  # an RDF property of its own (not the id, name, category or statement)
    # Edges and provenance: the GraphQL field showing it, as "Type.field" (python names);
    # "" is Evidence.<name>; None: not shown on its own.
    graphql: str | None = ""
    curated: frozenset[Curated] = frozenset()  # where the curated format takes it as it is
    # The curated YAML may give it as a number (unit "1", a PMID): the loader reads its text.
    curated_text: bool = False

    @property
    def graphql_field(self) -> tuple[str, str] | None:
        """(GraphQL type, python field name) showing an edge or provenance field."""
        if self.graphql is None:
            return None
        owner, _, name = (self.graphql or f"Evidence.{self.name}").partition(".")
        return owner, name


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


_f = FieldSpec
_S, _C = Kind.STRING, Kind.CURIE
_ENTITY = frozenset({Curated.ENTITY})
_STUDY = frozenset({Curated.STUDY})
_TSV = frozenset({Curated.PHARMACOLOGY})
_MEASURED = frozenset({Curated.PHARMACOLOGY, Curated.MEASUREMENT})
_SOURCE_VERSION = "The version of the source the record was read from."
_SPECIES = "The species studied, as reported."

NODE_FIELDS: tuple[FieldSpec, ...] = (
    _f("id", _S, "The entity's CURIE.", rdf=False),  # dcterms:identifier, by node_triples
    _f("category", _S, "The entity's category.", rdf=False),  # rdf:type, ours and Biolink's
    _f("name", _S, "The entity's preferred name.", rdf=False),  # rdfs:label
    _f("synonyms", _S, "Another name of the entity.", many=True, slot="synonym"),
    _f("xrefs", _C, "The same entity in another database.", many=True, slot="xref"),
    _f("description", _S, "A short description.", slot="description"),
    _f(
        "source",
        _C,
        "A knowledge source that provided the entity (an infores IRI).",
        term="provided_by",
        many=True,
        slot="provided by",
    ),
    _f("source_version", _S, _SOURCE_VERSION),
    _f("formula", _S, "The molecular formula.", slot="has chemical formula", curated=_ENTITY),
    _f("inchikey", _S, "The standard InChIKey."),
    _f(
        "drug_class",
        _S,
        "The drug's pharmacological class, as written by the curators.",
        curated=_ENTITY,
    ),
    _f("symbol", _S, "The HGNC gene symbol of the protein.", slot="symbol", curated=_ENTITY),
    _f("taxon", _C, "The taxon of the protein.", slot="in taxon", curated=_ENTITY),
    _f("title", _S, "The title of the study's report.", iri=str(DCTERMS.title), curated=_STUDY),
    _f("design", _S, "The study design.", values=_values(StudyDesign), curated=_STUDY),
    _f("species", _S, _SPECIES, curated=_STUDY),
    _f("population", _S, "The strain or human population studied."),
    _f(
        "sample_size",
        Kind.INTEGER,
        "The number of subjects or animals, as reported.",
        slot="study size",
        curated=_STUDY,
    ),
    _f("year", Kind.YEAR, "The year the study was published.", curated=_STUDY),
    _f("summary", _S, "What the study reports, in one or two sentences.", curated=_STUDY),
    _f("pmid", _S, "The PubMed id of the study's report.", curated=_STUDY, curated_text=True),
    _f("doi", _S, "The DOI of the study's report.", curated=_STUDY, curated_text=True),
    _f("nct", _S, "The ClinicalTrials.gov id of the study.", curated=_STUDY, curated_text=True),
)

# Edge.id takes the primary source and the publications (under its own keys); the rest of the
# provenance says how the statement was made, not which statement it is.
PROVENANCE_FIELDS: tuple[FieldSpec, ...] = (
    _f(
        "primary_knowledge_source",
        _C,
        "The source that first asserted the statement.",
        slot="primary knowledge source",
        graphql="Evidence.source",
    ),
    _f(
        "aggregator_knowledge_sources",
        _C,
        "A source that passed the statement on.",
        term="aggregator_knowledge_source",
        many=True,
        slot="aggregator knowledge source",
        identifying=False,
        graphql="Evidence.aggregator_sources",
    ),
    _f(
        "publications",
        _C,
        "A publication or source record supporting the statement.",
        many=True,
        slot="publications",
    ),
    _f(
        "knowledge_level",
        _S,
        "How the statement was arrived at (Biolink KnowledgeLevelEnum).",
        values=_values(KnowledgeLevel),
        slot="knowledge level",
        identifying=False,
    ),
    _f(
        "agent_type",
        _S,
        "What made the statement (Biolink AgentTypeEnum).",
        values=_values(AgentType),
        slot="agent type",
        identifying=False,
    ),
    _f("source_version", _S, _SOURCE_VERSION, identifying=False),
    _f(
        "retrieval_date",
        Kind.DATE,
        "The date the source was retrieved.",
        identifying=False,
        graphql=None,
    ),
)

EDGE_FIELDS: tuple[FieldSpec, ...] = (
    # The statement itself: the direct triple and rdf:subject/predicate/object.
    _f("subject", _C, "The statement's subject.", rdf=False, graphql="Relation.subject"),
    _f("predicate", _C, "The statement's predicate.", rdf=False, graphql="Relation.predicate"),
    _f("object", _C, "The statement's object.", rdf=False, graphql="Relation.object"),
    _f(
        "provenance",
        _S,
        "Where the statement comes from (PROVENANCE_FIELDS).",
        identifying=False,
        rdf=False,
        graphql=None,  # its fields are shown one by one
    ),
    _f(
        "measure",
        _S,
        "The quantity measured (Ki, Kd, IC50, EC50, Emax, Kb, pA2, pChEMBL, "
        "KI_inact and kinact of time-dependent inactivation, AUC and Cmax "
        "geometric mean ratios).",
        values=_values(Measure),
        graphql="Quantity.measure",
        curated=_MEASURED,
    ),
    _f(
        "relation",
        _S,
        "How the reported value relates to the true one (=, <, >, ~, <=, >=).",
        values=_values(Relation),
        graphql="Quantity.comparator",
        curated=_MEASURED,
    ),
    _f(
        "value",
        Kind.DOUBLE,
        "The measured value, in the unit given by pkg:unit.",
        graphql="Quantity.value",
        curated=_MEASURED,
    ),
    _f(
        "low",
        Kind.DOUBLE,
        "The lower end of the value's interval (pkg:interval says which).",
        graphql="Quantity.low",
        curated=_MEASURED,
    ),
    _f(
        "high",
        Kind.DOUBLE,
        "The upper end of the value's interval (pkg:interval says which).",
        graphql="Quantity.high",
        curated=_MEASURED,
    ),
    _f(
        "interval",
        _S,
        "What the interval from pkg:low to pkg:high is (90% CI, range, ...).",
        graphql="Quantity.interval",
        curated=_MEASURED,
        curated_text=True,
    ),
    _f(
        "unit",
        _S,
        "The unit of the value: nM, uM, mM, %, 1/min or 1 (dimensionless).",
        values=_values(Unit),
        graphql="Quantity.unit",
        curated=_MEASURED,
        curated_text=True,
    ),
    _f(
        "relative_to",
        _S,
        "The reference a relative value is expressed against (e.g. the full agonist of an Emax).",
        graphql="Quantity.relative_to",
        curated=_TSV,
    ),
    _f("assay", _S, "The assay of the measurement.", curated=_TSV),
    _f("species", _S, _SPECIES, curated=_TSV),
    _f("cell_system", _S, "The cells, tissue or membranes of the assay.", curated=_TSV),
    _f(
        "source_location",
        _S,
        "Where in the publication the finding is (a table or figure).",
        curated=_MEASURED,
    ),
    _f(
        "direction",
        _S,
        "The direction of the finding (increased, decreased, no_change, mixed).",
        values=_values(Direction),
    ),
    _f(
        "negated", Kind.BOOLEAN, "True when the statement was tested and not found.", slot="negated"
    ),
    _f("effect", _S, "The effect found, as reported."),
    _f("effect_size", _S, "The size of the effect, as reported."),
    _f(
        "evidence_kind",
        _S,
        "The kind of evidence: clinical, in_vitro, animal or predicted.",
        values=_values(EvidenceKind),
    ),
    _f("mechanism", _S, "The mechanism proposed for an interaction."),
    _f("tool", _C, "The tool compound a study used to test a mechanism."),
    _f("result", _S, "Whether the tool reversed the effect.", values=_values(MechanismResult)),
    _f("dose", _S, "The dose given, as reported."),
    _f("route", _S, "The route of administration."),
    _f("role", _S, "The role of the compound in the study (test, positive_control, ...)."),
    # A curator's note does not tell statements apart: correcting it updates the edge.
    _f("note", _S, "A curator's note.", identifying=False, curated=_TSV),
)

# The statement's subject and object are the relationship's ends and its predicate is its
# type; its provenance is inlined: none of them is a property of its own.
_STATEMENT = frozenset({"subject", "predicate", "object", "provenance"})
NODE_KEYS = ("id", "category")  # a node's key and its label


def node_property_fields() -> tuple[FieldSpec, ...]:
    """A node's fields after its key and category, in order: its stored properties (beside
    ``id``), its columns in the bulk importer's CSVs and in the CSV/TSV tables."""
    return tuple(spec for spec in NODE_FIELDS if spec.name not in NODE_KEYS)


def edge_property_fields() -> tuple[FieldSpec, ...]:
    """An edge's fields as one flat row, in order: its own (the statement aside), then its
    provenance's. Its stored properties (beside ``id`` and ``predicate``), its columns in the
    bulk importer's CSVs and in the CSV/TSV tables."""
    own = tuple(spec for spec in EDGE_FIELDS if spec.name not in _STATEMENT)
    return (*own, *PROVENANCE_FIELDS)


def curated_fields(fields: tuple[FieldSpec, ...], where: Curated) -> tuple[str, ...]:
    """The names of ``fields`` the curated format takes as they are in ``where``, in order."""
    return tuple(spec.name for spec in fields if where in spec.curated)
