"""The schema compiler behind `strategies`: a resolved JSON schema in, a hypothesis strategy
of values valid under it out. It knows JSON Schema, not vendors: what a vendor needs beyond the
schema arrives as `Context.roots` (its id and name fields) or is written in its contract
(`examples` and `x-agentmock-known-values` on a string, `format`, the duplicate table).

Plain mode draws from small vocabularies (one choice per string rather than one per character,
most of what makes these strategies several times faster than schemathesis's generator);
`edge` mode leans into what breaks clients.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from agentmock.mockserver.model.ids import IdMinter

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = [
    "EDGE_TEXTS",
    "ID_STRATEGIES",
    "Context",
    "Strategy",
    "compile_schema",
    "names",
    "nonblank_names",
    "push_ids",
    "uuid4s",
    "without_null",
]

Strategy = st.SearchStrategy[Any]

EDGE_TEXTS = [
    "",
    " ",
    "שלום! איך אפשר לעזור?",  # Hebrew, right to left
    "مرحبا، كيف يمكنني مساعدتك؟",  # Arabic, right to left
    "Support 👩‍💻🚀 bot",  # emoji with zero-width joiners
    "Copy of Customer Support Agent",
    "Copy of Copy of Night shift",
    "\u202eevil\u202c",  # right-to-left override
    "e\u0301\u0301\u0301",  # stacked combining marks
    "line\nbreak\ttab",
    "null",
    "x" * 5000,  # no maxLength in the contracts: long values are allowed
]
# Plain mode draws strings from a vocabulary: one choice per string instead of one per
# character, which is most of what makes these strategies several times faster than
# schemathesis's generator, and the values read like real configuration.
_WORDS = [
    "hello",
    "Support",
    "booking",
    "Acme Corp",
    "en-US",
    "nova-2",
    "order_number",
    "string",
    "POST",
    "Please hold.",
    "Goodbye!",
    "x",
    "a b c",
    "Terminerinnerung",
    "caller_id",
    "v2",
    "Sorry, I did not catch that.",
    "turbo-v2",
    "tool-1",
    "1234",
    "true",
    "none",
]
_PLAIN = st.sampled_from(_WORDS)
_UNICODE = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


def _text(edge: bool) -> Strategy:
    return st.sampled_from(EDGE_TEXTS) | _UNICODE if edge else _PLAIN


_NAMES = ["Support line", "Customer Support Agent", "Night shift", "Terminerinnerung", "Sales"]
_EPOCHS = st.integers(min_value=1_600_000_000, max_value=1_900_000_000)


def push_ids() -> Strategy:
    return st.builds(lambda seed, at: IdMinter(seed).push_id(at), st.integers(0, 2**32), _EPOCHS)


def uuid4s() -> Strategy:
    return st.uuids(version=4).map(str)


def _timestamps() -> Strategy:
    moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1))
    return moments.map(lambda d: d.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z"))


def names(edge: bool) -> Strategy:
    """Agent names: realistic ones, and in edge mode also odd text and "Copy of" names."""
    base = st.sampled_from(_NAMES)
    if edge:
        return base | st.sampled_from(EDGE_TEXTS) | _UNICODE.map(lambda s: f"Copy of {s}")
    return base


def nonblank_names(edge: bool) -> Strategy:
    return names(edge).map(lambda s: s if s.strip() else f"{s}x")


ID_STRATEGIES: dict[str, Callable[[dict[str, Any]], Strategy]] = {
    # the duplicate table's generators (`x-agentmock-duplicate: regenerate`) -> values like them
    "firebase_push_id": lambda rule: push_ids(),
    "uuid4": lambda rule: uuid4s(),
    "prefixed_base32": lambda rule: st.builds(
        lambda seed: IdMinter(seed).prefixed_base32(rule["prefix"], rule["length"]),
        st.integers(0, 2**64),
    ),
    "epoch_seconds": lambda rule: _EPOCHS,
}


_JSON_LEAVES = st.none() | st.booleans() | st.integers(-(2**31), 2**31) | _PLAIN


def _json_values(edge: bool) -> Strategy:
    if not edge:  # free-form values: a flat, realistic sample in one draw
        return st.sampled_from([None, True, False, 0, 42, "on", "x-api-key", [], {"k": "v"}])
    return st.recursive(
        _JSON_LEAVES | st.sampled_from(EDGE_TEXTS),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_PLAIN, inner, max_size=3),
        max_leaves=6,
    )


# -- the compiler ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """How to compile: `edge` mode, and `roots`, strategies for top-level properties that
    schema generation alone gets wrong (the vendor's id and name fields: see `strategies`)."""

    edge: bool
    roots: Mapping[str, Strategy] = field(default_factory=dict)


def compile_schema(schema: dict[str, Any], ctx: Context) -> Strategy:
    """Valid values of a resolved JSON schema (`contracts.schema`, `contracts.canonical`)."""
    return _compile(schema, (), ctx)


def _compile(schema: dict[str, Any], path: tuple[str, ...], ctx: Context) -> Strategy:
    if len(path) == 1 and path[0] in ctx.roots:
        return ctx.roots[path[0]]
    exclusive = (
        schema.get("not", {}).get("required") if isinstance(schema.get("not"), dict) else None
    )
    if exclusive:  # `not: {required: [a, b]}`: never all of these keys at once
        rest = {k: v for k, v in schema.items() if k != "not"}
        return _compile(rest, path, ctx).filter(lambda v: not all(k in v for k in exclusive))
    refused = schema.get("not", {}).get("enum") if isinstance(schema.get("not"), dict) else None
    if refused:  # `not: {enum: [...]}`: any value but these (a node type the others name)
        rest = {k: v for k, v in schema.items() if k != "not"}
        return _compile(rest, path, ctx).filter(lambda v: v not in refused)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            branches = [_compile(branch, path, ctx) for branch in schema[keyword]]
            return st.one_of(*branches)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(part)
        merged.update({k: v for k, v in schema.items() if k != "allOf"})
        return _compile(merged, path, ctx)
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of(*(_compile({**schema, "type": k}, path, ctx) for k in kind))
    if kind == "object" or "properties" in schema:
        return _object(schema, path, ctx)
    if kind == "array":
        items = _compile(schema.get("items", {}), (*path, "[]"), ctx)
        # Edge mode: long lists of objects (tools, functions, their parameters) near the root.
        objects = isinstance(schema.get("items"), dict) and "properties" in schema["items"]
        depth = sum(1 for p in path if p != "[]")
        longest = 8 if ctx.edge and objects and 0 < depth <= 3 else 3
        return _lists(items, schema.get("minItems", 0), longest)
    if kind == "string":
        return _string(schema, ctx)
    if kind == "integer":
        low = schema.get("minimum", -(2**31) if ctx.edge else 0)
        return st.integers(min_value=low, max_value=max(low, 2**31 if ctx.edge else 1000))
    if kind == "number":
        if not ctx.edge:  # one draw: realistic magnitudes, whole and fractional
            return st.sampled_from([0, 1, 2, 5, 10, 30, 60, 0.2, 0.5, 0.7, 1.5, 123, 600])
        return st.integers(-(2**31), 2**31) | st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return _json_values(ctx.edge)  # no type: any JSON value


def _lists(items: Strategy, shortest: int, longest: int) -> Strategy:
    """Lists whose length is one draw (st.lists spends a draw per element to decide to go on)."""
    lengths = st.integers(shortest, longest)
    if longest > 3:  # edge mode's long lists: the longest often, not only by luck
        lengths = st.sampled_from(sorted({shortest, shortest + 1, longest // 2, longest}))

    @st.composite
    def build(draw: st.DrawFn) -> list[Any]:
        return [draw(items) for _ in range(draw(lengths))]

    return build()


def _string(schema: dict[str, Any], ctx: Context) -> Strategy:
    if schema.get("format") == "uuid":
        return uuid4s()
    if schema.get("format") == "date-time":
        return _timestamps()
    strict = schema.get("minLength", 0) > 0 or "pattern" in schema
    # The contract's realistic values: `examples` (illustrations) or `x-agentmock-known-values`
    # (values seen in the wild); in edge mode, any other text too.
    known = [v for v in schema.get("examples") or schema.get("x-agentmock-known-values") or ()]
    known = [v for v in known if isinstance(v, str) and (v.strip() or not strict)]
    other = nonblank_names(ctx.edge) if strict else _text(ctx.edge)
    if known:
        return st.sampled_from(known) | other if ctx.edge else st.sampled_from(known)
    return other


def without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` minus its null alternative (plain mode leaves optional fields absent instead)."""
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind and len(kind) > 1:
        rest = [k for k in kind if k != "null"]
        return {**schema, "type": rest[0] if len(rest) == 1 else rest}
    for keyword in ("anyOf", "oneOf"):
        branches = schema.get(keyword)
        if branches and any(b.get("type") == "null" for b in branches):
            kept = [b for b in branches if b.get("type") != "null"]
            if kept:
                return {**schema, keyword: kept}
    return schema


def _bits(raw: bytes) -> int:
    """Evenly spread bits from drawn bytes (hypothesis favours small byte values, which would
    leave the high bits, and so the later fields, almost never set). All-zero bytes, where
    shrinking goes, still give 0: no optional fields."""
    value = int.from_bytes(raw, "little")
    if value == 0:
        return 0
    value = (value * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & 0xFFFFFFFFFFFFFFFF
    value ^= value >> 31
    value = (value * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    return value ^ (value >> 29)


def _object(schema: dict[str, Any], path: tuple[str, ...], ctx: Context) -> Strategy:
    # A property whose schema is `false` may not appear (a documented variant the vendor's
    # canonical form leaves out: see `contracts.canonical`).
    properties = {k: v for k, v in schema.get("properties", {}).items() if v is not False}
    if not properties:
        extra = schema.get("additionalProperties", True)
        values = _compile(extra, (*path, "*"), ctx) if isinstance(extra, dict) else None
        values = _json_values(ctx.edge) if values is None else values
        return st.dictionaries(_PLAIN, values, max_size=3)
    required = [name for name in properties if name in set(schema.get("required", ()))]
    optional = [name for name in properties if name not in required]
    fields: dict[str, Strategy] = {}
    nullable: set[str] = set()
    for name, sub in properties.items():
        if name in optional:
            stripped = without_null(sub)
            if stripped is not sub:
                nullable.add(name)
            sub = stripped
        fields[name] = _compile(sub, (*path, name), ctx)
    extras: Strategy | None = None
    if ctx.edge and schema.get("additionalProperties", True) is not False:
        extra_keys = st.sampled_from(["x_added_later", "beta_flag", "ünïcode_key", "$meta"])
        extras = st.dictionaries(extra_keys, _JSON_LEAVES, max_size=2)
    if ctx.edge:
        # One choice per optional field: absent, null (where allowed), or a value half the time,
        # so corners two or three objects deep (flow.voicemail.action) still turn up often.
        choices = {
            name: st.sampled_from(
                ["value", "absent", "null", "value"] if name in nullable else ["value", "absent"]
            )
            for name in optional
        }

        @st.composite
        def explore(draw: st.DrawFn) -> dict[str, Any]:
            value: dict[str, Any] = {} if extras is None else draw(extras)
            for name in optional:
                choice = draw(choices[name])
                if choice == "value":
                    value[name] = draw(fields[name])
                elif choice == "null":
                    value[name] = None
            for name in required:
                value[name] = draw(fields[name])
            return _ordered(properties, value)

        return explore()
    # Plain mode: which optional fields appear is one draw (a bit mask) rather than one per
    # field, a third of the draws for an AgentConfig, and it shrinks towards "no optional
    # fields". Bytes, not an integer (hypothesis favours small integers, which would starve the
    # later fields); two masks ANDed, so a field is present a quarter of the time, as in real,
    # sparse configurations.
    width = (len(optional) + 7) // 8  # at most 64 optional fields: the mixing is 64-bit
    mask = st.binary(min_size=2 * width, max_size=2 * width).map(
        lambda b: _bits(b[:width]) & _bits(b[width:])
    )

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        present = draw(mask)
        value: dict[str, Any] = {}
        for i, name in enumerate(optional):
            if present >> i & 1:
                value[name] = draw(fields[name])
        for name in required:
            value[name] = draw(fields[name])
        return _ordered(properties, value)

    return build()


def _ordered(properties: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    """`value` with the schema's fields first, in the schema's order, then any extra keys."""
    return {name: value[name] for name in properties if name in value} | value
