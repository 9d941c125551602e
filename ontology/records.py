"""The typed hand-off records every loader emits and every other layer reads.

``Node`` and ``Edge`` are frozen pydantic models with ``extra="forbid"``: an invalid record
raises ``pydantic.ValidationError`` naming the field, the value and what was expected.

What a record computes from its fields (an edge's id, the stored properties and their digest)
is computed once per record and kept on it (``functools.cached_property``: a frozen record
never changes); ``model_copy`` makes a record whose cached values are computed afresh.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import date
from functools import cached_property
from types import MappingProxyType
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from ontology.fields import EDGE_FIELDS, NODE_FIELDS, edge_property_fields, node_property_fields
from ontology.identifiers import validate_curie
from ontology.vocab import (
    CATEGORIES,
    MEASURE_UNITS,
    PREDICATES,
    AgentType,
    Category,
    Direction,
    EvidenceKind,
    KnowledgeLevel,
    Measure,
    MechanismResult,
    Predicate,
    Relation,
    StudyDesign,
    Unit,
)

Curie = Annotated[str, AfterValidator(validate_curie)]

_INFORES = re.compile(r"^infores:[a-z0-9][a-z0-9._-]*$")
_CITATION_PREFIXES = ("PMID", "DOI", "NCT")


def _infores(value: str) -> str:
    if not _INFORES.match(value):
        raise ValueError(f"{value!r} is not an infores CURIE (expected e.g. infores:chembl)")
    return value


Infores = Annotated[str, AfterValidator(_infores)]
NonEmpty = Annotated[str, Field(min_length=1)]

_FROZEN = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


def content_hash(props: Mapping[str, Any]) -> str:
    """A digest of stored properties: a record stored again unchanged is seen to be unchanged."""
    return hashlib.sha256(json.dumps(props, sort_keys=True, default=str).encode()).hexdigest()[:24]


class _Stored(BaseModel):
    """A node or an edge: its stored properties and their digest, each computed once."""

    model_config = _FROZEN

    def properties(self) -> dict[str, Any]:
        """Neo4j properties (primitives and lists only), without None values (a new dict)."""
        return dict(self.stored)

    @cached_property
    def stored(self) -> Mapping[str, Any]:
        """The properties as stored, read-only; computed once (``_properties``)."""
        return MappingProxyType(self._properties())

    @cached_property
    def digest(self) -> str:
        """``content_hash`` of the stored properties."""
        return content_hash(self.properties())

    def _properties(self) -> dict[str, Any]:
        raise NotImplementedError

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy whose cached values (id, stored properties, digest) are computed afresh."""
        copied = super().model_copy(update=update, deep=deep)
        for name in [k for k in copied.__dict__ if k not in type(self).model_fields]:
            del copied.__dict__[name]
        return copied


class Provenance(BaseModel):
    """Where a statement comes from, in Biolink's terms."""

    model_config = _FROZEN

    primary_knowledge_source: Infores
    aggregator_knowledge_sources: tuple[Infores, ...] = ()
    publications: tuple[Curie, ...] = Field(min_length=1)
    knowledge_level: KnowledgeLevel
    agent_type: AgentType
    source_version: str | None = None
    retrieval_date: date | None = None

    @model_validator(mode="after")
    def _dated(self) -> Self:
        if self.source_version is None and self.retrieval_date is None:
            raise ValueError("provenance needs a source_version or a retrieval_date")
        return self

    @property
    def citations(self) -> tuple[str, ...]:
        """The publications that are papers or trials (PMID, DOI, NCT), not source records."""
        return tuple(p for p in self.publications if p.split(":", 1)[0] in _CITATION_PREFIXES)


class Node(_Stored):
    """An entity: one node per real thing, its other identifiers as cross-references."""

    id: Curie
    category: Category
    name: NonEmpty
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[Curie, ...] = ()
    description: str | None = None
    source: Infores
    source_version: str | None = None
    # Category-specific attributes; which may be set is decided by CATEGORIES.
    formula: str | None = None
    inchikey: str | None = None
    drug_class: str | None = None
    symbol: str | None = None
    taxon: str | None = None
    title: str | None = None
    design: StudyDesign | None = None
    species: str | None = None
    population: str | None = None
    sample_size: Annotated[int, Field(ge=0)] | None = None
    year: Annotated[int, Field(ge=1800, le=2100)] | None = None
    summary: str | None = None
    pmid: str | None = None
    doi: str | None = None
    nct: str | None = None

    @model_validator(mode="after")
    def _fits_category(self) -> Self:
        info = CATEGORIES[self.category]
        validate_curie(self.id, info.prefixes)
        stray = sorted(
            name
            for name in ATTRIBUTE_FIELDS
            if getattr(self, name) is not None and name not in info.attributes
        )
        if stray:
            raise ValueError(
                f"{self.category.value} nodes cannot carry {', '.join(stray)}; allowed: "
                f"{', '.join(sorted(info.attributes)) or 'none'}"
            )
        if self.id in self.xrefs:
            raise ValueError(f"xrefs repeat the node's own id {self.id}")
        return self

    @property
    def label(self) -> str:
        return CATEGORIES[self.category].label

    def _properties(self) -> dict[str, Any]:
        """``id`` and the declared property fields (``ontology.fields.node_property_fields``)."""
        return self.model_dump(mode="json", exclude_none=True, include=_NODE_STORED)


