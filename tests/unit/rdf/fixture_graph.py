"""A small test graph that exercises every canonical question, including the ones the curated
dataset cannot answer yet (kratom has no organism node there, mitragynine no MOR values).

Values and citations are illustrative test data, not curated facts. Each question has records
that must be found and near-misses that must not:

- studies: Hazim 2014 (family) and a GAD study (member of the family, subclass of anxiety) are
  answers; a depression study, a CYP3A4 study and a midazolam study are not;
- pharmacology at MOR: two conflicting Ki values and an EC50; DOR and KOR values are not;
- metabolism: two enzymes and a metabolite, then the metabolite's own enzyme (the chain);
- kratom interactions: two drugs; mitragynine's own interaction is not.
"""

from __future__ import annotations

from datetime import date

from ontology.records import Edge, Node, Provenance, Record
from ontology.vocab import Category, Predicate

MITRAGYNINE = "PUBCHEM.COMPOUND:3034396"
SEVEN_OH = "PUBCHEM.COMPOUND:44301524"
MIDAZOLAM = "PUBCHEM.COMPOUND:4192"
NALOXONE = "PUBCHEM.COMPOUND:5284596"
DEXTROMETHORPHAN = "PUBCHEM.COMPOUND:5360696"
KRATOM = "NCBITaxon:170351"
MOR, DOR, KOR = "UniProtKB:P35372", "UniProtKB:P41143", "UniProtKB:P41145"
CYP3A4, CYP2D6 = "UniProtKB:P08684", "UniProtKB:P10635"
OPIOID_FAMILY = "IUPHAR.FAMILY:50"
ANXIETY, GAD, DEPRESSION = "MONDO:0005618", "MONDO:0001942", "MONDO:0002050"
EPM = "PHARMAKG:outcome/epm-open-arm-exploration"
GAD7 = "PHARMAKG:outcome/gad7-score"
SWIM = "PHARMAKG:outcome/forced-swim-immobility"
HAZIM = "PMID:24464759"
GAD_STUDY = "PMID:30000001"
DEPRESSION_STUDY = "PMID:30000002"
CYP_STUDY = "PMID:30000003"
MIDAZOLAM_STUDY = "DOI:10.1000/test.midazolam"

CURATED = Provenance(
    primary_knowledge_source="infores:pharmakg",
    publications=(HAZIM,),
    knowledge_level="knowledge_assertion",
    agent_type="manual_agent",
    source_version="test",
)


def prov(*publications: str, source: str = "infores:pharmakg", **extra: object) -> Provenance:
    return CURATED.model_copy(
        update={"publications": publications, "primary_knowledge_source": source, **extra}
    )


def node(curie: str, category: Category, name: str, **fields: object) -> Node:
    return Node(
        id=curie,
        category=category,
        name=name,
        source="infores:pharmakg",
        source_version="test",
        **fields,
    )


def edge(
    subject: str,
    predicate: Predicate,
    obj: str,
    provenance: Provenance | None = None,
    **fields: object,
) -> Edge:
    return Edge(
        subject=subject, predicate=predicate, object=obj, provenance=provenance or CURATED, **fields
    )


NODES: list[Node] = [
    node(KRATOM, Category.ORGANISM, "Mitragyna speciosa", synonyms=("kratom", "ketum")),
    node(
        MITRAGYNINE,
        Category.ALKALOID,
        "mitragynine",
        synonyms=("MG",),
        xrefs=("CHEMBL.COMPOUND:CHEMBL299031", "CAS:4098-40-2"),
        formula="C23H30N2O4",
        description='Major indole alkaloid of kratom; "quoted" text,\nnew line & <markup>.',
    ),
    node(SEVEN_OH, Category.ALKALOID, "7-hydroxymitragynine", synonyms=("7-OH",)),
    node(MIDAZOLAM, Category.DRUG, "midazolam", drug_class="benzodiazepine"),
    node(NALOXONE, Category.DRUG, "naloxone", drug_class="opioid antagonist"),
    node(DEXTROMETHORPHAN, Category.DRUG, "dextromethorphan"),
    node(MOR, Category.RECEPTOR, "mu opioid receptor", symbol="OPRM1", taxon="NCBITaxon:9606"),
    node(DOR, Category.RECEPTOR, "delta opioid receptor", symbol="OPRD1"),
    node(KOR, Category.RECEPTOR, "kappa opioid receptor", symbol="OPRK1", taxon="human"),
    node(CYP3A4, Category.ENZYME, "cytochrome P450 3A4", symbol="CYP3A4"),
    node(CYP2D6, Category.ENZYME, "cytochrome P450 2D6", symbol="CYP2D6"),
    node(OPIOID_FAMILY, Category.TARGET_FAMILY, "Opioid receptors"),
    node(ANXIETY, Category.CONDITION, "anxiety disorder"),
    node(GAD, Category.CONDITION, "generalized anxiety disorder"),
    node(DEPRESSION, Category.CONDITION, "depressive disorder"),
    node(EPM, Category.OUTCOME_MEASURE, "elevated plus maze open-arm exploration"),
    node(GAD7, Category.OUTCOME_MEASURE, "GAD-7 score"),
    node(SWIM, Category.OUTCOME_MEASURE, "forced swim immobility"),
    node(
        HAZIM,
        Category.STUDY,
        "Anxiolytic-like effects of mitragynine in rats",
        title="Anxiolytic-like effects of mitragynine in the open-field and elevated plus-maze "
        "tests in rats",
        design="animal_in_vivo",
        species="Rattus norvegicus",
        year=2014,
        pmid="24464759",
        doi="10.1007/s12576-014-0304-0",
    ),
    node(
        GAD_STUDY,
        Category.STUDY,
        "A GAD trial",
        design="clinical_trial",
        sample_size=40,
        year=2020,
        nct="NCT01234567",
    ),
    node(DEPRESSION_STUDY, Category.STUDY, "A depression study", design="animal_in_vivo"),
    node(CYP_STUDY, Category.STUDY, "A CYP mechanism study", design="animal_in_vivo"),
    node(MIDAZOLAM_STUDY, Category.STUDY, "A midazolam study", design="animal_in_vivo"),
]

