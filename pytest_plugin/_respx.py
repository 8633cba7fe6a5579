"""The respx adapter: httpx requests to a vendor's hosts go to the fake's core, in-process.

A side effect translates `httpx.Request` into the core's neutral request and the outcome back
into an `httpx.Response`, so sync and async clients are served alike with no event loop or ASGI
in between. Faults become what a real network would show: a dropped connection is httpx's own
`RemoteProtocolError`, a delay longer than the client's read timeout is a `ReadTimeout`.

Only the vendors' hosts are intercepted. Any other request is left to other respx routers the
test has started (its own `respx_mock`, say); when there are none, it goes to the network.
"""

from __future__ import annotations

import contextvars
import functools
import re
import time
from typing import TYPE_CHECKING, Any

import anyio
import httpx
import respx
from respx.mocks import Mocker
from respx.models import AllMockedAssertionError, SideEffectError

from agentmock import contracts
from agentmock.mockserver import vendors
from agentmock.mockserver.model.messages import Request

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from respx.patterns import Pattern

    from agentmock.mockserver.core import Fake
    from agentmock.mockserver.model.messages import Outcome
    from agentmock.mockserver.model.types import Vendor

__all__ = ["AgentmockRouter", "UnknownVendorHost", "restore_route"]

_IN_ASYNC: contextvars.ContextVar[bool] = contextvars.ContextVar("agentmock_async", default=False)
_NOT_OURS = "agentmock.not_ours"
_CATCH_ALLS = ("unmatched", "unknown_host")


class UnknownVendorHost(AssertionError):
    """A request to a host under a vendor's domain that is not one of its API hosts."""


class _Router(respx.MockRouter):
    """respx's router, telling side effects whether an async client is asking.

    It skips respx's snapshot on start and rollback on stop: each fixture's router is thrown
    away after its test, and copying every route's call list was a third of its setup cost.
    """

    def start(self) -> None:
        self.Mocker = Mocker.registry.get(self.using or "")
        if self.Mocker:
            self.Mocker.register(self)
            self.Mocker.start()

    def stop(self, clear: bool = True, reset: bool = True, quiet: bool = False) -> None:
        if self.Mocker:
            self.Mocker.unregister(self)
            self.Mocker.stop()

    async def aresolve(self, request: httpx.Request) -> Any:
        token = _IN_ASYNC.set(True)
        try:
            return await super().aresolve(request)
        finally:
            _IN_ASYNC.reset(token)


class _CoreRoute(respx.Route):
    """A respx route answered by the fake's core.

    It resolves without respx's side-effect machinery, which inspects the callable's signature
    on every call (a fifth of a mocked call's time). A test can still override the route the
    respx way (`routes.duplicate_agent.respond(503)` or `.mock(side_effect=...)`); then respx
    answers as usual and the fake is not asked.
    """

    def __init__(self, respond: Callable[[httpx.Request], Any], **lookups: Any) -> None:
        super().__init__(**lookups)
        self._respond = respond

    @classmethod
    def on(cls, pattern: Pattern, respond: Callable[[httpx.Request], Any]) -> _CoreRoute:
        """A route over an already compiled pattern (parsing lookups is half a route's cost)."""
        route = cls(respond)
        route._pattern = pattern
        return route

    def resolve(self, request: httpx.Request, **kwargs: Any) -> Any:
        if self._side_effect is not None or self._return_value is not None:
            return super().resolve(request, **kwargs)
        try:
            return self._respond(request)
        except Exception as error:  # recorded on the route, then re-raised by respx
            raise SideEffectError(self, origin=error) from error


@functools.cache
def _patterns(vendor: Vendor) -> tuple[tuple[str, Pattern], ...]:
    """Each route's compiled respx pattern, by name, in the order respx must try them.

    Duplicate first: it is what tests call most, and respx tries routes in order. Then
    `unmatched`, anything else on the vendor's hosts, answered as the vendor would (404/405),
    then `unknown_host`, any other host under the vendor's domain.
    """
    from agentmock.mockserver.routing import default_router

    hosts = tuple(contracts.hosts(vendors.contract(vendor)))
    operations = sorted(
        default_router().operations[vendor], key=lambda op: op.operation_id != "duplicateAgent"
    )
    found = [
        (
            op.name,
            respx.Route(
                method=op.method, scheme="https", host__in=hosts, path__regex=op.pattern.pattern
            ).pattern,
        )
        for op in operations
    ]
    found.append(("unmatched", respx.Route(host__in=hosts).pattern))
    domain = re.escape(contracts.domain(vendors.contract(vendor)))
    found.append(("unknown_host", respx.Route(host__regex=rf"^(?:.+\.)?{domain}$").pattern))
    return tuple(found)


