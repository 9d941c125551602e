"""What every loader shares: the record-building step and where rejections go."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from loaders.errors import Location, RejectedRecordsError, Rejection, rejections_from_validation
from ontology.records import Edge, Record

Reject = Callable[[Rejection], None]
RecordT = TypeVar("RecordT", bound=BaseModel)
# Edges held in memory while the nodes stream; a load with more reads its source a second time.
HELD_EDGES = 10_000


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


def nodes_then_edges(read: Callable[[Reject], Iterable[Record]], reject: Reject, *,
                     held: int = HELD_EDGES) -> Iterator[Record]:
    """Every node of a load before any of its edges, in constant memory.

    ``read(reject)`` streams the load's records in file order, where an edge may come before
    the node it points to (an ontology lists a child before its parent). The first pass yields
    the nodes and keeps up to ``held`` edges; when there are more, a second pass reads the
    source again for its edges (loaders are generators over files), its rejections dropped
    because the first pass reported them.
    """
    edges: list[Edge] | None = []
    for record in read(reject):
        if not isinstance(record, Edge):
            yield record
        elif edges is not None:
            edges.append(record)
            if len(edges) > held:
                edges = None
    if edges is not None:
        yield from edges
        return
    yield from (record for record in read(_ignore) if isinstance(record, Edge))


def _ignore(rejection: Rejection) -> None:
    """Where a second reading's rejections go: the first one reported them."""
