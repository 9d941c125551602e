"""A throw-away Neo4j for a benchmark: its own temporary directory and free ports, stopped after."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from neo4j import Driver, GraphDatabase

from api.settings import PROJECT_ROOT
from graph import server

PASSWORD = "pharmakg-bench"  # noqa: S105 - a throw-away server on loopback


@contextmanager
def scratch_server(name: str, *, heap: str, pagecache: str) -> Iterator[server.ServerConfig]:
    """A started server under a temporary directory named after the benchmark."""
    with tempfile.TemporaryDirectory(prefix=f"pharmakg-{name}-bench-") as tmp:
        cfg = server.ServerConfig(
            home=PROJECT_ROOT / ".neo4j",
            instance_dir=Path(tmp) / "neo4j",
            password=PASSWORD,
            bolt_port=server.free_port(),
            http_port=server.free_port(),
            heap=heap,
            pagecache=pagecache,
        )
        server.start(cfg)
        try:
            yield cfg
        finally:
            server.stop(cfg)


@contextmanager
def connect_uri(uri: str) -> Iterator[Driver]:
    """A driver to a scratch server (by URI: the jobs run in fresh processes)."""
    with GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as driver:
        yield driver
