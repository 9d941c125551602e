"""Single-document JSON sources (PubChem, ChEMBL, UniProt, ClinicalTrials.gov API pages).

These APIs answer one JSON document per request and page their results (ChEMBL 1,000
activities, ClinicalTrials.gov 1,000 studies, UniProt 500 entries a page), so one file is a
page of a few MB. It is read whole with ``json.loads`` after a size check: the stdlib parser
needs several times the file's size in memory, and a file over ``MAX_JSON_BYTES`` is refused
with a clear error instead of exhausting memory. Constant memory for larger files would need a
streaming parser (ijson), which no source here requires.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from loaders.errors import Location, SourceError
from loaders.files import open_source

MAX_JSON_BYTES = 256 * 1024 * 1024
FILE_FIELD = "(file)"

JsonObject = dict[str, Any]


def load_json(path: Path, *, max_bytes: int = MAX_JSON_BYTES) -> Any:
    """Parse a JSON file (compressed or not); truncation, bad syntax or bad UTF-8 raise a
    located SourceError."""
    with open_source(path) as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SourceError(
            Location(path),
            FILE_FIELD,
            f"over the {max_bytes}-byte limit for one JSON document; fetch "
            "smaller pages from the API",
        )
    try:
        text = data.decode("utf-8")  # RFC 8259: JSON exchanged between systems is UTF-8
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            Location(path, line),
            FILE_FIELD,
            f"not UTF-8: byte 0x{data[error.start]:02x} at offset {error.start}",
        ) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(
            Location(path, error.lineno),
            FILE_FIELD,
            f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}",
        ) from error


def object_list(path: Path, document: JsonObject, key: str) -> list[JsonObject]:
    """``document[key]`` as a list of objects; anything else is a structural error."""
    items = document.get(key)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise SourceError(Location(path, record=key), key, "expected a list of JSON objects")
    return items


def dig(value: Any, *keys: str) -> Any:
    """``value[k1][k2]...`` or None where a level is missing or not an object."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def text(value: Any, *keys: str) -> str:
    """The string, number or boolean at ``keys`` as text, stripped; empty when absent."""
    found = dig(value, *keys)
    if isinstance(found, bool):
        return "true" if found else "false"
    if isinstance(found, str | int | float):
        return str(found).strip()
    return ""


def objects(value: Any, *keys: str) -> list[JsonObject]:
    """The objects of the list at ``keys`` (non-objects dropped); empty when absent."""
    found = dig(value, *keys)
    if not isinstance(found, list):
        return []
    return [item for item in found if isinstance(item, dict)]


def top_object(path: Path, document: Any) -> JsonObject:
    if not isinstance(document, dict):
        found = type(document).__name__
        raise SourceError(
            Location(path), FILE_FIELD, f"expected a JSON object at the top level, found {found}"
        )
    return document
