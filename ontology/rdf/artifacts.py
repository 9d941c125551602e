"""The generated files committed beside the vocabulary; ``python -m ontology.rdf`` rewrites them.

The tests fail when one is stale.
"""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent.parent  # ontology/
CONTEXT_FILE = ARTIFACTS / "context.jsonld"
OWL_FILE = ARTIFACTS / "pharmakg.owl.ttl"
SHAPES_FILE = ARTIFACTS / "shapes.ttl"
