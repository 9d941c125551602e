"""Write the GraphQL schema (SDL) to ``schema.graphql`` at the repository root.

    python -m api.graphql.export_schema [PATH]

A test compares the checked-in file with ``schema_sdl()``: change the schema, re-run this.
"""

from __future__ import annotations

import sys
from pathlib import Path

from api.graphql.schema import build_schema
from api.settings import PROJECT_ROOT

SCHEMA_FILE = PROJECT_ROOT / "schema.graphql"


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"


def export(path: Path = SCHEMA_FILE) -> Path:
    path.write_text(schema_sdl(), encoding="utf-8")
    return path


if __name__ == "__main__":
    target = export(Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_FILE)
    sys.stdout.write(f"wrote {target}\n")
