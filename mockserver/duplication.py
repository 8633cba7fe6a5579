"""Duplicate an agent by the contract's `x-agentmock-duplicate` table, nothing else.

Each property of the vendor's `Agent` schema says what a copy does with it: `copy` (deep copy),
`regenerate` (a fresh value from a generator), `rename` (a template over the source, unless the
request's `override` field is given) or `reset` (a fixed value). Keys the schema does not name
follow `x-agentmock-duplicate-additional`.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import contracts
from mockserver.state import json_copy

if TYPE_CHECKING:
    from mockserver.clock import Clock
    from mockserver.ids import IdMinter
    from mockserver.types import JSON, JSONObject, Vendor

__all__ = ["duplicate", "rules"]


@functools.cache
def rules(vendor: Vendor) -> tuple[dict[str, dict[str, Any]], str]:
    """`(rule by property, rule for unknown keys)` from the contract's Agent schema."""
    agent = contracts.schema(vendor, "Agent")
    table = {name: prop["x-agentmock-duplicate"] for name, prop in agent["properties"].items()}
    return table, agent.get("x-agentmock-duplicate-additional", "copy")


def _generate(generator: str, *, minter: IdMinter, clock: Clock, caller: JSON) -> JSON:
    if generator == "caller_account":
        return json_copy(caller)
    if generator == "uuid4":
        return minter.uuid4()
    if generator == "millis_push_id":
        return minter.push_id(clock.now())
    if generator == "epoch_seconds":
        return int(clock.now())
    raise ValueError(f"agentmock: unknown generator {generator!r} in the contract")


def duplicate(
    vendor: Vendor,
    source: JSONObject,
    *,
    minter: IdMinter,
    clock: Clock,
    request: JSONObject | None = None,
    caller: JSON = None,
) -> JSONObject:
    """A new agent made from `source` by the table; `source` itself is never touched.

    `request` is the duplicate request's body (for a rename `override`), `caller` the account
    of the key that asked (for the `caller_account` generator).
    """
    table, additional = rules(vendor)
    request = request or {}
    # One deep copy of the whole source (a single C-level round trip), then the table's rules.
    copy: JSONObject = json_copy(source)
    for key in source:
        rule = table.get(key)
        if rule is None:
            if additional != "copy":
                del copy[key]
            continue
        action = rule["action"]
        if action == "regenerate":
            copy[key] = _generate(rule["generator"], minter=minter, clock=clock, caller=caller)
        elif action == "rename":
            override = rule.get("override")
            if override is not None and request.get(override) is not None:
                copy[key] = request[override]
            else:
                copy[key] = rule["template"].format_map(source)
        elif action == "reset":
            copy[key] = json_copy(rule["value"])
    # A property the source lacks but the table resets or regenerates is still set.
    for key, rule in table.items():
        if key in copy:
            continue
        if rule["action"] == "reset":
            copy[key] = json_copy(rule["value"])
        elif rule["action"] == "regenerate":
            copy[key] = _generate(rule["generator"], minter=minter, clock=clock, caller=caller)
    return copy
