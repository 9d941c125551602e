"""Download one page of a public API into a cache directory, for the loaders to read offline.

``fetch(source, query, cache_dir)`` builds the request for the source, and returns the cached
file when one exists (no network at all), else downloads it, streaming it to a temporary file
that is renamed into place only once complete, so an interrupted download never leaves a
truncated file to be mistaken for a good one. One request gives one page: the loaders read
pages, and a caller wanting more narrows its queries.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from loaders.errors import LoaderError

TIMEOUT_SECONDS = 60.0
USER_AGENT = "pharmakg/0.1 (PharmaKG source loader)"
_NCT = re.compile(r"^NCT\d{8}$")
_CIDS = re.compile(r"^\d+(,\d+)*$")
PUBCHEM_PROPERTIES = "Title,IUPACName,MolecularFormula,InChIKey"


class FetchError(LoaderError):
    """A download failed: unknown source, HTTP error or network error."""


@dataclass(frozen=True)
class Request:
    url: str
    params: dict[str, str]
    suffix: str  # of the cached file, so ``detect_source`` and the loaders recognise it


def _pubchem(query: str) -> Request:
    by = "cid" if _CIDS.match(query) else "name"
    base = "https://pubchem.ncbi.nlm.nih.gov/rest/pug/compound"
    return Request(f"{base}/{by}/{query}/property/{PUBCHEM_PROPERTIES}/JSON", {}, ".json")


def _chembl(query: str) -> Request:
    return Request(
        "https://www.ebi.ac.uk/chembl/api/data/activity.json",
        {"molecule_chembl_id": query, "limit": "1000"},
        ".json",
    )


def _uniprot(query: str) -> Request:
    return Request(
        "https://rest.uniprot.org/uniprotkb/search",
        {"query": query, "format": "json", "size": "500"},
        ".json",
    )


def _pubmed(query: str) -> Request:
    return Request(
        "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi",
        {"db": "pubmed", "id": query, "retmode": "xml"},
        ".xml",
    )


def _clinicaltrials(query: str) -> Request:
    base = "https://clinicaltrials.gov/api/v2/studies"
    if _NCT.match(query):
        return Request(f"{base}/{query}", {"format": "json"}, ".json")
    return Request(base, {"query.term": query, "pageSize": "1000", "format": "json"}, ".json")


REQUESTS: dict[str, Callable[[str], Request]] = {
    "pubchem": _pubchem,  # CIDs ("3034396,5288826") or a name
    "chembl": _chembl,  # a molecule ChEMBL id: its activities
    "uniprot": _uniprot,  # a UniProt query ("accession:P35372")
    "pubmed": _pubmed,  # PMIDs, comma-separated
    "clinicaltrials": _clinicaltrials,  # an NCT id, or search terms
}


def request_for(source: str, query: str) -> Request:
    build = REQUESTS.get(source)
    if build is None:
        raise FetchError(f"cannot fetch {source!r}; expected one of: {', '.join(REQUESTS)}")
    if not query.strip():
        raise FetchError(f"an empty query for {source}")
    return build(query.strip())


def cache_path(source: str, query: str, cache_dir: Path) -> Path:
    """Where the answer to this request is cached: one file per source and exact request."""
    request = request_for(source, query)
    key = request.url + "?" + "&".join(f"{k}={v}" for k, v in sorted(request.params.items()))
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return cache_dir / f"{source}-{digest}{request.suffix}"


def fetch(source: str, query: str, cache_dir: Path, *, client: httpx.Client | None = None) -> Path:
    """The cached answer to ``query`` from ``source``'s API, downloading it if not cached."""
    target = cache_path(source, query, cache_dir)
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    if client is not None:
        _download(client, request_for(source, query), target)
        return target
    with httpx.Client(
        timeout=TIMEOUT_SECONDS, follow_redirects=True, headers={"User-Agent": USER_AGENT}
    ) as own_client:
        _download(own_client, request_for(source, query), target)
    return target


def _download(client: httpx.Client, request: Request, target: Path) -> None:
    partial_file = target.with_name(target.name + ".part")
    try:
        with client.stream("GET", request.url, params=request.params) as response:
            if response.status_code != httpx.codes.OK:
                raise FetchError(f"{request.url} answered HTTP {response.status_code}")
            with partial_file.open("wb") as out:
                for chunk in response.iter_bytes():
                    out.write(chunk)
        partial_file.replace(target)
    except httpx.HTTPError as error:
        raise FetchError(f"downloading {request.url} failed: {error}") from error
    finally:
        partial_file.unlink(missing_ok=True)
