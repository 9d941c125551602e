"""Turtle and TriG: prefixes, then one block per subject as the records stream."""

from __future__ import annotations

from collections.abc import Sequence

from ontology.rdf.stream import Format, Sink, StreamWriter
from ontology.rdf.terms import (
    DATASET_IRI,
    FORMATS_NS,
    RDF_TYPE,
    XSD_BOOLEAN,
    Lit,
    Obj,
    Triple,
    TripleTerm,
    all_prefixes,
)
from ontology.rdf.writers.compact import TURTLE_LOCAL, Compactor
from ontology.rdf.writers.ntriples import escaped


class TurtleWriter:
    """Turtle (or TriG with ``graph``): prefixes, then one block per subject as it comes."""

    def __init__(self, sink: Sink, graph: str | None = None) -> None:
        self._sink = sink
        self._graph = graph
        self._compact = Compactor(TURTLE_LOCAL)
        self._indent = "    " if graph else ""
        self._predicates: dict[str, str] = {}
        self._datatypes: dict[str, str] = {}

    def begin(self) -> None:
        head = "".join(f"@prefix {p}: <{base}> .\n" for p, base in all_prefixes().items())
        if self._graph:
            head += f"\n<{self._graph}> {{\n"
        self._sink(head + "\n")

    def term(self, value: Obj) -> str:
        kind = value.__class__
        if kind is str:
            short = self._compact(value)  # type: ignore[arg-type]
            return short if short is not None else f"<{value}>"
        if kind is Lit:
            lexical, datatype = value  # type: ignore[misc, str-unpack]
            lexical = escaped(lexical)
            if datatype is None:
                return f'"{lexical}"'
            suffix = self._datatypes.get(datatype)
            if suffix is None:
                suffix = self._datatypes[datatype] = f"^^{self.term(datatype)}"
            if datatype == XSD_BOOLEAN and lexical in ("true", "false"):
                return str(lexical)
            return f'"{lexical}"{suffix}'
        assert isinstance(value, TripleTerm)
        return f"<<( {self.term(value.s)} {self.term(value.p)} {self.term(value.o)} )>>"

    def _predicate(self, p: str) -> str:
        text = self._predicates.get(p)
        if text is None:
            text = self._predicates[p] = "a" if p == RDF_TYPE else self.term(p)
        return text

    def group(self, triples: Sequence[Triple]) -> None:
        out: list[str] = []
        append = out.append
        ind = self._indent
        term, predicate_text = self.term, self._predicate
        subject: str | None = None
        predicate: str | None = None
        for s, p, o in triples:
            if s is not subject and s != subject:
                if subject is not None:
                    append(" .\n")
                append(f"{ind}{term(s)} ")
                subject, predicate = s, None
            if p is predicate or p == predicate:
                append(f" , {term(o)}")
            else:
                if predicate is not None:
                    append(f" ;\n{ind}    ")
                append(f"{predicate_text(p)} {term(o)}")
                predicate = p
        if subject is not None:
            append(" .\n")
        self._sink("".join(out))

    def end(self) -> None:
        if self._graph:
            self._sink("}\n")


def _trig(sink: Sink) -> StreamWriter:
    return TurtleWriter(sink, DATASET_IRI)


# -- JSON-LD ---------------------------------------------------------------------------------


TURTLE = Format(
    "ttl",
    "text/turtle",
    "ttl",
    "turtle",
    str(FORMATS_NS.Turtle),
    ("turtle", "text/turtle", "application/x-turtle", "text/n3"),
    star=True,
    writer=TurtleWriter,
)
TRIG = Format(
    "trig",
    "application/trig",
    "trig",
    "trig",
    str(FORMATS_NS.TriG),
    (),
    star=True,
    quads=True,
    writer=_trig,
)
