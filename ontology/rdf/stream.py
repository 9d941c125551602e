"""What a streaming writer is, and what describes a format to the registry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ontology.rdf.terms import Triple


class Sink(Protocol):
    def __call__(self, text: str, /) -> object: ...


class StreamWriter(Protocol):
    """Writes groups of triples as they come; ``end`` closes the document."""

    def begin(self) -> None: ...
    def group(self, triples: Sequence[Triple]) -> None: ...
    def end(self) -> None: ...


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    rdflib: str  # the rdflib serializer's name
    w3c: str  # the format's IRI (http://www.w3.org/ns/formats/)
    aliases: tuple[str, ...] = ()
    star: bool = False  # can write RDF 1.2 triple terms
    quads: bool = False
    writer: Callable[[Sink], StreamWriter] | None = None


class UnknownFormatError(ValueError):
    """A format name or media type we do not serve; the message lists those we do."""


class TripleCounter:
    """A writer that writes nothing (an export counted, not kept: the dataset description)."""

    def begin(self) -> None:
        return None

    def group(self, triples: Sequence[Triple]) -> None:
        del triples

    def end(self) -> None:
        return None


class TripleCollector:
    """A writer that keeps the triples (for small parts that go through rdflib)."""

    def __init__(self) -> None:
        self.triples: list[Triple] = []

    def begin(self) -> None:
        return None

    def group(self, triples: Sequence[Triple]) -> None:
        self.triples.extend(triples)

    def end(self) -> None:
        return None
