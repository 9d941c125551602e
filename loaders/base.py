"""What every loader shares: the record-building step and where rejections go."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ReleaseReader:
    """A source whose files are read together, whatever their order on the command line
    (GtoPdb: the ligands and targets of a release before its interactions)."""

    read_files: Callable[[Sequence[Path], Reject], Iterator[Record]]

    def __call__(self, path: Path, reject: Reject) -> Iterator[Record]:
        return self.read_files([path], reject)


def read_all(reader: SourceReader, paths: Sequence[Path], reject: Reject) -> Iterator[Record]:
    """Every record of ``paths``: together for a release reader, else file after file."""
    if isinstance(reader, ReleaseReader):
        yield from reader.read_files(paths, reject)
        return
    for path in paths:
        yield from reader(path, reject)


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
