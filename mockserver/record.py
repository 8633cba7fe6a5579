"""`agentmock record`: a reverse proxy that writes what passes through it to a cassette.

Clients point their base URL at it; it forwards each request to the target (the real vendor, a
staging server, or `agentmock serve`), returns the answer unchanged, and appends the exchange,
redacted, to the cassette as it goes.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import httpx

from agentmock.mockserver.cassette import Exchange, Redactor, Writer
from agentmock.mockserver.core import default_router
from agentmock.mockserver.jsonio import decode_body
from agentmock.mockserver.routing import Match
from agentmock.mockserver.vendors import profile

if TYPE_CHECKING:
    from pathlib import Path

    from starlette.types import Message, Receive, Scope, Send

__all__ = ["RecordingProxy"]

# Hop-by-hop headers and those httpx rewrites (it decodes compressed bodies).
_NOT_FORWARDED = frozenset(
    {
        "host",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "content-length",
        "upgrade",
        "proxy-connection",
        "te",
        "trailer",
        "accept-encoding",
    }
)
_NOT_RETURNED = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}
)


class RecordingProxy:
    """An ASGI app: forward to `target`, answer as it answered, record the exchange."""

    def __init__(self, vendor: str, target: str, out: Path, *, timeout: float = 60.0) -> None:
        self.vendor = vendor
        self.target = target.rstrip("/")
        self.writer = Writer(out)
        self.router = default_router()
        rules = profile(vendor)
        self.redactor = Redactor(frozenset({rules.auth_header}))
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message: Message = await receive()
            if message["type"] != "http.request":
                return  # the client left: nothing is forwarded
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query = scope.get("query_string", b"").decode("latin-1")
        url = f"{self.target}{scope['path']}" + (f"?{query}" if query else "")
        forwarded = {k: v for k, v in headers.items() if k not in _NOT_FORWARDED}
        started = time.perf_counter()
        try:
            # A client per request: nothing outlives the server's event loop.
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                answer = await client.request(scope["method"], url, headers=forwarded, content=body)
        except httpx.HTTPError as exc:
            message_text = f"agentmock record: the target did not answer: {type(exc).__name__}"
            await _reply(send, 502, {"content-type": "text/plain"}, message_text.encode())
            return
        ms = (time.perf_counter() - started) * 1000
        returned = {k: v for k, v in answer.headers.items() if k.lower() not in _NOT_RETURNED}
        match = self.router.match(scope["method"], scope["path"], self.vendor)
        redact = self.redactor
        self.writer.write(
            Exchange(
                vendor=self.vendor,
                operation=match.operation.operation_id if isinstance(match, Match) else None,
                method=scope["method"],
                path=scope["path"],
                query=redact.text(query),
                status=answer.status_code,
                request_headers=redact.headers(headers),
                request_body=redact.body(decode_body(body)),
                response_headers=redact.headers({k.lower(): v for k, v in returned.items()}),
                response_body=redact.body(decode_body(answer.content)),
                ms=round(ms, 1),
            )
        )  # on disk before the client has its answer: a killed proxy loses nothing it served
        await _reply(send, answer.status_code, returned, answer.content)

    def close(self) -> None:
        self.writer.close()


async def _reply(send: Send, status: int, headers: dict[str, str], body: bytes) -> None:
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
