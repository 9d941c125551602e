"""The example queries in docs/queries run against the curated dataset, answers asserted."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from api.settings import PROJECT_ROOT
from tests.integration.graphql.conftest import GraphQL

QUERIES = PROJECT_ROOT / "docs" / "queries"
Data = dict[str, Any]
MITRAGYNINE = "PUBCHEM.COMPOUND:3034396"
SEVEN_OH = "PUBCHEM.COMPOUND:44301524"
CYP3A4 = "UniProtKB:P08684"
CYP2D6 = "UniProtKB:P10635"
MOR = "UniProtKB:P35372"


def check_studies_connecting(data: Data) -> None:
    result = data["studiesConnecting"]
    ids = [n["study"]["id"] for n in result["studies"]["nodes"]]
    assert "PMID:24464759" in ids  # Hazim 2014: anxiolytic-like effect reversed by naloxone
    assert "PMID:20869223" not in ids  # Idayu 2011: anxiety, no opioid mechanism
    assert "PMID:8831802" not in ids  # Matsumoto 1996: opioid, no anxiety
    terms = {t["term"] for t in result["terms"]}
    for node in result["studies"]["nodes"]:
        assert {p["term"] for p in node["paths"]} == terms
        assert all(h["evidence"]["citations"] for p in node["paths"] for h in p["hops"])
        grade = node["grade"]
        assert 0 < grade["score"] <= 1
        assert grade["designWeight"]
        assert grade["directnessWeight"]


def check_paths(data: Data) -> None:
    result = data["paths"]
    assert result["source"]["id"] == MITRAGYNINE
    assert result["paths"]
    for path in result["paths"]:
        assert "PMID:24464759" in [n["id"] for n in path["nodes"]]
        assert all(h["evidence"]["citations"] for h in path["hops"])


def check_interactions(data: Data) -> None:
    assert data["interactions"]["entity"]["name"] == "Mitragyna speciosa"  # kratom
    risks = data["interactions"]["risks"]
    assert any(r["partner"]["name"] == "midazolam" and r["observed"] for r in risks)
    for risk in risks:
        if risk["inferred"] or risk["evidenceKind"] == "PREDICTED":
            assert risk["observed"] is False
        if risk["observed"]:
            assert all(e["evidence"]["observed"] for e in risk["evidence"])


def check_pharmacology(data: Data) -> None:
    result = data["pharmacology"]
    assert [t["id"] for t in result["targets"]] == [MOR]
    # Kruegel 2016 and Todd 2020: a partial agonist (no value read), and no beta-arrestin
    # recruitment (null findings, negated), side by side.
    found = {(q["predicate"], q["evidence"]["negated"]) for q in result["qualitative"]}
    assert found == {("PARTIAL_AGONIST_OF", False), ("AGONIST_OF", True)}
    assert len(result["qualitative"]) == 4
    assert all(q["evidence"]["citations"] for q in result["qualitative"])


def check_receptor_profile(data: Data) -> None:
    entity = data["entity"]
    assert entity["id"] == MITRAGYNINE
    nodes = entity["activities"]["nodes"]
    assert entity["activities"]["totalCount"] == len(nodes)
    targets = {n["neighbour"]["id"] for n in nodes}
    assert {MOR, CYP3A4, CYP2D6, "UniProtKB:P08913"} <= targets  # and ADRA2A
    ki = [
        n["evidence"]["measurement"]
        for n in nodes
        if n["neighbour"]["id"] == "UniProtKB:P08913" and n["evidence"]["measurement"]
    ]
    assert [(q["measure"], q["value"], q["unit"]) for q in ki] == [("KI", 1260.0, "NM")]
    assert all(n["evidence"]["citations"] for n in nodes)


def check_mu_opioid_ranking(data: Data) -> None:
    assert data["receptor"]["symbol"] == "OPRM1"
    ligands = data["receptor"]["ligands"]["nodes"]
    assert {n["neighbour"]["id"] for n in ligands} == {MITRAGYNINE, SEVEN_OH}
    ranked = data["ranked"]["nodes"]  # Obeng 2021: 7-OH-mitragynine, Emax 41.3 %
    assert [(m["compound"]["id"], m["quantity"]["text"]) for m in ranked] == [
        (SEVEN_OH, "Emax = 41.3 %")
    ]


def check_metabolism(data: Data) -> None:
    result = data["metabolism"]
    assert CYP3A4 in {e["id"] for e in result["enzymes"]}
    assert "PUBCHEM.COMPOUND:44301701" in {m["id"] for m in result["metabolites"]}
    assert result["steps"][0]["substance"]["id"] == MITRAGYNINE


def check_lookup(data: Data) -> None:
    assert data["byId"]["id"] == MITRAGYNINE
    assert data["byId"]["activities"]["totalCount"] >= 5
    assert [e["id"] for e in data["byName"]] == ["UniProtKB:P35372"]
    assert data["byName"][0]["symbol"] == "OPRM1"


def check_search(data: Data) -> None:
    assert data["search"]["totalCount"] >= 3
    assert all(
        s["species"] == "Rattus norvegicus" and s["year"] >= 2015
        for s in data["ratStudies"]["nodes"]
    )
    values = [m["quantity"]["nanomolar"] for m in data["cypInhibition"]["nodes"]]
    assert values
    assert values == sorted(values)
    assert all(v <= 20000 for v in values)


CHECKS: dict[str, Callable[[Data], None]] = {
    "studies-connecting": check_studies_connecting,
    "paths": check_paths,
    "interactions": check_interactions,
    "pharmacology": check_pharmacology,
    "metabolism": check_metabolism,
    "lookup": check_lookup,
    "search": check_search,
    "receptor-profile": check_receptor_profile,
    "mu-opioid-ranking": check_mu_opioid_ranking,
}


def test_every_example_query_has_its_answer_checked() -> None:
    assert {p.stem for p in QUERIES.glob("*.graphql")} == set(CHECKS)


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize("name", sorted(CHECKS))
async def test_example_query(gql: GraphQL, name: str) -> None:
    run: Callable[[str], Awaitable[Data]] = gql.data
    data = await run(Path(QUERIES / f"{name}.graphql").read_text(encoding="utf-8"))
    CHECKS[name](data)
