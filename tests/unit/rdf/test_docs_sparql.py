"""The SPARQL examples in docs/rdf.md run on the curated export and find something."""

from __future__ import annotations

import io
import re
from datetime import date

import pyoxigraph as ox
import pytest

from api.settings import PROJECT_ROOT
from ontology import rdf
from tests.unit.rdf.test_mapping import curated_records

DOC = PROJECT_ROOT / "docs" / "rdf.md"
INFO = rdf.DatasetInfo(version="0.0.test", created=date(2026, 11, 24))


def doc_queries() -> list[str]:
    """Each query of each ```sparql block; a block may hold several, each after a # comment."""
    queries = []
    for block in re.findall(r"```sparql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        lines = block.splitlines()
        prefixes = [line for line in lines if line.startswith("PREFIX")]
        body = "\n".join(line for line in lines if not line.startswith("PREFIX"))
        queries += ["\n".join(prefixes) + "\n" + part
                    for part in re.split(r"\n(?=# )", body) if "SELECT" in part]
    return queries


def curated_store(*, star: bool) -> ox.Store:
    fmt = rdf.FORMATS["nt"]
    text = io.StringIO()
    rdf.export_records(curated_records(),
                       rdf.Exporter(rdf.writer_for(fmt, text.write), INFO, fmt=fmt, star=star))
    store = ox.Store()
    store.load(text.getvalue().encode(), ox.RdfFormat.N_TRIPLES)
    return store


def test_the_doc_has_its_examples() -> None:
    assert len(doc_queries()) >= 4


@pytest.mark.parametrize("query", doc_queries(), ids=lambda q: q.split("SELECT")[0][-60:])
def test_a_doc_example_answers(query: str) -> None:
    store = curated_store(star="rdf:reifies" in query)
    rows = list(store.query(query))  # type: ignore[arg-type]
    assert rows, query
