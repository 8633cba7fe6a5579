"""Hypothesis strategies for agent payloads, compiled from the contracts' resolved schemas.

>>> from pytest_plugin.strategies import millis_agent_configs, voicy_duplicate_requests
>>> from hypothesis import given
>>> @given(millis_agent_configs(edge_cases=True))
... def test_my_client_survives(config): ...

Nothing here lists a vendor's fields: each strategy walks a schema from `contracts.schema(...)`,
so a field added to a contract is generated with no other edit. Where raw schema generation
gives useless data (three-character prompts, ids of the wrong shape), the `OVERRIDES` table
below refines a field, by the end of its path; every override still yields contract-valid values
(the tests check each one).

`edge_cases=True` leans into what breaks clients: Unicode, right-to-left and emoji text, names
that already start with "Copy of", empty and very long strings where the contract allows them,
null versus absent optional fields, unknown extra keys where objects accept them, long tool and
function lists, and every enum value (including the vendor's typo'd `first_messsage`).

The `invalid_*` strategies yield `(payload, reason)`: a valid payload broken in exactly one
labelled way (a missing required field, a wrong type, a value outside an enum, ...).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as missing:  # hypothesis is an extra: say which
    raise ModuleNotFoundError(
        "agentmock: the strategies need hypothesis: pip install 'agentmock[strategies]'"
    ) from missing

from agentmock import contracts
from agentmock.mockserver import vendors
from agentmock.mockserver.model.ids import IdMinter

if TYPE_CHECKING:
    from collections.abc import Callable

    from agentmock.mockserver.model.types import JSON

__all__ = [
    "OVERRIDES",
    "Reason",
    "agent_ids",
    "api_keys",
    "from_schema",
    "invalid_millis_agent_configs",
    "invalid_millis_create_agent_requests",
    "invalid_payloads",
    "invalid_voicy_duplicate_requests",
    "invalid_voicy_update_requests",
    "list_items",
    "millis_agent_configs",
    "millis_agents",
    "millis_create_agent_requests",
    "voicy_agents",
    "voicy_duplicate_requests",
    "voicy_update_requests",
]

Strategy = st.SearchStrategy[Any]

# -- text ------------------------------------------------------------------------------------

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
    "eleven_turbo_v2_5",
    "tool-1",
    "1234",
    "true",
    "none",
]
_PLAIN = st.sampled_from(_WORDS)
_UNICODE = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


def _text(edge: bool) -> Strategy:
    return st.sampled_from(EDGE_TEXTS) | _UNICODE if edge else _PLAIN


# -- realistic values for fields where raw generation is useless ------------------------------

_PROMPTS = [
    "You are a friendly support agent for Acme Corp. Keep answers short.",
    "You book appointments. Confirm the date and time before you hang up.",
    "Du bist ein höflicher Assistent. Antworte kurz und freundlich.",
    "אתה נציג שירות לקוחות אדיב. ענה בקצרה.",
]
_NAMES = ["Support line", "Customer Support Agent", "Night shift", "Terminerinnerung", "Sales"]
_TIMEZONES = ["Europe/Berlin", "America/New_York", "Asia/Jerusalem", "UTC", "Asia/Tokyo"]
_URLS = ["https://example.com/hooks/agent", "https://hooks.example.org/v1/call?x=1"]
_VOICY_LANGUAGES = ["en", "he", "es", "fr", "de", "ar", "pt-BR"]
_VOICY_VOICES = ["openai:sage", "openai:alloy", "gl:Puck", "elevenlabs:21m00Tcm4TlvDq8ikWAM"]
_EPOCHS = st.integers(min_value=1_600_000_000, max_value=1_900_000_000)


def _push_ids() -> Strategy:
    return st.builds(lambda seed, at: IdMinter(seed).push_id(at), st.integers(0, 2**32), _EPOCHS)


def _uuid4s() -> Strategy:
    return st.uuids(version=4).map(str)


def _timestamps() -> Strategy:
    moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1))
    return moments.map(lambda d: d.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z"))


def _names(edge: bool) -> Strategy:
    base = st.sampled_from(_NAMES)
    if edge:
        return base | st.sampled_from(EDGE_TEXTS) | _UNICODE.map(lambda s: f"Copy of {s}")
    return base


def _nonblank(edge: bool) -> Strategy:
    base = _names(edge)
    return base.map(lambda s: s if s.strip() else f"{s}x")


OVERRIDES: dict[str, Callable[[bool], Strategy]] = {
    # key: the end of a field's path ("^" anchors it to the root); value: edge -> strategy
    "prompt": lambda edge: st.sampled_from(_PROMPTS) | (_text(edge) if edge else st.nothing()),
    "first_message": lambda edge: st.none() | st.sampled_from(["Hi! How can I help?", "שלום!"]),
    "voice.voice_id": lambda edge: st.sampled_from(["21m00Tcm4TlvDq8ikWAM", "alloy", "Puck"]),
    "timezone": lambda edge: st.none() | st.sampled_from(_TIMEZONES),
    "webhook": lambda edge: st.none() | st.sampled_from(_URLS),
    "custom_llm_websocket": lambda edge: st.none() | st.just("wss://llm.example.com/ws"),
    "^id": lambda edge: _push_ids(),
    "^created_at": lambda edge: _EPOCHS,
    "^name": _names,
    "^agent_id": lambda edge: _uuid4s(),
    "^agent_name": _nonblank,
    "account.id": lambda edge: _uuid4s(),
    "^voice_id": lambda edge: st.sampled_from(_VOICY_VOICES),
    "^language": lambda edge: st.sampled_from(_VOICY_LANGUAGES),
    "^deployed_at": lambda edge: st.none() | _timestamps(),
    "^notification_emails": lambda edge: st.lists(
        st.sampled_from(["ops@acme.example", "lead@globex.example"]), max_size=2
    ),
}
# Overrides apply to these roots (the Millis `^name` is the agent's, not a tool's).
_ROOTS = {
    ("millis", "Agent"): ("^id", "^created_at", "^name"),
    ("millis", "CreateAgentRequest"): ("^name",),
    ("voicy", "Agent"): (
        "^agent_id",
        "^agent_name",
        "^voice_id",
        "^language",
        "^deployed_at",
        "^notification_emails",
    ),
    ("voicy", "DuplicateAgentRequest"): ("^agent_name",),
    ("voicy", "UpdateAgentRequest"): ("^agent_name", "^voice_id", "^language"),
}
# The unanchored overrides are written for these vendors' schemas (Millis config fields); a
# vendor not listed gets plain schema generation, which is contract-valid by construction.
_UNANCHORED_FOR = frozenset({"millis", "voicy"})
_LONG_LISTS = {"tools", "millis_functions", "app_functions", "params", "phones"}

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
class _Context:
    edge: bool
    anchored: frozenset[str]  # root-anchored override keys that apply here
    unanchored: bool = True  # whether the path-end overrides apply to this vendor


def _override(path: tuple[str, ...], ctx: _Context) -> Strategy | None:
    dotted = ".".join(p for p in path if p != "[]")
    if "^" + dotted in ctx.anchored:
        return OVERRIDES["^" + dotted](ctx.edge)
    for key, make in OVERRIDES.items() if ctx.unanchored else ():
        if not key.startswith("^") and (dotted == key or dotted.endswith("." + key)):
            return make(ctx.edge)
    return None


def _compile(schema: dict[str, Any], path: tuple[str, ...], ctx: _Context) -> Strategy:
    if path:
        chosen = _override(path, ctx)
        if chosen is not None:
            return chosen
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
        longest = 8 if ctx.edge and path and path[-1] in _LONG_LISTS else 3
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


def _string(schema: dict[str, Any], ctx: _Context) -> Strategy:
    if schema.get("format") == "uuid":
        return _uuid4s()
    if schema.get("format") == "date-time":
        return _timestamps()
    known = schema.get("x-agentmock-known-values")
    if known:
        return st.sampled_from(known) | _text(ctx.edge) if ctx.edge else st.sampled_from(known)
    if schema.get("minLength", 0) > 0 or "pattern" in schema:
        return _nonblank(ctx.edge)
    return _text(ctx.edge)


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
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


def _object(schema: dict[str, Any], path: tuple[str, ...], ctx: _Context) -> Strategy:
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
            stripped = _without_null(sub)
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


@functools.cache
def _cached(vendor: str, name: str, edge: bool) -> Strategy:
    anchored = frozenset(_ROOTS.get((vendor, name), ()))
    schema = contracts.canonical(
        contracts.schema(vendors.contract(vendor), name)
    )  # the form the vendor sends
    return _compile(schema, (), _Context(edge, anchored, vendor in _UNANCHORED_FOR))


def from_schema(vendor: str, name: str, *, edge_cases: bool = False) -> Strategy:
    """Valid values of component schema `name` of `vendor`'s contract."""
    return _cached(vendor, name, edge_cases)


