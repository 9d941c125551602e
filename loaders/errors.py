"""How loaders report bad input: where (file, line or record), which field, and what is wrong.

Row errors (one bad record) are collected as ``Rejection`` and the load goes on unless it runs
strict; structural errors (a truncated file, wrong columns, a bad encoding) raise
``SourceError`` at once, because nothing after them can be trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError


class LoaderError(Exception):
    """Root of the errors raised by ``loaders/``."""


@dataclass(frozen=True)
class Location:
    file: Path
    line: int | None = None  # 1-based line, for line-oriented formats
    record: str | None = None  # a record's key or index, for nested formats

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
        if self.record is not None:
            where += f" [{self.record}]"
        return where


@dataclass(frozen=True)
class Rejection:
    """One bad record: skipped (or fatal with --strict) and reported."""

    location: Location
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: field {self.field!r}: {self.reason}"

    def as_json(self) -> dict[str, str | int | None]:
        """One line of the rejects file (JSON Lines)."""
        return {
            "file": str(self.location.file),
            "line": self.location.line,
            "record": self.location.record,
            "field": self.field,
            "reason": self.reason,
        }


class SourceError(LoaderError):
    """The file itself cannot be read as its format (structural error)."""

    def __init__(self, location: Location, field: str, reason: str) -> None:
        super().__init__(f"{location}: field {field!r}: {reason}")
        self.rejection = Rejection(location, field, reason)


class RejectedRecordsError(LoaderError):
    """A strict load met a bad record, or a load ended with rejections."""

    def __init__(self, rejections: list[Rejection]) -> None:
        shown = "\n".join(f"  {r}" for r in rejections[:20])
        more = f"\n  ... and {len(rejections) - 20} more" if len(rejections) > 20 else ""
        super().__init__(f"{len(rejections)} record(s) rejected:\n{shown}{more}")
        self.rejections = rejections


def rejections_from_validation(location: Location, error: ValidationError) -> list[Rejection]:
    """One Rejection per pydantic error, naming the field path and the message."""
    found = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "(record)"
        value = item.get("input")
        shown = f" (got {value!r})" if not isinstance(value, dict) else ""
        found.append(Rejection(location, field, f"{item['msg']}{shown}"))
    return found
