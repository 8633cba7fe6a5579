"""The admin API (WireMock's `/__admin/` convention) over the same core the vendor routes use:
reset, seed and inspect agents, keys, snapshots, the journal, faults and the contracts. Every
answer is JSON, errors `{"error": "agentmock: ..."}`; a vendor nobody registered is a 404.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from agentmock.mockserver import vendors
from agentmock.mockserver.core import MAX_BODY_BYTES
from agentmock.mockserver.model import jsonio
from agentmock.mockserver.server import dashboard

if TYPE_CHECKING:
    from starlette.requests import Request

    from agentmock.mockserver.core import Fake
    from agentmock.mockserver.state import Snapshot

__all__ = ["ERROR_HANDLERS", "admin_routes"]

log = logging.getLogger("agentmock")


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


def admin_routes(fake: Fake) -> list[Route]:
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


ERROR_HANDLERS = {404: _not_found, 405: _not_allowed, 500: _internal}
