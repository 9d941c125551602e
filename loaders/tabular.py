"""Line-oriented sources (TSV, CSV, OBO): strict decoding, headers, rows with their line numbers.

Everything here streams: a file is read one line at a time, so its size does not matter. A byte
that is not UTF-8 stops the load with its line and byte offset, because every later line is
suspect; a short or long row is one bad record and is only rejected.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path

from loaders.base import Reject
from loaders.errors import Location, Rejection, SourceError
from loaders.files import open_source
from ontology.identifiers import CurieError, validate_curie

FILE_FIELD = "(file)"
HEADER_FIELD = "(header)"
ROW_FIELD = "(row)"

Row = dict[str, str]


def decoded_lines(path: Path) -> Iterator[str]:
    """The file's lines as text (line endings kept), decompressed if need be; bad UTF-8 names its
    line and byte offset (in the decompressed text)."""
    offset = 0
    with open_source(path) as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                # A byte-order mark is legal only at the very start of a file.
                yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                raise SourceError(
                    Location(path, number),
                    FILE_FIELD,
                    f"not UTF-8: byte 0x{raw[error.start]:02x} at offset {offset + error.start}",
                ) from error
            offset += len(raw)


def sniff_delimiter(header_line: str, candidates: str = "\t;,") -> str:
    """The candidate that occurs most in the header line (ties go to the earlier candidate)."""
    return max(candidates, key=header_line.count)


def require_columns(location: Location, found: Collection[str], required: Collection[str]) -> None:
    """Raise a SourceError naming the missing columns and the ones the file has."""
    missing = [name for name in required if name not in found]
    if missing:
        raise SourceError(
            location,
            HEADER_FIELD,
            f"missing column(s) {', '.join(map(repr, missing))}; "
            f"found: {', '.join(map(repr, found))}",
        )


def iter_table(
    path: Path,
    lines: Iterator[str],
    reject: Reject,
    *,
    delimiter: str,
    required: Collection[str],
    first_line: int = 1,
) -> Iterator[tuple[Location, Row]]:
    """Rows of a delimited table as ``{column: stripped value}`` with the line each starts on.

    ``lines`` starts at the header, which is line ``first_line`` of the file. A header without
    the ``required`` columns, or a quoted field left open at the end of the file, is a
    ``SourceError``; a row with the wrong number of fields is rejected.
    """
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    base = first_line - 1
    header = [name.strip() for name in _next_row(path, reader, base)]
    if not header or header == [""]:
        raise SourceError(Location(path, first_line), HEADER_FIELD, "no header line")
    require_columns(Location(path, first_line), header, required)
    while True:
        start = base + reader.line_num + 1
        try:
            values = next(reader, None)
        except csv.Error as error:
            raise SourceError(
                Location(path, start), FILE_FIELD, f"malformed row: {error}"
            ) from error
        if values is None:
            return
        if values in ([], [""]):
            continue  # blank line
        row = _as_row(Location(path, start), header, values, reject)
        if row is not None:
            yield Location(path, start), row


def _next_row(path: Path, reader: Iterator[list[str]], base: int) -> list[str]:
    try:
        return next(reader, [])
    except csv.Error as error:
        raise SourceError(
            Location(path, base + 1), HEADER_FIELD, f"malformed header: {error}"
        ) from error


def _as_row(location: Location, header: list[str], values: list[str], reject: Reject) -> Row | None:
    if len(values) != len(header):
        reject(
            Rejection(
                location, ROW_FIELD, f"has {len(values)} field(s) but the header has {len(header)}"
            )
        )
        return None
    return {name: value.strip() for name, value in zip(header, values, strict=True)}


def with_first(first: str, rest: Iterator[str]) -> Iterator[str]:
    """Put a line that was read ahead back in front of the others."""
    return itertools.chain((first,), rest)


def read_id_map(path: Path) -> dict[str, str]:
    """A two-column tab-separated mapping ``id -> CURIE`` (e.g. CHEMBL233, UniProtKB:P35372).

    Lines starting with ``#`` and blank lines are skipped, and so is a first line whose second
    column is not a CURIE (a header). Any other malformed line is a ``SourceError``: a mapping
    is configuration, so a typo in it must not silently drop every record it should map.
    """
    mapping: dict[str, str] = {}
    for number, line in enumerate(decoded_lines(path), start=1):
        text = line.rstrip("\r\n")
        if not text.strip() or text.startswith("#"):
            continue
        key, curie = _map_line(Location(path, number), text)
        if number == 1 and ":" not in curie:
            continue  # a header line
        mapping[key] = _checked_curie(Location(path, number), curie)
    return mapping


def _map_line(location: Location, text: str) -> tuple[str, str]:
    fields = [part.strip() for part in text.split("\t")]
    if len(fields) != 2 or not all(fields):
        raise SourceError(
            location, ROW_FIELD, f"expected 2 tab-separated fields (id, CURIE), got {text!r}"
        )
    return fields[0], fields[1]


def _checked_curie(location: Location, curie: str) -> str:
    try:
        return validate_curie(curie)
    except CurieError as error:
        raise SourceError(location, "curie", str(error)) from error


def first_present(row: Mapping[str, str], names: Collection[str]) -> str:
    """The first non-empty value among ``names`` (alternative spellings of one column)."""
    return next((row[name] for name in names if row.get(name)), "")
