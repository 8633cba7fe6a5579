"""Complete a value into what a response schema requires, from the schema's own `default`s.

A vendor's API may answer with keys its request left out: an object sent as `{}` comes back
with the keys the vendor's response model requires. The contract says so by marking them
`required` with a `default` in the response schema; `complete` fills in each required property
that is missing and has a default, at every depth the schema describes (properties,
`additionalProperties` maps, array items, and the one `anyOf`/`oneOf` branch whose `const`
properties the value matches).

>>> schema = {"type": "object", "required": ["nodes", "loops"], "properties": {
...     "nodes": {"type": "object", "default": {}}, "loops": {"type": "boolean", "default": False}}}
>>> complete(schema, {"nodes": {"a": 1}})
{'nodes': {'a': 1}, 'loops': False}

A required property with no default is left missing: the contract's strict check then reports
it, rather than the fake inventing a value nobody documented. `complete` never changes its
argument; the result shares the parts it did not need to change.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentmock.mockserver.model.types import JSON

__all__ = ["complete"]

_JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
    "integer": int,
    "number": (int, float),
}


def complete(schema: Any, value: JSON) -> JSON:
    """`value` with every required-but-missing property that has a default filled in."""
    if not isinstance(schema, dict):
        return value
    branch = _branch(schema, value)
    if branch is not None:
        value = complete(branch, value)
    for part in schema.get("allOf", ()):
        value = complete(part, value)
    if isinstance(value, dict):
        return _object(schema, value)
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        items = schema["items"]
        return [complete(items, item) for item in value]
    return value


def _object(schema: dict[str, Any], value: dict[str, JSON]) -> dict[str, JSON]:
    properties: dict[str, Any] = schema.get("properties") or {}
    extra = schema.get("additionalProperties")
    result = dict(value)
    for name, item in value.items():
        sub = properties.get(name, extra if name not in properties else None)
        if isinstance(sub, dict):
            result[name] = complete(sub, item)
    for name in schema.get("required", ()):
        sub = properties.get(name)
        if name not in result and isinstance(sub, dict) and "default" in sub:
            result[name] = complete(sub, copy.deepcopy(sub["default"]))
    return result


def _branch(schema: dict[str, Any], value: JSON) -> dict[str, Any] | None:
    """The first `anyOf`/`oneOf` branch `value` can be: its type fits and, for an object, each
    `const` property (a discriminator such as `type: {const: start}`) matches."""
    for keyword in ("anyOf", "oneOf"):
        for branch in schema.get(keyword, ()):
            if isinstance(branch, dict) and _fits(branch, value):
                return branch
    return None


def _fits(schema: dict[str, Any], value: JSON) -> bool:
    kinds = schema.get("type")
    if kinds is not None:
        names = kinds if isinstance(kinds, list) else [kinds]
        wanted = tuple(t for n in names for t in _flat(_JSON_TYPES.get(n, ())))
        if not isinstance(value, wanted) or (isinstance(value, bool) and bool not in wanted):
            return False
    if isinstance(value, dict):
        for name, sub in (schema.get("properties") or {}).items():
            if isinstance(sub, dict) and "const" in sub and value.get(name) != sub["const"]:
                return False
            if isinstance(sub, dict) and isinstance(sub.get("not"), dict) and name in value:
                refused = sub["not"].get("enum", ())
                if value[name] in refused:
                    return False
    return True


def _flat(kinds: type | tuple[type, ...]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)
