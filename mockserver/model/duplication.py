"""Duplicate an agent by the contract's `x-agentmock-duplicate` table, nothing else.

Each property of the vendor's `Agent` schema says what a copy does with it: `copy` (deep copy),
`regenerate` (a fresh value from a generator), `rename` (a template over the source, unless the
request's `override` field is given) or `reset` (a fixed value). Keys the schema does not name
follow `x-agentmock-duplicate-additional`.
"""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agentmock import contracts
from agentmock.mockserver.model.jsonio import json_copy

if TYPE_CHECKING:
    from agentmock.mockserver.model.clock import Clock
    from agentmock.mockserver.model.ids import IdMinter
    from agentmock.mockserver.model.types import JSON, JSONObject

__all__ = ["Mismatch", "duplicate", "mismatches", "rules"]


@functools.cache
def rules(contract: contracts.Source) -> tuple[dict[str, dict[str, Any]], str]:
    """`(rule by property, rule for unknown keys)` from the contract's Agent schema."""
    agent = contracts.schema(contract, "Agent")
    table = {name: prop["x-agentmock-duplicate"] for name, prop in agent["properties"].items()}
    return table, agent.get("x-agentmock-duplicate-additional", "copy")


@functools.cache
def _acting(contract: contracts.Source) -> tuple[tuple[str, str, dict[str, Any]], ...]:
    """The table's rules that change something (most properties are plain copies, often four
    in five), so a duplicate walks only those."""
    return tuple(
        (key, rule["action"], rule)
        for key, rule in rules(contract)[0].items()
        if rule["action"] != "copy"
    )


def _regenerate(
    rule: dict[str, Any], source_value: JSON, *, minter: IdMinter, clock: Clock, caller: JSON
) -> JSON:
    """The source's object with `rule`'s `fields` given a fresh value each."""
    value = _generate(rule, minter=minter, clock=clock, caller=caller)
    fresh: JSONObject = json_copy(source_value) if isinstance(source_value, dict) else {}
    fresh.update(dict.fromkeys(rule["fields"], value))
    return fresh


def _generate(rule: dict[str, Any], *, minter: IdMinter, clock: Clock, caller: JSON) -> JSON:
    generator = rule["generator"]
    if generator == "caller_account":
        return json_copy(caller)
    if generator == "uuid4":
        return minter.uuid4()
    if generator == "firebase_push_id":
        return minter.push_id(clock.now())
    if generator == "epoch_seconds":
        return int(clock.now())
    if generator == "prefixed_base32":
        return minter.prefixed_base32(rule["prefix"], rule["length"])
    raise ValueError(f"agentmock: unknown generator {generator!r} in the contract")


def duplicate(
    contract: contracts.Source,
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
    table, additional = rules(contract)
    request = request or {}
    changes: JSONObject = {}
    dropped: list[str] = []
    for key, action, rule in _acting(contract):
        if action == "regenerate":
            if "fields" in rule:
                changes[key] = _regenerate(
                    rule, source.get(key), minter=minter, clock=clock, caller=caller
                )
            else:
                changes[key] = _generate(rule, minter=minter, clock=clock, caller=caller)
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


_PUSH_ID = re.compile(r"^[-0-9A-Za-z_]{20}$")


def _check_generated(rule: dict[str, Any], value: Any, source_value: Any) -> str | None:
    if "fields" in rule:  # an object whose listed fields are fresh, the rest copied
        if not isinstance(value, dict):
            return f"should be an object, got {value!r}"
        source_object = source_value if isinstance(source_value, dict) else {}
        inner = {k: v for k, v in rule.items() if k != "fields"}
        for name in rule["fields"]:
            problem = _check_generated(inner, value.get(name), source_object.get(name))
            if problem:
                return f"{name} {problem}"
        kept = {k: v for k, v in source_object.items() if k not in rule["fields"]}
        if {k: value.get(k) for k in kept} != kept:
            return f"should keep the source's other fields {kept!r}, got {value!r}"
        return None
    generator = rule["generator"]
    # A fresh timestamp may equal the source's (same second); a fresh id may not.
    if value == source_value and generator not in ("caller_account", "epoch_seconds"):
        return f"should be newly generated ({generator}) but equals the source's {value!r}"
    if generator == "uuid4":
        try:
            if uuid.UUID(str(value)).version != 4:
                return f"should be a UUID v4, got {value!r}"
        except ValueError:
            return f"should be a UUID v4, got {value!r}"
    elif generator == "firebase_push_id":
        if not isinstance(value, str) or not _PUSH_ID.match(value):
            return f"should be a 20-character push id, got {value!r}"
    elif generator == "prefixed_base32":
        pattern = re.escape(rule["prefix"]) + f"[0-9a-hjkmnp-tv-z]{{{rule['length']}}}"
        if not isinstance(value, str) or not re.fullmatch(pattern, value):
            return f"should be {rule['prefix']!r} and {rule['length']} base32 characters"
    elif generator == "epoch_seconds" and (not isinstance(value, int) or isinstance(value, bool)):
        return f"should be Unix seconds (an integer), got {value!r}"
    return None


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One way a copy is not a duplicate of its source by the contract's table."""

    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.field}: {self.problem}"


def mismatches(
    contract: contracts.Source,
    source: JSONObject,
    copy: JSONObject,
    *,
    agent_name: str | None = None,
    account: JSONObject | None = None,
) -> list[Mismatch]:
    """Every way `copy` is not a duplicate of `source` by the contract's table (empty: it is).

    `agent_name` is the name the duplicate request asked for (a rename override), `account` the
    account of the key that made it (default: the source's own account).
    """
    table, additional = rules(contract)
    problems: list[Mismatch] = []
    for key, rule in table.items():
        action = rule["action"]
        if key not in copy:
            if key in source or action in ("reset", "regenerate"):
                problems.append(Mismatch(key, "missing from the copy"))
            continue
        value = copy[key]
        if action == "copy":
            if key in source and value != source[key]:
                problems.append(Mismatch(key, f"should be copied: {source[key]!r}, got {value!r}"))
        elif action == "reset":
            if value != rule["value"]:
                problems.append(
                    Mismatch(key, f"should be reset to {rule['value']!r}, got {value!r}")
                )
        elif action == "rename":
            given = agent_name if rule.get("override") else None
            expected = given if given is not None else rule["template"].format_map(source)
            if value != expected:
                problems.append(Mismatch(key, f"should be {expected!r}, got {value!r}"))
        elif action == "regenerate":
            if rule["generator"] == "caller_account":
                expected_account = account if account is not None else source.get(key)
                if value != expected_account:
                    problems.append(
                        Mismatch(
                            key,
                            f"should be the caller's account {expected_account!r}, got {value!r}",
                        )
                    )
            else:
                problem = _check_generated(rule, value, source.get(key))
                if problem:
                    problems.append(Mismatch(key, problem))
    if additional == "copy":
        for key in source.keys() - table.keys():
            if copy.get(key, object()) != source[key]:
                problems.append(
                    Mismatch(key, f"an extra field that should be copied: {source[key]!r}")
                )
    return problems
