"""`agentmock record`: a reverse proxy that writes what passes through it to a cassette.

Clients point their base URL at it; it forwards each request to the target (the real vendor, a
staging server, or `agentmock serve`), returns the answer unchanged, and appends the exchange,
redacted, to the cassette as it goes.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

import httpx

from agentmock.mockserver.cassette import Exchange, Redactor, Writer
from agentmock.mockserver.core import MAX_BODY_BYTES
from agentmock.mockserver.model.errors import ApiError, Injected, PayloadTooLarge
from agentmock.mockserver.model.jsonio import decode_body
from agentmock.mockserver.routing import Match, default_router
from agentmock.mockserver.server.guard import HEALTH_PATH, health
from agentmock.mockserver.server.hosts import allowed_host, host_name
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
        "proxy-authenticate",
        "proxy-authorization",
        "accept-encoding",
    }
)
_NOT_RETURNED = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}
)


class RecordingProxy:
    """An ASGI app: forward to `target`, answer as it answered, record the exchange.

    What reaches the target is what the client sent: the raw path and query, byte for byte
    (`%3F`, `%23`, `%2F` stay encoded), headers as bytes, repeated ones kept; hop-by-hop
    headers, and those named in `Connection`, are dropped both ways. A request the proxy cannot
    forward (a control character in the path, `OPTIONS *`, a header httpx refuses) is a 400 in
    the vendor's envelope; trouble upstream a 502. Only requests for a loopback host, or the
    host it was started on, are served (a DNS-rebinding page cannot read through it).

    The vendor's answer always reaches the client, even when the cassette cannot be written (a
    full disk): the failure is printed on stderr at once, counted in `unrecorded` (the exit
    status says so at the end), and marked in the cassette when a later write succeeds.
    """

    def __init__(
        self,
        vendor: str,
        target: str,
        out: Path,
        *,
        timeout: float = 60.0,
        hosts: frozenset[str] = frozenset(),
    ) -> None:
        self.vendor = vendor
        self.target = target.rstrip("/")
        self.writer = Writer(out)
        self.router = default_router()
        self.rules = profile(vendor)
        self.redactor = Redactor(frozenset({self.rules.auth_header}))
        self.timeout = timeout
        self.hosts = frozenset(h.lower() for h in hosts)
        self.unrecorded = 0
        self._pending_marker = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if scope["path"] == HEALTH_PATH and scope["method"] in ("GET", "HEAD"):
            await health(scope, send)  # a readiness probe: answered here, never recorded
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message: Message = await receive()
            if message["type"] != "http.request":
                return  # the client left: nothing is forwarded
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:  # the server's own limit, checked as the body arrives
                await self._refuse(send, PayloadTooLarge())
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        raw_headers: list[tuple[bytes, bytes]] = list(scope["headers"])
        host = next((v for k, v in raw_headers if k.lower() == b"host"), b"").decode("latin-1")
        if not allowed_host(host_name(host), self.hosts):
            await self._refuse(send, Injected(403))
            return
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
        raw_query: bytes = scope.get("query_string", b"")
        if not raw_path.startswith(b"/") or any(b < 0x21 or b == 0x7F for b in raw_path):
            await self._refuse(send, Injected(400))  # `OPTIONS *`, a control character
            return
        target = self.target.encode("latin-1") + raw_path + (b"?" + raw_query if raw_query else b"")
        forwarded = _forwardable(raw_headers)
        started = time.perf_counter()
        try:
            url = httpx.URL(target.decode("latin-1"))
            # A client per request: nothing outlives the server's event loop.
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                request = client.build_request(
                    scope["method"], url, headers=forwarded, content=body
                )
                upstream = await client.send(request, stream=True)
                try:
                    content = await _bounded_body(upstream)
                finally:
                    await upstream.aclose()
        except (httpx.InvalidURL, UnicodeError, ValueError, TypeError):
            await self._refuse(send, Injected(400))
            return
        except (httpx.HTTPError, AnswerTooLarge) as exc:
            why = str(exc) if isinstance(exc, AnswerTooLarge) else type(exc).__name__
            message_text = f"agentmock record: the target did not answer: {why}"
            await _reply(send, 502, [(b"content-type", b"text/plain")], message_text.encode())
            return
        ms = (time.perf_counter() - started) * 1000
        # `content` is decoded (httpx undid any gzip), so Content-Encoding is not passed on
        returned = _forwardable(upstream.headers.raw, extra=_NOT_RETURNED)
        self._record(
            scope, raw_headers, raw_query, body, upstream.status_code, content, returned, ms
        )
        await _reply(send, upstream.status_code, returned, content)

    def _record(
        self,
        scope: Scope,
        raw_headers: list[tuple[bytes, bytes]],
        raw_query: bytes,
        body: bytes,
        status: int,
        content: bytes,
        returned: list[tuple[bytes, bytes]],
        ms: float,
    ) -> None:
        """Append the exchange, redacted; a write that fails is reported, never raised (the
        client still gets the answer the vendor gave, which a 500 would lose)."""
        redact = self.redactor
        headers = _joined(raw_headers)
        redact.learn_keys(headers)
        match = self.router.match(scope["method"], scope["path"], self.vendor)
        exchange = Exchange(
            vendor=self.vendor,
            operation=match.operation.operation_id if isinstance(match, Match) else None,
            method=scope["method"],
            path=redact.text(scope["path"]),
            query=redact.query(raw_query.decode("latin-1")),
            status=status,
            request_headers=redact.headers(headers),
            request_body=redact.body(decode_body(body)),
            response_headers=redact.headers(_joined(returned)),
            response_body=redact.body(decode_body(content)),
            ms=round(ms, 1),
        )
        try:
            if self._pending_marker:
                lost = self._pending_marker
                self.writer.note_unrecorded(lost, "the cassette could not be written")
                self._pending_marker = 0
            self.writer.write(exchange)  # on disk before the client has its answer
        except OSError as exc:
            self.unrecorded += 1
            self._pending_marker += 1
            print(
                f"agentmock record: NOT RECORDED: {exchange.method} {exchange.path} "
                f"{exchange.status}: cannot write {self.writer.path}: "
                f"{exc.strerror or exc}; the client got the vendor's answer",
                file=sys.stderr,
                flush=True,
            )

    async def _refuse(self, send: Send, error: ApiError) -> None:
        response = self.rules.render(error)
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers.items()]
        await _reply(send, response.status, headers, response.body)

    def close(self) -> None:
        self.writer.close()


MAX_ANSWER_BYTES = 16 * 1024 * 1024
"""The largest answer the proxy passes on, decompressed (an agent list of thousands of agents
is a few MiB; a 300 KB gzip bomb would otherwise pin a core for minutes and fill memory)."""


class AnswerTooLarge(Exception):
    """The target's answer is over `MAX_ANSWER_BYTES` (after decompression): a 502."""


async def _bounded_body(upstream: httpx.Response) -> bytes:
    """The decoded body, read chunk by chunk and refused once it passes the limit."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in upstream.aiter_bytes():
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise AnswerTooLarge(f"its answer is over {MAX_ANSWER_BYTES // 1024 // 1024} MiB")
        chunks.append(chunk)
    return b"".join(chunks)


def _forwardable(
    headers: list[tuple[bytes, bytes]], *, extra: frozenset[str] = frozenset()
) -> list[tuple[bytes, bytes]]:
    """`headers` less the hop-by-hop ones, those `Connection` names, and `extra`; repeated
    headers (two `Set-Cookie`) stay separate, in order."""
    named = {
        token.strip().lower()
        for name, value in headers
        if name.lower() == b"connection"
        for token in value.decode("latin-1").split(",")
    }
    dropped = _NOT_FORWARDED | extra | named
    return [(k, v) for k, v in headers if k.decode("latin-1").lower() not in dropped]


def _joined(headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Headers as one lower-case name each, repeated values joined (for the cassette)."""
    joined: dict[str, str] = {}
    for raw_name, raw_value in headers:
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        joined[name] = f"{joined[name]}, {value}" if name in joined else value
    return joined


async def _reply(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    raw = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
