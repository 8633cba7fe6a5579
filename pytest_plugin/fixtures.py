"""The fixtures' machinery, imported only when a test asks for an agentmock fixture."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from mockserver.app import create_app
from mockserver.clock import FixedClock, SystemClock
from mockserver.core import Fake
from mockserver.ids import IdMinter
from mockserver.ratelimit import RateLimiter
from mockserver.seed import SeedData, embedded_seed, load_seed, parse_seed, with_api_keys
from mockserver.serve import BackgroundServer
from mockserver.state import State
from pytest_plugin.handles import LiveVendor, VendorMock
from pytest_plugin.respx_adapter import AgentmockRouter

if TYPE_CHECKING:
    from collections.abc import Callable

    from mockserver.journal import Entry
    from mockserver.types import Vendor
    from pytest_plugin.options import AgentmockOptions

__all__ = ["LiveServer", "RespxSession", "build_fake", "check_faults_hit", "configure"]


def _seed(options: AgentmockOptions) -> SeedData:
    if options.seed is None:
        data = embedded_seed()
    elif isinstance(options.seed, dict):
        data = parse_seed(options.seed, source="@pytest.mark.agentmock(seed=...)")
    else:
        data = load_seed(Path(options.seed))
    keys = [(vendor, key) for vendor, listed in options.api_keys.items() for key in listed]
    return with_api_keys(data, keys)


def configure(fake: Fake, options: AgentmockOptions) -> Fake:
    """Put `fake` in the state `options` describe: seed, keys, strictness, limits, ids, clock."""
    fake.state.clock = FixedClock(options.now) if options.now is not None else SystemClock()
    fake.state.minter = IdMinter(options.random_seed)
    fake.state.reset(_seed(options))
    fake.faults.clear()
    fake.journal.clear()
    fake.strict = options.strict
    fake.rate_limiter = RateLimiter(options.rate_limit) if options.rate_limit else None
    return fake


def build_fake(options: AgentmockOptions, listener: Callable[[Entry], None] | None) -> Fake:
    fake = configure(Fake(State({})), options)
    if listener is not None:
        fake.listeners.append(listener)
    return fake


def check_faults_hit(fake: Fake, options: AgentmockOptions) -> None:
    """`assert_all_called`: every fault the test set up must have been hit at least once."""
    if not options.assert_all_called:
        return
    idle = [f for f in fake.faults.all() if f.hits == 0]
    if idle:
        listed = "\n".join(
            f"  - {f.vendor} {f.operation}: {f.kind} (times={f.times}), never hit" for f in idle
        )
        pytest.fail(
            "agentmock: faults were set up but no request reached them:\n"
            f"{listed}\n"
            "Either the code under test never made that call, or it called another host or "
            "path. To switch this check off: @pytest.mark.agentmock(assert_all_called=False)",
            pytrace=False,
        )


class RespxSession:
    """One test's fake behind one respx router; vendors are mounted as their fixtures ask."""

    def __init__(self, fake: Fake) -> None:
        self.fake = fake
        self.router = AgentmockRouter(fake)
        self._mocks: dict[str, VendorMock] = {}

    def mock(self, vendor: Vendor) -> VendorMock:
        if vendor not in self._mocks:
            routes = self.router.mount(vendor)
            self.router.start()
            self._mocks[vendor] = VendorMock(self.fake, vendor, routes)
        return self._mocks[vendor]

    def close(self) -> None:
        self.router.stop()


class LiveServer:
    """A real uvicorn server on a free loopback port, in a background thread.

    `url` is its base URL for both vendors; `millis` and `voicy` are handles with the same
    `agents`, `requests` and fault methods as the respx fixtures.
    """

    def __init__(self, fake: Fake) -> None:
        self.fake = fake
        self._server = BackgroundServer(create_app(fake))
        self.url = self._server.url
        self.millis = LiveVendor(fake, "millis", base_url=self.url)
        self.voicy = LiveVendor(fake, "voicy", base_url=self.url)

    def stop(self) -> None:
        self._server.stop()

    def __repr__(self) -> str:
        return f"<agentmock LiveServer {self.url}>"
