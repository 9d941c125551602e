"""Generated input: hypothesis-graphql queries against the GraphQL schema, schemathesis cases
against the OpenAPI spec of the REST endpoints. Never a 500, never an unmasked internal error.

Bounded: a few hundred examples each (about a minute in all), against uvicorn on loopback.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import schemathesis
from graphql import print_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema

from api.graphql.schema import build_schema

SCHEMA_SDL = print_schema(build_schema()._schema)
CLEAN_CODES = {"BAD_USER_INPUT", "QUERY_TIMEOUT"}
# What an internal error would leak: driver codes, Cypher, Python tracebacks and reprs.
LEAKS = re.compile(
    r"Neo\.(Client|Database|Transient)Error|Traceback|MATCH \(|UNWIND |"
    r"neo4j\.exceptions|File \"/|Errno"
)
BASE = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
)


def fuzz(examples: int) -> settings:
    return settings(BASE, max_examples=examples)


def check_graphql_answer(response: httpx.Response, query: str) -> None:
    assert response.status_code < 500, (query, response.text[:1000])
    body: dict[str, Any] = response.json()
    errors = body.get("errors") or []
    assert LEAKS.search(json.dumps(errors)) is None, (query, errors)
    for error in errors:
        assert error["message"] != "Unexpected error.", (query, body)
        code = (error.get("extensions") or {}).get("code")
        assert code is None or code in CLEAN_CODES, (query, error)


def fuzz_graphql(url: str, mode: Mode, examples: int) -> int:
    sent = 0
    with httpx.Client(base_url=url, timeout=60) as client:

        @fuzz(examples)
        @given(query=from_schema(SCHEMA_SDL, mode=mode))
        def one(query: str) -> None:
            nonlocal sent
            sent += 1
            check_graphql_answer(client.post("/graphql", json={"query": query}), query)

        one()
    return sent


def test_generated_valid_graphql_queries_never_fail_internally(live_api: str) -> None:
    assert fuzz_graphql(live_api, Mode.POSITIVE, 600) >= 300


def test_generated_invalid_graphql_queries_are_refused_cleanly(live_api: str) -> None:
    assert fuzz_graphql(live_api, Mode.NEGATIVE, 300) >= 100


def test_arbitrary_graphql_bodies_are_refused_cleanly(live_api: str) -> None:
    """Raw bytes, arbitrary JSON and variables of the wrong type: a 4xx or a clean error."""
    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )
    bodies = st.one_of(
        st.binary(max_size=300).map(lambda b: (b, "application/json")),
        json_values.map(lambda v: (json.dumps(v).encode(), "application/json")),
        st.tuples(
            st.sampled_from(
                [
                    "query($id: ID!) { entity(id: $id) { __typename } }",
                    'query($f: Int!) { search(text: "a", first: $f) { totalCount } }',
                ]
            ),
            json_values,
        ).map(
            lambda qv: (
                json.dumps({"query": qv[0], "variables": {"id": qv[1], "f": qv[1]}}).encode(),
                "application/json",
            )
        ),
    )
    sent = 0
    with httpx.Client(base_url=live_api, timeout=60) as client:

        @fuzz(300)
        @given(body=bodies)
        def one(body: tuple[bytes, str]) -> None:
            nonlocal sent
            sent += 1
            response = client.post("/graphql", content=body[0], headers={"content-type": body[1]})
            assert response.status_code < 500, (body, response.text[:500])
            if response.status_code >= 400:
                assert LEAKS.search(response.text) is None, (body, response.text[:500])
            if response.status_code == 200:
                for error in response.json().get("errors") or []:
                    assert error["message"] != "Unexpected error.", (body, error)

        one()
    assert sent >= 100


def test_rest_endpoints_against_their_openapi_spec(live_api: str) -> None:
    """schemathesis: every REST operation, generated parameters; never a server error."""
    schema = schemathesis.openapi.from_url(f"{live_api}/openapi.json")
    tried: dict[str, int] = {}
    for found in schema.get_all_operations():
        operation = found.ok()  # type: ignore[union-attr]  # an Err fails the test here
        tried[operation.label] = 0
        fuzz_operation(live_api, operation, tried)
    assert {"GET /health", "GET /rdf/export", "GET /entity/{curie}", "POST /rdf/graphql"} <= set(
        tried
    ), tried
    assert all(count >= 1 for count in tried.values()), tried
    # Parameterless operations have one case; those with parameters get many.
    assert all(
        tried[label] >= 10
        for label in ("GET /rdf/export", "GET /entity/{curie}", "POST /rdf/graphql")
    ), tried


def fuzz_operation(url: str, operation: Any, tried: dict[str, int]) -> None:
    label = operation.label

    @fuzz(60)
    @given(case=operation.as_strategy())
    def one(case: Any) -> None:
        tried[label] += 1
        response = case.call(base_url=url, timeout=60)
        assert response.status_code < 500, (case.path, case.query, response.text[:500])
        if response.status_code >= 400:  # pages may quote Cypher (the Browser guide does)
            assert LEAKS.search(response.text) is None, (case.path, response.text[:500])

    one()
