"""The baseline for bench/serve_throughput.py: one Starlette JSON endpoint, nothing else.

It answers with a body the size of a Voicy agent, so the comparison is about what the fake does
per request (routing, auth, validation, duplication, strict checking, journal), not payload size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from agentmock import contracts

if TYPE_CHECKING:
    from starlette.requests import Request

AGENT = contracts.load("voicy")["components"]["examples"]["DuplicatedAgent"]["value"]


async def duplicate(request: Request) -> JSONResponse:
    await request.body()
    return JSONResponse(AGENT, status_code=200)  # as Voicy's duplicate answers


app = Starlette(routes=[Route("/{path:path}", duplicate, methods=["POST"])])
