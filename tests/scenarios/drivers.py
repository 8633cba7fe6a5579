"""Ways to reach the fake, one per adapter, behind one small interface.

Scenario tests take a `Driver` and never know which adapter is underneath, so every adapter
(the core called directly, the ASGI app, a real uvicorn server, and the respx fixtures of the
pytest plugin) must give identical statuses and bodies.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from agentmock import contracts
from agentmock.mockserver import vendors
from agentmock.mockserver.core import Fake
from agentmock.mockserver.model.messages import Request
from agentmock.mockserver.server.app import ConnectionDropped, create_app
from agentmock.mockserver.server.serve import BackgroundServer

ADAPTERS = ["core", "asgi", "live", "respx-sync", "respx-async"]
"""Every way into the fake; the parity test runs each scenario through all of them."""


def base_url(vendor: str) -> str:
    """The vendor's default host, from its contract."""
    return contracts.base_urls(vendors.contract(vendor))[0]


@dataclass
class Result:
    status: int | None  # None: the connection was dropped
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes = b""

    @property
    def dropped(self) -> bool:
        return self.status is None

    def json(self) -> Any:
        return json.loads(self.raw) if self.raw else None


class Driver(Protocol):
    name: str
    fake: Fake

    def send(
        self,
        vendor: str,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        content: bytes = b"",
    ) -> Result: ...


class CoreDriver:
    """The neutral core, no HTTP at all."""

    name = "core"

    def __init__(self, fake: Fake) -> None:
        self.fake = fake

    def send(
        self,
        vendor: str,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        content: bytes = b"",
    ) -> Result:
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        path, _, query = path.partition("?")
        outcome = self.fake.handle(Request(method, path, lowered, content, query), vendor=vendor)
        if outcome.delay:
            time.sleep(outcome.delay)
        if outcome.drop or outcome.response is None:
            return Result(None)
        response = outcome.response
        return Result(response.status, dict(response.headers), response.body)


class _HttpDriver:
    """Drivers that speak HTTP through httpx: one `send`, each adapter supplies `_request`.

    A dropped connection, whatever exception the adapter shows it as, is a `Result(None)`.
    """

    name: str
    fake: Fake
    dropped: tuple[type[BaseException], ...] = (httpx.RemoteProtocolError, httpx.ReadError)

    def send(
        self,
        vendor: str,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        content: bytes = b"",
    ) -> Result:
        try:
            response = self._request(vendor, method, path, headers or {}, content)
        except self.dropped:
            return Result(None)
        return Result(response.status_code, dict(response.headers), response.content)

    def _request(
        self, vendor: str, method: str, path: str, headers: dict[str, str], content: bytes
    ) -> httpx.Response:
        raise NotImplementedError


class AsgiDriver(_HttpDriver):
    """The Starlette app through `httpx.ASGITransport`, in-process."""

    name = "asgi"
    dropped = (ConnectionDropped,)

    def __init__(self, fake: Fake) -> None:
        self.fake = fake
        self.app = create_app(fake)

    def _request(
        self, vendor: str, method: str, path: str, headers: dict[str, str], content: bytes
    ) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url=base_url(vendor)) as client:
                return await client.request(method, path, headers=headers, content=content)

        return asyncio.run(go())


class LiveDriver(_HttpDriver):
    """A real uvicorn server on a loopback port, in a background thread."""

    name = "live"

    def __init__(self, fake: Fake, base_url: str) -> None:
        self.fake = fake
        self.client = httpx.Client(base_url=base_url, timeout=10)

    def _request(
        self, vendor: str, method: str, path: str, headers: dict[str, str], content: bytes
    ) -> httpx.Response:
        return self.client.request(method, path, headers=headers, content=content)


class RespxDriver(_HttpDriver):
    """The plugin's respx adapter, with a sync or an async httpx client."""

    def __init__(self, fake: Fake, *, use_async: bool) -> None:
        from agentmock.pytest_plugin._respx import AgentmockRouter

        self.fake = fake
        self.name = "respx-async" if use_async else "respx-sync"
        self.use_async = use_async
        self.router = AgentmockRouter(fake)
        for vendor in fake.router.operations:
            self.router.mount(vendor)
        self.router.start()

    def _request(
        self, vendor: str, method: str, path: str, headers: dict[str, str], content: bytes
    ) -> httpx.Response:
        url = base_url(vendor) + path
        if self.use_async:

            async def go() -> httpx.Response:
                async with httpx.AsyncClient() as client:
                    return await client.request(method, url, headers=headers, content=content)

            return asyncio.run(go())
        with httpx.Client() as client:
            return client.request(method, url, headers=headers, content=content)

    def close(self) -> None:
        self.router.stop()


@contextmanager
def live_server(fake: Fake) -> Iterator[str]:
    """Serve `fake` with uvicorn on a free loopback port; yields the base URL."""
    with serve_asgi(create_app(fake)) as url:
        yield url


@contextmanager
def serve_asgi(app: Any) -> Iterator[str]:
    """Serve any ASGI app with uvicorn on a free loopback port; yields the base URL."""
    server = BackgroundServer(app)
    try:
        yield server.url
    finally:
        server.stop()
