"""Records made in memory load exactly as a source's files do (``pipeline.load_records``, the
load benchmark's path): the same identity step, checks, scope and graph."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from api import pipeline
from graph.stats import delete_all
from loaders import curated
from loaders.base import Collector
from loaders.curated_format import DEFAULT_DIR
from ontology.records import Node
from tests.integration.test_bulk import dump


def test_records_in_memory_give_the_graph_the_files_give(clean_db: Driver) -> None:
    from_files = pipeline.load(clean_db, pipeline.CURATED, [DEFAULT_DIR])
    expected = dump(clean_db)
    records = list(curated.iter_records(DEFAULT_DIR, Collector()))
    delete_all(clean_db)

    loaded = pipeline.load_records(clean_db, records, scope=pipeline.CURATED, origin=Path("memory"))

    assert dump(clean_db) == expected
    assert loaded.records == from_files.records == len(records)
    assert loaded.rejections == from_files.rejections == []


def test_a_repeated_id_with_other_data_is_rejected_with_its_ordinal(clean_db: Driver) -> None:
    node = next(r for r in curated.iter_records(DEFAULT_DIR, Collector()) if isinstance(r, Node))
    other = node.model_copy(update={"name": node.name + " (another name)"})

    loaded = pipeline.load_records(
        clean_db, [node, other], scope="test:memory", origin=Path("memory")
    )

    assert [str(r.location) for r in loaded.rejections] == ["memory [#2]"]
    assert loaded.write.nodes.created == 1
