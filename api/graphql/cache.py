"""GraphQL answers cached per graph version, with ETags: a cache that cannot serve stale answers.

The graph changes only when something is loaded, and every load gives it a new version token
(``graph.version``). An answer is cached under (normalised query, variables, operation name,
version); each request reads the current token first (one small read, or the token a read
begun less than a lease ago gave: ``CoalescedVersion``), so once a load has bumped it and
returned, no answer computed before can be found again. An answer computed while a load bumps
the token is stored under the token read before it: it is never older than that token.

Only successful answers are cached (status 200, JSON, no ``errors``); batches, GraphiQL pages
and a graph without a token pass straight through. Memory is bounded: least recently used
answers go first once their bodies exceed the budget. Every cached or cacheable answer carries
an ``ETag`` (a hash of its body); a request whose ``If-None-Match`` holds it gets ``304``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs

from graphql import GraphQLError, parse, print_ast

from graph import version as graph_version

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
VersionReader = Callable[[Scope], Awaitable[str | None]]


class CoalescedVersion:
    """The graph version, read once for all the requests that wait for it together, and used
    for ``graph.version.LEASE_SECONDS`` after that read began.

    A request may be answered only from a token read by a read that began at most a lease
    before it arrived: every bump waits out the lease before it returns (``graph.version``),
    so once a load has returned, no request gets an answer from before it. Without such a
    token at hand, a request that comes while a read is under way waits for the next one,
    which begins as the current one ends and answers every request that came meanwhile: one
    read at a time, one per batch of concurrent requests. No token (None: no version, or the
    read failed) is never kept.
    """

    def __init__(self, read: VersionReader, clock: Callable[[], float] = time.monotonic) -> None:
        self.read, self.clock = read, clock
        self.waiting: asyncio.Future[str | None] | None = None  # the next read, not yet begun
        self.reading: asyncio.Task[None] | None = None
        self.leased: tuple[float, str] | None = None  # when the last read began, its token

    async def __call__(self, scope: Scope) -> str | None:
        leased = self.leased
        if leased is not None and self.clock() - leased[0] < graph_version.LEASE_SECONDS:
            return leased[1]
        if self.waiting is None:
            self.waiting = asyncio.get_running_loop().create_future()
        waiting = self.waiting
        if self.reading is None:
            self._begin(scope, waiting)
        return await asyncio.shield(waiting)  # one request cancelled cancels no other

    def _begin(self, scope: Scope, future: asyncio.Future[str | None]) -> None:
        self.waiting = None
        self.reading = asyncio.ensure_future(self._read(scope, future))

    async def _read(self, scope: Scope, future: asyncio.Future[str | None]) -> None:
        began = self.clock()
        try:
            token = await self.read(scope)
        except Exception as error:  # every request waiting for this read gets it
            future.set_exception(error)
        else:
            self.leased = (began, token) if token is not None else None
            future.set_result(token)
        finally:
            self.reading = None
            if self.waiting is not None:
                self._begin(scope, self.waiting)


@dataclass(frozen=True)
class Answer:
    body: bytes
    etag: str
    headers: tuple[tuple[bytes, bytes], ...]


class AnswerCache:
    """Least-recently-used answers, bounded by the bytes of their bodies."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._answers: OrderedDict[str, Answer] = OrderedDict()

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: str) -> Answer | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: str, answer: Answer) -> None:
        if len(answer.body) > self.max_bytes // 4:  # one answer never crowds out the rest
            return
        old = self._answers.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        self._answers[key] = answer
        self.size += len(answer.body)
        while self.size > self.max_bytes:
            _, evicted = self._answers.popitem(last=False)
            self.size -= len(evicted.body)


@lru_cache(maxsize=1024)
def normalised(query: str) -> str | None:
    """The query printed from its syntax tree (spacing, commas and comments gone), or None
    when it does not parse (strawberry then answers with the error; nothing is cached)."""
    try:
        return print_ast(parse(query, no_location=True))
    except GraphQLError:
        return None


