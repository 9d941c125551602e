"""Which loader reads which public source: by name, or guessed from a file's suffix and content."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from loaders import chembl, clinicaltrials, gtopdb, obo, pubchem, pubmed, uniprot
from loaders.base import ReleaseReader, SourceReader
from loaders.errors import LoaderError
from loaders.files import format_suffix, read_head

SOURCES: dict[str, SourceReader] = {
    "pubchem": pubchem.iter_records,
    "chembl": chembl.iter_records,  # the web-service JSON or the TSV download, by content
    "chembl-tsv": chembl.iter_tsv,
    "uniprot": uniprot.iter_records,  # TSV or JSON, by content
    "gtopdb": gtopdb.iter_records,
    "pubmed": pubmed.iter_records,
    "clinicaltrials": clinicaltrials.iter_records,
    "obo": obo.iter_records,
}
# Sources whose files are read together (see ``loaders.base.ReleaseReader``).
RELEASES = {"gtopdb": gtopdb.iter_release}
_SNIFF_BYTES = 64 * 1024

# Text that only one source's files contain near their start, checked in this order.
_JSON_MARKERS = (
    ("pubchem", ('"PC_Compounds"', '"PropertyTable"')),
    ("chembl", ('"activities"',)),
    ("clinicaltrials", ('"protocolSection"',)),
    ("uniprot", ('"primaryAccession"',)),
)
_TABLE_MARKERS = (
    ("gtopdb", ("GtoPdb Version",)),
    ("chembl", ("Molecule ChEMBL ID", "molecule_chembl_id")),
    ("uniprot", ("Protein names",)),
)


class UnknownSourceError(LoaderError, ValueError):
    """A source name we have no loader for, or a file whose source cannot be told."""


def _valid() -> str:
    return ", ".join(SOURCES)


def reader(name: str, **options: Any) -> SourceReader:
    """The loader for ``name`` with its keyword options bound (``target_map``, ``category``...)."""
    try:
        loader = SOURCES[name]
    except KeyError:
        raise UnknownSourceError(f"unknown source {name!r}; expected one of: {_valid()}") from None
    if name in RELEASES:
        return ReleaseReader(partial(RELEASES[name], **options))
    return partial(loader, **options) if options else loader


def detect_source(path: Path) -> str:
    """Guess a file's source from its suffix and first 64 KiB (decompressed); fail naming the
    valid sources."""
    head = read_head(path, _SNIFF_BYTES).decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    found: str | None = None
    if format_suffix(path) == ".obo" or head.startswith("format-version:"):
        found = "obo"
    elif head.startswith("<"):
        found = "pubmed"  # our only XML source; its loader says what another XML file is
    elif head.startswith("{"):
        found = _marked(head, _JSON_MARKERS)
    else:  # a table: its header is the first line, or the second below GtoPdb's release line
        found = _marked("\n".join(head.splitlines()[:2]), _TABLE_MARKERS)
    if found is None:
        raise UnknownSourceError(
            f"cannot tell which source {path} is from; name it: "
            f"pharmakg load SOURCE {path}, SOURCE one of: {_valid()}"
        )
    return found


def _marked(head: str, markers: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    for name, texts in markers:
        if any(text in head for text in texts):
            return name
    return None


def source_of_files(paths: list[Path]) -> str:
    """The one source all ``paths`` are from (``detect_source``); files of two sources fail."""
    found = {path: detect_source(path) for path in paths}
    names = sorted(set(found.values()))
    if len(names) > 1:
        shown = "; ".join(f"{path}: {name}" for path, name in found.items())
        raise UnknownSourceError(
            f"these files are from different sources ({shown}); load one source at a time"
        )
    return names[0]
