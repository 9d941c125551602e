"""studiesConnecting against the curated dataset: all terms, classes expanded, evidence shown."""

from __future__ import annotations

import pytest

from tests.integration.graphql.conftest import GraphQL

pytestmark = pytest.mark.asyncio(loop_scope="session")

HAZIM = "PMID:24464759"  # mitragynine's anxiolytic-like effect, reversed by naloxone
IDAYU = "PMID:20869223"  # mitragynine + anxiety outcome measures, no opioid mechanism tested
MATSUMOTO = "PMID:8831802"  # mitragynine antinociception reversed by naloxone: no anxiety

QUERY = """
query ($entities: [String!]!, $first: Int! = 20, $after: String) {
  studiesConnecting(entities: $entities, first: $first, after: $after) {
    __typename
    ... on Unresolved { message unresolved }
    ... on ConnectingStudies {
      terms { term matchedBy entities { id } expandedTo { id } }
      studies {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          study { id design }
          grade { score letter design designWeight species speciesWeight sampleSize
                  sampleSizeWeight extraHops directnessWeight }
          paths { term nodes { id } hops { predicate evidence {
            citations { curie iri } source studyDesign result direction tool { name } } } }
        }
      }
    }
  }
}"""


async def connect(gql: GraphQL, *entities: str, **variables: object) -> dict:  # type: ignore[type-arg]
    data = await gql.data(QUERY, {"entities": list(entities), **variables})
    result: dict = data["studiesConnecting"]  # type: ignore[type-arg]
    return result


async def test_the_anxiolytic_study_reversed_by_naloxone_is_found(gql: GraphQL) -> None:
    result = await connect(gql, "mitragynine", "opioid receptor", "anxiety")
    assert result["__typename"] == "ConnectingStudies"
    ids = [n["study"]["id"] for n in result["studies"]["nodes"]]
    assert HAZIM in ids
    hazim = next(n for n in result["studies"]["nodes"] if n["study"]["id"] == HAZIM)
    mechanism = [
        h for p in hazim["paths"] for h in p["hops"] if h["predicate"] == "TESTS_MECHANISM"
    ]
    assert any(
        h["evidence"]["result"] == "REVERSED" and h["evidence"]["tool"]["name"] == "naloxone"
        for h in mechanism
    )


async def test_studies_touching_only_two_of_three_are_excluded(gql: GraphQL) -> None:
    three = await connect(gql, "mitragynine", "opioid receptor", "anxiety")
    ids = {n["study"]["id"] for n in three["studies"]["nodes"]}
    assert IDAYU not in ids
    assert MATSUMOTO not in ids
    # ... and each of them is found when only its two terms are asked about.
    anxiety = await connect(gql, "mitragynine", "anxiety")
    assert IDAYU in {n["study"]["id"] for n in anxiety["studies"]["nodes"]}
    opioid = await connect(gql, "mitragynine", "opioid receptor")
    assert MATSUMOTO in {n["study"]["id"] for n in opioid["studies"]["nodes"]}


async def test_every_result_has_a_path_for_every_term(gql: GraphQL) -> None:
    terms = ("mitragynine", "opioid receptor", "anxiety")
    result = await connect(gql, *terms)
    assert result["studies"]["totalCount"] >= 1
    for node in result["studies"]["nodes"]:
        assert {p["term"] for p in node["paths"]} == set(terms)
        for path in node["paths"]:
            assert path["nodes"][0]["id"] == node["study"]["id"]
            assert len(path["nodes"]) == len(path["hops"]) + 1
            for hop in path["hops"]:
                assert hop["evidence"]["citations"], hop
                assert hop["evidence"]["source"].startswith("infores:")


async def test_classes_expand_through_the_hierarchy(gql: GraphQL) -> None:
    result = await connect(gql, "mitragynine", "opioid receptor", "anxiety")
    terms = {t["term"]: t for t in result["terms"]}
    assert terms["mitragynine"]["matchedBy"] == "NAME"
    opioid = terms["opioid receptor"]
    assert opioid["matchedBy"] == "CLASS"
    assert [e["id"] for e in opioid["entities"]] == ["IUPHAR.FAMILY:50"]
    members = {e["id"] for e in opioid["expandedTo"]}
    assert {"UniProtKB:P35372", "UniProtKB:P41143", "UniProtKB:P41145"} <= members
    anxiety = terms["anxiety"]
    assert [e["id"] for e in anxiety["entities"]] == ["MONDO:0005618"]
    expanded = {e["id"] for e in anxiety["expandedTo"]}
    assert {
        "MONDO:0001942",
        "MONDO:0005383",  # generalized anxiety, panic disorder
        "PHARMAKG:outcome/epm-open-arm-exploration",
    } <= expanded


