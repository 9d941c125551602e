"""Biolink terms for our categories and predicates, read from the pinned biolink-model package.

Names are looked up in the model itself, so a term that Biolink renames or drops fails here
(and in the tests) instead of silently producing a dangling IRI.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from ontology.vocab import CATEGORIES, PREDICATES, AgentType, Category, KnowledgeLevel, Predicate

BIOLINK = "https://w3id.org/biolink/vocab/"


@cache
def model() -> dict[str, Any]:
    text = (resources.files("biolink_model") / "schema" / "biolink_model.yaml").read_text()
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def version() -> str:
    return str(model()["version"])


def class_curie(category: Category) -> str:
    """``biolink:SmallMolecule`` for the alkaloid category, and so on."""
    name = CATEGORIES[category].biolink
    if name not in model()["classes"]:
        raise KeyError(f"Biolink {version()} has no class {name!r} (for {category.value})")
    return "biolink:" + "".join(word[0].upper() + word[1:] for word in name.split())


def slot_curie(predicate: Predicate) -> str:
    """``biolink:has_part`` for contains, and so on."""
    name = PREDICATES[predicate].biolink
    if name not in model()["slots"]:
        raise KeyError(f"Biolink {version()} has no slot {name!r} (for {predicate.value})")
    return "biolink:" + name.replace(" ", "_")


def check_enums() -> None:
    """Our KnowledgeLevel and AgentType enums equal Biolink's."""
    enums = model()["enums"]
    for ours, theirs in ((KnowledgeLevel, "KnowledgeLevelEnum"), (AgentType, "AgentTypeEnum")):
        expected = set(enums[theirs]["permissible_values"])
        actual = {member.value for member in ours}
        if expected != actual:
            raise KeyError(
                f"{ours.__name__} differs from Biolink's {theirs}: {sorted(expected ^ actual)}"
            )


def to_iri(curie: str) -> str:
    return BIOLINK + curie.removeprefix("biolink:")
