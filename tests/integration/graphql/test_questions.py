"""paths, interactions, pharmacology and metabolism against the curated dataset."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.graphql.conftest import GraphQL

pytestmark = pytest.mark.asyncio(loop_scope="session")

MITRAGYNINE = "PUBCHEM.COMPOUND:3034396"
PSEUDOINDOXYL = "PUBCHEM.COMPOUND:44301701"
MIDAZOLAM = "PUBCHEM.COMPOUND:4192"
CYP3A4 = "UniProtKB:P08684"
ANXIETY = "MONDO:0005618"
HAZIM = "PMID:24464759"

PATHS = """
query ($from: String!, $to: String!, $maxHops: Int! = 3, $via: [String!],
       $predicates: [Predicate!], $first: Int! = 10) {
  paths(from: $from, to: $to, maxHops: $maxHops, via: $via, predicates: $predicates,
        first: $first) {
    __typename
    ... on Unresolved { unresolved }
    ... on Ambiguous { term candidates { id } }
    ... on Paths { source { id } target { id }
      paths { length nodes { id } hops { predicate direction subject { id } object { id }
                                          evidence { citations { curie } } } } }
  }
}"""


async def paths(gql: GraphQL, **variables: Any) -> dict[str, Any]:
    data = await gql.data(PATHS, variables)
    result: dict[str, Any] = data["paths"]
    return result


async def test_paths_explain_how_two_entities_connect(gql: GraphQL) -> None:
    result = await paths(gql, **{"from": "mitragynine", "to": "anxiety disorder"})
    assert result["source"]["id"] == MITRAGYNINE
    assert result["target"]["id"] == ANXIETY
    found = result["paths"]
    assert found
    lengths = [p["length"] for p in found]
    assert lengths == sorted(lengths)
    for path in found:
        ids = [n["id"] for n in path["nodes"]]
        assert ids[0] == MITRAGYNINE
        assert ids[-1] == ANXIETY
        assert len(set(ids)) == len(ids)  # simple paths
        for step, hop in enumerate(path["hops"]):
            ends = {hop["subject"]["id"], hop["object"]["id"]}
            assert ends == {ids[step], ids[step + 1]}
            assert hop["direction"] == ("OUT" if hop["subject"]["id"] == ids[step] else "IN")
            assert hop["evidence"]["citations"]


async def test_paths_through_a_given_entity(gql: GraphQL) -> None:
    result = await paths(gql, **{"from": "mitragynine", "to": "anxiety disorder", "via": [HAZIM]})
    assert result["paths"]
    assert all(HAZIM in [n["id"] for n in p["nodes"]] for p in result["paths"])
    assert result["paths"][0]["length"] == 3  # study -> outcome measure -> condition


async def test_paths_restricted_to_predicates(gql: GraphQL) -> None:
    result = await paths(
        gql,
        **{"from": "mitragynine", "to": "CYP3A4", "maxHops": 2, "predicates": ["METABOLIZED_BY"]},
    )
    assert result["paths"]
    assert {h["predicate"] for p in result["paths"] for h in p["hops"]} == {"METABOLIZED_BY"}


async def test_paths_refuse_too_many_hops(gql: GraphQL) -> None:
    errors = await gql.errors(
        PATHS, {"from": "mitragynine", "to": "anxiety disorder", "maxHops": 9}
    )
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "maxHops must be between 1 and 4" in errors[0]["message"]


async def test_paths_name_an_unknown_entity(gql: GraphQL) -> None:
    result = await paths(gql, **{"from": "mitragynine", "to": "unobtainium"})
    assert result == {"__typename": "Unresolved", "unresolved": ["unobtainium"]}


INTERACTIONS = """
query ($entity: String!) {
  interactions(entity: $entity) {
    __typename
    ... on Interactions {
      entity { id }
      risks { perpetrator { id } partner { id } enzyme { id } basis observed inferred
              evidenceKind evidenceKinds mechanism
              evidence { predicate evidence { evidenceKind observed knowledgeLevel
                                              citations { curie } } } }
    }
  }
}"""


async def test_interactions_report_mechanism_and_evidence_kind(gql: GraphQL) -> None:
    data = await gql.data(INTERACTIONS, {"entity": "mitragynine"})
    risks = data["interactions"]["risks"]
    midazolam = [r for r in risks if r["partner"]["id"] == MIDAZOLAM]
    assert midazolam
    assert midazolam[0]["basis"] == "REPORTED"
    assert midazolam[0]["observed"] is True
    assert "CYP3A" in midazolam[0]["mechanism"]
    cyp3a4 = [r for r in risks if r["partner"]["id"] == CYP3A4 and r["observed"]]
    assert cyp3a4
    assert cyp3a4[0]["basis"] == "ENZYME_MODULATION"
    assert cyp3a4[0]["evidenceKind"] == "IN_VITRO"


async def test_predictions_are_never_shown_as_observed(gql: GraphQL) -> None:
    data = await gql.data(INTERACTIONS, {"entity": "mitragynine"})
    risks = data["interactions"]["risks"]
    predicted = [
        r
        for r in risks
        if any(
            e["evidence"]["evidenceKind"] == "PREDICTED"
            or e["evidence"]["knowledgeLevel"] == "PREDICTION"
            for e in r["evidence"]
        )
    ]
    assert predicted, "the curated data holds predicted CYP inhibition (static models)"
    for risk in predicted:
        assert risk["observed"] is False
        assert risk["evidenceKind"] == "PREDICTED"
        assert all(e["evidence"]["observed"] is False for e in risk["evidence"])
    for risk in risks:
        if risk["inferred"]:
            assert risk["observed"] is False
            assert risk["evidenceKind"] == "PREDICTED"
        if risk["observed"]:
            assert all(e["evidence"]["observed"] for e in risk["evidence"])


async def test_interactions_from_the_victim_side(gql: GraphQL) -> None:
    data = await gql.data(INTERACTIONS, {"entity": "midazolam"})
    risks = data["interactions"]["risks"]
    assert any(r["partner"]["id"] == MITRAGYNINE and r["basis"] == "REPORTED" for r in risks)


PHARMACOLOGY = """
query ($compound: String!, $target: String) {
  pharmacology(compound: $compound, target: $target) {
    __typename
    ... on Unresolved { unresolved }
    ... on Ambiguous { term candidates { id } }
    ... on Pharmacology {
      compound { id }
      targets { id }
      measurements { target { id } action inConflict assay species cellSystem
                     quantity { measure comparator value unit nanomolar }
                     citations { curie iri } }
      summaries { target { id } measure unit count exactCount min median max foldRange
                  conflict }
      conflicts { target { id } measure reason measurements { quantity { nanomolar } } }
    }
  }
}"""


async def test_pharmacology_side_by_side_with_summaries(gql: GraphQL) -> None:
    data = await gql.data(PHARMACOLOGY, {"compound": "mitragynine", "target": "CYP3A4"})
    result = data["pharmacology"]
    assert result["targets"] == [{"id": CYP3A4}]
    values = {
        (m["quantity"]["measure"], m["quantity"]["nanomolar"]) for m in result["measurements"]
    }
    assert {("IC50", 41320.0), ("KI", 379180.0)} <= values
    for measurement in result["measurements"]:
        assert measurement["target"]["id"] == CYP3A4
        assert measurement["citations"]
        assert measurement["assay"]
    ki = next(s for s in result["summaries"] if s["measure"] == "KI")
    ki_values = sorted(n for m, n in values if m == "KI")
    assert ki["unit"] == "NM"
    assert ki["count"] == len(ki_values)
    assert ki["min"] == ki_values[0]
    assert ki["max"] == ki_values[-1]


async def test_an_inactivation_constant_is_no_ki_and_no_false_conflict(gql: GraphQL) -> None:
    """Mitragynine's time-dependent KI (~4 uM, CYP3A in microsomes) was once filed as a Ki at
    CYP3A4 and showed as a 95-fold 'conflict' with Hanapi's reversible Ki of 379 uM."""
    data = await gql.data(PHARMACOLOGY, {"compound": "mitragynine", "target": "CYP3A4"})
    result = data["pharmacology"]
    assert all(m["quantity"]["nanomolar"] != 4000.0 for m in result["measurements"])
    assert [c for c in result["conflicts"] if c["measure"] == "KI"] == []
    assert not any(
        m["inConflict"] for m in result["measurements"] if m["quantity"]["measure"] == "KI"
    )