# -- public valid strategies ----------------------------------------------------------------


def millis_agents(*, edge_cases: bool = False) -> Strategy:
    """Millis `Agent` objects as the API returns them."""
    return from_schema("millis", "Agent", edge_cases=edge_cases)


def millis_agent_configs(*, edge_cases: bool = False) -> Strategy:
    """Millis `AgentConfig` objects (`prompt` and `voice` required, all else optional)."""
    return from_schema("millis", "AgentConfig", edge_cases=edge_cases)


def millis_create_agent_requests(*, edge_cases: bool = False) -> Strategy:
    """Bodies for Millis `POST /agents`."""
    return from_schema("millis", "CreateAgentRequest", edge_cases=edge_cases)


def voicy_agents(*, edge_cases: bool = False) -> Strategy:
    """Voicy `Agent` objects as the API returns them."""
    return from_schema("voicy", "Agent", edge_cases=edge_cases)


def voicy_duplicate_requests(*, edge_cases: bool = False) -> Strategy:
    """Bodies for Voicy `POST /v1/duplicate-agent/{agent_id}` (`{}` or `{"agent_name": ...}`)."""
    return from_schema("voicy", "DuplicateAgentRequest", edge_cases=edge_cases)


def voicy_update_requests(*, edge_cases: bool = False) -> Strategy:
    """Bodies for Voicy `PATCH /v1/update-agent/{agent_id}`."""
    return from_schema("voicy", "UpdateAgentRequest", edge_cases=edge_cases)


