"""Neo4j dumps of the local server: ``neo4j-admin database dump`` and ``database load``.

Neo4j 5.26 Community dumps and loads only a stopped database, and cannot stop one database
alone, so both stop the local server, run ``neo4j-admin`` from the same jars and start the
server again (also when ``neo4j-admin`` fails, so the server is never left down).
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from graph import server
from graph.errors import GraphError, ServerError

logger = logging.getLogger(__name__)


class DumpError(GraphError):
    """A dump or load failed; the server was started again."""


def dump_file(database: str) -> str:
    """The name ``neo4j-admin`` gives a database's dump (and expects when loading one)."""
    return f"{database}.dump"


def dump_database(cfg: server.ServerConfig, directory: Path, database: str = "neo4j") -> Path:
    """Write ``directory/<database>.dump`` from the local server (stopped, then started)."""
    directory.mkdir(parents=True, exist_ok=True)
    logger.info("dumping %s to %s", database, directory / dump_file(database))
    was_running = server.stop(cfg)
    try:
        server.run_admin(
            cfg,
            "database",
            "dump",
            database,
            f"--to-path={directory}",
            "--overwrite-destination=true",
        )
    except ServerError as error:
        raise DumpError(f"could not dump {database}: {error}") from error
    finally:
        if was_running:
            server.start(cfg)
    return directory / dump_file(database)


def load_database(cfg: server.ServerConfig, dump: Path, database: str = "neo4j") -> None:
    """Replace ``database`` of the local server by ``dump``: stop, load, start.

    A dump made from another database name is loaded under ``database`` (``neo4j-admin``
    finds a dump by its file name, so it is linked under the expected name first).
    """
    if not dump.is_file():
        raise DumpError(f"{dump}: no such dump file")
    logger.info("loading %s into %s (replacing it)", dump, database)
    server.stop(cfg)
    server.prepare_instance(cfg)  # a new instance directory gets its config and password
    with tempfile.TemporaryDirectory(prefix="pharmakg-load-") as staging:
        source = dump.parent
        if dump.name != dump_file(database):
            source = Path(staging)
            (source / dump_file(database)).symlink_to(dump.resolve())
        try:
            server.run_admin(
                cfg,
                "database",
                "load",
                database,
                f"--from-path={source}",
                "--overwrite-destination=true",
            )
        except ServerError as error:
            raise DumpError(f"could not load {dump} into {database}: {error}") from error
        finally:
            server.start(cfg)
