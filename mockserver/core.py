"""The fake's one request pipeline, shared by every adapter.

    request -> route -> size -> faults -> auth / rate limit / validation -> handler
            -> response validation (strict) -> journal -> outcome

Each stage lives in one place: routes in `routing`, what each fault kind does in `faults`,
request validation and strict response checking in `conformance`, the vendor's rules in its
profile (`vendors/`), the handlers in the vendor's module.

The order of auth, rate limit and validation is the vendor's (its profile's
`validate_before_auth`: FastAPI validates first), and so is every error's envelope. The core
names no vendor. Nothing rejected changes state, and no input produces a 5xx.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from agentmock.mockserver.conformance import check_response, validate_request
from agentmock.mockserver.faults import Fault, FaultBook
from agentmock.mockserver.journal import Journal
from agentmock.mockserver.model.call import Call, Handler, handlers_for
from agentmock.mockserver.model.errors import (
    ApiError,
    HeadersTooLarge,
    MethodNotAllowed,
    PayloadTooLarge,
    RateLimited,
    RequestInvalid,
    RouteNotFound,
)
from agentmock.mockserver.model.messages import Outcome, Request, Response, json_body
from agentmock.mockserver.ratelimit import RateLimiter
from agentmock.mockserver.routing import Match, NoMatch, Operation, default_router
from agentmock.mockserver.state import State
from agentmock.mockserver.vendors import profile

if TYPE_CHECKING:
    from collections.abc import Callable

    from agentmock.mockserver.journal import Entry
    from agentmock.mockserver.model.types import JSON, JSONObject, Vendor
    from agentmock.mockserver.vendors import VendorProfile

__all__ = ["MAX_BODY_BYTES", "Fake", "auth_headers"]

MAX_BODY_BYTES = 1024 * 1024
MAX_HEADER_BYTES = 64 * 1024  # all header values of one request together
_JSON_HEADERS = {"content-type": "application/json"}


def auth_headers(vendor: str, key: str) -> dict[str, str]:
    """How `vendor`'s own clients send `key` (its profile says)."""
    return profile(vendor).client_headers(key)


