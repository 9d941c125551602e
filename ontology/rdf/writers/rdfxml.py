"""RDF/XML: one rdf:Description per subject; predicates must lie in a known namespace."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ontology.rdf.stream import Format, Sink
from ontology.rdf.terms import FORMATS_NS, NAMESPACES, Lit, Triple

_XML_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_XML_TEXT = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"}
# XML 1.0 cannot carry most control characters; they become U+FFFD (N-Triples keeps them).
_XML_TEXT.update({c: "\ufffd" for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)})


class RdfXmlWriter:
    """RDF/XML, one rdf:Description per subject; predicates must lie in a known namespace."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink
        self._names = {base: prefix for prefix, base in NAMESPACES.items()}
        self._qnames: dict[str, str] = {}

    def begin(self) -> None:
        spaces = "".join(f'\n    xmlns:{p}="{base}"' for p, base in NAMESPACES.items())
        self._sink(f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{spaces}>\n')

    def _qname(self, predicate: str) -> str:
        qname = self._qnames.get(predicate)
        if qname is None:
            for sep in ("#", "/"):
                cut = predicate.rfind(sep) + 1
                prefix = self._names.get(predicate[:cut])
                if cut and prefix and _XML_LOCAL.match(predicate[cut:]):
                    qname = self._qnames[predicate] = f"{prefix}:{predicate[cut:]}"
                    break
            else:
                raise ValueError(f"RDF/XML cannot name the predicate {predicate}")
        return qname

    def group(self, triples: Sequence[Triple]) -> None:
        out: list[str] = []
        subject: str | None = None
        for s, p, o in triples:
            if s != subject:
                if subject is not None:
                    out.append("  </rdf:Description>\n")
                out.append(f'  <rdf:Description rdf:about="{s.translate(_XML_TEXT)}">\n')
                subject = s
            q = self._qname(p)
            if o.__class__ is str:
                assert isinstance(o, str)
                out.append(f'    <{q} rdf:resource="{o.translate(_XML_TEXT)}"/>\n')
            elif isinstance(o, Lit):
                text = o.lexical.translate(_XML_TEXT)
                if o.datatype is None:
                    out.append(f"    <{q}>{text}</{q}>\n")
                else:
                    out.append(f'    <{q} rdf:datatype="{o.datatype}">{text}</{q}>\n')
            else:
                raise TypeError("RDF/XML cannot hold RDF 1.2 triple terms")
        if subject is not None:
            out.append("  </rdf:Description>\n")
        self._sink("".join(out))

    def end(self) -> None:
        self._sink("</rdf:RDF>\n")


RDFXML = Format(
    "xml",
    "application/rdf+xml",
    "rdf",
    "xml",
    str(FORMATS_NS.RDF_XML),
    ("rdfxml", "rdf/xml", "application/xml", "text/xml"),
    writer=RdfXmlWriter,
)
