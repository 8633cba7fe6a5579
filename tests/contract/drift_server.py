"""A deliberately wrong Voicy server, for the drift test: the fake with three drifts applied.

- a renamed field: agents carry `name` instead of `agent_name`;
- a wrong success status: duplicate answers 200 instead of 201;
- an error body in the wrong envelope: `{"message": ...}` instead of `{"error": ...}`.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request as StarletteRequest
from starlette.responses import Response
from starlette.routing import Route

from agentmock.mockserver.core import Fake
from agentmock.mockserver.messages import Request


def _rename(value: Any) -> Any:
    if isinstance(value, list):
        return [_rename(v) for v in value]
    if isinstance(value, dict) and "agent_name" in value:
        value = dict(value)
        value["name"] = value.pop("agent_name")
    return value


def drifting_app() -> Starlette:
    fake = Fake()

    async def endpoint(request: StarletteRequest) -> Response:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        outcome = fake.handle(Request(request.method, request.url.path, headers, body))
        assert outcome.response is not None
        status, raw = outcome.response.status, outcome.response.body
        data = json.loads(raw) if raw else None
        if isinstance(data, dict) and set(data) == {"error"}:
            data = {"message": data["error"]}
        data = _rename(data)
        if status == 201:
            status = 200
        content = b"" if data is None else json.dumps(data).encode()
        return Response(
            content, status_code=status, media_type="application/json" if content else None
        )

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    return Starlette(routes=[Route("/{path:path}", endpoint, methods=methods)])


def _flatten(value: Any) -> Any:
    """The get-agent page's variant: `account_id` and `account_name` instead of `account`."""
    if isinstance(value, dict) and "account" in value:
        value = dict(value)
        account = value.pop("account")
        value["account_id"] = account["id"] if account else None
        value["account_name"] = account["name"] if account else None
    return value


def variant_app() -> Starlette:
    """A Voicy server that answers in the documented variants the fake itself never sends:
    flat accounts on get-agent and the overview page's `{"status": "error", "message"}`."""
    fake = Fake()

    async def endpoint(request: StarletteRequest) -> Response:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        outcome = fake.handle(Request(request.method, request.url.path, headers, body))
        assert outcome.response is not None
        status, raw = outcome.response.status, outcome.response.body
        data = json.loads(raw) if raw else None
        if isinstance(data, dict) and set(data) == {"error"}:
            data = {"status": "error", "message": data["error"]}
        if request.url.path.startswith("/v1/get-agent/"):
            data = _flatten(data)
        content = b"" if data is None else json.dumps(data).encode()
        return Response(
            content, status_code=status, media_type="application/json" if content else None
        )

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    return Starlette(routes=[Route("/{path:path}", endpoint, methods=methods)])


def shifted_app(*, drop_header: str | None = None) -> Starlette:
    """Any vendor, drifted the same way: every success answers 203, which no contract declares
    (and, with `drop_header`, that response header is left out)."""
    fake = Fake()

    async def endpoint(request: StarletteRequest) -> Response:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        outcome = fake.handle(Request(request.method, request.url.path, headers, body))
        assert outcome.response is not None
        status = outcome.response.status
        answer = dict(outcome.response.headers)
        if drop_header is not None:
            answer.pop(drop_header, None)
        return Response(
            outcome.response.body,
            status_code=203 if 200 <= status < 300 and status != 204 else status,
            headers=answer,
        )

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    return Starlette(routes=[Route("/{path:path}", endpoint, methods=methods)])
