"""Contract schemas compiled once, on first use (jsonschema-rs), with errors phrased the way
FastAPI phrases them.

`SchemaCheck.violations` turns each JSON Schema error into a `Violation` whose `loc` names the
offending field, e.g. `("body", "config", "voice", "provider")`. A schema can carry
`x-agentmock-error: <message>` to replace the generic message for values that break it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jsonschema_rs

from agentmock.mockserver.model.errors import Violation

if TYPE_CHECKING:
    from agentmock.mockserver.model.types import JSON, Loc

__all__ = ["SchemaCheck"]

_TYPE_WORDS = {
    "string": ("string_type", "Input should be a valid string"),
    "integer": ("int_type", "Input should be a valid integer"),
    "number": ("float_type", "Input should be a valid number"),
    "boolean": ("bool_type", "Input should be a valid boolean"),
    "object": ("dict_type", "Input should be a valid dictionary"),
    "array": ("list_type", "Input should be a valid list"),
    "null": ("none_required", "Input should be None"),
}


class SchemaCheck:
    """One schema, compiled on first use (a fake routes hundreds of schemas, and a test touches
    a few). `is_valid` is the fast path; `violations` explains a failure."""

    __slots__ = ("_compiled", "schema")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self._compiled: Any = None

    @property
    def _validator(self) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = jsonschema_rs.Draft202012Validator(
                self.schema, validate_formats=True
            )
        return compiled

    def is_valid(self, instance: JSON) -> bool:
        compiled = self._compiled
        if compiled is None:
            compiled = self._validator
        return bool(compiled.is_valid(instance))

    def violations(self, instance: JSON, *, loc: Loc = ()) -> list[Violation]:
        found: list[Violation] = []
        for error in self._validator.iter_errors(instance):
            found.extend(v for v in self._explain(error, loc) if v not in found)
        return found  # each problem once: "" breaks both minLength and pattern, say it once

    def first_error(self, instance: JSON) -> str | None:
        """The first error in jsonschema-rs's words, with its schema path (for strict mode)."""
        for error in self._validator.iter_errors(instance):
            where = "/".join(str(p) for p in error.instance_path) or "(root)"
            schema_path = "/".join(str(p) for p in error.schema_path)
            return f"at {where}: {error.message} (schema path: {schema_path})"
        return None

    def _explain(self, error: Any, loc: Loc) -> list[Violation]:
        kind = error.kind
        name = type(kind).__name__
        at: Loc = (*loc, *error.instance_path)
        if name in ("AnyOf", "OneOfNotValid"):
            # `anyOf: [X, null]` fails as a whole; the useful errors are in the branch the value
            # got furthest into: one that did not fail on type alone, with the deepest errors.
            branches = [list(group) for group in kind.context if list(group)]
            depth = len(error.instance_path)

            def type_only(group: list[Any]) -> bool:
                return all(
                    type(e.kind).__name__ == "Type" and len(e.instance_path) == depth for e in group
                )

            tried = [g for g in branches if not type_only(g)] or branches[:1]
            if tried:
                best = max(tried, key=lambda g: max(len(e.instance_path) for e in g))
                return [v for sub in best for v in self._explain(sub, loc)]
        custom = self._custom_message(error.schema_path)
        if name == "Required":
            return [Violation((*at, kind.property), "Field required", "missing")]
        if name == "AdditionalProperties":
            return [
                Violation((*at, key), "Extra inputs are not permitted", "extra_forbidden")
                for key in kind.unexpected
            ]
        if custom is not None and name != "Type":
            return [Violation(at, custom, "value_error")]
        if name == "Type":
            wanted = [t for t in _types(kind) if t != "null"] or ["null"]
            kind_name, msg = _TYPE_WORDS.get(wanted[0], ("type_error", error.message))
            return [Violation(at, msg, kind_name)]
        if name == "Enum":
            options = " or ".join(repr(o) for o in kind.options if o is not None)
            return [Violation(at, f"Input should be {options}", "enum")]
        if name == "MinLength":
            n = kind.limit
            return [Violation(at, f"String should have at least {n} character(s)", "too_short")]
        if name == "Minimum":
            limit = kind.limit
            return [Violation(at, f"Input should be >= {limit}", "greater_than_equal")]
        if name == "Format":
            return [Violation(at, f"Input should be a valid {kind.format}", "value_error")]
        return [Violation(at, error.message, "value_error")]

    def _custom_message(self, schema_path: Any) -> str | None:
        node: Any = self.schema
        for part in list(schema_path)[:-1]:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        if isinstance(node, dict):
            message = node.get("x-agentmock-error")
            return message if isinstance(message, str) else None
        return None


def _types(kind: Any) -> list[str]:
    types = kind.types if hasattr(kind, "types") else [kind.type]
    return [str(t) for t in types]
