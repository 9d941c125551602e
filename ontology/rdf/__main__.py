"""``python -m ontology.rdf``: regenerate the context, the OWL ontology and the SHACL shapes."""

from collections.abc import Iterator
from importlib.metadata import version as package_version
from pathlib import Path

from ontology.rdf import (
    CONTEXT_FILE,
    OWL_FILE,
    SHAPES_FILE,
    render_context,
    render_owl,
    render_shapes,
)


def iter_artifacts(version: str) -> Iterator[tuple[Path, str]]:
    yield CONTEXT_FILE, render_context()
    yield OWL_FILE, render_owl(version)
    yield SHAPES_FILE, render_shapes()


if __name__ == "__main__":
    for path, text in iter_artifacts(package_version("pharmakg")):
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
