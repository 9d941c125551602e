"""The pure parts of the answers: summaries, conflicts, interaction risks."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLError

from api.graphql import answers, resolvers
from api.graphql.limits import PublicError, _translate, is_expected
from graph.errors import GraphUnavailableError
from graph.reads import InteractionRow, QueryTimeoutError
from ontology.records import Edge, Node, Provenance
from ontology.vocab import Category, EvidenceKind, Measure, Predicate

MG, CYP, MIDAZOLAM = "PUBCHEM.COMPOUND:3034396", "UniProtKB:P08684", "PUBCHEM.COMPOUND:4192"


def prov(pmid: str = "PMID:24174816", level: str = "knowledge_assertion") -> Provenance:
    return Provenance(
        primary_knowledge_source="infores:pharmakg",
        publications=(pmid,),
        knowledge_level=level,
        agent_type="manual_agent",
        source_version="test",
    )


def edge(
    predicate: Predicate = Predicate.INHIBITS, obj: str = CYP, subject: str = MG, **fields: Any
) -> Edge:
    level = "prediction" if fields.get("evidence_kind") == "predicted" else "knowledge_assertion"
    return Edge(
        subject=subject,
        predicate=predicate,
        object=obj,
        provenance=prov(fields.pop("pmid", "PMID:24174816"), level),
        **fields,
    )


def ki(value: float, unit: str = "uM", relation: str = "=", pmid: str = "PMID:1") -> Edge:
    return edge(measure="Ki", value=value, unit=unit, relation=relation, pmid=pmid)


def test_summary_in_nanomolar_with_median_and_fold() -> None:
    summary, reasons = answers.summary(CYP, Measure.KI, [ki(4), ki(0.5), ki(379.18)])
    assert (summary.count, summary.exact_count) == (3, 3)
    assert (summary.min, summary.median, summary.max) == (500.0, 4000.0, 379180.0)
    assert summary.fold_range == pytest.approx(758.36)
    assert summary.conflict is True
    assert "fold" in reasons[0]


def test_close_values_do_not_conflict() -> None:
    summary, reasons = answers.summary(CYP, Measure.KI, [ki(4), ki(12)])
    assert summary.conflict is False
    assert reasons == []


def test_a_bound_that_contradicts_a_value_is_a_conflict() -> None:
    summary, reasons = answers.summary(CYP, Measure.KI, [ki(45, relation=">"), ki(10)])
    assert summary.count == 2
    assert summary.exact_count == 1  # the bound is counted, not used
    assert summary.conflict is True
    assert "bound" in reasons[0]
    agreeing, _ = answers.summary(CYP, Measure.KI, [ki(45, relation=">"), ki(60)])
    assert agreeing.conflict is False


def test_opposite_actions_at_one_target_are_a_conflict() -> None:
    mor = "UniProtKB:P35372"
    conflicts = answers.action_conflicts(
        MG,
        [
            edge(Predicate.PARTIAL_AGONIST_OF, mor),
            edge(Predicate.ANTAGONIST_OF, mor, pmid="PMID:2"),
            edge(Predicate.BINDS, CYP),
        ],
    )
    assert [c.target_id for c in conflicts] == [mor]
    assert "antagonist_of" in conflicts[0].reason


def test_pharmacology_flags_the_conflicting_measurements() -> None:
    subject = Node(id=MG, category=Category.ALKALOID, name="mitragynine", source="infores:pharmakg")
    result = answers.pharmacology(
        subject,
        (CYP,),
        [
            ki(4),
            ki(379.18, pmid="PMID:2"),
            edge(measure="IC50", value=11.4, unit="uM"),
            edge(Predicate.BINDS, CYP),
        ],
    )
    flags = {(m.quantity.measure, m.quantity.value): m.in_conflict for m in result.measurements}
    assert flags == {
        (Measure.KI, 4.0): True,
        (Measure.KI, 379.18): True,
        (Measure.IC50, 11.4): False,
    }
    assert len(result.qualitative) == 1
    assert [c.measure for c in result.conflicts] == [Measure.KI]


def interaction(basis: str, partner: str, *hops: Edge, enzyme: str | None = None) -> InteractionRow:
    return InteractionRow(MG, basis, partner, enzyme, hops)  # type: ignore[arg-type]


def test_inferred_and_predicted_risks_are_never_observed() -> None:
    observed_inhibition = edge(measure="IC50", value=11.4, unit="uM", evidence_kind="in_vitro")
    predicted = edge(evidence_kind="predicted", mechanism="static model", pmid="PMID:3")
    substrate = edge(
        Predicate.METABOLIZED_BY,
        CYP,
        subject="PUBCHEM.COMPOUND:2244",
        evidence_kind="clinical",
        pmid="PMID:4",
    )
    risks = answers.risks(
        [
            interaction("enzyme", CYP, observed_inhibition, enzyme=CYP),
            interaction("enzyme", CYP, predicted, enzyme=CYP),
            interaction(
                "inferred", "PUBCHEM.COMPOUND:2244", observed_inhibition, substrate, enzyme=CYP
            ),
        ]
    )
    by_kind = {(r.basis.value, r.observed): r for r in risks}
    assert set(by_kind) == {("enzyme", True), ("enzyme", False), ("inferred", False)}
    assert by_kind[("enzyme", True)].evidence_kind is EvidenceKind.IN_VITRO
    assert by_kind[("enzyme", False)].evidence_kind is EvidenceKind.PREDICTED
    inferred = by_kind[("inferred", False)]
    assert inferred.inferred is True
    assert inferred.evidence_kind is EvidenceKind.PREDICTED
    assert inferred.evidence_kinds == [EvidenceKind.PREDICTED]
    assert "inferred" in (inferred.mechanism or "")
    assert len(inferred.evidence) == 2  # both inputs are shown
    assert [r.observed for r in risks] == sorted((r.observed for r in risks), reverse=True)


def test_a_reported_interaction_supersedes_the_inference() -> None:
    reported = edge(
        Predicate.INTERACTS_WITH, MIDAZOLAM, evidence_kind="clinical", mechanism="CYP3A inhibition"
    )
    inhibition = edge(measure="IC50", value=11.4, unit="uM", evidence_kind="in_vitro")
    substrate = edge(Predicate.METABOLIZED_BY, CYP, subject=MIDAZOLAM, evidence_kind="clinical")
    risks = answers.risks(
        [
            interaction("reported", MIDAZOLAM, reported),
            interaction("inferred", MIDAZOLAM, inhibition, substrate, enzyme=CYP),
        ]
    )
    assert [(r.basis.value, r.observed, r.evidence_kind) for r in risks] == [
        ("reported", True, EvidenceKind.CLINICAL)
    ]


def test_species_aliases() -> None:
    assert resolvers._species(["Rat", "human"]) == (
        "rattus norvegicus",
        "rat",
        "homo sapiens",
        "human",
    )
    assert resolvers._species(None) is None
    assert resolvers._species(["Macaca mulatta"]) == ("macaca mulatta",)


def test_error_translation() -> None:
    timeout = GraphQLError("x", original_error=QueryTimeoutError("slow"))
    assert _translate(timeout) is not None
    assert _translate(timeout).extensions == {"code": "QUERY_TIMEOUT"}  # type: ignore[union-attr]
    down = GraphQLError("x", original_error=GraphUnavailableError("down"))
    assert _translate(down).extensions == {"code": "GRAPH_UNAVAILABLE"}  # type: ignore[union-attr]
    assert is_expected(GraphQLError("syntax"))
    assert is_expected(GraphQLError("x", original_error=PublicError("bad")))
    assert not is_expected(GraphQLError("x", original_error=KeyError("secret")))
