"""One settings object, read from the environment (and an optional ``.env`` file)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.server import ServerConfig, post_connect_commands

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Local-only default: the local server listens on 127.0.0.1 alone. Refused in production.
LOCAL_DEFAULT_PASSWORD = "pharmakg-local"  # noqa: S105 - documented, loopback only


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = LOCAL_DEFAULT_PASSWORD
    neo4j_database: str = "neo4j"

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    production: bool = Field(default=False, alias="PHARMAKG_PRODUCTION")
    cors_origins: list[str] = Field(
        default=["http://127.0.0.1:7474", "http://localhost:7474"], alias="PHARMAKG_CORS_ORIGINS"
    )
    query_timeout_seconds: float = Field(default=10.0, alias="PHARMAKG_QUERY_TIMEOUT")
    # GraphQL answers cached per graph version (0: no cache); see api/graphql/cache.py.
    response_cache_mb: int = Field(default=64, ge=0, alias="PHARMAKG_RESPONSE_CACHE_MB")
    # An entity with its relation pages answered without the executor; see api/graphql/compiled.py.
    compiled_answers: bool = Field(default=True, alias="PHARMAKG_COMPILED_ANSWERS")
    # Whether Neo4j runs on the API's machine (unset: whether NEO4J_URI names this machine);
    # see api_workers.
    neo4j_shares_machine: bool | None = Field(default=None, alias="PHARMAKG_NEO4J_SHARES_MACHINE")

    neo4j_home: Path = Field(default=PROJECT_ROOT / ".neo4j", alias="PHARMAKG_NEO4J_HOME")
    neo4j_data_dir: Path = Field(
        default=PROJECT_ROOT / ".neo4j" / "instance", alias="PHARMAKG_NEO4J_DATA_DIR"
    )
    cache_dir: Path = Field(default=PROJECT_ROOT / ".cache" / "sources", alias="PHARMAKG_CACHE_DIR")
    neo4j_heap: str = Field(default="4g", alias="PHARMAKG_NEO4J_HEAP")
    neo4j_pagecache: str = Field(default="4g", alias="PHARMAKG_NEO4J_PAGECACHE")
    # `pharmakg up` (and `make up`) restores this release instead of loading data/curated/.
    release: Path | None = Field(default=None, alias="PHARMAKG_RELEASE")

    @model_validator(mode="after")
    def _no_default_password_in_production(self) -> Settings:
        if self.production and self.neo4j_password == LOCAL_DEFAULT_PASSWORD:
            raise ValueError(
                "NEO4J_PASSWORD is the local-only default; set a real password when "
                "PHARMAKG_PRODUCTION is on"
            )
        return self

    @property
    def auth(self) -> tuple[str, str]:
        return (self.neo4j_user, self.neo4j_password)

    def server_config(
        self,
        *,
        data_dir: Path | None = None,
        bolt_port: int | None = None,
        http_port: int | None = None,
    ) -> ServerConfig:
        """The local server's config; ports default to those of NEO4J_URI."""
        return ServerConfig(
            home=self.neo4j_home,
            instance_dir=(data_dir or self.neo4j_data_dir).resolve(),
            password=self.neo4j_password,
            bolt_port=bolt_port or self.bolt_port,
            http_port=http_port or 7474,
            heap=self.neo4j_heap,
            pagecache=self.neo4j_pagecache,
            browser_post_connect_cmd=post_connect_commands(
                f"http://127.0.0.1:{self.api_port}/browser"
            ),
        )

    @property
    def api_workers(self) -> int:
        """`pharmakg serve`'s processes unless told: one per core, or half the cores (at least
        one) when Neo4j shares the machine. Neo4j spends 55-94 % of a request's server CPU, and
        on 2 cores a second worker beside it added no throughput at 8 clients, only stalls of
        40-400 ms (docs/performance.md, "Eighteenth round")."""
        cores = os.cpu_count() or 1
        shared = self.neo4j_shares_machine
        if shared is None:
            shared = names_this_machine(urlsplit(self.neo4j_uri).hostname or "")
        return max(1, cores // 2) if shared else cores

    @property
    def bolt_port(self) -> int:
        tail = self.neo4j_uri.rsplit(":", 1)[-1].split("/")[0]
        return int(tail) if tail.isdigit() else 7687


def names_this_machine(host: str) -> bool:
    """Whether ``host`` is a loopback name or address."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name: another machine, or a container beside this one
        return False
