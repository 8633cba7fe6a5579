"""The Starlette adapter: ASGI <-> the core's neutral request, plus the admin API.

Vendor routes are one raw ASGI endpoint that only translates; everything a vendor request meets
lives in `mockserver.core`. The admin API (WireMock's `/__admin/` convention) drives the same
core: reset, seed and inspect agents, read the journal, script faults, fetch the contracts.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from agentmock.mockserver import vendors
from agentmock.mockserver.core import MAX_BODY_BYTES, Fake
from agentmock.mockserver.model import jsonio
from agentmock.mockserver.model.errors import ContractViolation
from agentmock.mockserver.model.messages import Request as CoreRequest
from agentmock.mockserver.model.messages import Response as CoreResponse
from agentmock.mockserver.model.messages import json_body
from agentmock.mockserver.server import dashboard
from agentmock.mockserver.server.hosts import allowed_host, host_name

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.types import Message, Receive, Scope, Send

    from agentmock.mockserver.state import Snapshot

__all__ = ["AgentmockApp", "ConnectionDropped", "create_app"]

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


# -- the admin API -----------------------------------------------------------------------------

ADMIN_TOKEN_HEADER = "x-agentmock-admin-token"


class AdminGuard:
    """Who may drive the admin API: same-origin requests, to a host name this server answers.

    A web page the developer visits can send a `text/plain` POST to a local server without a
    preflight, and a DNS-rebinding page can make its own name point at 127.0.0.1. So an admin
    request is refused when its `Origin` (or `Sec-Fetch-Site`) says another site sent it, when
    its `Host` is not a loopback name or the configured host (`hosts`; None: any, as for the
    in-process app), and, with a `token`, when it does not carry `X-Agentmock-Admin-Token` (or
    the dashboard's cookie, which `GET /__admin/?token=TOKEN` sets).
    """

    def __init__(self, *, hosts: frozenset[str] | None = None, token: str | None = None) -> None:
        known = None if hosts is None else frozenset(h.lower() for h in hosts)
        self.hosts = known
        self.token = token

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:
            name = raw_name.decode("latin-1").lower()
            if name in headers and name in _SINGLE:
                return 400, f"a request with more than one {name.title()} header is refused"
            headers[name] = raw_value.decode("latin-1")
        host = headers.get("host", "")
        if self.hosts is not None and not allowed_host(host_name(host), self.hosts):
            return 403, (
                "the admin API answers requests for a loopback host or the configured one, "
                f"not {host!r}"
            )
        origin = headers.get("origin")
        if origin is not None and _origin_host(origin) != host.lower():
            return 403, f"cross-origin admin requests are refused (Origin: {origin})"
        if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return 403, "cross-site admin requests are refused (Sec-Fetch-Site)"
        if self.token is not None:
            expected = self.token.encode()
            in_url = None
            if scope["path"] in ("/__admin", "/__admin/"):  # the dashboard's first visit
                query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
                in_url = query.get("token", [None])[0]
            # Only a token that is itself right may become the dashboard's cookie.
            scope[dashboard.TOKEN_VERIFIED] = in_url is not None and hmac.compare_digest(
                in_url.encode(), expected
            )
            given = headers.get(ADMIN_TOKEN_HEADER) or _cookie(headers.get("cookie", ""))
            if given is None:
                given = in_url
            if not hmac.compare_digest((given or "").encode(), expected):
                return 401, (
                    f"this server needs its admin token in {ADMIN_TOKEN_HEADER} "
                    "(the dashboard: open /__admin/?token=TOKEN once)"
                )
        return None


_SINGLE = frozenset({"host", "origin"})  # repeated, which one would the browser have meant?


HEALTH_PATH = "/__admin/health"
_HEALTHY = b'{"status":"ok"}'


async def health(scope: Scope, send: Send) -> None:
    """`GET /__admin/health`: 200 `{"status": "ok"}` while the server answers. For readiness
    probes (a CI wait loop, a container's HEALTHCHECK): it needs no token and is never
    journaled or recorded."""
    headers = [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]
    headers.append((b"content-length", str(len(_HEALTHY)).encode()))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    body = b"" if scope["method"] == "HEAD" else _HEALTHY
    await send({"type": "http.response.body", "body": body})


def _cookie(header: str) -> str | None:
    """The dashboard's token cookie, if the `Cookie` header carries it."""
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == dashboard.TOKEN_COOKIE:
            return value
    return None


def _origin_host(origin: str) -> str:
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "\0"  # "null" (a sandboxed frame, a file://) is never this server
    return parts.netloc.lower()


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


def _unknown_vendor(vendor: str) -> JSONResponse | None:
    """The admin API's 404 for a vendor nobody registered (None for a known one)."""
    if vendor in vendors.registry:
        return None
    return _error(404, vendors.unknown_vendor(vendor).reason)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": f"agentmock: {message}"}, status_code=status)


_ADMIN_ROUTES = (
    "GET /__admin/ (the dashboard), GET /__admin/health, POST /__admin/reset, "
    "POST /__admin/snapshot, POST /__admin/rollback, GET|DELETE /__admin/requests, "
    "GET|POST|DELETE /__admin/faults, DELETE /__admin/faults/{id}, "
    "GET /__admin/contracts/{vendor}.yaml, GET|POST /__admin/{vendor}/agents, "
    "POST /__admin/{vendor}/api-keys"
)


async def _not_found(request: Request, exc: Exception) -> Response:
    return _error(404, f"no admin route {request.url.path}; the routes: {_ADMIN_ROUTES}")


async def _not_allowed(request: Request, exc: Exception) -> Response:
    allowed = getattr(exc, "headers", None) or {}
    response = _error(405, f"{request.method} is not allowed on {request.url.path}")
    response.headers.update(allowed)
    return response


async def _internal(request: Request, exc: Exception) -> Response:
    log.exception("agentmock: admin request failed", exc_info=exc)
    return _error(500, "the admin request failed inside agentmock (the server log has details)")


async def _json(request: Request) -> Any:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise ValueError("request body too large")
    try:
        return jsonio.parse_json(raw) if raw.strip() else None
    except jsonio.JSONRefused as exc:
        raise ValueError(f"the body is not JSON agentmock accepts: {exc}") from None


def _admin_routes(fake: Fake) -> list[Route]:
    async def reset(request: Request) -> Response:
        fake.reset()
        return JSONResponse({"status": "reset"})

    async def agents(request: Request) -> Response:
        vendor = request.path_params["vendor"]
        if (unknown := _unknown_vendor(vendor)) is not None:
            return unknown
        store = fake.state.vendor(vendor)
        if request.method in ("GET", "HEAD"):  # HEAD never stores an agent
            with fake.state.lock:
                return JSONResponse(list(store.agents.values()))
        try:
            body = await _json(request)
            items = body if isinstance(body, list) else [body]
            with fake.state.lock:
                snapshot = fake.state.snapshot()
                try:
                    added = [fake.add_agent(vendor, item) for item in items]
                except ValueError:
                    fake.state.rollback(snapshot)  # all or nothing
                    raise
        except ValueError as exc:
            return _error(400, str(exc).removeprefix("agentmock: "))
        return JSONResponse(added if isinstance(body, list) else added[0], status_code=201)

    saved: list[Snapshot] = []  # the one snapshot `POST /__admin/snapshot` keeps

    async def snapshot(request: Request) -> Response:
        saved[:] = [fake.state.snapshot()]
        return JSONResponse({"status": "saved"})

    async def rollback(request: Request) -> Response:
        if not saved:
            return _error(409, "no snapshot to roll back to: POST /__admin/snapshot first")
        fake.state.rollback(saved[0])
        return JSONResponse({"status": "rolled back"})

    async def api_keys(request: Request) -> Response:
        vendor = request.path_params["vendor"]
        if (unknown := _unknown_vendor(vendor)) is not None:
            return unknown
        try:
            body = await _json(request)
        except ValueError as exc:
            return _error(400, str(exc))
        keys = body.get("keys") if isinstance(body, dict) else None
        if not isinstance(keys, list) or not all(isinstance(k, str) and k.strip() for k in keys):
            return _error(400, 'the body must be {"keys": ["a key", ...]} (non-empty strings)')
        for key in keys:
            fake.state.add_api_key(vendor, key)
        return JSONResponse({"status": "added", "keys": len(keys)}, status_code=201)

    async def requests(request: Request) -> Response:
        if request.method == "DELETE":
            fake.journal.clear()
            return Response(status_code=204)
        vendor = request.query_params.get("vendor")
        return JSONResponse([e.as_dict() for e in fake.journal.entries(vendor)])

    async def faults(request: Request) -> Response:
        if request.method in ("GET", "HEAD"):  # HEAD never queues a fault
            return JSONResponse([f.as_dict() for f in fake.faults.pending()])
        if request.method == "DELETE":
            fake.faults.clear(request.query_params.get("vendor"))
            return Response(status_code=204)
        try:
            body = await _json(request)
            specs = body if isinstance(body, list) else [body]
            added = [fake.faults.add(spec) for spec in specs]
        except ValueError as exc:
            return _error(400, str(exc).removeprefix("agentmock: "))
        return JSONResponse([f.as_dict() for f in added], status_code=201)

    async def remove_fault(request: Request) -> Response:
        fault_id = request.path_params["fault_id"]
        if fake.faults.remove(fault_id) is None:
            return _error(404, f"no queued fault {fault_id}; GET /__admin/faults lists them")
        return Response(status_code=204)

    async def contract(request: Request) -> Response:
        vendor = request.path_params["vendor"]
        if (unknown := _unknown_vendor(vendor)) is not None:
            return unknown
        text = vendors.contract(vendor).read_text(encoding="utf-8")
        return PlainTextResponse(text, media_type="application/yaml")

    return [
        *dashboard.routes(fake, error=_error),
        Route("/reset", reset, methods=["POST"]),
        Route("/snapshot", snapshot, methods=["POST"]),
        Route("/rollback", rollback, methods=["POST"]),
        Route("/{vendor}/api-keys", api_keys, methods=["POST"]),
        Route("/requests", requests, methods=["GET", "DELETE"]),
        Route("/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/faults/{fault_id:agentmock_int}", remove_fault, methods=["DELETE"]),
        Route("/contracts/{vendor}.yaml", contract, methods=["GET"]),
        Route("/{vendor}/agents", agents, methods=["GET", "POST"]),
    ]


def create_app(fake: Fake | None = None, *, guard: AdminGuard | None = None) -> AgentmockApp:
    """The ASGI app serving every vendor and the admin API over `fake` (a fresh one if None).

    Serve it with uvicorn, or drive it in-process:
    `httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app()), base_url="http://t")`.
    `guard` says who may use the admin API (default: same-origin requests to any host name;
    `agentmock serve` also limits the host names and may require a token).
    """
    fake = fake if fake is not None else Fake()
    handlers = {404: _not_found, 405: _not_allowed, 500: _internal}
    app = AgentmockApp(
        fake,
        guard=guard,
        routes=[
            Route("/__admin", lambda request: RedirectResponse("/__admin/", 308)),
            Mount("/__admin", routes=_admin_routes(fake)),
        ],
        exception_handlers=handlers,
    )
    app.router.redirect_slashes = False
    return app
