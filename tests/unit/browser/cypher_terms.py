"""The labels, relationship types and properties a guide query names, read from its text.

Enough of Cypher's lexical rules for the queries in ``browser/slides.py``: string literals are
blanked first, then ``[..:TYPE|TYPE*..]`` gives relationship types, ``:Label`` written against
an identifier or an opening bracket gives labels, ``x.key`` and ``{key: ...}`` give property
keys. The integration tests back this up with EXPLAIN against the real database, which warns
about any unknown label, type or property this reading might miss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_REL_BRACKET = re.compile(r"-\s*\[\s*\w*\s*:([^\]*{]+)")
_LABEL = re.compile(r"(?:\(|\b[a-z_]\w*)\s*((?::[A-Z]\w*)+)")
_PROPERTY = re.compile(r"\b[a-z_]\w*\.([a-z_]\w*)\b")
_MAP_KEY = re.compile(r"[{,]\s*([a-z_]\w*)\s*:\s")
_PARAMETER = re.compile(r"\$\w+")


@dataclass(frozen=True)
class Terms:
    labels: frozenset[str]
    rel_types: frozenset[str]
    properties: frozenset[str]
    parameters: frozenset[str]


def terms(cypher: str) -> Terms:
    text = _STRING.sub("''", cypher)
    rel_types = {t.strip() for m in _REL_BRACKET.finditer(text) for t in m.group(1).split("|")}
    without_rels = _REL_BRACKET.sub("-[", text)
    labels = {
        label for m in _LABEL.finditer(without_rels) for label in m.group(1).split(":") if label
    }
    properties = set(_PROPERTY.findall(text)) | set(_MAP_KEY.findall(text))
    return Terms(
        frozenset(labels),
        frozenset(t for t in rel_types if t),
        frozenset(properties),
        frozenset(_PARAMETER.findall(text)),
    )
