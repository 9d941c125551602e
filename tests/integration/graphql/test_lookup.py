"""Finding things: by CURIE, cross-reference, name or synonym; search; filters; pagination."""

from __future__ import annotations

import pytest

from tests.integration.graphql.conftest import GraphQL

pytestmark = pytest.mark.asyncio(loop_scope="session")

MITRAGYNINE = "PUBCHEM.COMPOUND:3034396"

ENTITY = """
query ($id: ID!) {
  entity(id: $id) {
    __typename
    ... on NotFound { message id }
    ... on Entity { id iri name category synonyms xrefs { curie prefix localId iri } source }
  }
}"""


async def test_lookup_by_curie_gives_iri_and_cross_references(gql: GraphQL) -> None:
    data = await gql.data(ENTITY, {"id": MITRAGYNINE})
    entity = data["entity"]
    assert entity["__typename"] == "Alkaloid"
    assert entity["category"] == "ALKALOID"
    assert entity["name"] == "mitragynine"
    assert entity["iri"].endswith("3034396")
    assert entity["iri"].startswith("http")
    chembl = next(x for x in entity["xrefs"] if x["prefix"] == "CHEMBL.COMPOUND")
    assert chembl == {
        "curie": "CHEMBL.COMPOUND:CHEMBL299031",
        "prefix": "CHEMBL.COMPOUND",
        "localId": "CHEMBL299031",
        "iri": chembl["iri"],
    }
    assert chembl["iri"].endswith("CHEMBL299031")


async def test_lookup_by_cross_reference(gql: GraphQL) -> None:
    for xref in ("CHEMBL.COMPOUND:CHEMBL299031", "HGNC:8156"):
        data = await gql.data(ENTITY, {"id": xref})
        assert data["entity"]["__typename"] in {"Alkaloid", "Receptor"}
    data = await gql.data(ENTITY, {"id": "HGNC:8156"})
    assert data["entity"]["id"] == "UniProtKB:P35372"


async def test_lookup_of_an_unknown_id_is_not_found(gql: GraphQL) -> None:
    data = await gql.data(ENTITY, {"id": "PUBCHEM.COMPOUND:1"})
    assert data["entity"] == {
        "__typename": "NotFound",
        "id": "PUBCHEM.COMPOUND:1",
        "message": "no entity has the id or cross-reference PUBCHEM.COMPOUND:1",
    }


async def test_lookup_by_id_does_not_match_names(gql: GraphQL) -> None:
    data = await gql.data(ENTITY, {"id": "mitragynine"})
    assert data["entity"]["__typename"] == "NotFound"


BY_NAME = """
query ($name: String!, $categories: [Category!]) {
  entities(name: $name, categories: $categories) { __typename id name }
}"""


async def test_lookup_by_name_or_synonym_ignores_case(gql: GraphQL) -> None:
    for name in ("Mitragynine", "MG", "(-)-mitragynine"):
        data = await gql.data(BY_NAME, {"name": name})
        assert MITRAGYNINE in {e["id"] for e in data["entities"]}, name
    data = await gql.data(BY_NAME, {"name": "mor"})
    assert [e["id"] for e in data["entities"]] == ["UniProtKB:P35372"]
    data = await gql.data(BY_NAME, {"name": "oprm1"})  # the gene symbol
    assert [e["id"] for e in data["entities"]] == ["UniProtKB:P35372"]


async def test_lookup_by_name_is_exact(gql: GraphQL) -> None:
    data = await gql.data(BY_NAME, {"name": "mitragyn"})
    assert data["entities"] == []
    data = await gql.data(BY_NAME, {"name": "mitragynine", "categories": ["DRUG"]})
    assert data["entities"] == []


SEARCH = """
query ($text: String!, $categories: [Category!], $first: Int! = 10, $after: String) {
  search(text: $text, categories: $categories, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { score entity { __typename id name } } }
  }
}"""