EDGES: list[Edge] = [
    edge(KRATOM, Predicate.CONTAINS, MITRAGYNINE, prov("DOI:10.1055/a-1795-5876")),
    edge(KRATOM, Predicate.CONTAINS, SEVEN_OH, prov("DOI:10.1055/a-1795-5876")),
    # pharmacology at MOR: conflicting values side by side, from two sources
    edge(
        MITRAGYNINE,
        Predicate.BINDS,
        MOR,
        prov(
            "PMID:27192616",
            source="infores:chembl",
            aggregator_knowledge_sources=("infores:pharmakg",),
            retrieval_date=date(2026, 1, 5),
        ),
        measure="Ki",
        relation="=",
        value=233.0,
        unit="nM",
        assay="radioligand binding",
        species="human",
        cell_system="HEK293 membranes",
    ),
    edge(
        MITRAGYNINE,
        Predicate.BINDS,
        MOR,
        prov("PMID:29000001"),
        measure="Ki",
        relation="~",
        value=709.0,
        unit="nM",
        assay="radioligand binding",
        species="mouse",
    ),
    edge(
        MITRAGYNINE,
        Predicate.PARTIAL_AGONIST_OF,
        MOR,
        prov("PMID:29000002"),
        measure="EC50",
        relation="=",
        value=339.0,
        unit="nM",
        assay="[35S]GTPgammaS",
    ),
    edge(
        MITRAGYNINE,
        Predicate.ANTAGONIST_OF,
        KOR,
        prov("PMID:29000003"),
        measure="Kb",
        relation="=",
        value=8.5,
        unit="uM",
    ),
    edge(
        MITRAGYNINE,
        Predicate.BINDS,
        DOR,
        prov("PMID:29000004"),
        measure="Ki",
        value=1.1e-3,
        relation="<",
        unit="mM",
    ),
    edge(
        MITRAGYNINE,
        Predicate.INHIBITS,
        CYP2D6,
        prov("PMID:24174816"),
        measure="Ki",
        relation="=",
        value=12.86,
        unit="uM",
        evidence_kind="in_vitro",
    ),
    # targets and families, conditions
    edge(
        MOR,
        Predicate.MEMBER_OF,
        OPIOID_FAMILY,
        prov("IUPHAR.RECEPTOR:319", source="infores:gtopdb"),
    ),
    edge(
        DOR,
        Predicate.MEMBER_OF,
        OPIOID_FAMILY,
        prov("IUPHAR.RECEPTOR:317", source="infores:gtopdb"),
    ),
    edge(
        KOR,
        Predicate.MEMBER_OF,
        OPIOID_FAMILY,
        prov("IUPHAR.RECEPTOR:318", source="infores:gtopdb"),
    ),
    edge(GAD, Predicate.SUBCLASS_OF, ANXIETY, prov("PMID:29000005", source="infores:mondo")),
    edge(EPM, Predicate.OUTCOME_OF, ANXIETY),
    edge(GAD7, Predicate.OUTCOME_OF, GAD),
    edge(SWIM, Predicate.OUTCOME_OF, DEPRESSION),
    # metabolism
    edge(
        MITRAGYNINE,
        Predicate.METABOLIZED_BY,
        CYP3A4,
        prov("PMID:34783240"),
        evidence_kind="in_vitro",
        note="major route",
    ),
    edge(
        MITRAGYNINE,
        Predicate.METABOLIZED_BY,
        CYP2D6,
        prov("PMID:34783241"),
        evidence_kind="in_vitro",
    ),
    edge(
        MITRAGYNINE,
        Predicate.METABOLIZED_TO,
        SEVEN_OH,
        prov("PMID:34783240"),
        evidence_kind="in_vitro",
    ),
    edge(
        SEVEN_OH, Predicate.METABOLIZED_BY, CYP3A4, prov("PMID:34783242"), evidence_kind="in_vitro"
    ),
    # interactions
    edge(
        KRATOM,
        Predicate.INTERACTS_WITH,
        MIDAZOLAM,
        prov("PMID:36924284", "DOI:10.1002/cpt.2891", "NCT:NCT04392011"),
        evidence_kind="clinical",
        mechanism="CYP3A inhibition",
        effect="AUC GMR 1.39",
    ),
    edge(
        KRATOM,
        Predicate.INTERACTS_WITH,
        DEXTROMETHORPHAN,
        prov("PMID:36924284"),
        evidence_kind="clinical",
        mechanism="CYP2D6 probe",
        direction="no_change",
    ),
    edge(
        MITRAGYNINE,
        Predicate.INTERACTS_WITH,
        MIDAZOLAM,
        prov("PMID:36924284"),
        evidence_kind="in_vitro",
        mechanism="time-dependent CYP3A inhibition",
    ),
    edge(
        KRATOM,
        Predicate.ADVERSE_EFFECT,
        ANXIETY,
        prov("PMID:29000006"),
        evidence_kind="clinical",
        negated=True,
    ),
    # studies
    edge(
        HAZIM,
        Predicate.INVESTIGATES,
        MITRAGYNINE,
        dose="10, 20, 40 mg/kg",
        route="oral",
        role="test",
    ),
    edge(HAZIM, Predicate.INVESTIGATES, NALOXONE, role="tool"),
    edge(HAZIM, Predicate.MEASURES, EPM, direction="increased", effect="anxiolytic-like"),
    edge(
        HAZIM,
        Predicate.TESTS_MECHANISM,
        OPIOID_FAMILY,
        tool=NALOXONE,
        result="reversed",
        note="naloxone antagonized the effect",
    ),
    edge(GAD_STUDY, Predicate.INVESTIGATES, KRATOM, prov(GAD_STUDY)),
    edge(GAD_STUDY, Predicate.INVESTIGATES, MITRAGYNINE, prov(GAD_STUDY)),
    edge(
        GAD_STUDY,
        Predicate.MEASURES,
        GAD7,
        prov(GAD_STUDY),
        direction="decreased",
        effect_size="d = 0.4",
    ),
    edge(GAD_STUDY, Predicate.TESTS_MECHANISM, MOR, prov(GAD_STUDY), result="partially_reversed"),
    edge(DEPRESSION_STUDY, Predicate.INVESTIGATES, MITRAGYNINE, prov(DEPRESSION_STUDY)),
    edge(DEPRESSION_STUDY, Predicate.MEASURES, SWIM, prov(DEPRESSION_STUDY), direction="decreased"),
    edge(
        DEPRESSION_STUDY, Predicate.TESTS_MECHANISM, MOR, prov(DEPRESSION_STUDY), result="reversed"
    ),
    edge(CYP_STUDY, Predicate.INVESTIGATES, MITRAGYNINE, prov(CYP_STUDY)),
    edge(CYP_STUDY, Predicate.MEASURES, EPM, prov(CYP_STUDY), direction="increased"),
    edge(CYP_STUDY, Predicate.TESTS_MECHANISM, CYP3A4, prov(CYP_STUDY), result="not_reversed"),
    edge(MIDAZOLAM_STUDY, Predicate.INVESTIGATES, MIDAZOLAM, prov(MIDAZOLAM_STUDY)),
    edge(MIDAZOLAM_STUDY, Predicate.MEASURES, EPM, prov(MIDAZOLAM_STUDY), direction="increased"),
    edge(
        MIDAZOLAM_STUDY,
        Predicate.TESTS_MECHANISM,
        OPIOID_FAMILY,
        prov(MIDAZOLAM_STUDY),
        result="reversed",
    ),
]

RECORDS: list[Record] = [*NODES, *EDGES]

# What the four questions must answer on this graph.
EXPECTED_STUDIES = {HAZIM, GAD_STUDY}
EXPECTED_MOR_EDGES = 3
EXPECTED_METABOLISM = {  # the chain: mitragynine's steps, then its metabolite's
    (MITRAGYNINE, Predicate.METABOLIZED_BY, CYP3A4),
    (MITRAGYNINE, Predicate.METABOLIZED_BY, CYP2D6),
    (MITRAGYNINE, Predicate.METABOLIZED_TO, SEVEN_OH),
    (SEVEN_OH, Predicate.METABOLIZED_BY, CYP3A4),
}
EXPECTED_KRATOM_PARTNERS = {MIDAZOLAM, DEXTROMETHORPHAN}
