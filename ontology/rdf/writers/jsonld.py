"""JSON-LD: the published context, then one node object per subject as the records stream."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ontology.rdf.context import build_context, class_terms, term_index
from ontology.rdf.stream import Format, Sink
from ontology.rdf.terms import FORMATS_NS, RDF_TYPE, Lit, Obj, Triple, TripleTerm
from ontology.rdf.writers.compact import Compactor


class JsonLdWriter:
    """A JSON-LD document ``{"@context": ..., "@graph": [...]}``, one node object per subject.

    The context is the published one (``ontology/context.jsonld``), embedded so the file reads
    offline. Values whose property has a term are written compactly, others explicitly.
    """

    def __init__(self, sink: Sink) -> None:
        self._sink = sink
        self._compact = Compactor(None)
        self._terms = term_index()
        self._types = {v: k for k, v in class_terms().items()}
        self._first = True

    def begin(self) -> None:
        body = json.dumps(build_context()["@context"], indent=1, ensure_ascii=False)
        self._sink('{\n"@context": ' + body + ',\n"@graph": [\n')

    def _iri(self, value: str) -> str:
        short = self._compact(value)
        return short if short is not None else value

    def _entry(self, p: str, o: Obj) -> tuple[str, Any]:
        if isinstance(o, TripleTerm):
            raise TypeError("JSON-LD cannot hold RDF 1.2 triple terms; use Turtle or N-Triples")
        if o.__class__ is str:
            assert isinstance(o, str)
            term = self._terms.get((p, "@id"))
            if term is not None:
                return term, self._iri(o)
            return self._iri(p), {"@id": self._iri(o)}
        assert isinstance(o, Lit)
        term = self._terms.get((p, o.datatype))
        if term is not None:
            return term, o.lexical
        if o.datatype is None:
            return self._iri(p), o.lexical
        return self._iri(p), {"@value": o.lexical, "@type": self._iri(o.datatype)}

    def group(self, triples: Sequence[Triple]) -> None:
        objects: list[dict[str, Any]] = []
        current: dict[str, Any] | None = None
        subject: str | None = None
        for s, p, o in triples:
            if s != subject:
                current = {"@id": self._iri(s)}
                objects.append(current)
                subject = s
            assert current is not None
            if p == RDF_TYPE and isinstance(o, str):
                key, value = "@type", self._types.get(o) or self._iri(o)
            else:
                key, value = self._entry(p, o)
            if key in current:
                held = current[key]
                if isinstance(held, list):
                    held.append(value)
                else:
                    current[key] = [held, value]
            else:
                current[key] = value
        if not objects:
            return
        text = ",\n".join(json.dumps(obj, ensure_ascii=False) for obj in objects)
        self._sink(text if self._first else ",\n" + text)
        self._first = False

    def end(self) -> None:
        self._sink("\n]\n}\n")


JSONLD = Format(
    "jsonld",
    "application/ld+json",
    "jsonld",
    "json-ld",
    str(FORMATS_NS["JSON-LD"]),
    ("json-ld", "json"),
    writer=JsonLdWriter,
)
