"""CURIEs, the one home: which prefixes we accept, how their local ids look, their IRIs.

Parsing (``split_curie``), validation (``validate_curie``, ``is_curie``), CURIE to IRI
(``expand``, and ``iri`` for records already validated) and IRI to CURIE (``compress``) live
here alone; GraphQL, the RDF writers, the loaders and the HTTP routes all call these.

The IRIs come from Biolink's prefix map (shipped in the pinned biolink-model package), the
local-id patterns from Bioregistry; both are maintained upstream, so nothing here is a
hand-typed URL except our own namespace. Characters an IRI cannot hold (``<``, ``>``, space,
``"``, ``{}|^`\\``) are percent-encoded, so ``DOI:10.1002/(SICI)...<165::AID-AJIM3>...``
has one IRI everywhere.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import unquote

import bioregistry
import curies

from ontology.vocab import PKG_ENTITY

PHARMAKG_PREFIX = "PHARMAKG"

# Our prefixes, spelled as Biolink spells them, with their Bioregistry names.
_BIOREGISTRY_NAMES = {
    "PUBCHEM.COMPOUND": "pubchem.compound",
    "CHEBI": "chebi",
    "CHEMBL.COMPOUND": "chembl.compound",
    "CHEMBL.TARGET": "chembl.target",
    # Any ChEMBL id (Bioregistry's "chembl", resolved by ChEMBL's id lookup): used for ChEMBL
    # documents, which neither Biolink nor Bioregistry give a prefix of their own.
    "CHEMBL": "chembl",
    "INCHIKEY": "inchikey",
    "DRUGBANK": "drugbank",
    "CAS": "cas",
    "UniProtKB": "uniprot",
    "HGNC": "hgnc",
    "IUPHAR.RECEPTOR": "iuphar.receptor",
    "IUPHAR.FAMILY": "iuphar.family",
    "GTOPDB": "iuphar.ligand",
    "MONDO": "mondo",
    "DOID": "doid",
    "MESH": "mesh",
    "HP": "hp",
    "NCBITaxon": "ncbitaxon",
    "GBIF": "gbif",
    "PMID": "pubmed",
    "DOI": "doi",
    "NCT": "clinicaltrials",
    "infores": "infores",
}

# Bioregistry's own URI where Biolink's map has no entry for the prefix.
_IRI_FALLBACK_PROVIDER = "bioregistry"

# Our own identifiers: lower-case words, digits and dashes, in a path such as outcome/epm-open-arm.
_PHARMAKG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$")


class CurieError(ValueError):
    """A string is not a CURIE we know: unknown prefix or a local id of the wrong shape."""


@dataclass(frozen=True)
class PrefixInfo:
    prefix: str
    iri_base: str
    pattern: re.Pattern[str]


@cache
def biolink_prefix_map() -> dict[str, str]:
    """Biolink's prefix map (the prefixes of its JSON-LD context), from the pinned package."""
    path = resources.files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json"
    prefix_map: dict[str, str] = json.loads(path.read_text())
    return prefix_map


@cache
def prefixes() -> dict[str, PrefixInfo]:
    """Our prefix table, built once from the pinned upstream maps."""
    biolink_map = biolink_prefix_map()
    table: dict[str, PrefixInfo] = {}
    for prefix, name in _BIOREGISTRY_NAMES.items():
        iri = biolink_map.get(prefix) or _bioregistry_iri(name, prefix)
        pattern = bioregistry.get_pattern(name)
        if pattern is None:  # pragma: no cover - a Bioregistry release dropping a pattern
            raise RuntimeError(f"Bioregistry has no local-id pattern for {name}")
        # ASCII: Python's \d would otherwise accept digits of every script as an id.
        table[prefix] = PrefixInfo(prefix, iri, re.compile(pattern, re.ASCII))
    table[PHARMAKG_PREFIX] = PrefixInfo(PHARMAKG_PREFIX, PKG_ENTITY, _PHARMAKG_PATTERN)
    return table


def _bioregistry_iri(name: str, prefix: str) -> str:
    iri = bioregistry.get_uri_prefix(name)
    if iri is None:  # pragma: no cover
        raise RuntimeError(f"neither Biolink nor Bioregistry gives an IRI for {prefix}")
    return iri


@cache
def converter() -> curies.Converter:
    """A ``curies`` converter over our prefixes (expand and compress, IRIs both ways)."""
    return curies.Converter.from_prefix_map(
        {info.prefix: info.iri_base for info in prefixes().values()}
    )


def split_curie(curie: str) -> tuple[str, str]:
    prefix, sep, local = curie.partition(":")
    if not sep or not prefix or not local:
        raise CurieError(f"{curie!r} is not a CURIE (expected PREFIX:local_id)")
    return prefix, local


def validate_curie(curie: str, allowed: tuple[str, ...] | None = None) -> str:
    """Return ``curie`` when it is well formed for its prefix (and the prefix is allowed)."""
    prefix, _, local = curie.partition(":")
    info = prefixes().get(prefix)
    if (
        info is not None
        and local
        and (allowed is None or prefix in allowed)
        and (info.pattern.match(local))
    ):
        return curie  # the common case, checked once (every record read validates its CURIEs)
    raise _curie_problem(curie, allowed)


def _curie_problem(curie: str, allowed: tuple[str, ...] | None) -> CurieError:
    """The error that says what is wrong with ``curie``, which failed the check."""
    prefix, local = split_curie(curie)  # raises for a string that is no CURIE at all
    table = prefixes()
    info = table.get(prefix)
    if info is None:
        known = ", ".join(sorted(table))
        return CurieError(f"unknown CURIE prefix {prefix!r} in {curie!r}; known prefixes: {known}")
    if allowed is not None and prefix not in allowed:
        return CurieError(
            f"prefix {prefix!r} is not allowed here; expected one of: {', '.join(allowed)}"
        )
    return CurieError(
        f"{curie!r}: local id {local!r} does not match the {prefix} pattern {info.pattern.pattern}"
    )


def is_curie(value: str) -> bool:
    """Whether ``value`` is a valid CURIE of a prefix we know."""
    try:
        validate_curie(value)
    except CurieError:
        return False
    return True


_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in match.group().encode())


_BASES: dict[str, str] = {}


def iri(curie: str) -> str:
    """The IRI of a CURIE whose local id was validated (records were, when built).

    Unknown prefixes fail; the local id is not checked again (every export calls this once per
    term). Characters IRIs cannot hold are percent-encoded.
    """
    prefix, sep, local = curie.partition(":")
    base = _BASES.get(prefix) if sep and local else None
    if base is None:
        if not _BASES:
            _BASES.update({p: info.iri_base for p, info in prefixes().items()})
            return iri(curie)
        raise _curie_problem(curie, None)
    return safe_iri(base + local)


def safe_iri(value: str) -> str:
    """``value`` with the characters an IRI cannot hold percent-encoded (RFC 3987)."""
    return _IRI_UNSAFE.sub(_percent, value) if _IRI_UNSAFE.search(value) else value


def expand(curie: str) -> str:
    """The IRI of a CURIE, validated first (input from users and files)."""
    return iri(validate_curie(curie))


def compress(value: str) -> str | None:
    """The CURIE of an IRI in one of our namespaces (the inverse of ``iri``), or None."""
    curie = converter().compress(value)
    if curie is None or "%" not in curie:
        return curie
    decoded = unquote(curie)
    return decoded if iri(decoded) == value else curie


def link(curie: str) -> str:
    """A page a person can open for the CURIE (the IRI, which resolves for every prefix)."""
    return expand(curie)
