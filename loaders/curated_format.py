"""What the curated dataset's format accepts, and the evidence rules its loader checks.

The fields each kind of record may carry, the pharmacology table's columns, and the rules of
data/curated/FORMAT.md ("Evidence levels") as pure functions: a record that breaks one is
rejected by ``loaders.curated`` with the message these return. The record fields the format
takes as they are (and which of them it reads as text) are declared with the fields
(``ontology.fields``, ``curated`` and ``curated_text``); the rest are the format's own keys.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ontology.fields import EDGE_FIELDS, NODE_FIELDS, Curated, FieldSpec, curated_fields
from ontology.vocab import (
    Category,
    EvidenceKind,
    KnowledgeLevel,
    Measure,
    Predicate,
    StudyDesign,
)

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "data" / "curated"
DATASET_VERSION = "2026.11.24"
# What the curators read in another source (HP, DOID, GtoPdb, ...) carries no release of that
# source, never ours: the date they consulted it, the dataset's date.
CONSULTED = date.fromisoformat(DATASET_VERSION.replace(".", "-"))

ACTION_PREDICATES = {
    "binds": Predicate.BINDS,
    "agonist": Predicate.AGONIST_OF,
    "partial_agonist": Predicate.PARTIAL_AGONIST_OF,
    "antagonist": Predicate.ANTAGONIST_OF,
    "inverse_agonist": Predicate.INVERSE_AGONIST_OF,
    "inhibitor": Predicate.INHIBITS,
    "inducer": Predicate.INDUCES,
}
PHARMACOLOGY_COLUMNS = (
    "compound",
    "target",
    "action",
    "measure",
    "relation",
    "value",
    "low",
    "high",
    "interval",
    "unit",
    "relative_to",
    "assay",
    "species",
    "cell_system",
    "source_location",
    "negated",
    "pmid",
    "doi",
    "note",
)
# Optional columns of pharmacology.tsv passed to the edge as they are (empty cell: not given).
PHARMACOLOGY_FIELDS = curated_fields(EDGE_FIELDS, Curated.PHARMACOLOGY)
BOOLEANS = {"": False, "false": False, "true": True}
ONTOLOGY_INFORES = {
    "MONDO": "infores:mondo",
    "DOID": "infores:doid",
    "HP": "infores:hp",
    "MESH": "infores:mesh",
}
# An interaction predicted by a model or proposed by a review is a prediction, not an observation.
EVIDENCE_LEVEL = {
    EvidenceKind.CLINICAL: KnowledgeLevel.KNOWLEDGE_ASSERTION,
    EvidenceKind.IN_VITRO: KnowledgeLevel.KNOWLEDGE_ASSERTION,
    EvidenceKind.ANIMAL: KnowledgeLevel.KNOWLEDGE_ASSERTION,
    EvidenceKind.PREDICTED: KnowledgeLevel.PREDICTION,
}


def _text_fields(fields: tuple[FieldSpec, ...], where: Curated) -> frozenset[str]:
    return frozenset(spec.name for spec in fields if where in spec.curated and spec.curated_text)


# Node fields an entity or study record gives as they are (a study's pmid, doi, nct as text).
ENTITY_NODE_FIELDS = curated_fields(NODE_FIELDS, Curated.ENTITY)
STUDY_NODE_FIELDS = curated_fields(NODE_FIELDS, Curated.STUDY)
STUDY_TEXT_FIELDS = _text_fields(NODE_FIELDS, Curated.STUDY)

# The fields each kind of record may have (beyond __line__); anything else is rejected.
ENTITY_FIELDS = {
    "key",
    "id",
    "name",
    "synonyms",
    "xrefs",
    "description",
    "found_in",
    "contains_citation",
    "kind",
    "family",
    "parents",
    "parents_source",
    "outcome_of",
    *ENTITY_NODE_FIELDS,
}
STUDY_FIELDS = {
    "key",
    "strain_or_population",
    "interventions",
    "outcomes",
    "mechanisms",
    *STUDY_NODE_FIELDS,
}
FINDING_FIELDS = {
    "compound",
    "drug",
    "enzyme",
    "substrate",
    "product",
    "effect",
    "mechanism",
    "evidence_kind",
    "finding",
    "design",
    "pmid",
    "doi",
    "nct",
    "study",
    "note",
    "species",
    "negated",
    "measurements",
}
# A measured finding of an interaction record (a clinical PK ratio with its 90% CI); a unit
# written 1 (dimensionless) is read as text.
MEASUREMENT_FIELDS = frozenset(curated_fields(EDGE_FIELDS, Curated.MEASUREMENT))
MEASUREMENT_TEXT_FIELDS = _text_fields(EDGE_FIELDS, Curated.MEASUREMENT)
ENZYMES_OR_FAMILIES = frozenset({Category.ENZYME, Category.TARGET_FAMILY})

# -- evidence-level rules (data/curated/FORMAT.md, "Evidence levels") ------------------------
# The species a row or study names, as the taxon its target protein must have.
SPECIES_TAXA = {
    "human": "NCBITaxon:9606",
    "homo sapiens": "NCBITaxon:9606",
    "mouse": "NCBITaxon:10090",
    "mus musculus": "NCBITaxon:10090",
    "rat": "NCBITaxon:10116",
    "rattus norvegicus": "NCBITaxon:10116",
    "guinea pig": "NCBITaxon:10141",
    "cavia porcellus": "NCBITaxon:10141",
}
# Words by which a record says its mechanism is an author's proposal, not an observation.
PROPOSAL_WORDS = (
    "proposed by",
    "hypothes",
    "speculat",
    "discussed by the author",
    "not demonstrated",
    "not measured",
)
# Words by which an assay says it measured time-dependent inactivation (KI_inact, kinact).
INACTIVATION_WORDS = ("time-dependent", "inactivation", "mechanism-based")
# What a paper calls itself, and the designs that fit it ("case reports" of two patients may
# be filed as either).
DESIGN_WORDS = (
    ("scoping review", frozenset({StudyDesign.SCOPING_REVIEW})),
    ("meta-analysis", frozenset({StudyDesign.META_ANALYSIS})),
    ("systematic review", frozenset({StudyDesign.SYSTEMATIC_REVIEW, StudyDesign.META_ANALYSIS})),
    ("case reports", frozenset({StudyDesign.CASE_REPORT, StudyDesign.CASE_SERIES})),
    ("case report", frozenset({StudyDesign.CASE_REPORT})),
    ("case series", frozenset({StudyDesign.CASE_SERIES})),
)


def proposal_problem(item: dict[str, Any], kind: EvidenceKind | None) -> str | None:
    """An author's proposal or discussion is a prediction, whatever study it appears in."""
    text = " ".join(str(item.get(name) or "") for name in ("mechanism", "finding")).lower()
    words = [w for w in PROPOSAL_WORDS if w in text]
    if words and kind is not EvidenceKind.PREDICTED:
        return (
            f"the record says the finding is an author's proposal ({words[0]!r}), so its "
            f"evidence_kind must be predicted, not {kind.value if kind else None}"
        )
    return None


def inactivation_problem(measure: str, assay: str) -> str | None:
    """A time-dependent inactivation constant is a KI_inact (with kinact), never a Ki."""
    words = [w for w in INACTIVATION_WORDS if w in assay.lower()]
    if measure in (Measure.KI.value, Measure.IC50.value) and words:
        return (
            f"the assay measured time-dependent inactivation ({words[0]!r}): file its "
            f"constants as {Measure.KI_INACT.value} and {Measure.KINACT.value}, not "
            f"{measure}"
        )
    return None


def design_problem(item: dict[str, Any]) -> str | None:
    """A study's design matches what the paper calls itself: in its title, or where its
    population begins with a design ("scoping review of ..."); a review's population that
    lists the kinds of paper it reviews ("... case reports ...") says nothing of its own."""
    title = str(item.get("title") or "").lower()
    population = str(item.get("strain_or_population") or "").lower()
    design = item.get("design")
    for words, designs in DESIGN_WORDS:
        if words in title or population.startswith(words):
            if design in {d.value for d in designs}:
                return None
            names = ", ".join(sorted(d.value for d in designs))
            return f"the paper calls itself a {words}: design must be {names}, not {design}"
    return None