async def test_an_animal_mechanism_connects_to_the_family_not_a_human_member(gql: GraphQL) -> None:
    """Mouse and rat antagonist tests (naltrindole, nor-BNI) attach to the opioid receptor
    family, never to human OPRD1/OPRK1: their paths are one hop, and any longer path goes up
    through MEMBER_OF."""
    result = await connect(gql, "mitragynine", "opioid receptors")
    paths = [
        p for n in result["studies"]["nodes"] for p in n["paths"] if p["term"] == "opioid receptors"
    ]
    direct = [p for p in paths if len(p["hops"]) == 1]
    assert direct
    assert all(p["hops"][0]["predicate"] == "TESTS_MECHANISM" for p in direct)
    assert all(p["hops"][1]["predicate"] == "MEMBER_OF" for p in paths if len(p["hops"]) == 2)


async def test_curies_names_and_classes_agree(gql: GraphQL) -> None:
    by_name = await connect(gql, "mitragynine", "opioid receptor", "anxiety")
    by_curie = await connect(gql, "PUBCHEM.COMPOUND:3034396", "IUPHAR.FAMILY:50", "MONDO:0005618")
    by_xref = await connect(
        gql, "CHEMBL.COMPOUND:CHEMBL299031", "Opioid receptors", "anxiety disorder"
    )
    ids = [{n["study"]["id"] for n in r["studies"]["nodes"]} for r in (by_name, by_curie, by_xref)]
    assert ids[0] == ids[1] == ids[2]
    assert [t["matchedBy"] for t in by_curie["terms"]] == ["ID", "ID", "ID"]
    assert by_xref["terms"][0]["matchedBy"] == "CROSS_REFERENCE"


async def test_the_grade_shows_its_inputs(gql: GraphQL) -> None:
    result = await connect(gql, "mitragynine", "opioid receptor", "anxiety")
    hazim = next(n for n in result["studies"]["nodes"] if n["study"]["id"] == HAZIM)
    grade = hazim["grade"]
    assert grade["design"] == "ANIMAL_IN_VIVO"
    assert grade["species"] == "Rattus norvegicus"
    product = (
        grade["designWeight"]
        * grade["speciesWeight"]
        * grade["sampleSizeWeight"]
        * grade["directnessWeight"]
    )
    assert grade["score"] == pytest.approx(product, abs=1e-3)
    assert grade["extraHops"] == 1  # the outcome measure -> anxiety disorder
    assert grade["letter"] in {"A", "B", "C", "D"}


async def test_results_are_ranked_by_grade_and_paged(gql: GraphQL) -> None:
    full = await connect(gql, "mitragynine", "pain")
    scores = [n["grade"]["score"] for n in full["studies"]["nodes"]]
    assert len(scores) >= 3
    assert scores == sorted(scores, reverse=True)
    first = await connect(gql, "mitragynine", "pain", first=2)
    assert first["studies"]["pageInfo"]["hasNextPage"] is True
    rest = await connect(
        gql, "mitragynine", "pain", first=50, after=first["studies"]["pageInfo"]["endCursor"]
    )
    paged = [n["study"]["id"] for n in first["studies"]["nodes"] + rest["studies"]["nodes"]]
    assert paged == [n["study"]["id"] for n in full["studies"]["nodes"]]
    assert first["studies"]["totalCount"] == full["studies"]["totalCount"]


async def test_unknown_terms_are_a_typed_result(gql: GraphQL) -> None:
    result = await connect(gql, "mitragynine", "no such thing at all")
    assert result == {
        "__typename": "Unresolved",
        "unresolved": ["no such thing at all"],
        "message": "nothing matches 'no such thing at all'",
    }


async def test_one_term_is_refused(gql: GraphQL) -> None:
    errors = await gql.errors(QUERY, {"entities": ["mitragynine"]})
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "between 2 and 6" in errors[0]["message"]


NULL_FINDINGS = """
query ($entities: [String!]!) {
  studiesConnecting(entities: $entities) {
    ... on ConnectingStudies {
      studies { nodes { study { id } grade { score }
                        nullFindings { predicate evidence { negated } } } }
    }
  }
}"""


async def test_a_null_finding_counts_as_evidence_against(gql: GraphQL) -> None:
    """Tanna 2023 connects kratom and dextromethorphan through a finding of no change: the
    study lists it among its null findings, never as support."""
    data = await gql.data(
        NULL_FINDINGS, {"entities": ["kratom", "PHARMAKG:outcome/dextromethorphan-auc"]}
    )
    studies = data["studiesConnecting"]["studies"]["nodes"]
    (tanna,) = [s for s in studies if s["study"]["id"] == "PMID:36924284"]
    assert [f["predicate"] for f in tanna["nullFindings"]] == ["MEASURES"]
    hazim = await gql.data(
        NULL_FINDINGS, {"entities": ["mitragynine", "opioid receptor", "anxiety"]}
    )
    for study in hazim["studiesConnecting"]["studies"]["nodes"]:
        if study["study"]["id"] == "PMID:24464759":
            assert study["nullFindings"] == []  # naloxone reversed: a positive finding
