"""The guide's slides: one canonical question each, with the Cypher that draws its answer.

Every query is kept here and only here: the guide renders them, the unit tests check their
labels, relationship types and properties against the vocabulary, and the integration tests
run them against the curated dataset and check the nodes they draw. Queries take no
parameters (Browser runs a guide's query as it stands) and return paths, so the picture is the
same whether or not Browser's "connect result nodes" setting is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from textwrap import dedent


@dataclass(frozen=True)
class Slide:
    key: str  # the slide's anchor, a slug
    title: str
    question: str  # the canonical question, as a user would ask it
    cypher: str  # runnable as it stands: no parameters
    reading: str  # how to read the picture the query draws
    expect: frozenset[str]  # names of nodes the curated dataset must draw
    max_nodes: int  # beyond this the picture stops being readable


def _cypher(text: str) -> str:
    return dedent(text).strip()


MITRAGYNINE_OPIOID_ANXIETY = Slide(
    key="mitragynine-opioid-anxiety",
    title="Mitragynine, opioid receptors and anxiety",
    question="Which studies connect mitragynine, opioid receptors and anxiety?",
    cypher=_cypher("""
        MATCH studied = (:Alkaloid {name: 'mitragynine'})<-[:INVESTIGATES]-(study:Study),
              outcome = (study)-[:MEASURES]->(:OutcomeMeasure)-[:OUTCOME_OF]->(:Condition)
                        -[:SUBCLASS_OF*0..3]->(:Condition {name: 'anxiety disorder'}),
              mechanism = (study)-[:TESTS_MECHANISM]->(target)
        WHERE target.name = 'Opioid receptors'
           OR EXISTS { (target)-[:MEMBER_OF]->(:TargetFamily {name: 'Opioid receptors'}) }
        OPTIONAL MATCH family = (:Receptor)-[:MEMBER_OF]->(:TargetFamily {name: 'Opioid receptors'})
        RETURN studied, outcome, mechanism, collect(family) AS family
        """),
    reading=(
        "Each grey study node sits between the green mitragynine it gave and the purple "
        "outcome it measured (the arrow's caption says which way the outcome moved), which "
        "counts towards the red anxiety condition. The study's 'tests mechanism' arrow to the "
        "opioid receptor family says what happened when an opioid antagonist was given first: "
        "'reversed' means the effect needed opioid receptors. Click an arrow to see the dose, "
        "the blocker and the publications behind it."
    ),
    expect=frozenset(
        {
            "mitragynine",
            "anxiety disorder",
            "Opioid receptors",
            "mu-type opioid receptor",
            "Anxiolytic-like effects of mitragynine in the open-field and "
            "elevated plus-maze tests in rats",
        }
    ),
    max_nodes=40,
)

METABOLISM_CHAIN = Slide(
    key="metabolism-chain",
    title="The metabolism chain",
    question="What is mitragynine metabolised to, by which enzymes, and how do we know?",
    cypher=_cypher("""
        MATCH step = (:Alkaloid {name: 'mitragynine'})-[:METABOLIZED_TO*0..3]->(compound)
                     -[:METABOLIZED_BY|METABOLIZED_TO]->(next)
        WHERE next:Enzyme OR next:Alkaloid OR next:Drug
        RETURN step
        """),
    reading=(
        "Thick blue arrows run from a compound to what it is metabolised to; thinner blue "
        "arrows point to the enzymes that do it. Each caption names the kind of evidence "
        "(in_vitro, animal, clinical, predicted), so a chain seen only in mice stays apart from "
        "one seen in human liver microsomes. Parallel arrows are separate reports of the same "
        "step, kept side by side. With Browser's 'Connect result nodes' setting on (the "
        "default) the brown inhibition arrows between the same nodes are drawn too; switch it "
        "off in the settings drawer to see the metabolism steps alone."
    ),
    expect=frozenset({"mitragynine", "cytochrome P450 3A4", "mitragynine pseudoindoxyl"}),
    max_nodes=30,
)

INTERACTION_RISKS = Slide(
    key="interaction-risks",
    title="Interaction risks",
    question="Which drugs may interact with kratom or its alkaloids, and through which enzymes?",
    cypher=_cypher("""
        MATCH risk = (kratom)-[:INTERACTS_WITH]->(:Drug)
        WHERE kratom:Alkaloid OR kratom:Organism
        OPTIONAL MATCH inhibition = (kratom)-[:INHIBITS|INDUCES]->(:Enzyme)
        OPTIONAL MATCH substrate = (:Drug)-[:METABOLIZED_BY]->(:Enzyme)
                                   <-[:INHIBITS|INDUCES]-(kratom)
        RETURN risk, collect(DISTINCT inhibition) AS inhibition,
               collect(DISTINCT substrate) AS substrate
        """),
    reading=(
        "Red arrows run from kratom or an alkaloid to each drug it was reported to interact "
        "with; the caption says whether that was seen in people (clinical), in vitro, or only "
        "predicted. Brown arrows to yellow enzymes carry the inhibition potency (an IC50 or a "
        "Ki with its unit): the lower the value, the likelier an interaction with drugs "
        "cleared by that enzyme. Click a red arrow for the mechanism and the finding."
    ),
    expect=frozenset({"mitragynine", "midazolam", "cytochrome P450 3A4"}),
    max_nodes=40,
)

CONFLICTING_AFFINITIES = Slide(
    key="conflicting-affinities",
    title="Conflicting affinities",
    question="Where do reported affinities or potencies for the same compound and target "
    "disagree by more than threefold?",
    cypher=_cypher("""
        MATCH (compound)-[a:BINDS|AGONIST_OF|PARTIAL_AGONIST_OF|ANTAGONIST_OF
                           |INVERSE_AGONIST_OF|INHIBITS|INDUCES]->(target)
        WHERE (target:Receptor OR target:Enzyme)
          AND a.unit IN ['nM', 'uM', 'mM'] AND coalesce(a.relation, '=') IN ['=', '~']
        WITH compound, target, a,
             a.value * CASE a.unit WHEN 'uM' THEN 1e3 WHEN 'mM' THEN 1e6 ELSE 1.0 END AS nM
        WITH compound, target, a.measure AS measure, collect(a) AS reports,
             min(nM) AS lowest_nM, max(nM) AS highest_nM
        WHERE size(reports) > 1 AND highest_nM > 3 * lowest_nM
        RETURN compound, target, measure, reports, round(highest_nM / lowest_nM, 1) AS fold
        ORDER BY fold DESC
        """),
    reading=(
        "Each compound and target pair is drawn with all its measurements side by side as "
        "parallel arrows, each captioned with its own value (for example 'IC50 = 9.7 uM' next "
        "to 'IC50 = 39.7 uM'). Nothing is averaged away: click an arrow to compare assay, "
        "species, cell system and publication, and switch to the Table view for the fold "
        "difference. Bounds such as '> 45 uM' are left out of the comparison."
    ),
    expect=frozenset({"mitragynine", "cytochrome P450 2C9"}),
    max_nodes=30,
)

CONDITION_HIERARCHY = Slide(
    key="condition-hierarchy",
    title="The condition hierarchy",
    question="How are the conditions organised, and which outcome measures count towards "
    "each of them?",
    cypher=_cypher("""
        MATCH tree = (:Condition)-[:SUBCLASS_OF*1..4]->(root:Condition)
        WHERE NOT EXISTS { (root)-[:SUBCLASS_OF]->(:Condition) }
        OPTIONAL MATCH measured = (:OutcomeMeasure)-[:OUTCOME_OF]->(:Condition)
                                  -[:SUBCLASS_OF*0..4]->(root)
        RETURN tree, collect(measured) AS measured
        """),
    reading=(
        "Grey 'is a' arrows point from a narrower condition to the broader one, so each red "
        "tree has its most general condition at the root. Purple outcome measures hang off "
        "the condition they count towards: an outcome measured for 'generalized anxiety "
        "disorder' also counts for 'anxiety disorder' above it, which is how the first slide "
        "finds studies through the hierarchy."
    ),
    expect=frozenset({"anxiety disorder", "generalized anxiety disorder", "pain", "chronic pain"}),
    max_nodes=70,
)

SLIDES: tuple[Slide, ...] = (
    MITRAGYNINE_OPIOID_ANXIETY,
    METABOLISM_CHAIN,
    INTERACTION_RISKS,
    CONFLICTING_AFFINITIES,
    CONDITION_HIERARCHY,
)
