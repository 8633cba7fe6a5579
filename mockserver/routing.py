"""Routes from the contracts: every operation, its path pattern and its compiled schemas.

Nothing here is written by hand per vendor: add an operation to a contract and it gets a route
(and, through `mockserver.handlers`, a test that fails until it has a handler).
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from agentmock import contracts
from agentmock.mockserver import vendors
from agentmock.mockserver.model.validation import SchemaCheck

if TYPE_CHECKING:
    from agentmock.mockserver.model.types import Vendor

__all__ = ["Operation", "Param", "Router", "default_router", "snake_case"]

_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@functools.cache  # asked on every request (`Operation.name`): a regex substitution each time
def snake_case(operation_id: str) -> str:
    """`duplicateAgent` -> `duplicate_agent`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    location: str  # "path", "header" or "query"
    required: bool
    check: SchemaCheck
    any_string: bool  # the schema is a bare `type: string`: every header or path value fits


@dataclass(frozen=True, slots=True)
class Operation:
    """One contract operation, ready to match and validate."""

    vendor: Vendor
    operation_id: str
    method: str
    path: str
    pattern: re.Pattern[str]
    params: tuple[Param, ...]
    body: SchemaCheck | None
    body_required: bool
    success_status: int
    success_has_body: bool
    responses: dict[int, SchemaCheck | None] = field(repr=False)
    """Every declared status and its body's schema, documented variants included (to check
    real traffic)."""
    pinned: dict[int, SchemaCheck | None] = field(repr=False, default_factory=dict)
    """The same without the variants: the one form the fake sends (its strict mode)."""

    @property
    def name(self) -> str:
        return snake_case(self.operation_id)


