"""What every loader shares: the record-building step and where rejections go."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from pydantic import BaseModel, ValidationError

from loaders.errors import Location, RejectedRecordsError, Rejection, rejections_from_validation
from ontology.records import Edge, Record

logger = logging.getLogger(__name__)

Reject = Callable[[Rejection], None]
RecordT = TypeVar("RecordT", bound=BaseModel)
T = TypeVar("T")
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
        logger.debug("rejected: %s", rejection)
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


def build(
    model: type[RecordT], location: Location, reject: Reject, **fields: Any
) -> RecordT | None:
    """Validate one record; on failure report every bad field and return None."""
    try:
        return model(**fields)
    except ValidationError as error:
        for rejection in rejections_from_validation(location, error):
            reject(rejection)
        return None


def nodes_then_edges(
    read: Callable[[Reject], Iterable[T]],
    reject: Reject,
    *,
    record: Callable[[T], Record] = lambda item: cast(Record, item),
    held: int = HELD_EDGES,
) -> Iterator[T]:
    """Every node of a load before any of its edges, in constant memory.

    ``read(reject)`` streams the load's records (or items that carry one: ``record`` finds it)
    in file order, where an edge may come before the node it points to (an ontology lists a
    child before its parent). The first pass yields the nodes and keeps up to ``held`` edges;
    when there are more, a second pass reads the source again for its edges (loaders are
    generators over files), its rejections dropped because the first pass reported them.
    """
    edges: list[T] | None = []
    for item in read(reject):
        if not isinstance(record(item), Edge):
            yield item
        elif edges is not None:
            edges.append(item)
            if len(edges) > held:
                edges = None
    if edges is not None:
        yield from edges
        return
    logger.info("more than %d edges: reading the source again for its edges", held)
    yield from (item for item in read(_ignore) if isinstance(record(item), Edge))


def _ignore(rejection: Rejection) -> None:
    """Where a second reading's rejections go: the first one reported them."""
