"""Scripted faults, per vendor and operation, each for `times` matching requests.

Kinds:

- `status`: answer `status` (vendor-shaped body unless `body` is given, plus `headers`) without
  touching state;
- `delay`: wait `seconds`, then serve the request normally;
- `drop`: close the connection without a response; state is not touched;
- `malformed`: serve the request (state changes as usual), but send a truncated, unparseable body;
- `commit_then_drop`: serve the request (the duplicate is made), then lose the response. This is
  the failure that makes retrying a non-idempotent duplicate dangerous.
"""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, get_args

from agentmock.mockserver import vendors
from agentmock.mockserver.model.errors import Injected
from agentmock.mockserver.model.messages import Outcome

if TYPE_CHECKING:
    from collections.abc import Callable

    from agentmock.mockserver.model.errors import ApiError
    from agentmock.mockserver.model.messages import Response
    from agentmock.mockserver.model.types import JSON, JSONObject
    from agentmock.mockserver.routing import Router

__all__ = ["Fault", "FaultBook", "FaultKind"]

FaultKind: TypeAlias = Literal["status", "delay", "drop", "malformed", "commit_then_drop"]
KINDS: tuple[str, ...] = get_args(FaultKind)


@dataclass(slots=True)
class Fault:
    """One scripted fault. `operation` is an operationId (`duplicateAgent`) or `*` for all."""

    vendor: str
    operation: str
    kind: FaultKind
    times: int = 1
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: JSON = None
    seconds: float = 0.0
    hits: int = 0
    id: int = 0  # given when queued: `DELETE /__admin/faults/{id}` removes this one

    def preempt(self, render: Callable[[ApiError], Response]) -> Outcome | None:
        """What the fault answers instead of serving the request (`drop`, `status`: the state
        is not touched), or None when the request is to be served."""
        if self.kind == "drop":
            return Outcome(None, drop=True)
        if self.kind == "status":
            assert self.status is not None  # checked when it was added
            response = render(Injected(self.status, body=self.body, headers=self.headers))
            if self.status in _BODILESS:  # a body there would corrupt the keep-alive connection
                response.body = b""
                response.headers.pop("content-type", None)
            return Outcome(response)
        return None

    def shape(self, response: Response) -> Outcome:
        """What becomes of the served request's `response` (`delay`, `malformed`,
        `commit_then_drop`: the state changed as usual)."""
        if self.kind == "malformed" and response.body:  # a bodiless answer stays bodiless
            response.body = response.body[: len(response.body) // 2] or b'{"'
        delay = self.seconds if self.kind == "delay" else 0.0
        return Outcome(response, delay=delay, drop=self.kind == "commit_then_drop")

    def as_dict(self) -> JSONObject:
        return {
            "id": self.id,
            "vendor": self.vendor,
            "operation": self.operation,
            "kind": self.kind,
            "times": self.times,
            "status": self.status,
            "headers": dict(self.headers),
            "body": self.body,
            "seconds": self.seconds,
            "hits": self.hits,
        }


_FIELDS = {"vendor", "operation", "kind", "times", "status", "headers", "body", "seconds"}
_BODILESS = frozenset({204, 205, 304})
MAX_SECONDS = 600.0  # a delay fault's longest wait
MAX_TIMES = 1_000_000
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an HTTP header name (RFC 9110 token)
_FIELD_VALUE = re.compile(r"^[\t\x20-\x7e\x80-\xff]*$")  # no CR, LF or other controls


class FaultBook:
    """The faults waiting to fire, oldest first. Thread-safe."""

    def __init__(self, router: Router) -> None:
        self._router = router
        self._faults: list[Fault] = []
        self._spent: list[Fault] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def add(self, spec: JSONObject | Fault) -> Fault:
        """Validate and queue a fault given as a `Fault` or a dict of its fields."""
        fault = spec if isinstance(spec, Fault) else _from_dict(spec)
        _check(fault)
        if fault.operation != "*":
            op = self._router.operation(fault.vendor, fault.operation)
            fault.operation = op.operation_id
        with self._lock:
            fault.id = next(self._ids)
            self._faults.append(fault)
        return fault

    def remove(self, fault_id: int) -> Fault | None:
        """Take the queued fault `fault_id` off the queue; None when no such fault waits."""
        with self._lock:
            for fault in self._faults:
                if fault.id == fault_id:
                    self._faults.remove(fault)
                    return fault
        return None

    def take(self, vendor: str, operation: str) -> Fault | None:
        """The first fault for this request, its count spent by one; None if there is none."""
        with self._lock:
            for fault in self._faults:
                if fault.vendor == vendor and fault.operation in (operation, "*"):
                    fault.hits += 1
                    if fault.hits >= fault.times:
                        self._faults.remove(fault)
                        self._spent.append(fault)
                    return fault
        return None

    def pending(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def all(self) -> list[Fault]:
        """Every fault added since the last clear, fired or not."""
        with self._lock:
            return [*self._spent, *self._faults]

    def clear(self, vendor: str | None = None) -> None:
        with self._lock:
            self._faults = [f for f in self._faults if vendor is not None and f.vendor != vendor]
            self._spent = [f for f in self._spent if vendor is not None and f.vendor != vendor]


def _from_dict(spec: Any) -> Fault:
    if not isinstance(spec, dict):
        raise ValueError("agentmock: a fault is a JSON object")
    unknown = set(spec) - _FIELDS
    if unknown:
        raise ValueError(
            f"agentmock: unknown fault field(s) {sorted(unknown)}; expected {sorted(_FIELDS)}"
        )
    for name in ("vendor", "operation", "kind"):
        if name not in spec:
            raise ValueError(f"agentmock: a fault needs {name!r}")
        if not isinstance(spec[name], str):
            raise ValueError(f"agentmock: a fault's {name} is a string, got {spec[name]!r}")
    headers = spec.get("headers") or {}
    if not isinstance(headers, dict):
        raise ValueError(f"agentmock: a fault's headers are an object, got {headers!r}")
    return Fault(
        vendor=spec["vendor"],
        operation=spec["operation"],
        kind=spec["kind"],
        times=spec.get("times", 1),
        status=spec.get("status"),
        headers=dict(headers),
        body=spec.get("body"),
        seconds=spec.get("seconds", 0.0),
    )


def _check(fault: Fault) -> None:
    vendors.check(fault.vendor)
    if fault.kind not in KINDS:
        raise ValueError(f"agentmock: unknown fault kind {fault.kind!r}; expected one of {KINDS}")
    times = fault.times
    if not isinstance(times, int) or isinstance(times, bool) or not 1 <= times <= MAX_TIMES:
        raise ValueError(f"agentmock: times must be a whole number 1-{MAX_TIMES}, got {times!r}")
    if fault.kind == "status":
        status = fault.status
        if not isinstance(status, int) or isinstance(status, bool) or not 200 <= status <= 599:
            raise ValueError(f"agentmock: a status fault needs a status 200-599, got {status!r}")
    elif fault.status is not None:
        raise ValueError(f"agentmock: status goes with kind 'status', not {fault.kind!r}")
    seconds = fault.seconds
    if (
        not isinstance(seconds, int | float)
        or isinstance(seconds, bool)
        or not 0 <= seconds <= MAX_SECONDS  # NaN fails both comparisons
    ):
        raise ValueError(f"agentmock: seconds must be 0-{MAX_SECONDS:g}, got {seconds!r}")
    if fault.kind != "delay" and seconds:
        raise ValueError(f"agentmock: seconds go with kind 'delay', not {fault.kind!r}")
    for name, value in fault.headers.items():
        if not isinstance(name, str) or not _TOKEN.match(name):
            raise ValueError(f"agentmock: {name!r} is not a legal HTTP header name")
        if not isinstance(value, str) or not _FIELD_VALUE.match(value):
            raise ValueError(
                f"agentmock: the value of header {name!r} must be text with no line breaks"
            )
        if name.lower() in ("content-length", "transfer-encoding", "connection"):
            raise ValueError(f"agentmock: header {name!r} is the server's to set")
