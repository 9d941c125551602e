"""Small pieces every source loader needs: skipping a bad field, dating provenance, quantities."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from loaders.base import Reject
from loaders.errors import Location, Rejection
from ontology.vocab import AgentType, KnowledgeLevel, Relation, Unit

T = TypeVar("T")


class FieldError(Exception):
    """One field of one record is unusable; caught by ``rejecting`` and reported, never raised
    out of a loader."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def rejecting(location: Location, reject: Reject, make: Callable[[], T | None]) -> T | None:
    """``make()``, or None after reporting the FieldError it raised."""
    try:
        return make()
    except FieldError as bad:
        reject(Rejection(location, bad.field, bad.reason))
        return None


@dataclass(frozen=True)
class Dating:
    """When a source's statements were true: its release, else the day it was fetched."""

    source_version: str | None
    retrieval_date: date | None

    @classmethod
    def of(
        cls, path: Path, source_version: str | None, retrieval_date: date | None = None
    ) -> Dating:
        """Without a version or a date, the file's modification day: ``loaders.fetch`` writes a
        file on the day it downloads it, so that is when it was retrieved."""
        if source_version is None and retrieval_date is None:
            stamp = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
            retrieval_date = stamp.date()
        return cls(source_version, retrieval_date)


def provenance(
    source: str,
    publications: tuple[str, ...],
    dating: Dating,
    *,
    knowledge_level: KnowledgeLevel = KnowledgeLevel.KNOWLEDGE_ASSERTION,
    agent_type: AgentType = AgentType.MANUAL_AGENT,
) -> dict[str, Any]:
    """Edge provenance as fields, so ``build`` reports a bad one like any other field."""
    return {
        "primary_knowledge_source": source,
        "publications": publications,
        "knowledge_level": knowledge_level,
        "agent_type": agent_type,
        "source_version": dating.source_version,
        "retrieval_date": dating.retrieval_date,
    }


UNITS = {
    "nM": Unit.NM,
    "uM": Unit.UM,
    "\u00b5M": Unit.UM,
    "\u03bcM": Unit.UM,
    "mM": Unit.MM,
    "%": Unit.PERCENT,
}
RELATIONS = {r.value: r for r in Relation}


def parse_unit(field: str, raw: str) -> Unit:
    unit = UNITS.get(raw)
    if unit is None:
        raise FieldError(
            field,
            f"unknown unit {raw!r}; expected one of: {', '.join(UNITS)}" if raw else "no unit",
        )
    return unit


def parse_relation(field: str, raw: str) -> Relation:
    cleaned = raw.strip("'\" ") or "="  # ChEMBL's download quotes it: "'='"
    relation = RELATIONS.get(cleaned)
    if relation is None:
        raise FieldError(
            field, f"unknown relation {raw!r}; expected one of: {', '.join(RELATIONS)}"
        )
    return relation


def parse_float(field: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise FieldError(field, f"not a number: {raw!r}" if raw else "no value") from None
    if not math.isfinite(value):
        raise FieldError(field, f"not a finite number: {raw!r}")
    return value
