"""graph.reads with a fake driver: exact query and parameters, read mode, timeout, errors."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Query
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from api.graphql import resolvers
from api.graphql.inputs import StudyFilter
from api.graphql.limits import PublicError
from graph import reads
from graph.cypher import reads as queries
from graph.errors import GraphUnavailableError
from graph.reads import Reader, StudyOrder, TermSpec, class_query, search_words


class FakeResult:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

    def keys(self) -> tuple[str, ...]:
        return tuple(self.rows[0]) if self.rows else ()

    async def values(self) -> list[list[Any]]:
        return [list(row.values()) for row in self.rows]


class FakeSession:
    def __init__(self, driver: FakeDriver) -> None:
        self.driver = driver

    async def __aenter__(self) -> FakeSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def run(self, statement: Query, params: dict[str, Any]) -> FakeResult:
        self.driver.timeouts.append(statement.timeout)
        if self.driver.error is not None:
            raise self.driver.error
        if self.driver.errors:
            raise self.driver.errors.pop(0)
        self.driver.log.append((str(statement.text), params))
        return FakeResult(self.driver.rows)


class FakeDriver:
    """Answers ``rows``, after raising ``error`` (forever) or ``errors`` (once each)."""

    def __init__(
        self,
        rows: list[dict[str, Any]] | None = None,
        error: Exception | None = None,
        errors: list[Exception] | None = None,
    ) -> None:
        self.rows = rows or []
        self.error = error
        self.errors = errors or []
        self.log: list[tuple[str, dict[str, Any]]] = []
        self.sessions: list[dict[str, Any]] = []
        self.timeouts: list[float | None] = []

    def session(self, **kwargs: Any) -> FakeSession:
        self.sessions.append(kwargs)
        return FakeSession(self)


def reader(driver: FakeDriver, timeout: float | None = 2.5) -> Reader:
    return Reader(driver, "neo4j", timeout)  # type: ignore[arg-type]


async def test_every_read_is_a_read_transaction_with_the_timeout() -> None:
    driver = FakeDriver(rows=[{"n": 1}])
    assert await reads.fetch(reader(driver), "RETURN 1 AS n", {}) == [{"n": 1}]
    assert driver.sessions == [
        {"database": "neo4j", "default_access_mode": "READ", "notifications_min_severity": None}
    ]
    assert driver.timeouts == [2.5]


async def test_user_text_travels_only_as_a_parameter() -> None:
    driver = FakeDriver(rows=[{"total": 0, "page": []}])
    hostile = "x') DETACH DELETE n //"
    await reads.search(reader(driver), hostile, None, 0, 10)
    query, params = driver.log[0]
    assert query == queries.SEARCH
    assert params == {"query": "x detach delete n", "labels": None, "offset": 0, "limit": 10}


async def test_terms_are_parameters_with_escaped_lucene() -> None:
    driver = FakeDriver()
    found = await reads.resolve_terms(
        reader(driver), [TermSpec('a"b:c', by_class=True), TermSpec("MG", by_id=False)]
    )
    assert found == [[], []]
    query, params = driver.log[0]
    assert query == queries.RESOLVE_TERMS
    first, second = params["terms"]
    assert first == {
        "index": 0,
        "text": 'a"b:c',
        "lower": 'a"b:c',
        "xref": 'a\\"b\\:c',
        "phrase": '"a\\"b\\:c"',
        "words": "+a* +b* +c*",
    }
    assert second["text"] is None  # not looked up as an id
    assert second["xref"] is None
    assert second["words"] is None  # not looked up as a class


async def test_studies_resolve_their_term_in_the_same_statement() -> None:
    driver = FakeDriver(rows=[{"resolved": True, "total": 0, "page": []}])
    term = TermSpec("MG")
    query = reads.StudyQuery(year_from=2015, investigates=term)
    row = await reads.study_rows(
        reader(driver), query, order=StudyOrder.YEAR, descending=True, offset=0, limit=5
    )
    assert reads.study_page(row) == reads.Page(0, ())
    [(statement, params)] = driver.log  # one statement
    assert statement == queries.studies(
        StudyOrder.YEAR, True, frozenset({"year_from"}), investigates=True
    )
    assert params["terms"] == [
        {"index": 0, "text": "MG", "lower": "mg", "xref": None, "phrase": '"MG"', "words": None}
    ]
    assert params["year_from"] == 2015
    assert "investigates" not in params

    plain = FakeDriver(rows=[{"resolved": True, "total": 0, "page": []}])
    await reads.study_rows(
        reader(plain), reads.StudyQuery(), order=StudyOrder.YEAR, descending=True, offset=0, limit=5
    )
    assert plain.log[0][0] == queries.studies(StudyOrder.YEAR, True)  # no resolution run


async def test_studies_of_a_term_that_names_nothing_are_an_error() -> None:
    driver = FakeDriver(rows=[{"resolved": False, "total": 0, "page": []}])
    given = StudyFilter(investigates="no such thing")
    with pytest.raises(PublicError, match="nothing matches 'no such thing'"):
        await resolvers.listed_studies(reader(driver), given)


def server_error(code: str) -> Neo4jError:
    """An error as the driver builds it from a server FAILURE message."""
    return Neo4jError._hydrate_neo4j(code=code, message="from the server")


async def test_driver_errors_are_wrapped() -> None:
    down = FakeDriver(error=ServiceUnavailable("gone"))  # type: ignore[no-untyped-call]
    with pytest.raises(GraphUnavailableError):
        await reads.fetch(reader(down), "RETURN 1", {})
    timeout = server_error("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration")
    with pytest.raises(reads.QueryTimeoutError):
        await reads.fetch(reader(FakeDriver(error=timeout)), "RETURN 1", {})
    other = server_error("Neo.ClientError.Statement.SyntaxError")
    with pytest.raises(reads.ReadError, match="SyntaxError"):
        await reads.fetch(reader(FakeDriver(error=other)), "RETURN 1", {})


async def test_results_come_back_in_key_order() -> None:
    props = {"id": "UniProtKB:P35372", "name": "mu", "source": "infores:pharmakg"}
    driver = FakeDriver(rows=[{"id": "UniProtKB:P35372", "props": props, "label": "Receptor"}])
    nodes = await reads.get_nodes(reader(driver), ["PUBCHEM.COMPOUND:1", "UniProtKB:P35372"])
    assert nodes[0] is None
    assert nodes[1] is not None
    assert nodes[1].name == "mu"


def test_class_queries_and_search_words() -> None:
    assert class_query("Opioid receptors") == "+opioid* +receptor*"
    assert class_query("anxiety") == "+anxiety*"
    assert class_query("stress") == "+stress*"  # -ss is not a plural
    assert class_query("()") is None
    assert search_words('mitragynine) OR name:* AND "') == "mitragynine or name and"


async def test_a_dropped_connection_is_retried_then_read() -> None:
    dropped = [ServiceUnavailable("gone"), SessionExpired("expired")]  # type: ignore[no-untyped-call]
    driver = FakeDriver(rows=[{"n": 1}], errors=list(dropped))
    assert await reads.fetch(reader(driver), "RETURN 1 AS n", {}) == [{"n": 1}]
    assert len(driver.timeouts) == 3
    assert driver.log == [("RETURN 1 AS n", {})]


async def test_a_transient_error_is_retried_and_a_client_error_is_not() -> None:
    transient = server_error("Neo.TransientError.Transaction.DeadlockDetected")
    driver = FakeDriver(rows=[{"n": 1}], errors=[transient])
    assert await reads.fetch(reader(driver), "RETURN 1 AS n", {}) == [{"n": 1}]
    wrong = FakeDriver(
        rows=[{"n": 1}], errors=[server_error("Neo.ClientError.Statement.SyntaxError")]
    )
    with pytest.raises(reads.ReadError):
        await reads.fetch(reader(wrong), "RETURN 1 AS n", {})
    assert len(wrong.timeouts) == 1