class Fake:
    """Every registered vendor's fake API over one `State`.

    >>> fake = Fake()
    >>> reply = fake.handle(Request("POST", "/agents/-OKdqbqetEcM4ak369ym/duplicate",
    ...                             {"authorization": "any-key"}))
    >>> reply.response.status, reply.response.json()["name"]
    (200, 'Support line')
    """

    def __init__(
        self,
        state: State | None = None,
        *,
        strict: bool = True,
        rate_limit: int | None = None,
        journal_size: int = 1000,
    ) -> None:
        self.state = state if state is not None else State()
        self.strict = strict
        self.router = default_router()
        self.profiles = {vendor: profile(vendor) for vendor in self.router.operations}
        self.stores = self.state.vendors
        self.handlers: dict[Vendor, dict[str, Handler]] = {
            vendor: handlers_for(vendor, self.profiles[vendor].handlers, [op.name for op in ops])
            for vendor, ops in self.router.operations.items()
        }
        self.renderers = {
            vendor: _Renderer(vendor_profile, self.state)
            for vendor, vendor_profile in self.profiles.items()
        }
        self.faults = FaultBook(self.router)
        keys = frozenset(p.auth_header for p in self.profiles.values())
        self.journal = Journal(journal_size, secret_headers=keys)
        self.rate_limiters: dict[Vendor, RateLimiter] = {}
        self.set_rate_limit(rate_limit)
        self.listeners: list[Callable[[Entry], None]] = []
        """Called with every journal entry as it is recorded (the plugin's contract coverage)."""

    def reset(self, *, vendor: str | None = None) -> None:
        """Back to the seed, with no faults, an empty journal and fresh rate-limit windows.

        With `vendor`, only that vendor's agents, keys, faults and journal entries.
        """
        self.state.reset(vendor=vendor)
        self.faults.clear(vendor)
        self.journal.clear(vendor)
        for name, limiter in self.rate_limiters.items():
            if vendor is None or vendor == name:
                limiter.reset()

    def set_rate_limit(self, per_minute: int | None) -> None:
        """Requests a minute per key for every rate-limited vendor: None for each vendor's
        default (its profile's `default_rate_limit`), 0 for no limit and no rate-limit headers
        at all."""
        self.rate_limiters = {}
        for name, vendor in self.profiles.items():
            limit = vendor.default_rate_limit if per_minute is None else per_minute
            if vendor.rate_limited and limit:
                self.rate_limiters[name] = RateLimiter(limit)

    def add_agent(self, vendor: str, fields: JSONObject) -> JSONObject:
        """Seed one agent (missing fields get realistic defaults); see `State.add_agent`."""
        return self.state.add_agent(vendor, fields)

    # -- the pipeline ----------------------------------------------------------------------

    def handle(self, request: Request, *, vendor: Vendor | None = None) -> Outcome:
        """Answer `request`. `vendor` names the API when the adapter knows it (from the host)."""
        match = self.router.match(request.method, request.path, vendor)
        if isinstance(match, Match):
            vendor, operation = match.operation.vendor, match.operation.operation_id
        else:
            vendor, operation = match.vendor, None
        fault: Fault | None = None
        outcome: Outcome | None = None
        started = time.perf_counter()
        try:
            with self.state.lock:
                outcome, fault = self._dispatch(vendor, match, request)
            return outcome
        finally:
            entry = self.journal.record(
                at=time.time(),
                vendor=vendor,
                operation=operation,
                request=request,
                response=outcome.response if outcome else None,
                dropped=outcome.drop if outcome else False,
                fault=fault.kind if fault else None,
                ms=(time.perf_counter() - started) * 1000,
            )
            for listener in self.listeners:
                listener(entry)

    def _dispatch(
        self, vendor: Vendor, match: Match | NoMatch, request: Request
    ) -> tuple[Outcome, Fault | None]:
        render = self.renderers[vendor]
        if sum(map(len, request.headers.values())) > MAX_HEADER_BYTES:
            # Refused before routing is trusted, like a 404: HTTP's own answer in the
            # vendor's envelope, not an operation's (so strict mode has nothing to check).
            return Outcome(render(HeadersTooLarge())), None
        if isinstance(match, NoMatch):
            error: ApiError = RouteNotFound()
            if match.allowed:
                error = MethodNotAllowed(headers={"allow": ", ".join(sorted(set(match.allowed)))})
            return Outcome(render(error)), None
        op = match.operation
        if len(request.body) > MAX_BODY_BYTES:
            return Outcome(self._checked(op, render(PayloadTooLarge()))), None
        fault = self.faults.take(vendor, op.operation_id)
        preempted = fault.preempt(render) if fault is not None else None
        if preempted is not None:
            return preempted, fault
        call = Call(match.path_params)
        try:
            self._prepare(op, call, request)
            response = _success(op, self.handlers[vendor][op.name](self.stores[vendor], call))
        except ApiError as error:
            response = render(error)
        if call.answer_headers:  # the vendor's own error headers win
            response.headers = call.answer_headers | response.headers
        response = self._checked(op, response)
        return (fault.shape(response) if fault is not None else Outcome(response)), fault

    def _prepare(self, op: Operation, call: Call, request: Request) -> None:
        """Auth, rate limit and validation in the vendor's order, filling in the handler's
        `call` (its account, query, body, and the rate-limit headers every answer carries);
        a refusal raises the vendor's error."""
        vendor = self.profiles[op.vendor]
        if vendor.validate_before_auth:
            self._validated(op, call, request)
        call.account = vendor.authenticate(self.stores[op.vendor], request.headers)
        limiter = self.rate_limiters.get(op.vendor)
        if limiter is not None:
            key = vendor.rate_limit_key(request.headers)
            allowed, call.answer_headers = limiter.hit(key, self.state.clock.now())
            if not allowed:
                raise RateLimited(headers=call.answer_headers)
        if not vendor.validate_before_auth:
            self._validated(op, call, request)

    @staticmethod
    def _validated(op: Operation, call: Call, request: Request) -> None:
        violations, call.query, call.body = validate_request(op, call.path_params, request)
        if violations:
            raise RequestInvalid(violations)

    def _checked(self, op: Operation, response: Response) -> Response:
        return check_response(op, response) if self.strict else response


class _Renderer:
    """`error` in the vendor's envelope, with a request id from the state's minter (random,
    or repeatable where the minter is seeded), for vendors whose errors carry one."""

    __slots__ = ("_profile", "_state")

    def __init__(self, vendor: VendorProfile, state: State) -> None:
        self._profile, self._state = vendor, state

    def __call__(self, error: ApiError) -> Response:
        error.request_id = self._state.minter.request_id()
        return self._profile.render(error)


def _success(op: Operation, result: JSON) -> Response:
    if not op.success_has_body:
        return Response(op.success_status, {}, b"")
    return Response(op.success_status, dict(_JSON_HEADERS), json_body(result), result)
