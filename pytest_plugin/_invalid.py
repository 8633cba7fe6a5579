"""Invalid payloads: a valid one broken in exactly one labelled way (`Reason`): a missing
required field, a wrong type, a value outside an enum, a blank where text is required, an extra
key where the schema forbids them, a list where the body must be an object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

if TYPE_CHECKING:
    from collections.abc import Callable

    from agentmock.mockserver.model.types import JSON
    from agentmock.pytest_plugin._compile import Strategy

__all__ = ["Reason", "broken_payloads"]


@dataclass(frozen=True)
class Reason:
    """How an invalid payload breaks the contract: `kind` at `path` (e.g. missing `voice`)."""

    kind: str  # "missing", "wrong_type", "not_in_enum", "blank", "unknown_key", "not_an_object"
    path: tuple[str | int, ...]
    detail: str

    def __str__(self) -> str:
        where = ".".join(str(p) for p in self.path) or "(the body)"
        return f"{self.kind} at {where}: {self.detail}"


def _types_of(schema: dict[str, Any]) -> set[str] | None:
    """The JSON types a schema allows, or None if it does not constrain the type."""
    if "anyOf" in schema or "oneOf" in schema:
        found: set[str] = set()
        for branch in schema.get("anyOf", schema.get("oneOf", [])):
            kinds = _types_of(branch)
            if kinds is None:
                return None
            found |= kinds
        return found
    if "enum" in schema:
        return {_json_type(v) for v in schema["enum"]}
    kind = schema.get("type")
    if kind is None:
        return None
    kinds = set(kind) if isinstance(kind, list) else {kind}
    return kinds | {"integer"} if "number" in kinds else kinds


def _json_type(value: JSON) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


_WRONG_VALUES: dict[str, JSON] = {
    "string": 12345,
    "integer": "12345",
    "number": "1.5",
    "boolean": "true",
    "object": ["not", "an", "object"],
    "array": {"not": "a list"},
    "null": "null",
}


def _enum_of(schema: dict[str, Any]) -> list[JSON] | None:
    if "enum" in schema:
        return list(schema["enum"])
    for branch in schema.get("anyOf", []):
        if "enum" in branch:
            return list(branch["enum"])
    return None


def _object_schema(schema: dict[str, Any]) -> dict[str, Any] | None:
    if "properties" in schema:
        return schema
    for branch in schema.get("anyOf", []):
        if "properties" in branch:
            found: dict[str, Any] = branch
            return found
    return None


def _breakages(
    schema: dict[str, Any], value: JSON, path: tuple[str | int, ...]
) -> list[tuple[Reason, Callable[[JSON], JSON]]]:
    """Every single-point way to break `value` (valid under `schema`), with its reason."""
    found: list[tuple[Reason, Callable[[JSON], JSON]]] = []
    obj = _object_schema(schema)
    if obj is not None and isinstance(value, dict):
        for name in obj.get("required", ()):
            if name in value:
                found.append(
                    (Reason("missing", (*path, name), "a required field is absent"), _remove(name))
                )
        if obj.get("additionalProperties", True) is False:
            found.append(
                (
                    Reason("unknown_key", (*path, "not_a_field"), "objects here refuse extra keys"),
                    _set("not_a_field", "x"),
                )
            )
        for name, sub in obj.get("properties", {}).items():
            if name not in value:
                continue
            kinds = _types_of(sub)
            if kinds is not None:
                wrong = next(
                    (v for v in _WRONG_VALUES.values() if _json_type(v) not in kinds), None
                )
                if wrong is not None:
                    found.append(
                        (
                            Reason(
                                "wrong_type", (*path, name), f"{wrong!r} is not {sorted(kinds)}"
                            ),
                            _set(name, wrong),
                        )
                    )
            enum = _enum_of(sub)
            if enum is not None and value[name] is not None:
                found.append(
                    (
                        Reason("not_in_enum", (*path, name), "a string outside the enum"),
                        _set(name, "not-a-documented-value"),
                    )
                )
            if sub.get("pattern") == "\\S" and isinstance(value[name], str):
                found.append(
                    (
                        Reason("blank", (*path, name), "must not be empty or blank"),
                        _set(name, "   "),
                    )
                )
            for reason, change in _breakages(sub, value[name], (*path, name)):
                found.append((reason, _within(name, change)))
    return found


def _remove(name: str) -> Callable[[JSON], JSON]:
    return lambda value: {k: v for k, v in value.items() if k != name}


def _set(name: str, new: JSON) -> Callable[[JSON], JSON]:
    return lambda value: {**value, name: new}


def _within(name: str, change: Callable[[JSON], JSON]) -> Callable[[JSON], JSON]:
    return lambda value: {**value, name: change(value[name])}


def broken_payloads(schema: dict[str, Any], valid: Strategy, *, root: bool = True) -> Strategy:
    """`(payload, Reason)`: a `valid` payload (under `schema`) broken in exactly one labelled
    way; at the `root`, also a list where an object belongs."""

    @st.composite
    def broken(draw: st.DrawFn) -> tuple[JSON, Reason]:
        valid_value = draw(valid)
        options = _breakages(schema, valid_value, ())
        if root and schema.get("type") == "object":
            options.append((Reason("not_an_object", (), "the body is a list"), lambda v: [v]))
        # A kind first, then one breakage of that kind: every kind the payload allows turns up
        # evenly, not in proportion to how many fields it could hit.
        kinds = sorted({reason.kind for reason, _ in options})
        kind = draw(st.sampled_from(kinds))
        reason, change = draw(st.sampled_from([o for o in options if o[0].kind == kind]))
        return change(valid_value), reason

    return broken()
