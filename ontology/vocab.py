"""The closed vocabulary: categories, predicates and the enums their records use.

Every category and predicate names a Biolink term (checked against the pinned biolink-model
package by ``ontology.biolink``) and, where Biolink has nothing as precise, a term of our own
under ``PKG`` (described in ``ontology/pharmakg.owl.ttl``). Unknown names fail loudly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum

# Where the IRIs we mint live: a deployment under its own domain sets PHARMAKG_IRI_BASE (in the
# environment, read once at import) so they resolve there; docs/rdf.md has the w3id rules.
DEFAULT_BASE = "https://w3id.org/pharmakg/"
BASE = os.environ.get("PHARMAKG_IRI_BASE") or DEFAULT_BASE
PKG = BASE + "vocab/"
PKG_ENTITY = BASE + "id/"
INFORES_PHARMAKG = "infores:pharmakg"


class Category(StrEnum):
    ALKALOID = "alkaloid"
    DRUG = "drug"
    RECEPTOR = "receptor"
    ENZYME = "enzyme"
    TRANSPORTER = "transporter"
    ION_CHANNEL = "ion_channel"
    PROTEIN = "protein"  # a protein target that is none of the above, as its source says
    TARGET_FAMILY = "target_family"
    CONDITION = "condition"
    OUTCOME_MEASURE = "outcome_measure"
    STUDY = "study"
    ORGANISM = "organism"


@dataclass(frozen=True)
class CategoryInfo:
    label: str  # the Neo4j label and GraphQL type name
    biolink: str  # a Biolink class name, as the model spells it
    prefixes: tuple[str, ...]  # CURIE prefixes allowed for the primary id, preferred first
    attributes: frozenset[str]  # node attributes this category may carry


_CHEMICAL = ("PUBCHEM.COMPOUND", "CHEBI", "CHEMBL.COMPOUND", "INCHIKEY")
_CHEMICAL_ATTRS = frozenset({"formula", "drug_class", "inchikey"})

CATEGORIES: dict[Category, CategoryInfo] = {
    Category.ALKALOID: CategoryInfo("Alkaloid", "small molecule", _CHEMICAL, _CHEMICAL_ATTRS),
    Category.DRUG: CategoryInfo("Drug", "drug", (*_CHEMICAL, "DRUGBANK"), _CHEMICAL_ATTRS),
    Category.RECEPTOR: CategoryInfo(
        "Receptor", "protein", ("UniProtKB",), frozenset({"symbol", "taxon"})
    ),
    Category.ENZYME: CategoryInfo(
        "Enzyme", "protein", ("UniProtKB",), frozenset({"symbol", "taxon"})
    ),
    Category.TRANSPORTER: CategoryInfo(
        "Transporter", "protein", ("UniProtKB",), frozenset({"symbol", "taxon"})
    ),
    Category.ION_CHANNEL: CategoryInfo(
        "IonChannel", "protein", ("UniProtKB",), frozenset({"symbol", "taxon"})
    ),
    # CHEMBL.TARGET: a ChEMBL single-protein target loaded without a UniProtKB mapping.
    Category.PROTEIN: CategoryInfo(
        "Protein", "protein", ("UniProtKB", "CHEMBL.TARGET"), frozenset({"symbol", "taxon"})
    ),
    Category.TARGET_FAMILY: CategoryInfo(
        "TargetFamily", "protein family", ("IUPHAR.FAMILY", "PHARMAKG"), frozenset()
    ),
    Category.CONDITION: CategoryInfo(
        # PHARMAKG: a class we mint where no ontology has one (opioid withdrawal), never an xref.
        "Condition",
        "disease or phenotypic feature",
        ("MONDO", "DOID", "MESH", "HP", "PHARMAKG"),
        frozenset(),
    ),
    Category.OUTCOME_MEASURE: CategoryInfo(
        "OutcomeMeasure", "study variable", ("PHARMAKG",), frozenset()
    ),
    Category.STUDY: CategoryInfo(
        "Study",
        "study",
        ("PMID", "DOI", "NCT", "PHARMAKG"),
        frozenset(
            {
                "title",
                "design",
                "species",
                "population",
                "sample_size",
                "year",
                "summary",
                "pmid",
                "doi",
                "nct",
            }
        ),
    ),
    # GBIF where the NCBI taxon could not be confirmed.
    Category.ORGANISM: CategoryInfo(
        "Organism", "organism taxon", ("NCBITaxon", "GBIF"), frozenset()
    ),
}

COMPOUNDS = frozenset({Category.ALKALOID, Category.DRUG})
TARGETS = frozenset(
    {
        Category.RECEPTOR,
        Category.ENZYME,
        Category.TRANSPORTER,
        Category.ION_CHANNEL,
        Category.PROTEIN,
    }
)
INVESTIGATED = COMPOUNDS | {Category.ORGANISM}


class Predicate(StrEnum):
    CONTAINS = "contains"
    BINDS = "binds"
    AGONIST_OF = "agonist_of"
    PARTIAL_AGONIST_OF = "partial_agonist_of"
    ANTAGONIST_OF = "antagonist_of"
    INVERSE_AGONIST_OF = "inverse_agonist_of"
    INHIBITS = "inhibits"
    INDUCES = "induces"
    METABOLIZED_BY = "metabolized_by"
    METABOLIZED_TO = "metabolized_to"
    MEMBER_OF = "member_of"
    SUBCLASS_OF = "subclass_of"
    INVESTIGATES = "investigates"
    MEASURES = "measures"
    OUTCOME_OF = "outcome_of"
    TESTS_MECHANISM = "tests_mechanism"
    TREATS = "treats"
    INTERACTS_WITH = "interacts_with"
    ADVERSE_EFFECT = "adverse_effect"


@dataclass(frozen=True)
class PredicateInfo:
    rel_type: str  # the Neo4j relationship type
    biolink: str  # the closest Biolink slot, as the model spells it
    domain: frozenset[Category]
    range: frozenset[Category]
    own_term: bool  # True: Biolink's slot is broader; our IRI states the precise meaning
    symmetric: bool = False


def _p(
    rel: str,
    biolink: str,
    domain: frozenset[Category],
    range_: frozenset[Category],
    *,
    own: bool = False,
    symmetric: bool = False,
) -> PredicateInfo:
    return PredicateInfo(rel, biolink, frozenset(domain), frozenset(range_), own, symmetric)


_ALL_TARGETS = TARGETS | {Category.TARGET_FAMILY}

PREDICATES: dict[Predicate, PredicateInfo] = {
    Predicate.CONTAINS: _p(
        "CONTAINS", "has part", frozenset({Category.ORGANISM}), COMPOUNDS, own=True
    ),
    Predicate.BINDS: _p("BINDS", "directly physically interacts with", COMPOUNDS, TARGETS),
    Predicate.AGONIST_OF: _p(
        "AGONIST_OF", "directly physically interacts with", COMPOUNDS, TARGETS, own=True
    ),
    Predicate.PARTIAL_AGONIST_OF: _p(
        "PARTIAL_AGONIST_OF", "directly physically interacts with", COMPOUNDS, TARGETS, own=True
    ),
    Predicate.ANTAGONIST_OF: _p(
        "ANTAGONIST_OF", "directly physically interacts with", COMPOUNDS, _ALL_TARGETS, own=True
    ),
    Predicate.INVERSE_AGONIST_OF: _p(
        "INVERSE_AGONIST_OF", "directly physically interacts with", COMPOUNDS, TARGETS, own=True
    ),
    # Plant preparations (extracts, teas) are tested on enzymes too.
    # An enzyme family where a result is about a family (CYP3A activity in microsomes, a
    # mouse CYP3A), never a human isoform it did not test.
    Predicate.INHIBITS: _p("INHIBITS", "affects", INVESTIGATED, _ALL_TARGETS, own=True),
    Predicate.INDUCES: _p("INDUCES", "affects", INVESTIGATED, TARGETS, own=True),
    Predicate.METABOLIZED_BY: _p(
        "METABOLIZED_BY",
        "is substrate of",
        COMPOUNDS,
        frozenset({Category.ENZYME, Category.TARGET_FAMILY}),
    ),
    Predicate.METABOLIZED_TO: _p("METABOLIZED_TO", "has metabolite", COMPOUNDS, COMPOUNDS),
    Predicate.MEMBER_OF: _p("MEMBER_OF", "member of", TARGETS, frozenset({Category.TARGET_FAMILY})),
    Predicate.SUBCLASS_OF: _p(
        "SUBCLASS_OF",
        "subclass of",
        frozenset({Category.CONDITION}),
        frozenset({Category.CONDITION}),
    ),
    Predicate.INVESTIGATES: _p(
        "INVESTIGATES", "has input", frozenset({Category.STUDY}), INVESTIGATED, own=True
    ),
    Predicate.MEASURES: _p(
        "MEASURES",
        "has output",
        frozenset({Category.STUDY}),
        frozenset({Category.OUTCOME_MEASURE}),
        own=True,
    ),
    Predicate.OUTCOME_OF: _p(
        "OUTCOME_OF",
        "associated with",
        frozenset({Category.OUTCOME_MEASURE}),
        frozenset({Category.CONDITION}),
        own=True,
    ),
    Predicate.TESTS_MECHANISM: _p(
        "TESTS_MECHANISM",
        "related to at instance level",
        frozenset({Category.STUDY}),
        _ALL_TARGETS,
        own=True,
    ),
    Predicate.TREATS: _p(
        "TREATS", "treats", frozenset({Category.DRUG}), frozenset({Category.CONDITION})
    ),
    Predicate.INTERACTS_WITH: _p(
        "INTERACTS_WITH", "interacts with", INVESTIGATED, COMPOUNDS, symmetric=True
    ),
    Predicate.ADVERSE_EFFECT: _p(
        "ADVERSE_EFFECT",
        "has adverse event",
        INVESTIGATED,
        frozenset({Category.CONDITION}),
        own=True,
    ),
}

# Predicates whose edges state a quantitative or qualitative pharmacological activity.
ACTIVITY_PREDICATES = frozenset(
    {
        Predicate.BINDS,
        Predicate.AGONIST_OF,
        Predicate.PARTIAL_AGONIST_OF,
        Predicate.ANTAGONIST_OF,
        Predicate.INVERSE_AGONIST_OF,
        Predicate.INHIBITS,
        Predicate.INDUCES,
    }
)


class KnowledgeLevel(StrEnum):
    """Biolink's KnowledgeLevelEnum (checked against the pinned model)."""

    KNOWLEDGE_ASSERTION = "knowledge_assertion"
    LOGICAL_ENTAILMENT = "logical_entailment"
    PREDICTION = "prediction"
    STATISTICAL_ASSOCIATION = "statistical_association"
    TEXT_CO_OCCURRENCE = "text_co_occurrence"
    OBSERVATION = "observation"
    NOT_PROVIDED = "not_provided"


