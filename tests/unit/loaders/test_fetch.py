from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from loaders import fetch
from tests.unit.loaders.conftest import fixture


def client_answering(
    body: bytes, status: int = 200, seen: list[httpx.Request] | None = None
) -> httpx.Client:
    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(status, content=body)

    return httpx.Client(transport=httpx.MockTransport(handle))


def test_download_is_cached_and_reused(tmp_path: Path) -> None:
    body = fixture("pubchem", "properties.json").read_bytes()
    seen: list[httpx.Request] = []
    with client_answering(body, seen=seen) as client:
        path = fetch.fetch("pubchem", "3034396,5288826", tmp_path, client=client)
        again = fetch.fetch("pubchem", "3034396,5288826", tmp_path, client=client)
    assert path == again
    assert path.read_bytes() == body
    assert path.suffix == ".json"
    assert len(seen) == 1  # the second call never touched the network
    assert str(seen[0].url) == (
        "https://pubchem.ncbi.nlm.nih.gov/rest/pug/compound/cid/"
        "3034396,5288826/property/Title,IUPACName,MolecularFormula,"
        "InChIKey/JSON"
    )


def test_cached_file_needs_no_client(tmp_path: Path) -> None:
    cached = fetch.cache_path("pubmed", "24698080", tmp_path)
    cached.write_text("<PubmedArticleSet/>", encoding="utf-8")
    assert fetch.fetch("pubmed", "24698080", tmp_path) == cached  # no network: none here


@pytest.mark.parametrize(
    ("source", "query", "url"),
    [
        (
            "chembl",
            "CHEMBL299031",
            "https://www.ebi.ac.uk/chembl/api/data/activity.json"
            "?molecule_chembl_id=CHEMBL299031&limit=1000",
        ),
        (
            "uniprot",
            "accession:P35372",
            "https://rest.uniprot.org/uniprotkb/search"
            "?query=accession%3AP35372&format=json&size=500",
        ),
        (
            "pubmed",
            "24698080,35335999",
            "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
            "efetch.fcgi?db=pubmed&id=24698080%2C35335999&retmode=xml",
        ),
        (
            "clinicaltrials",
            "NCT04392011",
            "https://clinicaltrials.gov/api/v2/studies/NCT04392011?format=json",
        ),
        (
            "clinicaltrials",
            "kratom",
            "https://clinicaltrials.gov/api/v2/studies?query.term=kratom&pageSize=1000&format=json",
        ),
        (
            "pubchem",
            "mitragynine",
            "https://pubchem.ncbi.nlm.nih.gov/rest/pug/compound/name/"
            "mitragynine/property/Title,IUPACName,MolecularFormula,"
            "InChIKey/JSON",
        ),
    ],
)
def test_request_urls(tmp_path: Path, source: str, query: str, url: str) -> None:
    seen: list[httpx.Request] = []
    with client_answering(b"{}", seen=seen) as client:
        fetch.fetch(source, query, tmp_path, client=client)
    assert str(seen[0].url) == url


def test_http_error_leaves_no_file(tmp_path: Path) -> None:
    with (
        client_answering(b"not found", status=404) as client,
        pytest.raises(fetch.FetchError, match="answered HTTP 404"),
    ):
        fetch.fetch("chembl", "CHEMBL299031", tmp_path, client=client)
    assert list(tmp_path.iterdir()) == []


def test_network_error_is_wrapped(tmp_path: Path) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    with (
        httpx.Client(transport=httpx.MockTransport(fail)) as client,
        pytest.raises(fetch.FetchError, match="failed: no route"),
    ):
        fetch.fetch("uniprot", "accession:P35372", tmp_path, client=client)
    assert list(tmp_path.iterdir()) == []


def test_unknown_source_and_empty_query(tmp_path: Path) -> None:
    with pytest.raises(fetch.FetchError, match="expected one of: pubchem, chembl, uniprot"):
        fetch.fetch("gtopdb", "1627", tmp_path)
    with pytest.raises(fetch.FetchError, match="an empty query"):
        fetch.fetch("pubmed", "  ", tmp_path)
