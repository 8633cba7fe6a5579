"""The fake's one request pipeline, shared by every adapter.

    request -> route -> size -> faults -> auth / rate limit / validation -> handler
            -> response validation (strict) -> journal -> outcome

The order of auth, rate limit and validation is the vendor's (its profile's
`validate_before_auth`: FastAPI validates first), and so is every error's envelope. The core
names no vendor. Nothing rejected changes state, and no input produces a 5xx.
"""

from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING

import orjson

from agentmock.mockserver.errors import (
    ApiError,
    ContractViolation,
    Injected,
    MethodNotAllowed,
    PayloadTooLarge,
    RateLimited,
    RequestInvalid,
    RouteNotFound,
    Violation,
)
from agentmock.mockserver.faults import Fault, FaultBook
from agentmock.mockserver.handlers import Call, Handler, handlers_for
from agentmock.mockserver.journal import Journal
from agentmock.mockserver.messages import NO_DATA, Outcome, Request, Response, json_body
from agentmock.mockserver.ratelimit import RateLimiter
from agentmock.mockserver.routing import Match, NoMatch, Operation, Router
from agentmock.mockserver.state import State
from agentmock.mockserver.vendors import profile

if TYPE_CHECKING:
    from collections.abc import Callable

    from agentmock.mockserver.journal import Entry
    from agentmock.mockserver.types import JSON, JSONObject, Vendor

__all__ = ["MAX_BODY_BYTES", "Fake", "auth_headers", "default_router"]

MAX_BODY_BYTES = 1024 * 1024
_JSON_HEADERS = {"content-type": "application/json"}


def auth_headers(vendor: str, key: str) -> dict[str, str]:
    """How `vendor`'s own clients send `key` (its profile says)."""
    return profile(vendor).client_headers(key)


