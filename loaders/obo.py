"""OBO 1.4 flat files of disease ontologies (MONDO, DOID, HP, or subsets of them).

Read line by line, plain or compressed. Each non-obsolete ``[Term]`` whose id is a MONDO,
DOID, HP or MESH CURIE becomes a condition node with its EXACT synonyms (other than its name),
its xrefs to those ontologies and its ``alt_id``s (ids merged into it) as xrefs; each ``is_a``
to such a term becomes a SUBCLASS_OF edge, stated by the ontology named in the header
(``ontology: mondo``) at its release, and cited by the child's own term, the record that states
it. Other stanzas and terms of other ontologies (anatomy, phenotype qualifiers that a file
imports) are skipped. A file of another ontology (GO, ChEBI...) or one that is not OBO at all is
one structural error.

The release is the ``data-version`` up to its date (``doid/releases/2026-07-31/subsets/x.obo``
-> ``doid/releases/2026-07-31``), so the subsets of one release stamp the terms they share
alike and loading one after the other changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loaders.base import Reject, build
from loaders.errors import Location, Rejection, SourceError
from loaders.fields import Dating, provenance
from loaders.tabular import decoded_lines
from ontology.identifiers import CurieError, validate_curie
from ontology.records import Edge, Node, Record
from ontology.vocab import CATEGORIES, Category, Predicate

CONDITION_PREFIXES = CATEGORIES[Category.CONDITION].prefixes
# Same infores names as the curated loader uses for these ontologies.
ONTOLOGY_INFORES = {"mondo": "infores:mondo", "doid": "infores:doid", "hp": "infores:hp"}
SUPPORTED = ", ".join(ONTOLOGY_INFORES)
_RELEASE = re.compile(r"^(.*?\d{4}-\d{2}-\d{2})")
_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*(.*)$')
_ESCAPE = re.compile(r"\\(.)")
# Tags whose values are ids, where " ! text" is a comment and "{...}" trailing qualifiers.
_ID_TAGS = frozenset({"id", "is_a", "xref", "alt_id", "replaced_by", "consider"})


@dataclass
class Stanza:
    kind: str  # Term, Typedef, Instance
    line: int
    tags: list[tuple[int, str, str]] = field(default_factory=list)  # (line, tag, value)

    def values(self, tag: str) -> list[tuple[int, str]]:
        return [(line, value) for line, name, value in self.tags if name == tag]

    def first(self, tag: str) -> str:
        return next((value for _, value in self.values(tag)), "")


@dataclass(frozen=True)
class _Context:
    path: Path
    source: str
    dating: Dating


def iter_records(
    path: Path, reject: Reject, *, source_version: str | None = None
) -> Iterator[Record]:
    """Condition nodes and SUBCLASS_OF edges, term by term."""
    header: dict[str, str] = {}
    context: _Context | None = None
    for stanza in iter_stanzas(path, reject, header):
        if context is None:
            context = _context(path, header, stanza.line, source_version)
        if stanza.kind == "Term":
            yield from _term_records(stanza, context, reject)


def iter_stanzas(path: Path, reject: Reject, header: dict[str, str]) -> Iterator[Stanza]:
    """The file's stanzas; header tags (before the first stanza) are put in ``header``."""
    current: Stanza | None = None
    for number, raw in enumerate(decoded_lines(path), start=1):
        line = raw.strip()
        if not line or line.startswith("!"):
            continue
        if line.startswith("[") and line.endswith("]"):
            if current is not None:
                yield current
            current = Stanza(line[1:-1], number)
            continue
        tag, sep, value = line.partition(":")
        if not sep or not _TAG.match(tag):
            if current is None and not header:
                raise SourceError(
                    Location(path, number),
                    "(file)",
                    f"not an OBO file: it starts with {line[:80]!r}, where OBO "
                    "starts with header lines such as 'format-version: 1.2'",
                )
            reject(
                Rejection(
                    Location(path, number), "(line)", f"not a 'tag: value' line: {line[:80]!r}"
                )
            )
        elif current is None:
            header.setdefault(tag, value.strip())
        else:
            current.tags.append((number, tag, _clean(tag, value.strip())))
    if current is not None:
        yield current


def _clean(tag: str, value: str) -> str:
    if tag in _ID_TAGS:
        return value.split(" !", 1)[0].split(" {", 1)[0].strip()
    return value


