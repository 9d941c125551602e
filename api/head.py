"""HEAD wherever GET is (RFC 9110 section 9.3.2): the GET answer's status and headers, no body.

An ASGI middleware rather than a HEAD method on every route: a route added later answers HEAD
without anyone remembering to. The GET handler runs; once its headers are sent the client is
reported gone, so a streamed export stops instead of being written to nowhere.
"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        started = anyio.Event()
        request_read = False

        async def receive_until_started() -> Message:
            nonlocal request_read
            if not request_read:
                message = await receive()
                request_read = not message.get("more_body", False)
                return message
            await started.wait()  # after the headers, the client is "gone"
            return {"type": "http.disconnect"}

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.start":
                await send(message)
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                started.set()
            # the body (and anything after it) is dropped

        await self.app({**scope, "method": "GET"}, receive_until_started, send_headers_only)