async def test_search_is_ranked_across_categories(gql: GraphQL) -> None:
    data = await gql.data(SEARCH, {"text": "opioid receptor", "first": 50})
    hits = data["search"]["edges"]
    scores = [h["node"]["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    kinds = {h["node"]["entity"]["__typename"] for h in hits}
    assert {"Receptor", "Study", "TargetFamily"} <= kinds
    top = {h["node"]["entity"]["id"] for h in hits[:3]}
    assert "UniProtKB:P35372" in top


async def test_search_filters_categories_and_pages(gql: GraphQL) -> None:
    data = await gql.data(SEARCH, {"text": "opioid", "categories": ["RECEPTOR"], "first": 2})
    page = data["search"]
    assert {h["node"]["entity"]["__typename"] for h in page["edges"]} == {"Receptor"}
    assert page["totalCount"] >= 3
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await gql.data(
        SEARCH,
        {
            "text": "opioid",
            "categories": ["RECEPTOR"],
            "first": 50,
            "after": page["pageInfo"]["endCursor"],
        },
    )
    ids = [h["node"]["entity"]["id"] for h in page["edges"] + rest["search"]["edges"]]
    assert len(ids) == len(set(ids)) == page["totalCount"]


async def test_search_text_is_not_a_lucene_query(gql: GraphQL) -> None:
    data = await gql.data(SEARCH, {"text": 'mitragynine) OR name:* AND "'})
    assert data["search"]["totalCount"] >= 1


STUDIES = """
query ($filter: StudyFilter, $sort: StudySort, $first: Int! = 20, $after: String) {
  studies(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id year design species sampleSize }
  }
}"""


async def test_studies_filtered_by_design_species_and_year(gql: GraphQL) -> None:
    data = await gql.data(
        STUDIES, {"filter": {"designs": ["ANIMAL_IN_VIVO"], "species": ["rat"], "yearFrom": 2015}}
    )
    studies = data["studies"]["nodes"]
    assert studies
    for study in studies:
        assert study["design"] == "ANIMAL_IN_VIVO"
        assert study["species"] == "Rattus norvegicus"
        assert study["year"] >= 2015


async def test_studies_filtered_by_sample_size_and_sorted(gql: GraphQL) -> None:
    data = await gql.data(
        STUDIES,
        {"filter": {"minSampleSize": 100}, "sort": {"field": "SAMPLE_SIZE", "descending": True}},
    )
    sizes = [s["sampleSize"] for s in data["studies"]["nodes"]]
    assert sizes
    assert all(n >= 100 for n in sizes)
    assert sizes == sorted(sizes, reverse=True)


async def test_studies_by_what_they_gave_and_paged(gql: GraphQL) -> None:
    variables = {"filter": {"investigates": "mitragynine"}, "sort": {"field": "YEAR"}}
    everything = await gql.data(STUDIES, {**variables, "first": 100})
    total = everything["studies"]["totalCount"]
    assert total >= 10
    assert "PMID:24464759" in {s["id"] for s in everything["studies"]["nodes"]}
    seen: list[str] = []
    after = None
    while True:
        page = await gql.data(STUDIES, {**variables, "first": 4, "after": after})
        seen += [s["id"] for s in page["studies"]["nodes"]]
        if not page["studies"]["pageInfo"]["hasNextPage"]:
            break
        after = page["studies"]["pageInfo"]["endCursor"]
    assert seen == [s["id"] for s in everything["studies"]["nodes"]]


MEASUREMENTS = """
query ($filter: MeasurementFilter, $sort: MeasurementSort) {
  measurements(filter: $filter, sort: $sort, first: 100) {
    totalCount
    nodes { compound { id } target { id } action assay species inConflict
            quantity { measure value unit nanomolar } }
  }
}"""


async def test_measurements_by_measure_and_value_range(gql: GraphQL) -> None:
    data = await gql.data(
        MEASUREMENTS,
        {"filter": {"measures": ["IC50"], "valueMin": 1, "valueMax": 20, "unit": "UM"}},
    )
    found = data["measurements"]["nodes"]
    assert found
    for item in found:
        assert item["quantity"]["measure"] == "IC50"
        assert 1000 <= item["quantity"]["nanomolar"] <= 20000
        assert item["inConflict"] is None  # only pharmacology assesses conflicts
    values = [m["quantity"]["nanomolar"] for m in found]
    assert values == sorted(values)


async def test_measurements_by_assay_species_and_target_family(gql: GraphQL) -> None:
    data = await gql.data(
        MEASUREMENTS,
        {
            "filter": {"assay": "LUMINESCENCE", "species": ["human"], "target": "cytochrome P450"},
            "sort": {"field": "VALUE", "descending": True},
        },
    )
    found = data["measurements"]["nodes"]
    assert len(found) >= 3
    assert all("luminescence" in m["assay"].lower() for m in found)
    assert all(m["species"] == "human" for m in found)
    assert all(m["target"]["id"].startswith("UniProtKB:") for m in found)


RELATIONS = """
query ($id: ID!, $first: Int!, $after: String) {
  entity(id: $id) {
    ... on Entity {
      relations(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id predicate evidence { citations { curie } source } } }
      }
    }
  }
}"""


async def test_relations_are_paged_with_cursors_and_total(gql: GraphQL) -> None:
    first = await gql.data(RELATIONS, {"id": MITRAGYNINE, "first": 5})
    page = first["entity"]["relations"]
    assert page["totalCount"] > 5
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["pageInfo"]["hasPreviousPage"] is False
    second = await gql.data(
        RELATIONS, {"id": MITRAGYNINE, "first": 5, "after": page["pageInfo"]["endCursor"]}
    )
    next_page = second["entity"]["relations"]
    assert next_page["pageInfo"]["hasPreviousPage"] is True
    ids = [e["node"]["id"] for e in page["edges"] + next_page["edges"]]
    assert len(set(ids)) == 10
    assert all(e["node"]["evidence"]["source"].startswith("infores:") for e in page["edges"])
