"""The Java tools the tests run, fetched from Maven Central with Maven (`make setup` does it).

Each tool is a pom.xml under tests/<tool>/ naming pinned artifacts; their jars and
dependencies land in .cache/<tool>/lib, fetched again only when the pom changes. A tool that
cannot be fetched raises (no Maven, no network): the tests that need it fail, never skip.

    python -m tests.jars            # fetch every tool
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from api.settings import PROJECT_ROOT
from graph.server import copy_dependencies

TOOLS = {"owlapi": "the OWL API", "jena": "Apache Jena"}


def jars(tool: str) -> Path:
    """The folder of a tool's jars (a classpath is ``f"{folder}/*"``), fetched on first use."""
    pom = PROJECT_ROOT / "tests" / tool / "pom.xml"
    lib = PROJECT_ROOT / ".cache" / tool / "lib"
    stamp = lib / "pom.xml"  # the pom the jars were fetched for
    if stamp.is_file() and stamp.read_bytes() == pom.read_bytes():
        return lib
    lib.parent.mkdir(parents=True, exist_ok=True)
    copy_dependencies(pom, lib, TOOLS[tool])
    shutil.copyfile(pom, stamp)
    return lib


def main() -> None:
    for tool, what in TOOLS.items():
        print(f"{what}: {jars(tool)}", file=sys.stderr)


if __name__ == "__main__":
    main()
