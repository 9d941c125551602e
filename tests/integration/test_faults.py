"""Faults against a real server: Neo4j killed during a load, Neo4j down at API start."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from neo4j import GraphDatabase

from api.app import create_app
from api.settings import Settings
from graph import server
from graph.errors import GraphError
from graph.schema import apply_schema
from graph.stats import graph_stats
from graph.writer import Writer
from ontology.records import Node, Record
from ontology.vocab import Category

BATCH = 500
TOTAL = 12_000


def drugs(count: int) -> Iterator[Record]:
    for index in range(count):
        yield Node(
            id=f"PUBCHEM.COMPOUND:{index + 1}",
            category=Category.DRUG,
            name=f"drug {index}",
            source="infores:test",
        )


def paused_at(
    records: Iterator[Record], position: int, reached: threading.Event, resume: threading.Event
) -> Iterator[Record]:
    """``records``, holding back at ``position`` until ``resume``: the load is mid-stream."""
    for index, record in enumerate(records):
        if index == position:
            reached.set()
            resume.wait(120)
        yield record


def _kill_when(cfg: server.ServerConfig, ready: threading.Event, killed: threading.Event) -> None:
    ready.wait(120)
    pid = server.status(cfg).pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    killed.set()


@pytest.mark.parametrize("atomic", [False, True], ids=["per-batch", "atomic"])
def test_a_load_survives_neo4j_being_killed(own_server: server.ServerConfig, atomic: bool) -> None:
    cfg = own_server
    server.start(cfg)
    auth = ("neo4j", cfg.password)
    # Short retries: the driver would otherwise retry a dead server for 30 s before failing.
    with GraphDatabase.driver(cfg.bolt_uri, auth=auth, max_transaction_retry_time=2) as driver:
        apply_schema(driver)
        progressed, killed = threading.Event(), threading.Event()

        def on_progress(position: int) -> None:
            if position >= 5 * BATCH:
                progressed.set()

        writer = Writer(driver, batch_size=BATCH, on_progress=on_progress)
        records = drugs(TOTAL)
        if atomic:  # one transaction: kill while the stream is held back in its middle, so
            # the kill cannot come after the commit (a fast machine once finished first)
            records = paused_at(records, TOTAL // 2, progressed, killed)
        killer = threading.Thread(target=_kill_when, args=(cfg, progressed, killed))
        killer.start()
        with pytest.raises(GraphError) as raised:
            writer.write(records, atomic=atomic)
        killer.join()
    message = str(raised.value)
    assert "Neo4j" in message or "batch" in message

    server.stop(cfg)
    server.start(cfg)
    with GraphDatabase.driver(cfg.bolt_uri, auth=auth) as driver:
        survived = graph_stats(driver).node_total
        if atomic:
            assert survived == 0, "an atomic load leaves nothing behind"
        else:
            assert survived % BATCH == 0, "only whole batches are committed"
            assert survived >= 5 * BATCH
        rerun = Writer(driver, batch_size=BATCH).write(drugs(TOTAL), atomic=False)
        assert graph_stats(driver).node_total == TOTAL
        assert rerun.nodes.unchanged == survived
        assert rerun.nodes.created == TOTAL - survived


@pytest.mark.asyncio
async def test_the_api_starts_without_neo4j_and_recovers_when_it_comes(
    own_server: server.ServerConfig,
) -> None:
    cfg = own_server
    settings = Settings(neo4j_uri=cfg.bolt_uri, neo4j_password=cfg.password)
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client,
    ):
        down = await client.get("/health")
        assert down.status_code == 503
        assert down.headers["retry-after"]
        server.start(cfg)
        deadline = time.monotonic() + 30
        status = down.status_code
        while status != 200 and time.monotonic() < deadline:
            status = (await client.get("/health")).status_code
        assert status == 200, "the API recovers without a restart"
