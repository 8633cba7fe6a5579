"""Servers that answer like the fake, with something changed, for the drift tests.

`drifting_app`: a deliberately wrong Voicy server with three drifts applied:

- a renamed field: agents carry `name` instead of `agent_name`;
- a wrong success status: duplicate answers 201 instead of 200;
- an error body in the wrong envelope: `{"message": ...}` instead of `{"error": ...}`.

`variant_app`: a Voicy server answering in documented variants the fake never sends.
`shifted_app`: any vendor, every success answered with a status no contract declares.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request as StarletteRequest
from starlette.responses import Response
from starlette.routing import Route

from agentmock.mockserver.core import Fake
from agentmock.mockserver.model.messages import Request

# (path, status, JSON body) -> the (status, JSON body) to answer instead
Change = Callable[[str, int, Any], tuple[int, Any]]


def _fake_behind(change: Change) -> Starlette:
    """A fresh fake's answers to every path, passed through `change`."""
    fake = Fake()

    async def endpoint(request: StarletteRequest) -> Response:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        outcome = fake.handle(Request(request.method, request.url.path, headers, body))
        assert outcome.response is not None
        raw = outcome.response.body
        status, data = change(
            request.url.path, outcome.response.status, json.loads(raw) if raw else None
        )
        content = b"" if data is None else json.dumps(data).encode()
        return Response(
            content, status_code=status, media_type="application/json" if content else None
        )

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    return Starlette(routes=[Route("/{path:path}", endpoint, methods=methods)])


def _rename(value: Any) -> Any:
    if isinstance(value, list):
        return [_rename(v) for v in value]
    if isinstance(value, dict) and "agent_name" in value:
        value = dict(value)
        value["name"] = value.pop("agent_name")
    return value


def _drift(path: str, status: int, data: Any) -> tuple[int, Any]:
    if isinstance(data, dict) and set(data) == {"error"}:
        data = {"message": data["error"]}
    wrong = 201 if status == 200 and "/duplicate-agent/" in path else status
    return wrong, _rename(data)


def drifting_app() -> Starlette:
    return _fake_behind(_drift)


def _flatten(value: Any) -> Any:
    """The get-agent page's variant: `account_id` and `account_name` instead of `account`."""
    if isinstance(value, dict) and "account" in value:
        value = dict(value)
        account = value.pop("account")
        value["account_id"] = account["id"] if account else None
        value["account_name"] = account["name"] if account else None
    return value


def _variants(path: str, status: int, data: Any) -> tuple[int, Any]:
    if isinstance(data, dict) and set(data) == {"error"}:
        data = {"status": "error", "message": data["error"]}
    if path.startswith("/v1/get-agent/"):
        data = _flatten(data)
    return status, data


def variant_app() -> Starlette:
    """A Voicy server that answers in the documented variants the fake itself never sends:
    flat accounts on get-agent and the overview page's `{"status": "error", "message"}`."""
    return _fake_behind(_variants)


def _shift(path: str, status: int, data: Any) -> tuple[int, Any]:
    return (203 if 200 <= status < 300 and status != 204 else status), data


def shifted_app() -> Starlette:
    """Any vendor, drifted the same way: every success answers 203, which no contract declares."""
    return _fake_behind(_shift)