class AgentType(StrEnum):
    """Biolink's AgentTypeEnum (checked against the pinned model)."""

    MANUAL_AGENT = "manual_agent"
    AUTOMATED_AGENT = "automated_agent"
    DATA_ANALYSIS_PIPELINE = "data_analysis_pipeline"
    COMPUTATIONAL_MODEL = "computational_model"
    TEXT_MINING_AGENT = "text_mining_agent"
    IMAGE_PROCESSING_AGENT = "image_processing_agent"
    MANUAL_VALIDATION_OF_AUTOMATED_AGENT = "manual_validation_of_automated_agent"
    NOT_PROVIDED = "not_provided"


class Measure(StrEnum):
    KI = "Ki"  # a reversible inhibition or binding constant
    KD = "Kd"
    IC50 = "IC50"
    EC50 = "EC50"
    EMAX = "Emax"
    KB = "Kb"
    PA2 = "pA2"
    PCHEMBL = "pChEMBL"
    # Time-dependent (mechanism-based) inactivation: a different measure from a reversible Ki.
    KI_INACT = "KI_inact"
    KINACT = "kinact"
    # A clinical pharmacokinetic interaction: geometric mean ratio with / without the perpetrator.
    AUC_GMR = "AUC_GMR"
    CMAX_GMR = "Cmax_GMR"


