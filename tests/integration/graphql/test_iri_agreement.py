"""GraphQL's ``iri`` and the RDF export's subject IRIs are the same, for every entity.

Both come from ``ontology.identifiers``; these tests hold them together (and to the resolvers
each prefix should point at, written out here independently) on the curated graph and on
awkward valid identifiers: a DOI with ``<`` and ``>``, one with ``;`` and ``()``, one with a
space.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from neo4j import Driver
from rdflib import Graph, Literal, URIRef

from api.app import create_app
from api.settings import Settings
from graph.stats import delete_all
from graph.writer import write
from ontology import rdf
from ontology.identifiers import compress, expand
from ontology.records import Node
from ontology.vocab import Category
from tests.conftest import GraphState, Neo4jEndpoint
from tests.integration.graphql.conftest import GraphQL, make_settings, serve
from tests.unit.rdf import fixture_graph as fx

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Where each prefix's IRIs must point (the resolvers as published; not read from the code).
RESOLVERS = {
    "PUBCHEM.COMPOUND": "http://identifiers.org/pubchem.compound/",
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "CHEMBL.COMPOUND": "http://identifiers.org/chembl.compound/",
    "INCHIKEY": "http://identifiers.org/inchikey/",
    "DRUGBANK": "http://identifiers.org/drugbank/",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "GBIF": "https://www.gbif.org/species/",
    "UniProtKB": "http://purl.uniprot.org/uniprot/",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "PMID": "http://www.ncbi.nlm.nih.gov/pubmed/",
    "DOI": "https://doi.org/",
    "NCT": "https://www.clinicaltrials.gov/study/",
    "NCBITaxon": "http://purl.obolibrary.org/obo/NCBITaxon_",
    "IUPHAR.FAMILY": "http://identifiers.org/iuphar.family/",
    "PHARMAKG": "https://w3id.org/pharmakg/id/",
}

# Valid DOIs (Bioregistry's pattern) that IRIs cannot hold as they are.
AWKWARD = {
    "DOI:10.1002/(SICI)1097-0274(199602)29:2<165::AID-AJIM3>3.0.CO;2-7": "https://doi.org/10.1002/(SICI)1097-0274(199602)29:2%3C165::AID-AJIM3%3E3.0.CO;2-7",
    "DOI:10.1016/S0140-6736(97)11096-0;x": "https://doi.org/10.1016/S0140-6736(97)11096-0;x",
    "DOI:10.1000/two words": "https://doi.org/10.1000/two%20words",
}

_IRI_QUERY = "... on Entity { id iri }"


async def graphql_iris(gql: GraphQL, curies: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for start in range(0, len(curies), 20):  # the API allows 20 aliases a query
        batch = curies[start : start + 20]
        fields = " ".join(
            f"e{i}: entity(id: {json.dumps(c)}) {{ {_IRI_QUERY} }}" for i, c in enumerate(batch)
        )
        data = await gql.data(f"{{ {fields} }}")
        out |= {data[f"e{i}"]["id"]: data[f"e{i}"]["iri"] for i in range(len(batch))}
    return out


async def export_subjects(gql: GraphQL) -> dict[str, str]:
    """CURIE -> subject IRI of every entity in the RDF export (N-Triples)."""
    response = await gql.client.get("/rdf/export", params={"format": "nt"})
    assert response.status_code == 200, response.text
    graph = Graph().parse(data=response.text, format="nt")
    classes = {URIRef(rdf.class_iri(c)) for c in Category}
    subjects = {s for s, _, o in graph.triples((None, URIRef(rdf.RDF_TYPE), None)) if o in classes}
    out: dict[str, str] = {}
    for subject in subjects:
        identifier = graph.value(subject, URIRef(rdf.DCT_IDENTIFIER))
        assert isinstance(identifier, Literal)
        out[str(identifier)] = str(subject)
    return out


def assert_resolver(curie: str, iri: str) -> None:
    prefix, _, local = curie.partition(":")
    assert iri.startswith(RESOLVERS[prefix]), (curie, iri)
    assert (
        iri.removeprefix(RESOLVERS[prefix])
        .replace("%20", " ")
        .replace("%3C", "<")
        .replace("%3E", ">")
        == local
    ), (curie, iri)


@pytest_asyncio.fixture
async def curated_gql(curated_db: Driver, neo4j_endpoint: Neo4jEndpoint) -> AsyncIterator[GraphQL]:
    del curated_db  # loaded
    # A patient timeout: 183 entity lookups on a busy test machine.
    settings = make_settings(neo4j_endpoint, PHARMAKG_QUERY_TIMEOUT=120)
    async with serve(create_app(settings)) as client:
        yield GraphQL(client)


async def test_graphql_iri_is_the_export_subject_for_every_curated_node(
    curated_gql: GraphQL,
) -> None:
    gql = curated_gql
    subjects = await export_subjects(gql)
    assert len(subjects) > 150
    iris = await graphql_iris(gql, sorted(subjects))
    assert iris == subjects
    for curie, iri in iris.items():
        assert_resolver(curie, iri)


@pytest_asyncio.fixture
async def awkward_gql(
    driver: Driver, graph_state: GraphState, settings: Settings
) -> AsyncIterator[GraphQL]:
    delete_all(driver)
    graph_state.curated_loaded = False
    studies = [
        fx.node(curie, Category.STUDY, f"study {i}", design="animal_in_vivo")
        for i, curie in enumerate(AWKWARD)
    ]
    assert write(driver, [*studies, *fx.RECORDS], atomic=True).rejected == 0
    async with serve(create_app(settings)) as client:
        yield GraphQL(client)


async def test_awkward_identifiers_have_one_valid_iri(awkward_gql: GraphQL) -> None:
    subjects = await export_subjects(awkward_gql)
    iris = await graphql_iris(awkward_gql, list(AWKWARD))
    assert iris == AWKWARD
    assert {c: subjects[c] for c in AWKWARD} == AWKWARD
    for curie, iri in iris.items():
        assert not set(iri) & set('<> "{}|^`\\'), iri
        assert_resolver(curie, iri)


@pytest.mark.parametrize("curie", list(AWKWARD))
def test_awkward_identifiers_round_trip(curie: str) -> None:
    assert Node(id=curie, category=Category.STUDY, name="x", source="infores:pharmakg").id == curie
    assert compress(expand(curie)) == curie


async def test_a_study_is_found_by_its_doi_pmid_or_nct(
    curated_gql: GraphQL, curated_db: Driver
) -> None:
    records, _, _ = curated_db.execute_query(
        "MATCH (s:Study) WHERE s.doi IS NOT NULL AND s.pmid IS NOT NULL AND s.nct IS NOT NULL "
        "RETURN s.id AS id, s.doi AS doi, s.pmid AS pmid, s.nct AS nct ORDER BY id LIMIT 1"
    )
    [study] = records
    hazim = await curated_gql.client.get("/entity/DOI:10.1007/s12576-014-0304-0")
    assert hazim.status_code == 303
    assert hazim.headers["location"].endswith("/entity/PMID:24464759")
    for curie in (f"DOI:{study['doi']}", f"PMID:{study['pmid']}", f"NCT:{study['nct']}"):
        if curie == study["id"]:
            continue
        response = await curated_gql.client.get(f"/entity/{curie}")
        assert response.status_code == 303, curie
        assert response.headers["location"].endswith(f"/entity/{study['id']}")