@dataclass(frozen=True)
class GraphQLRequest:
    """A GraphQL request as the client sent it (GET parameters or a POST's JSON body)."""

    query: str
    variables: Any
    operation_name: Any
    other_keys: bool  # the body holds more than query, variables and operationName


_REQUEST_KEYS = frozenset({"query", "variables", "operationName"})


def graphql_request(method: str, query_string: bytes, body: bytes) -> GraphQLRequest | None:
    """The request's query, variables and operation name; None if it has no query text (a
    batch, GraphiQL's page, a body that is not JSON)."""
    if method == "GET":
        params = {k: v[0] for k, v in parse_qs(query_string.decode("latin-1")).items()}
        try:
            variables = json.loads(params["variables"]) if "variables" in params else None
        except ValueError:
            return None
        payload: Any = {**params, "variables": variables}
    else:
        try:
            payload = json.loads(body)
        except ValueError:
            return None
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return None
    return GraphQLRequest(
        payload["query"],
        payload.get("variables"),
        payload.get("operationName"),
        other_keys=bool(set(payload) - _REQUEST_KEYS),
    )


def request_key(method: str, query_string: bytes, body: bytes) -> str | None:
    """The cache key of a GraphQL GET or POST (without the version), or None if not cached."""
    request = graphql_request(method, query_string, body)
    if request is None:
        return None
    query = normalised(request.query)
    if query is None:
        return None
    return json.dumps(
        [query, request.variables or {}, request.operation_name],
        sort_keys=True,
        separators=(",", ":"),
    )


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def _header(scope: Scope, name: bytes) -> bytes | None:
    return next((value for key, value in scope["headers"] if key == name), None)


def none_match(scope: Scope, etag: str) -> bool:
    """Whether the request's ``If-None-Match`` holds ``etag`` (weak comparison, RFC 9110)."""
    given = _header(scope, b"if-none-match")
    if given is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in given.decode("latin-1").split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


async def _send_answer(scope: Scope, send: Send, answer: Answer) -> None:
    if none_match(scope, answer.etag):
        await send(
            {
                "type": "http.response.start",
                "status": 304,
                "headers": [(b"etag", answer.etag.encode())],
            }
        )
        await send({"type": "http.response.body", "body": b""})
        return
    headers = [
        *answer.headers,
        (b"etag", answer.etag.encode()),
        (b"content-length", str(len(answer.body)).encode()),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


class CachedGraphQL:
    """ASGI middleware caching the answers of ``path`` (GraphQL GET and POST)."""

    def __init__(
        self, app: ASGIApp, *, path: str, cache: AnswerCache, version: VersionReader
    ) -> None:
        self.app, self.path, self.cache, self.version = app, path.rstrip("/"), cache, version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "POST")
            or scope["path"].rstrip("/") != self.path
        ):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "POST":
            body = await read_body(receive)
            receive = replay(body, receive)
        else:
            body = b""
        key = request_key(scope["method"], scope.get("query_string", b""), body)
        version = await self.version(scope) if key is not None else None
        if key is None or version is None:
            await self.app(scope, receive, send)
            return
        key = f"{version}\n{key}"
        answer = self.cache.get(key)
        if answer is None:
            answer = await self._answer(scope, receive, send)
            if answer is None:
                return
            self.cache.put(key, answer)
        await _send_answer(scope, send, answer)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> Answer | None:
        """Run the request; the answer if it can be cached, else it has been sent as it is."""
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, keep)
        start = next(m for m in messages if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        headers = tuple(
            (k, v)
            for k, v in start.get("headers", ())
            if k.lower() not in (b"content-length", b"etag")
        )
        content_type = dict(headers).get(b"content-type", b"")
        if (
            start["status"] != 200
            or not content_type.startswith(b"application/json")
            or b'"errors"' in body
        ):
            for message in messages:
                await send(message)
            return None
        return Answer(body, etag_of(body), headers)


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, then whatever the client sends next (its disconnect)."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again
