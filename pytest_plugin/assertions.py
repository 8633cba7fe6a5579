"""`assert_duplicate_of`: check a copy against the contract's `x-agentmock-duplicate` table."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from mockserver.duplication import rules

if TYPE_CHECKING:
    from mockserver.types import JSONObject, Vendor

__all__ = ["assert_duplicate_of"]

_PUSH_ID = re.compile(r"^[-0-9A-Za-z_]{20}$")


def _check_generated(generator: str, value: Any, source_value: Any) -> str | None:
    # A fresh timestamp may equal the source's (same second); a fresh id may not.
    if value == source_value and generator not in ("caller_account", "epoch_seconds"):
        return f"should be newly generated ({generator}) but equals the source's {value!r}"
    if generator == "uuid4":
        try:
            if uuid.UUID(str(value)).version != 4:
                return f"should be a UUID v4, got {value!r}"
        except ValueError:
            return f"should be a UUID v4, got {value!r}"
    elif generator == "millis_push_id":
        if not isinstance(value, str) or not _PUSH_ID.match(value):
            return f"should be a 20-character push id, got {value!r}"
    elif generator == "epoch_seconds" and (not isinstance(value, int) or isinstance(value, bool)):
        return f"should be Unix seconds (an integer), got {value!r}"
    return None


def assert_duplicate_of(
    source: JSONObject,
    copy: JSONObject,
    *,
    vendor: Vendor,
    agent_name: str | None = None,
    account: JSONObject | None = None,
) -> None:
    """Check `copy` against `source` by the vendor contract's table; report every mismatch.

    `agent_name` is the name the duplicate request asked for (Voicy), `account` the account of
    the key that made it (default: the source's own account).

    >>> assert_duplicate_of(source, copy, vendor="voicy", agent_name="Copy")  # doctest: +SKIP
    """
    table, additional = rules(vendor)
    problems: list[str] = []
    for key, rule in table.items():
        action = rule["action"]
        if key not in copy:
            if key in source or action in ("reset", "regenerate"):
                problems.append(f"{key}: missing from the copy")
            continue
        value = copy[key]
        if action == "copy":
            if key in source and value != source[key]:
                problems.append(f"{key}: should be copied: {source[key]!r}, got {value!r}")
        elif action == "reset":
            if value != rule["value"]:
                problems.append(f"{key}: should be reset to {rule['value']!r}, got {value!r}")
        elif action == "rename":
            given = agent_name if rule.get("override") else None
            expected = given if given is not None else rule["template"].format_map(source)
            if value != expected:
                problems.append(f"{key}: should be {expected!r}, got {value!r}")
        elif action == "regenerate":
            if rule["generator"] == "caller_account":
                expected_account = account if account is not None else source.get(key)
                if value != expected_account:
                    problems.append(
                        f"{key}: should be the caller's account {expected_account!r}, got {value!r}"
                    )
            else:
                problem = _check_generated(rule["generator"], value, source.get(key))
                if problem:
                    problems.append(f"{key}: {problem}")
    if additional == "copy":
        for key in source.keys() - table.keys():
            if copy.get(key, object()) != source[key]:
                problems.append(f"{key}: an extra field that should be copied: {source[key]!r}")
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise AssertionError(
            f"agentmock: the copy is not a {vendor} duplicate of the source "
            f"(by the contract's x-agentmock-duplicate table):\n{listed}"
        )
