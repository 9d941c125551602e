"""YAML that remembers where each mapping starts, so errors can name the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from loaders.errors import Location, SourceError
from loaders.files import open_source

LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def read_yaml(path: Path) -> Any:
    """Parse a YAML file; every mapping gets its 1-based start line under ``__line__``."""
    with open_source(path) as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line: int | None = data[: error.start].count(b"\n") + 1
        raise SourceError(
            Location(path, line),
            "(file)",
            f"not UTF-8: byte 0x{error.object[error.start]:02x} at offset {error.start}",
        ) from error
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark else None
        raise SourceError(
            Location(path, line), "(file)", f"invalid YAML: {error.problem}"
        ) from error