@functools.cache
def default_router() -> Router:
    """The routes of every registered contract, compiled once per process (and again when a
    vendor is registered: `vendors.register` clears this cache)."""
    return Router()


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
        self.handlers: dict[Vendor, dict[str, Handler]] = {
            vendor: handlers_for(self.profiles[vendor], [op.name for op in ops])
            for vendor, ops in self.router.operations.items()
        }
        self.faults = FaultBook(self.router)
        self.journal = Journal(journal_size)
        self.rate_limiter = RateLimiter(rate_limit) if rate_limit is not None else None
        self.listeners: list[Callable[[Entry], None]] = []
        """Called with every journal entry as it is recorded (the plugin's contract coverage)."""

    def reset(self, *, vendor: str | None = None) -> None:
        """Back to the seed, with no faults, an empty journal and fresh rate-limit windows.

        With `vendor`, only that vendor's agents, keys, faults and journal entries.
        """
        self.state.reset(vendor=vendor)
        self.faults.clear(vendor)
        self.journal.clear(vendor)
        limited = vendor is None or self.profiles[vendor].rate_limited
        if self.rate_limiter is not None and limited:
            self.rate_limiter.reset()

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
        render = self.profiles[vendor].render
        if isinstance(match, NoMatch):
            error: ApiError = RouteNotFound()
            if match.allowed:
                error = MethodNotAllowed(headers={"allow": ", ".join(sorted(set(match.allowed)))})
            return Outcome(render(error)), None
        op = match.operation
        if len(request.body) > MAX_BODY_BYTES:
            return Outcome(self._checked(op, render(PayloadTooLarge()))), None
        fault = self.faults.take(vendor, op.operation_id)
        if fault is not None and fault.kind == "drop":
            return Outcome(None, drop=True), fault
        if fault is not None and fault.kind == "status":
            assert fault.status is not None
            injected = Injected(fault.status, body=fault.body, headers=fault.headers)
            return Outcome(render(injected)), fault
        limits: dict[str, str] = {}
        try:
            call, limits = self._prepare(op, match.path_params, request)
            result = self.handlers[vendor][op.name](self.state, call)
            response = _success(op, result)
        except ApiError as error:
            response = render(error)
        response.headers.update(limits)
        response = self._checked(op, response)
        delay = fault.seconds if fault is not None and fault.kind == "delay" else 0.0
        if fault is not None and fault.kind == "malformed":
            response.body = response.body[: len(response.body) // 2] or b'{"'
        drop = fault is not None and fault.kind == "commit_then_drop"
        return Outcome(response, delay=delay, drop=drop), fault

    def _prepare(
        self, op: Operation, path_params: dict[str, str], request: Request
    ) -> tuple[Call, dict[str, str]]:
        """Auth, rate limit and validation in the vendor's order: the handler's `Call`, and the
        rate-limit headers every answer to it carries (a refusal carries them on its error)."""
        vendor = self.profiles[op.vendor]
        store = self.state.vendor(op.vendor)
        body: JSONObject | None = None
        if vendor.validate_before_auth:
            body = self._validated(op, path_params, request)
        account = vendor.authenticate(store, request.headers)
        limits: dict[str, str] = {}
        if self.rate_limiter is not None and vendor.rate_limited:
            key = f"{op.vendor}:{vendor.rate_limit_key(request.headers)}"
            allowed, limits = self.rate_limiter.hit(key, self.state.clock.now())
            if not allowed:
                raise RateLimited(headers=limits)
        if not vendor.validate_before_auth:
            body = self._validated(op, path_params, request)
        return Call(path_params, body, account), limits

    def _validated(
        self, op: Operation, path_params: dict[str, str], request: Request
    ) -> JSONObject | None:
        violations, body = self._validate(op, path_params, request)
        if violations:
            raise RequestInvalid(violations)
        return body

    def _validate(
        self, op: Operation, path_params: dict[str, str], request: Request
    ) -> tuple[list[Violation], JSONObject | None]:
        """Every way the request breaks the contract, and its parsed body (None if none)."""
        found: list[Violation] = []
        for param in op.params:
            if param.location == "path":
                value: str | None = path_params.get(param.name)
            else:
                value = request.headers.get(param.name.lower())
            loc = (param.location, param.name)
            if value is None:
                if param.required:
                    found.append(Violation(loc, "Field required", "missing"))
                continue
            if not param.any_string and not param.check.is_valid(value):
                found.extend(param.check.violations(value, loc=loc))
        if op.body is None:  # no body in the contract: whatever was sent is ignored
            return found, None
        if not request.body.strip():
            if op.body_required:
                found.append(Violation(("body",), "Field required", "missing"))
            return found, None
        try:
            parsed = _parse_json(request.body)
        except ValueError as exc:
            found.append(Violation(("body",), f"JSON decode error: {exc}", "json_invalid"))
            return found, None
        if not op.body.is_valid(parsed):
            found.extend(op.body.violations(parsed, loc=("body",)))
        return found, parsed

    def _checked(self, op: Operation, response: Response) -> Response:
        """Strict mode: the response must be one the contract allows, or agentmock has a bug."""
        if not self.strict:
            return response
        where = f"{op.vendor} {op.operation_id} {response.status}"
        if response.status not in op.responses:
            declared = ", ".join(str(s) for s in sorted(op.responses))
            _violation(f"{where}: status not declared (declared: {declared})")
        check = op.responses[response.status]
        if check is None:
            if response.body:
                _violation(f"{where}: the contract declares no body, the fake sent one")
            return response
        data = response.data if response.data is not NO_DATA else orjson.loads(response.body)
        if not check.is_valid(data):
            _violation(f"{where}: response {check.first_error(data)}")
        return response


def _violation(detail: str) -> None:
    raise ContractViolation(
        f"agentmock: strict mode: the fake's {detail}. This is a bug in agentmock's fake, "
        "not in your code; to get the response anyway, turn strict mode off "
        "(Fake(strict=False), agentmock serve --no-strict)."
    )


def _success(op: Operation, result: JSON) -> Response:
    if not op.success_has_body:
        return Response(op.success_status, {}, b"")
    return Response(op.success_status, dict(_JSON_HEADERS), json_body(result), result)


def _parse_json(raw: bytes) -> JSON:
    """Strict JSON (orjson): no NaN/Infinity, no lone surrogates, UTF-8 only, bounded nesting."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValueError(exc.msg) from None
