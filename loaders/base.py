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
    """Keeps rejections for the summary; with ``strict`` the first one stops the load."""

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        self.rejections: list[Rejection] = []

    def __call__(self, rejection: Rejection) -> None:
        self.rejections.append(rejection)
        if self.strict:
            raise RejectedRecordsError([rejection])


def build(model: type[RecordT], location: Location, reject: Reject,
          **fields: Any) -> RecordT | None:
    """Validate one record; on failure report every bad field and return None."""
    try:
        return model(**fields)
    except ValidationError as error:
        for rejection in rejections_from_validation(location, error):
            reject(rejection)
        return None