# The node fields some category carries as its own (``CategoryInfo.attributes``), in declaration
# order; any other category refuses them.
ATTRIBUTE_FIELDS = tuple(
    spec.name
    for spec in NODE_FIELDS
    if any(spec.name in info.attributes for info in CATEGORIES.values())
)


class Edge(_Stored):
    """A statement between two nodes with its evidence; one edge per source and finding."""

    subject: Curie
    predicate: Predicate
    object: Curie
    provenance: Provenance
    # A measurement: measure and unit with a value, an interval (low, high), or both.
    measure: Measure | None = None
    relation: Relation | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    interval: str | None = None  # what low..high is: "90% CI", "range", ...
    unit: Unit | None = None
    relative_to: str | None = None  # the reference a relative value is expressed against
    assay: str | None = None
    species: str | None = None
    cell_system: str | None = None
    source_location: str | None = None  # where in the publication: "Table 2", "Figure 3B"
    # A finding: its direction, or that it was not found.
    direction: Direction | None = None
    negated: bool = False
    effect: str | None = None
    effect_size: str | None = None
    evidence_kind: EvidenceKind | None = None
    # How a study tested or gave something.
    mechanism: str | None = None
    tool: Curie | None = None
    result: MechanismResult | None = None
    dose: str | None = None
    route: str | None = None
    role: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.subject == self.object:
            raise ValueError(f"an edge cannot join {self.subject} to itself")
        _check_quantity(self.measure, self.value, self.low, self.unit)
        _check_interval(self.value, self.low, self.high, self.interval)
        if self.predicate in (Predicate.INTERACTS_WITH, Predicate.ADVERSE_EFFECT) and (
            self.evidence_kind is None
        ):
            raise ValueError(
                f"{self.predicate.value} edges need an evidence_kind "
                f"({', '.join(k.value for k in EvidenceKind)})"
            )
        if self.predicate is Predicate.TESTS_MECHANISM and self.result is None:
            raise ValueError(
                "tests_mechanism edges need a result "
                f"({', '.join(r.value for r in MechanismResult)})"
            )
        return self

    @property
    def rel_type(self) -> str:
        return PREDICATES[self.predicate].rel_type

    @cached_property
    def id(self) -> str:
        """A stable id: the same statement from the same source is the same edge on reload.

        Every field that tells two statements apart is part of it (so Ki = 10 nM and Ki = 10 uM
        are two edges); only a curator's note is not, so correcting a note updates the edge.
        """
        identity = {name: getattr(self, name) for name in _IDENTIFYING_FIELDS}
        identity["src"] = self.provenance.primary_knowledge_source
        identity["pubs"] = sorted(self.provenance.publications)
        digest = hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode())
        return digest.hexdigest()[:24]

    def _properties(self) -> dict[str, Any]:
        """Flat relationship properties, None values dropped: ``id``, ``predicate`` and
        the declared property fields (``ontology.fields.edge_property_fields``: the edge's own,
        its provenance's inlined)."""
        data = self.model_dump(mode="json", exclude_none=True, include=_EDGE_STORED)
        data.update(self.provenance.model_dump(mode="json", exclude_none=True))
        data["id"] = self.id
        data["predicate"] = self.predicate.value
        return data


# The fields that tell two statements apart, as ``ontology.fields`` declares them (the
# provenance's source and publications do too, and ``Edge.id`` adds them).
_IDENTIFYING_FIELDS = tuple(sorted(f.name for f in EDGE_FIELDS if f.identifying))
# The fields stored as properties of their own, as ``ontology.fields`` declares them.
_NODE_STORED = {"id", *(f.name for f in node_property_fields())}
_EDGE_STORED = {f.name for f in edge_property_fields() if f in EDGE_FIELDS}


def _check_quantity(
    measure: Measure | None, value: float | None, low: float | None, unit: Unit | None
) -> None:
    """A measurement has a measure, a unit, and a value or an interval (a range, a CI)."""
    given = {"measure": measure, "value or low/high": value if low is None else low, "unit": unit}
    if all(v is None for v in given.values()):
        return
    missing = [name for name, v in given.items() if v is None]
    if missing:
        raise ValueError(f"a measurement needs measure, value and unit; missing {missing}")
    assert measure is not None  # narrowed by the check above
    assert unit is not None
    if unit not in MEASURE_UNITS[measure]:
        allowed = ", ".join(sorted(u.value for u in MEASURE_UNITS[measure]))
        raise ValueError(f"{measure.value} cannot be in {unit.value!r}; expected {allowed}")


def _check_interval(
    value: float | None, low: float | None, high: float | None, interval: str | None
) -> None:
    """An interval has both ends and says what it is; a point estimate lies inside it."""
    if low is None and high is None:
        if interval is not None:
            raise ValueError("interval is set but low and high are not")
        return
    if low is None or high is None or interval is None:
        raise ValueError("an interval needs low, high and interval (e.g. '90% CI', 'range')")
    if low > high:
        raise ValueError(f"low {low:g} is above high {high:g}")
    if value is not None and not low <= value <= high:
        raise ValueError(f"value {value:g} lies outside its interval {low:g}-{high:g}")


Record = Node | Edge
