"""Who may use the admin API (`AdminGuard`), and the health route probes use without a token.

The vendor routes need no guard: they are the fake API and answer as the vendor would. The
admin API changes the fake's state, so a request to it must come from this origin, to a host
name this server answers, and (with `--admin-token`) carry the token.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from agentmock.mockserver.server import dashboard
from agentmock.mockserver.server.hosts import allowed_host, host_name

if TYPE_CHECKING:
    from starlette.types import Scope, Send

__all__ = ["ADMIN_TOKEN_HEADER", "HEALTH_PATH", "AdminGuard", "health"]

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