def _pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", path)
    regex = "".join(
        f"(?P<{part}>[^/]+)" if i % 2 else re.escape(part) for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$")


def _json_schema(holder: dict[str, Any], *, pinned: bool = False) -> SchemaCheck | None:
    media = holder.get("content", {}).get("application/json")
    if media is None:
        return None
    schema = media.get("schema", {})
    if not pinned:
        return SchemaCheck(schema)
    schema = contracts.canonical(schema)
    omitted = media.get("x-agentmock-omits")  # fields the vendor leaves out of this answer
    if omitted:
        schema = copy.deepcopy(schema)  # `canonical` may give back the contract's own
        items = schema.get("items", schema)
        items["properties"] = {**items.get("properties", {}), **dict.fromkeys(omitted, False)}
    return SchemaCheck(schema)


def load_operations(vendor: Vendor) -> list[Operation]:
    found: list[Operation] = []
    for path, item in contracts.resolved_paths(vendors.contract(vendor)).items():
        shared = item.get("parameters", [])
        for method in _METHODS:
            if method not in item:
                continue
            op = item[method]
            params = tuple(
                Param(
                    p["name"],
                    p["in"],
                    bool(p.get("required")),
                    SchemaCheck(p["schema"]),
                    p["schema"] == {"type": "string"},
                )
                for p in [*shared, *op.get("parameters", [])]
            )
            declared = op["responses"]
            responses = {int(status): _json_schema(r) for status, r in declared.items()}
            pinned = {int(status): _json_schema(r, pinned=True) for status, r in declared.items()}
            success = [s for s in responses if 200 <= s < 300]
            if len(success) > 1:  # the vendor lists several: the contract marks the fake's
                success = [
                    s for s in success if declared[str(s)].get("x-agentmock-fake-answers") is True
                ]
            if len(success) != 1:
                raise ValueError(
                    f"{vendor} {op['operationId']}: expected one success status, or one marked "
                    "x-agentmock-fake-answers"
                )
            body = op.get("requestBody")
            found.append(
                Operation(
                    vendor=vendor,
                    operation_id=op["operationId"],
                    method=method.upper(),
                    path=path,
                    pattern=_pattern(path),
                    params=params,
                    body=_json_schema(body) if body else None,
                    body_required=bool(body and body.get("required")),
                    success_status=success[0],
                    success_has_body=responses[success[0]] is not None,
                    responses=responses,
                    pinned=pinned,
                )
            )
    return found


@dataclass(slots=True)  # per request: not frozen, which would be 5x slower to build
class Match:
    operation: Operation
    path_params: dict[str, str]


@dataclass(slots=True)
class NoMatch:
    """No operation: `allowed` lists the methods of a path that matched with another method."""

    vendor: Vendor
    allowed: tuple[str, ...]


class Router:
    """Every registered vendor's operations on one port.

    Without a vendor (a request to the stand-in server), a path is tried against each vendor's
    operations in registration order, so two vendors may share a path prefix as long as no
    full path and method is served by both (a test checks the contracts for that).
    """

    def __init__(self) -> None:
        # In the registry's order (the oldest vendor first: it wins ties in `vendor_of`).
        self.operations: dict[Vendor, list[Operation]] = {
            vendor: load_operations(vendor) for vendor in vendors.names()
        }
        # By operationId and by snake-case name: faults and tests name operations either way.
        self._by_name: dict[tuple[Vendor, str], Operation] = {
            (op.vendor, name): op
            for ops in self.operations.values()
            for op in ops
            for name in (op.operation_id, op.name)
        }
        self._by_method: dict[tuple[Vendor, str], list[Operation]] = {}
        self._any_vendor: dict[str, list[Operation]] = {}  # by method, in the registry's order
        for ops in self.operations.values():
            for op in ops:
                self._by_method.setdefault((op.vendor, op.method), []).append(op)
                self._any_vendor.setdefault(op.method, []).append(op)

    def vendor_of(self, path: str) -> Vendor:
        """Whose API a path that matches no route belongs to: the vendor with an operation path
        sharing the most leading segments with it (the first registered on a tie)."""
        parts = path.strip("/").split("/")

        def shared(template: str) -> int:
            count = 0
            for mine, theirs in zip(parts, template.strip("/").split("/"), strict=False):
                if mine != theirs or theirs.startswith("{"):
                    break
                count += 1
            return count

        best = {v: max(shared(op.path) for op in ops) for v, ops in self.operations.items()}
        return max(best, key=lambda v: best[v])  # max keeps the first of equals

    def match(self, method: str, path: str, vendor: Vendor | None = None) -> Match | NoMatch:
        """The operation `method path` names; with `vendor`, only among that vendor's."""
        candidates = (
            self._any_vendor.get(method, ())
            if vendor is None
            else self._by_method.get((vendor, method), ())
        )
        for op in candidates:
            found = op.pattern.match(path)
            if found is not None:
                return Match(op, found.groupdict())
        owner = vendor or self.vendor_of(path)
        matching = [op for op in self.operations[owner] if op.pattern.match(path)]
        # A literal segment outranks a parameter (`/agents/create` is not `/agents/{agent_id}`):
        # the methods allowed are those of the most specific matching path.
        fewest = min((op.path.count("{") for op in matching), default=0)
        allowed = tuple(op.method for op in matching if op.path.count("{") == fewest)
        return NoMatch(owner, allowed)

    def operation(self, vendor: Vendor, operation: str) -> Operation:
        """Look an operation up by operationId (`duplicateAgent`) or snake case name."""
        found = self._by_name.get((vendor, operation))
        if found is not None:
            return found
        if vendor not in self.operations:
            raise vendors.unknown_vendor(vendor)
        names = ", ".join(op.name for op in self.operations[vendor])
        raise ValueError(f"agentmock: {vendor} has no operation {operation!r}; expected {names}")


def default_router() -> Router:
    """The routes of every registered contract, compiled once per process, and again after
    the registry changes (a vendor registered at run time)."""
    return _router(vendors.generation())


@functools.cache
def _router(generation: int) -> Router:
    _router.cache_clear()  # only the current registry's router is kept
    return Router()
