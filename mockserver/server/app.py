"""The Starlette adapter: ASGI <-> the core's neutral request, with the admin API mounted.

Vendor routes are one raw ASGI endpoint that only translates; everything a vendor request meets
lives in `mockserver.core`. The admin API (`server.admin`) drives the same core, behind the
guard (`server.guard`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.responses import RedirectResponse
from starlette.routing import Mount, Route

from agentmock.mockserver.core import MAX_BODY_BYTES, Fake
from agentmock.mockserver.model.errors import ContractViolation
from agentmock.mockserver.model.messages import Request as CoreRequest
from agentmock.mockserver.model.messages import Response as CoreResponse
from agentmock.mockserver.model.messages import json_body
from agentmock.mockserver.server.admin import ERROR_HANDLERS, admin_routes
from agentmock.mockserver.server.guard import HEALTH_PATH, AdminGuard, health

if TYPE_CHECKING:
    from starlette.types import Message, Receive, Scope, Send


__all__ = ["AdminGuard", "AgentmockApp", "ConnectionDropped", "create_app"]

log = logging.getLogger("agentmock")


class ConnectionDropped(ConnectionError):
    """A drop fault fired where the server's socket could not be reached (e.g. ASGITransport)."""


class _VendorEndpoint:
    """Every non-admin path: translate, ask the core, translate back."""

    def __init__(self, fake: Fake) -> None:
        self.fake = fake

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await _read_body(receive)  # stops reading past the limit; the core answers 413
        if body is None:  # the client left before its body was complete: nothing is served
            return
        raw = scope["headers"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in raw}
        if len(headers) != len(raw):  # a repeated header: its values joined, in order
            headers = _joined(raw)
        request = CoreRequest(
            method=scope["method"],
            path=scope["path"],
            headers=headers,
            body=body,
            query=scope.get("query_string", b"").decode("latin-1"),
        )
        try:
            outcome = self.fake.handle(request)
        except ContractViolation as exc:
            log.error("%s", exc)
            report = json_body({"agentmock_error": str(exc)})
            await _send(send, CoreResponse(500, {"content-type": "application/json"}, report))
            return
        if outcome.delay and not await _waited(outcome.delay, receive):
            return  # the client went away during a delay fault: nothing more to do
        if outcome.drop or outcome.response is None:
            await _drop(send)
            return
        await _send(send, outcome.response)


def _joined(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for raw_name, raw_value in raw:
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


async def _read_body(receive: Receive) -> bytes | None:
    """The request body; once it passes the size limit, what was read so far; None when the
    client disconnected before sending all of it (a partial body is never acted on)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message: Message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        chunks.append(chunk)
        if size > MAX_BODY_BYTES:
            return b"".join(chunks)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _waited(seconds: float, receive: Receive) -> bool:
    """Sleep `seconds`, unless the client disconnects first (then False, at once)."""
    sleep = asyncio.ensure_future(asyncio.sleep(seconds))
    leave = asyncio.ensure_future(receive())
    try:
        done, _ = await asyncio.wait({sleep, leave}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (sleep, leave):
            task.cancel()
    left = leave in done and not leave.cancelled()
    return not (left and leave.result()["type"] == "http.disconnect")


async def _send(send: Send, response: CoreResponse) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers.items()]
    headers.append((b"content-length", str(len(response.body)).encode()))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


async def _drop(send: Send) -> None:
    """Close the client's connection without a response.

    Under uvicorn the ASGI `send` is bound to the connection's request cycle, which holds the
    transport; aborting it is what a crashed upstream looks like to the client. Elsewhere (an
    in-process ASGI transport) there is no socket to close, so the drop is raised instead.
    """
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise ConnectionDropped("agentmock: connection dropped by a fault")
    transport.abort()
    cycle.disconnected = True  # type: ignore[union-attr]  # uvicorn then sends no 500


class AgentmockApp(Starlette):
    """Starlette for the admin API; vendor requests go straight to the core's endpoint.

    Vendor paths skip Starlette's router and middleware: the endpoint only translates and the
    core does the rest (skipping those layers raised duplicate throughput by about a fifth in
    bench/serve_throughput.py). The endpoint also gets the server's own `send` (nothing wraps
    it), which it needs to drop a connection. It is never stored in the scope: the request
    cycle holds the scope, so scope -> send -> cycle would be a reference cycle, and every
    request's objects would wait for the garbage collector (7.7 us a request, measured).
    """

    def __init__(self, fake: Fake, *, guard: AdminGuard | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state.fake = fake
        self.vendor_endpoint = _VendorEndpoint(fake)
        self.guard = guard if guard is not None else AdminGuard()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        if not scope["path"].startswith("/__admin"):
            await self.vendor_endpoint(scope, receive, send)
            return
        if scope["path"] == HEALTH_PATH and scope["method"] in ("GET", "HEAD"):
            await health(scope, send)  # for probes: no token, no journal, nothing read
            return
        refusal = self.guard.refusal(scope)
        if refusal is not None:
            await _admin_error(send, *refusal)
            return
        body = await _read_body(receive)
        if body is None:
            return  # the client left mid-body: nothing is acted on
        if len(body) > MAX_BODY_BYTES:
            await _admin_error(send, 413, f"the body is over {MAX_BODY_BYTES:,} bytes")
            return
        await super().__call__(scope, _replay(body, receive), send)

    @property
    def fake(self) -> Fake:
        fake: Fake = self.state.fake
        return fake


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands Starlette the body already read, then waits on the client."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _admin_error(send: Send, status: int, message: str) -> None:
    body = json_body({"error": f"agentmock: {message}"})
    await _send(send, CoreResponse(status, {"content-type": "application/json"}, body))


def create_app(fake: Fake | None = None, *, guard: AdminGuard | None = None) -> AgentmockApp:
    """The ASGI app serving every vendor and the admin API over `fake` (a fresh one if None).

    Serve it with uvicorn, or drive it in-process:
    `httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app()), base_url="http://t")`.
    `guard` says who may use the admin API (default: same-origin requests to any host name;
    `agentmock serve` also limits the host names and may require a token).
    """
    fake = fake if fake is not None else Fake()
    app = AgentmockApp(
        fake,
        guard=guard,
        routes=[
            Route("/__admin", lambda request: RedirectResponse("/__admin/", 308)),
            Mount("/__admin", routes=admin_routes(fake)),
        ],
        exception_handlers=ERROR_HANDLERS,
    )
    app.router.redirect_slashes = False
    return app
