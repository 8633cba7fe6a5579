"""The fixtures' machinery, imported only when a test asks for an agentmock fixture."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentmock.mockserver import vendors
from agentmock.pytest_plugin._respx import AgentmockRouter
from agentmock.pytest_plugin.handles import LiveVendor, VendorMock

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from agentmock.mockserver.config import Checkpoint
    from agentmock.mockserver.core import Fake
    from agentmock.mockserver.journal import Entry
    from agentmock.mockserver.model.types import Vendor
    from agentmock.pytest_plugin._options import AgentmockOptions

__all__ = ["LiveServer", "RespxSession", "SessionPool", "idle_faults_message"]


def idle_faults_message(fake: Fake, options: AgentmockOptions, *, how_to_switch_off: str) -> str:
    """`assert_all_called`: why the test fails if a fault it set up was never hit ("" if none)."""
    if not options.assert_all_called:
        return ""
    idle = [f for f in fake.faults.all() if f.hits == 0]
    if not idle:
        return ""
    listed = "\n".join(
        f"  - {f.vendor} {f.operation}: {f.kind} (times={f.times}), never hit" for f in idle
    )
    return (
        "agentmock: faults were set up but no request reached them:\n"
        f"{listed}\n"
        "Either the code under test never made that call, or it called another host or "
        f"path. To switch this check off: {how_to_switch_off}"
    )


class RespxSession:
    """One fake behind one respx router; vendors are mounted as their fixtures ask."""

    def __init__(self, fake: Fake, *, allow_network: bool = True) -> None:
        self.fake = fake
        self.router = AgentmockRouter(fake, allow_network=allow_network)
        self._mocks: dict[str, VendorMock] = {}  # the handles given out in this test
        self._handles: dict[str, VendorMock] = {}  # kept across `reset`, as the routes are

    def mock(self, vendor: Vendor) -> VendorMock:
        if vendor not in self._mocks:
            routes = self.router.mount(vendor)
            self.router.start()
            handle = self._handles.get(vendor)
            if handle is None:
                handle = self._handles[vendor] = VendorMock(self.fake, vendor, routes)
            self._mocks[vendor] = handle
        return self._mocks[vendor]

    def reset(self) -> None:
        """No vendor intercepted and no handle given out: ready for another test."""
        self.router.reset()
        self._mocks.clear()

    def __getattr__(self, vendor: str) -> VendorMock:
        fake: Fake | None = self.__dict__.get("fake")
        if fake is None or vendor.startswith("_") or vendor not in fake.router.operations:
            raise AttributeError(str(vendors.unknown_vendor(vendor)))
        return self.mock(vendor)

    def close(self) -> None:
        self.router.stop()


class SessionPool:
    """Fakes, with their respx routers, kept between tests for later tests with the same options.

    Building a fake (the seed read and checked against the contract) and mounting its routes
    was most of a fixture's cost; a kept one is restored instead (`FakeConfig.restore`: the
    seed's state, no faults, an empty journal, fresh rate-limit windows, the clock and ids a
    fresh build gives) and its routes reset. A test never sees another's fake in use: a session
    is taken out of the pool for the test and given back after it. Per process, so xdist
    workers share nothing; at most `size` option sets are kept, the least recently used going.
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._idle: dict[str, tuple[RespxSession, Checkpoint]] = {}

    def take(
        self, options: AgentmockOptions, listeners: Iterable[Callable[[Entry], None]]
    ) -> tuple[RespxSession, Callable[[], None]]:
        """A session in the state `options` describe, and what gives it back to the pool."""
        key = repr(options)
        kept = self._idle.pop(key, None)
        if kept is None:
            fake = options.build(listeners=listeners)
            session = RespxSession(fake, allow_network=options.allow_network)
            checkpoint = options.checkpoint(fake)
        else:
            session, checkpoint = kept
            options.restore(session.fake, checkpoint)
            session.fake.listeners[:] = listeners
            session.reset()

        def give_back() -> None:
            session.close()
            self._idle[key] = (session, checkpoint)
            while len(self._idle) > self.size:
                del self._idle[next(iter(self._idle))]

        return session, give_back


class LiveServer:
    """A real uvicorn server on a free loopback port, in a background thread.

    `url` is its base URL for every vendor; `millis`, `voicy` (one attribute per vendor) are
    handles with the same `agents`, `requests` and fault methods as the respx fixtures.
    """

    def __init__(self, fake: Fake) -> None:
        from agentmock.mockserver.server.app import create_app  # the server, only when asked
        from agentmock.mockserver.server.serve import BackgroundServer

        self.fake = fake
        self._server = BackgroundServer(create_app(fake))
        self.url = self._server.url
        self.vendors = {
            vendor: LiveVendor(fake, vendor, base_url=self.url) for vendor in fake.router.operations
        }

    def __getattr__(self, vendor: str) -> LiveVendor:
        try:
            return self.__dict__["vendors"][vendor]  # type: ignore[no-any-return]
        except KeyError:
            raise AttributeError(f"agentmock: no vendor {vendor!r} on this server") from None

    def stop(self) -> None:
        self._server.stop()

    def __repr__(self) -> str:
        return f"<agentmock LiveServer {self.url}>"