_ID_STRATEGIES: dict[str, Callable[[dict[str, Any]], Strategy]] = {
    "firebase_push_id": lambda rule: _push_ids(),
    "uuid4": lambda rule: _uuid4s(),
    "prefixed_base32": lambda rule: st.builds(
        lambda seed: IdMinter(seed).prefixed_base32(rule["prefix"], rule["length"]),
        st.integers(0, 2**64),
    ),
}


def list_items(vendor: str, *, edge_cases: bool = False) -> Strategy:
    """Items of `vendor`'s `listAgents` answer as the vendor sends them: its agents, less the
    fields the contract says the list leaves out (`x-agentmock-omits`: Voicy's variable
    arrays)."""
    route = contracts.load(vendors.contract(vendor))["paths"]
    media: dict[str, Any] = {}
    for item in route.values():
        op = item.get("get", {})
        if op.get("operationId") == "listAgents":
            media = op["responses"]["200"]["content"]["application/json"]
    omitted = frozenset(media.get("x-agentmock-omits", ()))
    agents = from_schema(vendor, "Agent", edge_cases=edge_cases)
    return agents.map(lambda agent: {k: v for k, v in agent.items() if k not in omitted})


def agent_ids(vendor: str) -> Strategy:
    """Ids of the vendor's shape, from its contract's duplicate table (the id's generator):
    Millis push ids (`-OKdqbqetEcM4ak369ym`), Voicy UUID v4, ElevenLabs `agent_...`."""
    from agentmock.mockserver.model.duplication import rules

    id_field = vendors.profile(vendor).id_field
    rule = rules(vendor)[0][id_field]
    return _ID_STRATEGIES[rule["generator"]](rule)


def api_keys(vendor: str) -> Strategy:
    """Keys of the vendor's format (its profile's `api_key_pattern`), which the fake accepts
    while no keys are configured: Millis any token, Voicy `voicy_sk_live_...`."""

    return st.from_regex(vendors.profile(vendor).api_key_pattern, fullmatch=True)


# -- invalid payloads ------------------------------------------------------------------------


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


def invalid_payloads(vendor: str, name: str, *, root: bool = True) -> Strategy:
    """`(payload, Reason)`: a valid `name` payload broken in exactly one labelled way."""
    schema = contracts.schema(vendors.contract(vendor), name)

    @st.composite
    def broken(draw: st.DrawFn) -> tuple[JSON, Reason]:
        valid = draw(from_schema(vendor, name))
        options = _breakages(schema, valid, ())
        if root and schema.get("type") == "object":
            options.append((Reason("not_an_object", (), "the body is a list"), lambda v: [v]))
        # A kind first, then one breakage of that kind: every kind the payload allows turns up
        # evenly, not in proportion to how many fields it could hit.
        kinds = sorted({reason.kind for reason, _ in options})
        kind = draw(st.sampled_from(kinds))
        reason, change = draw(st.sampled_from([o for o in options if o[0].kind == kind]))
        return change(valid), reason

    return broken()


def invalid_millis_agent_configs() -> Strategy:
    return invalid_payloads("millis", "AgentConfig")


def invalid_millis_create_agent_requests() -> Strategy:
    return invalid_payloads("millis", "CreateAgentRequest")


def invalid_voicy_duplicate_requests() -> Strategy:
    return invalid_payloads("voicy", "DuplicateAgentRequest")


def invalid_voicy_update_requests() -> Strategy:
    return invalid_payloads("voicy", "UpdateAgentRequest")