class Relation(StrEnum):
    EQ = "="
    LT = "<"
    GT = ">"
    APPROX = "~"
    LE = "<="
    GE = ">="


class Unit(StrEnum):
    NM = "nM"
    UM = "uM"
    MM = "mM"
    PERCENT = "%"
    DIMENSIONLESS = "1"
    PER_MINUTE = "1/min"


# Which units each measure may carry: an Emax in nM is a data error, not a conflict.
MEASURE_UNITS: dict[Measure, frozenset[Unit]] = {
    Measure.KI: frozenset({Unit.NM, Unit.UM, Unit.MM}),
    Measure.KD: frozenset({Unit.NM, Unit.UM, Unit.MM}),
    Measure.IC50: frozenset({Unit.NM, Unit.UM, Unit.MM}),
    Measure.EC50: frozenset({Unit.NM, Unit.UM, Unit.MM}),
    Measure.KB: frozenset({Unit.NM, Unit.UM, Unit.MM}),
    Measure.EMAX: frozenset({Unit.PERCENT}),
    Measure.PA2: frozenset({Unit.DIMENSIONLESS}),
    Measure.PCHEMBL: frozenset({Unit.DIMENSIONLESS}),
    Measure.KI_INACT: frozenset({Unit.NM, Unit.UM, Unit.MM}),
    Measure.KINACT: frozenset({Unit.PER_MINUTE}),
    Measure.AUC_GMR: frozenset({Unit.DIMENSIONLESS}),
    Measure.CMAX_GMR: frozenset({Unit.DIMENSIONLESS}),
}