def _context(path: Path, header: dict[str, str], line: int, source_version: str | None) -> _Context:
    ontology = header.get("ontology", "")
    if not ontology:
        raise SourceError(
            Location(path, line), "ontology", "no 'ontology:' header line before the first stanza"
        )
    key = re.split(r"[^a-z0-9]", ontology.lower(), maxsplit=1)[0]
    if key not in ONTOLOGY_INFORES:
        raise SourceError(
            Location(path, line),
            "ontology",
            f"ontology {ontology!r} is not one whose terms are conditions; the "
            f"obo source reads disease and phenotype ontologies: {SUPPORTED}",
        )
    dating = Dating.of(path, release_of(header.get("data-version", "")) or source_version)
    return _Context(path, ONTOLOGY_INFORES[key], dating)


def release_of(data_version: str) -> str:
    """The release a ``data-version`` names: up to its date when it has one, else all of it."""
    match = _RELEASE.match(data_version)
    return match.group(1) if match else data_version


def _term_records(stanza: Stanza, context: _Context, reject: Reject) -> Iterator[Record]:
    term = stanza.first("id")
    if term.split(":", 1)[0] not in CONDITION_PREFIXES:
        return  # a term of another ontology
    if stanza.first("is_obsolete").lower() == "true":
        return
    location = Location(context.path, stanza.line, term)
    node = _node(stanza, term, location, context, reject)
    if node is None:
        return
    yield node
    for line, parent in stanza.values("is_a"):
        if parent.split(":", 1)[0] in CONDITION_PREFIXES:
            edge = build(
                Edge,
                Location(context.path, line, term),
                reject,
                subject=term,
                predicate=Predicate.SUBCLASS_OF,
                object=parent,
                provenance=provenance(context.source, (term,), context.dating),
            )
            if edge is not None:
                yield edge


def _node(
    stanza: Stanza, term: str, location: Location, context: _Context, reject: Reject
) -> Node | None:
    name = stanza.first("name")
    if not name:
        reject(Rejection(location, "name", "a term without a name"))
        return None
    fields: dict[str, Any] = {
        "id": term,
        "category": Category.CONDITION,
        "name": name,
        "synonyms": _synonyms(stanza, name),
        "xrefs": tuple(
            dict.fromkeys((*_xrefs(stanza, term, context.path, reject), *_alt_ids(stanza, term)))
        ),
        "description": quoted(stanza.first("def"))[0] or None,
        "source": context.source,
        "source_version": context.dating.source_version,
    }
    return build(Node, location, reject, **fields)


def quoted(value: str) -> tuple[str, str]:
    """``"text" rest`` -> (text unescaped, rest); ("", value) when not quoted."""
    match = _QUOTED.match(value)
    if match is None:
        return "", value
    return _ESCAPE.sub(r"\1", match.group(1)), match.group(2)


def _exact_synonyms(stanza: Stanza) -> Iterator[str]:
    """EXACT synonyms only: RELATED, BROAD and NARROW ones name other things."""
    for _, value in stanza.values("synonym"):
        text, rest = quoted(value)
        if text and rest.split(" ", 1)[0] == "EXACT":
            yield text


def _synonyms(stanza: Stanza, name: str) -> tuple[str, ...]:
    """EXACT synonyms once each, ignoring case, and never the term's own name."""
    seen = {name.casefold()}
    found = []
    for synonym in _exact_synonyms(stanza):
        if synonym.casefold() not in seen:
            seen.add(synonym.casefold())
            found.append(synonym)
    return tuple(found)


def _alt_ids(stanza: Stanza, term: str) -> Iterator[str]:
    """Ids merged into this term, kept as xrefs when they are CURIEs of a known prefix."""
    for _, alt_id in stanza.values("alt_id"):
        try:
            curie = validate_curie(alt_id)
        except CurieError:
            continue  # an id space we have no prefix for names nothing we can link to
        if curie != term:
            yield curie


def _xrefs(stanza: Stanza, term: str, path: Path, reject: Reject) -> Iterator[str]:
    for line, xref in stanza.values("xref"):
        if xref.split(":", 1)[0] not in CONDITION_PREFIXES or xref == term:
            continue
        try:
            yield validate_curie(xref)
        except CurieError as error:  # one bad xref costs the xref, not the term
            reject(Rejection(Location(path, line, term), "xref", str(error)))