async def test_pharmacology_at_a_family_expands_to_its_members(gql: GraphQL) -> None:
    data = await gql.data(PHARMACOLOGY, {"compound": "mitragynine", "target": "cytochrome P450"})
    result = data["pharmacology"]
    measured = {m["target"]["id"] for m in result["measurements"]}
    assert {CYP3A4, "UniProtKB:P10635", "UniProtKB:P11712"} <= measured  # 3A4, 2D6, 2C9
    summaries = {(s["target"]["id"], s["measure"]) for s in result["summaries"]}
    assert (CYP3A4, "IC50") in summaries


async def test_pharmacology_without_a_target_lists_every_target(gql: GraphQL) -> None:
    data = await gql.data(PHARMACOLOGY, {"compound": MITRAGYNINE})
    targets = {t["id"] for t in data["pharmacology"]["targets"]}
    assert {CYP3A4, "UniProtKB:P10635"} <= targets


async def test_pharmacology_of_an_unknown_compound(gql: GraphQL) -> None:
    data = await gql.data(PHARMACOLOGY, {"compound": "unobtainium", "target": "CYP3A4"})
    assert data["pharmacology"] == {"__typename": "Unresolved", "unresolved": ["unobtainium"]}


METABOLISM = """
query ($compound: String!) {
  metabolism(compound: $compound) {
    __typename
    ... on Metabolism {
      compound { id }
      enzymes { id }
      metabolites { id }
      steps { depth substance { id }
              enzymes { neighbour { id } evidence { evidenceKind citations { curie } } }
              products { neighbour { id } evidence { evidenceKind citations { curie } } }
              formedFrom { neighbour { id } } }
    }
  }
}"""