NANOMOLAR_FACTOR = {Unit.NM: 1.0, Unit.UM: 1_000.0, Unit.MM: 1_000_000.0}


class Direction(StrEnum):
    INCREASED = "increased"
    DECREASED = "decreased"
    NO_CHANGE = "no_change"
    MIXED = "mixed"


class EvidenceKind(StrEnum):
    CLINICAL = "clinical"
    IN_VITRO = "in_vitro"
    ANIMAL = "animal"
    PREDICTED = "predicted"


class MechanismResult(StrEnum):
    REVERSED = "reversed"
    PARTIALLY_REVERSED = "partially_reversed"
    NOT_REVERSED = "not_reversed"


class StudyDesign(StrEnum):
    IN_VITRO = "in_vitro"
    IN_SILICO = "in_silico"
    ANIMAL_IN_VIVO = "animal_in_vivo"
    CLINICAL_TRIAL = "clinical_trial"
    CLINICAL_PK = "clinical_pk"
    CLINICAL_INTERACTION = "clinical_interaction"
    OBSERVATIONAL_COHORT = "observational_cohort"
    CROSS_SECTIONAL_SURVEY = "cross_sectional_survey"
    CASE_REPORT = "case_report"
    CASE_SERIES = "case_series"
    SYSTEMATIC_REVIEW = "systematic_review"
    SCOPING_REVIEW = "scoping_review"
    META_ANALYSIS = "meta_analysis"
    NARRATIVE_REVIEW = "narrative_review"


def category_of_label(label: str) -> Category:
    """The category whose Neo4j label is ``label``; unknown labels fail with the valid ones."""
    for category, info in CATEGORIES.items():
        if info.label == label:
            return category
    valid = ", ".join(sorted(i.label for i in CATEGORIES.values()))
    raise ValueError(f"unknown label {label!r}; expected one of: {valid}")


def predicate_of_type(rel_type: str) -> Predicate:
    """The predicate whose relationship type is ``rel_type``."""
    for predicate, info in PREDICATES.items():
        if info.rel_type == rel_type:
            return predicate
    valid = ", ".join(sorted(i.rel_type for i in PREDICATES.values()))
    raise ValueError(f"unknown relationship type {rel_type!r}; expected one of: {valid}")
