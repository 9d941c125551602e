"""The format registry: each writer module declares its formats, callers ask for one by name.

As rdflib's plugin registry: a format is found by its name, an alias, its file suffix or its
media type, and carries the streaming writer and the rdflib serializer that write it. Callers
never import a writer module.
"""

from __future__ import annotations

from ontology.rdf.stream import Format, Sink, StreamWriter, UnknownFormatError
from ontology.rdf.writers import jsonld, ntriples, rdfxml, turtle

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        turtle.TURTLE,
        ntriples.NTRIPLES,
        jsonld.JSONLD,
        rdfxml.RDFXML,
        ntriples.NQUADS,
        turtle.TRIG,
    )
}


def format_for(name: str) -> Format:
    """The format with this name, alias, extension or media type (case-insensitive)."""
    wanted = name.strip().lower()
    for fmt in FORMATS.values():
        if wanted in (fmt.name, fmt.media_type, fmt.extension, *fmt.aliases):
            return fmt
    raise UnknownFormatError(
        f"unknown RDF format {name!r}; expected one of: {', '.join(format_names())}"
    )


def format_names() -> list[str]:
    return [f"{f.name} ({f.media_type})" for f in FORMATS.values()]


def writer_for(fmt: Format, sink: Sink) -> StreamWriter:
    assert fmt.writer is not None
    return fmt.writer(sink)
