"""N-Triples and N-Quads: one line per triple (or quad), written as the records stream."""

from __future__ import annotations

from collections.abc import Sequence

from ontology.rdf.stream import Format, Sink, StreamWriter
from ontology.rdf.terms import DATASET_IRI, FORMATS_NS, Lit, Obj, Triple, TripleTerm

_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in range(0x20) if c not in _ESCAPES})
_ESCAPES[0x7F] = "\\u007F"


def escaped(lexical: str) -> str:
    """A literal's text for N-Triples and Turtle; most need no escape, so look first."""
    if '"' in lexical or "\\" in lexical or not lexical.isprintable():
        return lexical.translate(_ESCAPES)
    return lexical


def nt_term(term: Obj) -> str:
    if term.__class__ is str:
        return f"<{term}>"
    if isinstance(term, Lit):
        if term.datatype is None:
            return f'"{escaped(term.lexical)}"'
        return f'"{escaped(term.lexical)}"^^<{term.datatype}>'
    assert isinstance(term, TripleTerm)
    return f"<<( <{term.s}> <{term.p}> {nt_term(term.o)} )>>"


class NTriplesWriter:
    """One line per triple (N-Triples), or per quad with ``graph`` (N-Quads)."""

    def __init__(self, sink: Sink, graph: str | None = None) -> None:
        self._sink = sink
        self._end = f" <{graph}> .\n" if graph else " .\n"
        self._predicates: dict[str, str] = {}  # predicates come from the vocabulary: few

    def begin(self) -> None:
        return None

    def group(self, triples: Sequence[Triple]) -> None:
        end, predicates, escapes = self._end, self._predicates, _ESCAPES
        lines: list[str] = []
        append = lines.append
        subject: str | None = None
        head = ""
        for s, p, o in triples:
            if s is not subject:
                subject, head = s, f"<{s}> "
            predicate = predicates.get(p)
            if predicate is None:
                predicate = predicates[p] = f"<{p}> "
            kind = o.__class__
            if kind is str:
                append(f"{head}{predicate}<{o}>{end}")
            elif kind is Lit:
                lexical, datatype = o  # type: ignore[misc, str-unpack]
                if '"' in lexical or "\\" in lexical or not lexical.isprintable():
                    lexical = lexical.translate(escapes)  # inlined _escaped (hot loop)
                if datatype is None:
                    append(f'{head}{predicate}"{lexical}"{end}')
                else:
                    append(f'{head}{predicate}"{lexical}"^^<{datatype}>{end}')
            else:
                append(f"{head}{predicate}{nt_term(o)}{end}")
        self._sink("".join(lines))

    def end(self) -> None:
        return None


def _nquads(sink: Sink) -> StreamWriter:
    return NTriplesWriter(sink, DATASET_IRI)


# -- Turtle / TriG ---------------------------------------------------------------------------


NTRIPLES = Format(
    "nt",
    "application/n-triples",
    "nt",
    "nt",
    str(FORMATS_NS["N-Triples"]),
    ("ntriples", "n-triples", "text/plain"),
    star=True,
    writer=NTriplesWriter,
)
NQUADS = Format(
    "nq",
    "application/n-quads",
    "nq",
    "nquads",
    str(FORMATS_NS["N-Quads"]),
    ("nquads", "n-quads"),
    star=True,
    quads=True,
    writer=_nquads,
)