async def test_metabolism_chain_with_enzymes_and_evidence(gql: GraphQL) -> None:
    data = await gql.data(METABOLISM, {"compound": "mitragynine"})
    result = data["metabolism"]
    assert result["compound"]["id"] == MITRAGYNINE
    assert CYP3A4 in {e["id"] for e in result["enzymes"]}
    assert PSEUDOINDOXYL in {m["id"] for m in result["metabolites"]}
    first = result["steps"][0]
    assert (first["depth"], first["substance"]["id"]) == (0, MITRAGYNINE)
    cyp = [e for e in first["enzymes"] if e["neighbour"]["id"] == CYP3A4]
    # Human CYP3A4 holds the human in vitro findings; the mouse results are on the CYP3 family.
    assert {e["evidence"]["evidenceKind"] for e in cyp} == {"IN_VITRO"}
    family = [e for e in first["enzymes"] if e["neighbour"]["id"] == "IUPHAR.FAMILY:263"]
    assert {e["evidence"]["evidenceKind"] for e in family} == {"ANIMAL"}
    assert all(e["evidence"]["citations"] for e in first["enzymes"] + first["products"])
    assert PSEUDOINDOXYL in {p["neighbour"]["id"] for p in first["products"]}
    later = next(s for s in result["steps"] if s["substance"]["id"] == PSEUDOINDOXYL)
    assert later["depth"] >= 1
    assert MITRAGYNINE in {f["neighbour"]["id"] for f in later["formedFrom"]}


