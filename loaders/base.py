"""What every loader shares: the record-building step and where rejections go."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from loaders.errors import Location, RejectedRecordsError, Rejection, rejections_from_validation
from ontology.records import Record

Reject = Callable[[Rejection], None]
RecordT = TypeVar("RecordT", bound=BaseModel)


class SourceReader(Protocol):
    """A loader: streams one file's records, sending bad ones to ``reject``."""

    def __call__(self, path: Path, reject: Reject) -> Iterator[Record]: ...


class Collector:
    """Keeps rejections for the summary; with ``strict`` the first one stops the load.

    A reader that knows where a record comes from more precisely than "the Nth record of the
    file" (a YAML record's line, a TSV row) says so with ``locate`` just before yielding it;
    the pipeline takes it back with ``location_of`` as the record arrives (constant memory).
    """

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        self.rejections: list[Rejection] = []
        self._where: dict[int, Location] = {}

    def __call__(self, rejection: Rejection) -> None:
        self.rejections.append(rejection)
        if self.strict:
            raise RejectedRecordsError([rejection])

    def locate(self, record: Record, where: Location) -> None:
        self._where[id(record)] = where

    def location_of(self, record: Record) -> Location | None:
        return self._where.pop(id(record), None)


def locate(reject: Reject, record: Record, where: Location) -> None:
    """Tell the load where ``record`` is in its file, if ``reject`` keeps locations."""
    if isinstance(reject, Collector):
        reject.locate(record, where)


def build(model: type[RecordT], location: Location, reject: Reject,
          **fields: Any) -> RecordT | None:
    """Validate one record; on failure report every bad field and return None."""
    try:
        return model(**fields)
    except ValidationError as error:
        for rejection in rejections_from_validation(location, error):
            reject(rejection)
        return None
