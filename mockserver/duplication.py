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
    copy_source: bool = True,
) -> JSONObject:
    """A new agent made from `source` by the table; `source` itself is never touched.

    `request` is the duplicate request's body (for a rename `override`), `caller` the account
    of the key that asked (for the `caller_account` generator). A caller that owns `source`
    outright (a fresh read from the store) may pass `copy_source=False` to skip one deep copy;
    the copy is then made in `source` itself.
    """
    table, additional = rules(vendor)
    request = request or {}
    changes: JSONObject = {}
    dropped: list[str] = []
    for key, rule in table.items():
        action = rule["action"]
        if action == "regenerate":
            changes[key] = _generate(rule["generator"], minter=minter, clock=clock, caller=caller)
        elif action == "reset":
            changes[key] = json_copy(rule["value"])
        elif action == "rename" and key in source:
            override = rule.get("override")
            if override is not None and request.get(override) is not None:
                changes[key] = request[override]
            else:
                changes[key] = rule["template"].format_map(source)
    if additional != "copy":
        dropped = [key for key in source if key not in table]
    # One deep copy of the whole source (a single C-level round trip), then the changes.
    copy: JSONObject = json_copy(source) if copy_source else source
    copy.update(changes)
    for key in dropped:
        del copy[key]
    return copy
