"""The executor's batched relation pages (``reads.relations``): each key's page is the slice
of all its relations sorted, however far the pages of one batch reach."""

from __future__ import annotations

import pytest
from neo4j import AsyncGraphDatabase, Driver

from graph import reads
from tests.conftest import Neo4jEndpoint

pytestmark = pytest.mark.asyncio(loop_scope="session")

MITRAGYNINE = "PUBCHEM.COMPOUND:3034396"  # 84 relations in the curated graph
MOR = "UniProtKB:P35372"


async def test_each_page_of_a_batch_is_the_slice_of_every_relation_sorted(
    curated_db: Driver, neo4j_endpoint: Neo4jEndpoint
) -> None:
    del curated_db
    driver = AsyncGraphDatabase.driver(
        neo4j_endpoint.uri, auth=(neo4j_endpoint.user, neo4j_endpoint.password)
    )
    reader = reads.Reader(driver)
    windows = [(0, 0), (0, 1), (3, 2), (10, 5), (79, 10), (200, 3)]
    try:
        whole = await reads.relations(
            reader, [reads.RelationKey(i, offset=0, limit=1000) for i in (MITRAGYNINE, MOR)]
        )
        keys = [
            reads.RelationKey(i, direction=d, offset=o, limit=n)
            for i in (MITRAGYNINE, MOR)
            for d in ("both", "out")
            for o, n in windows
        ]
        pages = await reads.relations(reader, keys)
        [empty] = await reads.relations(reader, [reads.RelationKey(MITRAGYNINE, limit=0)])
    finally:
        await driver.close()
    assert whole[0].total == len(whole[0].items) == 84
    assert (empty.total, empty.items) == (84, ())  # a batch that shows nothing still counts
    everything = {MITRAGYNINE: whole[0], MOR: whole[1]}
    outgoing = {
        i: tuple(e for e in everything[i].items if e.subject == i) for i in (MITRAGYNINE, MOR)
    }
    for key, page in zip(keys, pages, strict=True):
        sorted_all = everything[key.id].items if key.direction == "both" else outgoing[key.id]
        assert page.total == len(sorted_all), key
        assert page.items == sorted_all[key.offset : key.offset + key.limit], key
