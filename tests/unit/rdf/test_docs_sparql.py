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
    """Each ```sparql block of the page, as pasted: one query each."""
    return re.findall(r"```sparql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def curated_store(*, star: bool, quads: bool = False) -> ox.Store:
    fmt = rdf.FORMATS["nq" if quads else "nt"]
    text = io.StringIO()
    rdf.export_records(
        curated_records(), rdf.Exporter(rdf.writer_for(fmt, text.write), INFO, fmt=fmt, star=star)
    )
    store = ox.Store()
    store.load(text.getvalue().encode(), ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES)
    return store


def test_the_doc_has_its_examples_one_query_a_block() -> None:
    queries = doc_queries()
    assert len(queries) >= 5
    assert all(q.count("SELECT") == 1 for q in queries)
    assert any("GRAPH ?g" in q for q in queries)
    assert any("rdf:reifies" in q for q in queries)


@pytest.mark.parametrize("query", doc_queries(), ids=lambda q: q.splitlines()[0][:60])
def test_a_doc_example_answers_as_pasted(query: str) -> None:
    store = curated_store(star="rdf:reifies" in query, quads="GRAPH" in query)
    rows = list(store.query(query))  # type: ignore[arg-type]
    assert rows, query


def test_quads_need_graph_and_star_needs_the_triple_term() -> None:
    """Why the saved queries find nothing on N-Quads and RDF-star exports (as the doc says)."""
    saved = (PROJECT_ROOT / "docs" / "queries" / "metabolism.rq").read_text(encoding="utf-8")
    assert list(curated_store(star=False).query(saved))  # type: ignore[arg-type]
    assert not list(curated_store(star=False, quads=True).query(saved))  # type: ignore[arg-type]
    assert not list(curated_store(star=True).query(saved))  # type: ignore[arg-type]
    union = curated_store(star=False, quads=True).query(saved, use_default_graph_as_union=True)
    assert list(union)  # type: ignore[arg-type]
