"""ETags on the RDF routes, keyed on the graph version: a repeated request answered with 304.

An RDF answer depends on the request alone (method, path, query string, the ``Accept`` that
picks its format, a POST's body) and on the graph, which changes only when a load gives it a
new version token (``graph.version``). Its ETag is a hash of the two, known before the answer
is computed: a request whose ``If-None-Match`` holds it gets ``304`` for the price of one
small read (the token), and a load changes every ETag at once. The tags are weak (``W/``):
they promise the same content, not the same bytes. A graph without a token gets none.
"""

from __future__ import annotations

import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.graphql.cache import VersionReader, none_match, read_body, replay

METHODS = ("GET", "HEAD", "POST")


def etag(version: str, scope: Scope, body: bytes) -> str:
    accept = next((v for k, v in scope["headers"] if k == b"accept"), b"")
    parts = (
        version.encode(),
        scope["method"].encode(),
        scope["path"].encode(),
        scope.get("query_string", b""),
        accept,
        body,
    )
    digest = hashlib.blake2b(b"\0".join(parts), digest_size=12).hexdigest()
    return f'W/"{digest}"'


class VersionETags:
    """ASGI middleware: ETags and ``304`` for the routes under ``prefixes``."""

    def __init__(self, app: ASGIApp, *, prefixes: tuple[str, ...], version: VersionReader) -> None:
        self.app, self.prefixes, self.version = app, prefixes, version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in METHODS
            or not scope["path"].startswith(self.prefixes)
        ):
            await self.app(scope, receive, send)
            return
        body = b""
        if scope["method"] == "POST":
            body = await read_body(receive)
            receive = replay(body, receive)
        version = await self.version(scope)
        if version is None:
            await self.app(scope, receive, send)
            return
        tag = etag(version, scope, body)
        if none_match(scope, tag):
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [(b"etag", tag.encode()), (b"vary", b"Accept")],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = list(message.get("headers", ()))
                if not any(k.lower() == b"etag" for k, _ in headers):
                    headers.append((b"etag", tag.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, tagged)
