"""What the fixtures hand a test: one handle per vendor over the fake.

`VendorMock` (from `millis_mock` / `voicy_mock`) and `LiveVendor` (from `agentmock_server`) share
everything but the respx routes: seeded agents, the journal, faults, and reset.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agentmock import contracts
from agentmock.mockserver import vendors
from agentmock.mockserver.vendors import profile

if TYPE_CHECKING:
    from collections.abc import Iterator

    import respx

    from agentmock.mockserver.core import Fake
    from agentmock.mockserver.faults import Fault
    from agentmock.mockserver.journal import Entry
    from agentmock.mockserver.model.types import JSON, JSONObject, Vendor

__all__ = ["Agents", "LiveVendor", "Routes", "VendorHandle", "VendorMock"]


class Agents:
    """The vendor's stored agents. Reads are copies: change one by `add`-ing or via the API."""

    def __init__(self, fake: Fake, vendor: Vendor) -> None:
        self._fake = fake
        self._vendor = vendor

    def add(self, **fields: Any) -> JSONObject:
        """Store an agent; unspecified required fields get realistic defaults. Returns it.

        >>> voicy_mock.agents.add(agent_name="Night shift", language="he")  # doctest: +SKIP
        """
        return self._fake.add_agent(self._vendor, fields)

    # Reads take the state's lock: with `agentmock_server` the server thread writes meanwhile.

    def get(self, agent_id: str) -> JSONObject | None:
        with self._fake.state.lock:
            return self._fake.state.vendor(self._vendor).agents.get(agent_id)

    def list(self) -> list[JSONObject]:
        with self._fake.state.lock:
            return list(self._fake.state.vendor(self._vendor).agents.values())

    def __len__(self) -> int:
        with self._fake.state.lock:
            return len(self._fake.state.vendor(self._vendor).agents)

    def __iter__(self) -> Iterator[JSONObject]:
        return iter(self.list())

    def __contains__(self, agent_id: object) -> bool:
        with self._fake.state.lock:
            return agent_id in self._fake.state.vendor(self._vendor).agents


class Routes:
    """The respx route of each operation, by snake-case name: `routes.duplicate_agent`."""

    def __init__(self, vendor: Vendor, routes: dict[str, respx.Route]) -> None:
        self._vendor = vendor
        self._routes = routes

    def __getattr__(self, name: str) -> respx.Route:
        try:
            return self._routes[name]
        except KeyError:
            names = ", ".join(self._routes)
            raise AttributeError(
                f"agentmock: {self._vendor} has no operation {name!r}; expected one of {names}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._routes)

    def __dir__(self) -> list[str]:
        return [*self._routes, *super().__dir__()]


class VendorHandle:
    """A vendor's side of the fake: agents, journal, faults and reset."""

    def __init__(self, fake: Fake, vendor: Vendor, *, base_url: str) -> None:
        self.fake = fake
        self.vendor = vendor
        self.base_url = base_url
        self.agents = Agents(fake, vendor)

    @property
    def api_key(self) -> str:
        """A key the fake accepts: the first configured one, else a well-formed default."""
        keys = self.fake.state.vendor(self.vendor).api_keys
        return next(iter(keys), profile(self.vendor).default_api_key)

    @property
    def requests(self) -> list[Entry]:
        """This vendor's journal entries, oldest first (keys redacted)."""
        return self.fake.journal.entries(self.vendor)

    # -- faults ----------------------------------------------------------------------------

    def fail(
        self,
        operation: str,
        *,
        status: int,
        times: int = 1,
        headers: dict[str, str] | None = None,
        body: JSON = None,
    ) -> Fault:
        """Answer the next `times` calls of `operation` with `status`, in the vendor's envelope.

        >>> voicy_mock.fail("duplicate_agent", status=503, times=2)  # doctest: +SKIP
        """
        return self._fault(operation, "status", times, status=status, headers=headers, body=body)

    def delay(self, operation: str, seconds: float, *, times: int = 1) -> Fault:
        """Answer after `seconds` (a client read timeout below that gets `httpx.ReadTimeout`)."""
        return self._fault(operation, "delay", times, seconds=seconds)

    def drop(self, operation: str, *, times: int = 1) -> Fault:
        """Drop the connection before the request is served (nothing changes)."""
        return self._fault(operation, "drop", times)

    def malformed(self, operation: str, *, times: int = 1) -> Fault:
        """Serve the request but send a truncated, unparseable JSON body."""
        return self._fault(operation, "malformed", times)

    def commit_then_drop(self, operation: str, *, times: int = 1) -> Fault:
        """Serve the request (a duplicate is made), then drop the connection before answering."""
        return self._fault(operation, "commit_then_drop", times)

    def _fault(self, operation: str, kind: str, times: int, **extra: Any) -> Fault:
        spec = {"vendor": self.vendor, "operation": operation, "kind": kind, "times": times}
        spec.update({k: v for k, v in extra.items() if v is not None})
        return self.fake.faults.add(spec)

    def reset(self) -> None:
        """This vendor back to the seed: agents, keys, faults and journal."""
        self.fake.reset(vendor=self.vendor)


class VendorMock(VendorHandle):
    """The object `millis_mock` and `voicy_mock` yield; respx is already active."""

    def __init__(self, fake: Fake, vendor: Vendor, routes: dict[str, respx.Route]) -> None:
        # The contract's first server: Millis's US region, api.voicy.co.
        super().__init__(fake, vendor, base_url=contracts.base_urls(vendors.contract(vendor))[0])
        self.routes = Routes(vendor, routes)

    def reset(self) -> None:
        """Back to the seed; the routes' call records and respx overrides cleared."""
        from agentmock.pytest_plugin._respx import restore_route

        super().reset()
        for name in self.routes:
            restore_route(getattr(self.routes, name))

    def __repr__(self) -> str:
        return f"<VendorMock {self.vendor} {len(self.agents)} agents, {self.base_url}>"


class LiveVendor(VendorHandle):
    """One vendor of `agentmock_server`: `base_url` is the local server's."""

    def __repr__(self) -> str:
        return f"<LiveVendor {self.vendor} at {self.base_url}>"
