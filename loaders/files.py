"""Opening a source file as users download it: plain, or compressed with gzip, bzip2, xz or zip.

The compression is told by the file's first bytes (its magic number), never by its name, so a
renamed download still reads and a ``.gz`` that is not gzip is not guessed wrong. The stream is
decompressed as it is read: a compressed file is never unpacked whole, in memory or on disk.
A zip archive must hold exactly one file (the form ChEMBL, GtoPdb and CT.gov offer downloads in).

Every loader reads its files through ``open_source``, so all of them accept every form.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from loaders.errors import Location, SourceError

FILE_FIELD = "(file)"
MAGIC_BYTES = 6

# Magic numbers of the compressed forms we read, and the name each is reported under.
_MAGIC = ((b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"), (b"PK\x03\x04", "zip"))
# Suffixes a compressed download carries after its format's own suffix.
COMPRESSED_SUFFIXES = frozenset({".gz", ".bz2", ".xz", ".zip"})


def compression_of(path: Path) -> str | None:
    """``gzip``, ``bzip2``, ``xz`` or ``zip`` from the file's first bytes; None when plain."""
    with path.open("rb") as handle:
        head = handle.read(MAGIC_BYTES)
    return next((name for magic, name in _MAGIC if head.startswith(magic)), None)


def format_suffix(path: Path) -> str:
    """The suffix that names the format, under any compression suffix (``a.obo.gz`` -> ``.obo``)."""
    suffixes = [s.lower() for s in path.suffixes]
    while suffixes and suffixes[-1] in COMPRESSED_SUFFIXES:
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


@contextmanager
def open_source(path: Path) -> Iterator[IO[bytes]]:
    """The file's bytes, decompressed as read; a broken archive is a located ``SourceError``."""
    kind = compression_of(path)
    try:
        if kind is None:
            with path.open("rb") as handle:
                yield handle
        elif kind == "zip":
            with (
                zipfile.ZipFile(path) as archive,
                archive.open(_only_member(path, archive)) as member,
            ):
                yield member
        else:
            with _decompressing(kind, path) as stream:
                yield stream
    except (OSError, EOFError, lzma.LZMAError, zipfile.BadZipFile) as error:
        if kind is None or isinstance(error, FileNotFoundError):
            raise
        raise SourceError(Location(path), FILE_FIELD, f"broken {kind} file: {error}") from error


def _decompressing(kind: str, path: Path) -> IO[bytes]:
    if kind == "gzip":
        return gzip.open(path, "rb")  # type: ignore[return-value] # a GzipFile is IO[bytes]
    if kind == "bzip2":
        return bz2.open(path, "rb")
    return lzma.open(path, "rb")


def _only_member(path: Path, archive: zipfile.ZipFile) -> str:
    names = [info.filename for info in archive.infolist() if not info.is_dir()]
    if len(names) != 1:
        shown = ", ".join(names[:10]) or "none"
        raise SourceError(
            Location(path),
            FILE_FIELD,
            f"a zip archive must hold exactly one file to load, found "
            f"{len(names)}: {shown}; unpack it and load the file you want",
        )
    return names[0]


def read_head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of the file's (decompressed) content."""
    with open_source(path) as handle:
        return handle.read(size)


def looks_like_json(path: Path) -> bool:
    """Whether the (decompressed) file starts with a JSON object: JSON pages or a table."""
    return read_head(path, 1024).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
