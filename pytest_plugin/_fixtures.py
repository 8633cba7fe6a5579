"""The fixtures' machinery, imported only when a test asks for an agentmock fixture."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentmock.mockserver import vendors
from agentmock.mockserver.server.app import create_app
from agentmock.mockserver.server.serve import BackgroundServer
from agentmock.pytest_plugin._respx import AgentmockRouter
from agentmock.pytest_plugin.handles import LiveVendor, VendorMock

if TYPE_CHECKING:
    from agentmock.mockserver.core import Fake
    from agentmock.mockserver.model.types import Vendor
    from agentmock.pytest_plugin._options import AgentmockOptions

__all__ = ["LiveServer", "RespxSession", "idle_faults_message"]


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
        self._mocks: dict[str, VendorMock] = {}

    def mock(self, vendor: Vendor) -> VendorMock:
        if vendor not in self._mocks:
            routes = self.router.mount(vendor)
            self.router.start()
            self._mocks[vendor] = VendorMock(self.fake, vendor, routes)
        return self._mocks[vendor]

    def __getattr__(self, vendor: str) -> VendorMock:
        fake: Fake | None = self.__dict__.get("fake")
        if fake is None or vendor.startswith("_") or vendor not in fake.router.operations:
            raise AttributeError(str(vendors.unknown_vendor(vendor)))
        return self.mock(vendor)

    def close(self) -> None:
        self.router.stop()


class LiveServer:
    """A real uvicorn server on a free loopback port, in a background thread.

    `url` is its base URL for every vendor; `millis`, `voicy` (one attribute per vendor) are
    handles with the same `agents`, `requests` and fault methods as the respx fixtures.
    """

    def __init__(self, fake: Fake) -> None:
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