async def test_a_product_never_interacts_with_its_own_constituents(gql: GraphQL) -> None:
    """Kratom contains mitragynine: neither is the other's interaction partner."""
    kratom = (await gql.data(INTERACTIONS, {"entity": "kratom"}))["interactions"]
    mitragynine = (await gql.data(INTERACTIONS, {"entity": "mitragynine"}))["interactions"]
    kratom_id, mitragynine_id = kratom["entity"]["id"], mitragynine["entity"]["id"]
    constituents = {r["perpetrator"]["id"] for r in kratom["risks"]} - {kratom_id}
    assert mitragynine_id in constituents
    assert kratom["risks"]
    assert mitragynine["risks"]
    for risk in kratom["risks"]:
        assert risk["partner"]["id"] not in {kratom_id, *constituents}, risk
    for risk in mitragynine["risks"]:
        assert risk["partner"]["id"] not in {kratom_id, mitragynine_id}, risk


KRATOM_INTERACTIONS = """
query ($entity: String!) {
  interactions(entity: $entity) {
    ... on Interactions {
      risks { perpetrator { id } partner { id } basis observed evidenceKind
              evidence { evidence { negated evidenceKind
                                    measurement { measure value low high interval } } } }
      testedWithoutInteraction { perpetrator { id } partner { id } basis observed evidenceKind
              evidence { evidence { negated evidenceKind
                                    measurement { measure value low high interval } } } }
    }
  }
}"""
DEXTROMETHORPHAN = "PUBCHEM.COMPOUND:5360696"
KRATOM = "GBIF:7461054"
QUETIAPINE = "PUBCHEM.COMPOUND:5002"


def _measured(risk: dict[str, Any]) -> dict[str, tuple[float, float, float, str]]:
    return {
        m["measure"]: (m["value"], m["low"], m["high"], m["interval"])
        for e in risk["evidence"]
        if (m := e["evidence"]["measurement"])
    }


async def test_a_null_finding_is_listed_apart_from_the_risks(gql: GraphQL) -> None:
    """Tanna 2023: kratom did not change dextromethorphan exposure (tested, no interaction);
    it raised midazolam's (an observed clinical interaction, with its GMR and 90% CI)."""
    data = (await gql.data(KRATOM_INTERACTIONS, {"entity": "kratom"}))["interactions"]
    assert all(r["partner"]["id"] != DEXTROMETHORPHAN for r in data["risks"])
    assert all(not e["evidence"]["negated"] for r in data["risks"] for e in r["evidence"])
    (dextromethorphan,) = [
        r
        for r in data["testedWithoutInteraction"]
        if r["partner"]["id"] == DEXTROMETHORPHAN and r["perpetrator"]["id"] == KRATOM
    ]
    assert dextromethorphan["evidenceKind"] == "CLINICAL"
    assert all(e["evidence"]["negated"] for e in dextromethorphan["evidence"])
    assert _measured(dextromethorphan) == {
        "AUC_GMR": (0.99, 0.83, 1.19, "90% CI"),
        "CMAX_GMR": (0.96, 0.78, 1.19, "90% CI"),
    }
    (midazolam,) = [
        r
        for r in data["risks"]
        if r["partner"]["id"] == MIDAZOLAM and r["perpetrator"]["id"] == KRATOM
    ]
    assert (midazolam["observed"], midazolam["evidenceKind"]) == (True, "CLINICAL")
    assert _measured(midazolam) == {
        "AUC_GMR": (1.39, 1.23, 1.57, "90% CI"),
        "CMAX_GMR": (1.5, 1.32, 1.7, "90% CI"),
    }


async def test_an_authors_proposal_is_a_prediction(gql: GraphQL) -> None:
    """Hughes 2019 only discusses a kratom x quetiapine interaction: predicted, not observed."""
    data = (await gql.data(KRATOM_INTERACTIONS, {"entity": "kratom"}))["interactions"]
    (risk,) = [
        r
        for r in data["risks"]
        if r["partner"]["id"] == QUETIAPINE and r["perpetrator"]["id"] == KRATOM
    ]
    assert (risk["observed"], risk["evidenceKind"]) == (False, "PREDICTED")