class AgentmockRouter:
    """One respx router over one `Fake`, with routes for the vendors mounted so far."""

    def __init__(self, fake: Fake, *, allow_network: bool = True) -> None:
        self.fake = fake
        self.allow_network = allow_network
        self.router = _Router(assert_all_called=False, assert_all_mocked=True)
        self.routes: dict[str, dict[str, respx.Route]] = {}  # the vendors mounted
        self._built: dict[str, list[tuple[str, respx.Route, Any]]] = {}  # kept across `reset`
        self._operations: dict[str, dict[str, respx.Route]] = {}
        self._not_ours_route = respx.Route()
        self._not_ours_route.side_effect = self._not_ours
        self._not_ours_route._name = _NOT_OURS
        self._started = False

    def mount(self, vendor: Vendor) -> dict[str, respx.Route]:
        """Intercept `vendor`'s hosts; returns its routes by snake-case operation name."""
        if vendor in self.routes:
            return self.routes[vendor]
        built = self._built.get(vendor)
        if built is None:
            built = self._built[vendor] = self._build(vendor)
            for name, route, _ in built:
                route._name = f"{vendor}.{name}"
            self._operations[vendor] = {
                name: route for name, route, _ in built if name not in _CATCH_ALLS
            }
        self.routes[vendor] = self._operations[vendor]
        # respx's `RouteList.add` compares the new route with every route there (hashing their
        # patterns): most of a mount's cost. These routes are ours and distinct by name, so the
        # list is set whole, the catch-all for other hosts last.
        listed = [route for mounted in self.routes for _, route, _ in self._built[mounted]]
        listed.append(self._not_ours_route)
        self.router.routes._routes = listed
        self.router.routes._names = {str(route.name): route for route in listed}
        return self.routes[vendor]

    def _build(self, vendor: Vendor) -> list[tuple[str, respx.Route, Any]]:
        """`vendor`'s routes, each with its own side effect (what `reset` puts back)."""
        hosts = tuple(contracts.hosts(vendors.contract(vendor)))
        respond = self._responder(vendor)
        built: list[tuple[str, respx.Route, Any]] = []
        for name, pattern in _patterns(vendor):
            route = _CoreRoute.on(pattern, respond)
            if name == "unknown_host":  # a typo under the vendor's domain: never the network
                route.side_effect = functools.partial(_unknown_host, vendor, hosts)
            built.append((name, route, route.side_effect))
        return built

    def reset(self) -> None:
        """No vendor mounted, and every route as `mount` first made it (no calls recorded, no
        respx override a test set: `respond`, `mock`, `pass_through`), so that this router can
        serve another test; mounting a vendor again reuses its routes."""
        self.router.routes.clear()
        self.router.calls.clear()
        self.routes = {}
        for built in self._built.values():
            for _, route, side_effect in built:
                restore_route(route, side_effect)

    def start(self) -> None:
        if not self._started:
            self.router.start()
            self._started = True

    def stop(self) -> None:
        if self._started:
            self.router.stop(quiet=True)
            self._started = False

    def _not_ours(self, request: httpx.Request) -> httpx.Request:
        if not self.allow_network:  # other routers of the test's may still answer it
            raise AllMockedAssertionError(
                f"agentmock: {request.method} {request.url} is not faked by agentmock and "
                "allow_network=False keeps it off the network; mock it with respx, or allow the "
                "network: @pytest.mark.agentmock(allow_network=True)"
            )
        registered = self.router.Mocker.routers if self.router.Mocker else []
        if any(
            router is not self.router for router in registered
        ):  # let the test's own routers decide, with their own strictness
            raise AllMockedAssertionError(f"RESPX: {request!r} not mocked!")
        return request  # no other router: pass it through to the network

    def _responder(self, vendor: Vendor) -> Callable[[httpx.Request], Any]:
        fake = self.fake

        def respond(request: httpx.Request) -> httpx.Response | Awaitable[httpx.Response]:
            neutral = Request(
                method=request.method,
                path=request.url.path,
                headers=_headers(request),
                body=request.content,
                query=request.url.query.decode("ascii", "replace"),
            )
            outcome = fake.handle(neutral, vendor=vendor)
            if _IN_ASYNC.get():
                return _deliver_async(outcome, request)
            return _deliver(outcome, request, wait=time.sleep)

        return respond


def restore_route(route: respx.Route, side_effect: Any = None) -> None:
    """`route` as agentmock made it: no calls recorded, and none of the respx overrides a test
    may set (`respond`, `mock`, `pass_through`); `side_effect` is its own (None: the core's)."""
    route.reset()
    route.return_value = None
    route.side_effect = side_effect
    route.pass_through(False)


def _unknown_host(vendor: str, hosts: tuple[str, ...], request: httpx.Request) -> None:
    raise UnknownVendorHost(
        f"agentmock: {request.url.host} is not a {vendor} API host (a typo?); "
        f"{vendor}'s hosts are {', '.join(hosts)}. The request was not sent."
    )


def _headers(request: httpx.Request) -> dict[str, str]:
    joined: dict[str, str] = {}
    for key, value in request.headers.multi_items():  # httpx gives the names lower-cased
        joined[key] = f"{joined[key]}, {value}" if key in joined else value
    return joined


def _read_timeout(request: httpx.Request) -> float | None:
    timeout = request.extensions.get("timeout") or {}
    read = timeout.get("read")
    return float(read) if read is not None else None


def _finish(outcome: Outcome, request: httpx.Request) -> httpx.Response:
    if outcome.drop or outcome.response is None:
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        )
    response = outcome.response
    headers = [*response.headers.items(), ("content-length", str(len(response.body)))]
    return httpx.Response(
        response.status, headers=headers, stream=httpx.ByteStream(response.body), request=request
    )


def _deliver(outcome: Outcome, request: httpx.Request, *, wait: Any) -> httpx.Response:
    if outcome.delay:
        limit = _read_timeout(request)
        if limit is not None and outcome.delay > limit:
            wait(limit)
            raise httpx.ReadTimeout("The read operation timed out", request=request)
        wait(outcome.delay)
    return _finish(outcome, request)


async def _deliver_async(outcome: Outcome, request: httpx.Request) -> httpx.Response:
    if outcome.delay:
        limit = _read_timeout(request)
        if limit is not None and outcome.delay > limit:
            await anyio.sleep(limit)
            raise httpx.ReadTimeout("The read operation timed out", request=request)
        await anyio.sleep(outcome.delay)  # anyio: asyncio and trio alike
    return _finish(outcome, request)
