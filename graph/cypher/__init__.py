"""Every Cypher statement of PharmaKG, as constants or pure builders, one module per concern.

- ``schema``: constraints and indexes derived from the vocabulary, and what lists them;
- ``writes``: the upserts, retractions and deletions (and the benchmarks' baseline writes);
- ``reads``: what the API, the CLI and the load's identity step read;
- ``export``: the streaming reads of the RDF export and the linked-data lookups.

Values only ever travel as parameters. Labels and relationship types are spliced in only from
the closed vocabulary (``ontology.vocab``), backticked, through the helpers below, so user input
never reaches the text of a query; the few builders that take an argument take a member of a
closed set (an enum, or a small integer checked against a fixed range). A builder returns the
same string for the same argument, so Neo4j caches one plan per label and relationship type.
No module outside ``graph/`` imports this package (an import-linter contract), and no Cypher is
written outside it (``tests/unit/test_cypher_home.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

from ontology.vocab import CATEGORIES, PREDICATES, Category, Predicate

ENTITY = "Entity"  # every node carries it: one uniqueness constraint over all categories
NAMES_INDEX = "entity_names"
XREFS_INDEX = "entity_xrefs"
VERSION_LABEL = "GraphVersion"  # the one bookkeeping node (graph.version), not an Entity


def label(category: Category) -> str:
    """The backticked Neo4j label of a category."""
    return f"`{CATEGORIES[category].label}`"


def rel_type(predicate: Predicate) -> str:
    """The backticked relationship type of a predicate."""
    return f"`{PREDICATES[predicate].rel_type}`"


def labels(categories: Iterable[Category]) -> str:
    """``A|B|C`` for a node pattern, in a stable order."""
    return "|".join(label(c) for c in sorted(categories, key=lambda c: c.value))


def rel_types(predicates: Iterable[Predicate]) -> str:
    """``A|B|C`` for a relationship pattern, in a stable order."""
    return "|".join(rel_type(p) for p in sorted(predicates, key=lambda p: p.value))


def any_label(variable: str, categories: Iterable[Category]) -> str:
    """A predicate true when ``variable`` has one of the categories' labels."""
    return f"{variable}:{labels(categories)}"


def category_label(variable: str) -> str:
    """The label that names the category of the node ``variable`` (its label other than
    ``Entity``): what ``ontology.vocab.category_of_label`` reads back."""
    return f"[l IN labels({variable}) WHERE l <> '{ENTITY}'][0]"
