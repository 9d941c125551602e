"""Receptor pharmacology of the kratom alkaloids (pharmacology-receptors.tsv) through GraphQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.graphql.conftest import GraphQL

pytestmark = pytest.mark.asyncio(loop_scope="session")

MOR, DOR, KOR = "UniProtKB:P35372", "UniProtKB:P41143", "UniProtKB:P41145"
ALPHA2A = "UniProtKB:P08913"
KRUEGEL_2016, TODD_2020 = "DOI:10.1021/jacs.6b00360", "DOI:10.1038/s41598-020-76119-w"

PHARMACOLOGY = """
query ($compound: String!, $target: String) {
  pharmacology(compound: $compound, target: $target) {
    __typename
    ... on Pharmacology {
      targets { id }
      measurements { target { id } action assay species
                     quantity { measure comparator value unit nanomolar }
                     citations { curie } }
      qualitative { predicate object { id }
                    evidence { assay species negated sourceLocation citations { curie } } }
    }
  }
}"""


def findings(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Every finding, with or without a value: target, assay, species, citations, negated."""
    rows = [
        {
            "target": m["target"]["id"],
            "assay": m["assay"],
            "species": m["species"],
            "citations": {c["curie"] for c in m["citations"]},
            "negated": False,
        }
        for m in result["measurements"]
    ]
    rows += [
        {
            "target": q["object"]["id"],
            "assay": q["evidence"]["assay"],
            "species": q["evidence"]["species"],
            "negated": q["evidence"]["negated"],
            "citations": {c["curie"] for c in q["evidence"]["citations"]},
        }
        for q in result["qualitative"]
    ]
    return rows


async def pharmacology(gql: GraphQL, compound: str, target: str) -> dict[str, Any]:
    data = await gql.data(PHARMACOLOGY, {"compound": compound, "target": target})
    result: dict[str, Any] = data["pharmacology"]
    assert result["__typename"] == "Pharmacology"
    return result


async def test_mitragynine_at_oprm1_from_two_sources_with_assay_species_and_citation(
    gql: GraphQL,
) -> None:
    result = await pharmacology(gql, "mitragynine", "OPRM1")
    at_mor = [f for f in findings(result) if f["target"] == MOR]
    assert len(at_mor) >= 3
    for finding in at_mor:
        assert finding["assay"]
        assert finding["citations"]
        assert finding["species"] == "human"  # UniProtKB:P35372 is the human receptor
    sources = {frozenset(f["citations"]) for f in at_mor}
    assert len(sources) >= 2
    assert {KRUEGEL_2016, TODD_2020} <= set().union(*sources)


async def test_mitragynine_at_the_opioid_receptor_family_covers_mor_dor_and_kor(
    gql: GraphQL,
) -> None:
    result = await pharmacology(gql, "mitragynine", "opioid receptor")
    assert {MOR, DOR, KOR} <= {t["id"] for t in result["targets"]}
    assert {MOR, DOR, KOR} <= {f["target"] for f in findings(result)}


async def test_antagonism_and_the_arrestin_null_result_keep_their_level(gql: GraphQL) -> None:
    result = await pharmacology(gql, "mitragynine", "opioid receptor")
    by_target: dict[str, set[str]] = {}
    for relation in result["qualitative"]:
        by_target.setdefault(relation["object"]["id"], set()).add(relation["predicate"])
    assert by_target[KOR] == {"ANTAGONIST_OF"}
    assert by_target[DOR] == {"ANTAGONIST_OF"}
    arrestin = [
        q
        for q in result["qualitative"]
        if q["object"]["id"] == MOR and "arrestin" in (q["evidence"]["assay"] or "")
    ]
    assert arrestin
    assert all(q["evidence"]["negated"] for q in arrestin)
    partial = [
        q
        for q in result["qualitative"]
        if q["object"]["id"] == MOR and q["predicate"] == "PARTIAL_AGONIST_OF"
    ]
    assert partial
    assert not any(q["evidence"]["negated"] for q in partial)


async def test_mitragynine_binds_the_human_alpha2a_adrenoceptor_at_micromolar_affinity(
    gql: GraphQL,
) -> None:
    result = await pharmacology(gql, "mitragynine", "ADRA2A")
    ki = [
        m
        for m in result["measurements"]
        if m["target"]["id"] == ALPHA2A and m["quantity"]["measure"] == "KI"
    ]
    assert [m["quantity"]["nanomolar"] for m in ki] == [1260.0]
    assert "[3H]RX821002" in ki[0]["assay"]
    assert ki[0]["species"] == "human"
    gtp = [q for q in result["qualitative"] if "GTP" in (q["evidence"]["assay"] or "")]
    assert gtp
    assert all(q["evidence"]["negated"] for q in gtp)
