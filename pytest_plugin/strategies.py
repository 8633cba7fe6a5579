"""Hypothesis strategies for agent payloads, compiled from the contracts, for every registered
vendor.

>>> from agentmock.strategies import agents, request_bodies, voicy_duplicate_requests
>>> from hypothesis import given
>>> @given(request_bodies("millis", "createAgent", edge_cases=True))
... def test_my_client_survives(body): ...

Nothing here names a vendor or lists a vendor's fields: each strategy walks a schema of the
vendor's contract, so a field added to a contract is generated with no other edit, and a vendor
registered at run time has strategies at once. Where raw schema generation gives useless data,
the data comes from the vendor, not from this module:

- realistic strings are the contract's `examples` (or `x-agentmock-known-values`) on the field;
- an agent's id and timestamps have the shape of the generator its duplicate table names
  (`x-agentmock-duplicate: regenerate`), and its name field (the profile's `name_field`) reads
  like a name.

Every vendor has generic entry points (`agents`, `request_bodies`, `invalid_request_bodies`,
`from_schema`, `invalid_payloads`, `list_items`, `agent_ids`, `api_keys`) and, by name, one
function per component schema, `<vendor>_<schema in snake case>s` (`millis_agent_configs`,
`voicy_agents`, `elevenlabs_create_agent_requests`), and per operation with a body,
`<vendor>_<operation less "Agent">_requests` (`voicy_duplicate_requests`,
`elevenlabs_update_requests`), each with an `invalid_` twin yielding `(payload, Reason)`.

`edge_cases=True` leans into what breaks clients: Unicode, right-to-left and emoji text, names
that already start with "Copy of", empty and very long strings where the contract allows them,
null versus absent optional fields, unknown extra keys where objects accept them, long lists of
tools and functions, and every enum value (including a vendor's typo'd `first_messsage`).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as missing:  # hypothesis is an extra: say which
    raise ModuleNotFoundError(
        "agentmock: the strategies need hypothesis: pip install 'agentmock[strategies]'"
    ) from missing

from agentmock import contracts
from agentmock.mockserver import vendors
from agentmock.mockserver.model.duplication import rules
from agentmock.mockserver.routing import snake_case
from agentmock.pytest_plugin._compile import (
    ID_STRATEGIES,
    Context,
    Strategy,
    compile_schema,
    names,
    nonblank_names,
    without_null,
)
from agentmock.pytest_plugin._invalid import Reason, broken_payloads

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "Reason",
    "agent_ids",
    "agents",
    "api_keys",
    "from_schema",
    "invalid_payloads",
    "invalid_request_bodies",
    "list_items",
    "request_bodies",
]


# -- what the vendor says beyond its schemas ---------------------------------------------------


def _roots(vendor: str, name: str, schema: dict[str, Any], edge: bool) -> dict[str, Strategy]:
    """Strategies for the top-level fields of schema `name` that raw generation gets wrong."""
    profile = vendors.profile(vendor)
    found: dict[str, Strategy] = {}
    properties = schema.get("properties", {})
    named = properties.get(profile.name_field)
    if isinstance(named, dict):
        text = without_null(named)
        if text.get("type") == "string" and "maxLength" not in text and "enum" not in text:
            strict = text.get("minLength", 0) > 0 or "pattern" in text
            found[profile.name_field] = nonblank_names(edge) if strict else names(edge)
    if name == "Agent":  # the duplicate table's generators give the shape of minted values
        for key, rule in rules(profile.contract)[0].items():
            generator = rule.get("generator")
            if key in properties and generator in ID_STRATEGIES and "fields" not in rule:
                found[key] = ID_STRATEGIES[generator](rule)
    return found


@functools.cache
def _cached(vendor: str, name: str, edge: bool) -> Strategy:
    schema = contracts.canonical(contracts.schema(vendors.contract(vendor), name))  # as sent
    return compile_schema(schema, Context(edge, _roots(vendor, name, schema, edge)))


def _operation(vendor: str, operation: str) -> dict[str, Any]:
    document = contracts.load(vendors.contract(vendor))
    for item in document["paths"].values():
        for op in item.values():
            if not isinstance(op, dict) or "operationId" not in op:
                continue
            if operation in (op["operationId"], snake_case(op["operationId"])):
                return op
    raise ValueError(f"agentmock: {vendor} has no operation {operation!r}")


def _body_schema(vendor: str, operation: str) -> str:
    """The component name of `operation`'s JSON request body."""
    body = _operation(vendor, operation).get("requestBody")
    media = (body or {}).get("content", {}).get("application/json", {})
    ref = media.get("schema", {}).get("$ref", "")
    if not ref.startswith("#/components/schemas/"):
        raise ValueError(f"agentmock: {vendor} {operation} has no JSON request body schema")
    return str(ref.rsplit("/", 1)[1])


# -- the generic entry points ----------------------------------------------------------------


def from_schema(vendor: str, name: str, *, edge_cases: bool = False) -> Strategy:
    """Valid values of component schema `name` of `vendor`'s contract, in the form the vendor
    sends (documented variants left out)."""
    return _cached(vendors.check(vendor), name, edge_cases)


def agents(vendor: str, *, edge_cases: bool = False) -> Strategy:
    """`vendor`'s `Agent` objects as its API returns them."""
    return from_schema(vendor, "Agent", edge_cases=edge_cases)


def request_bodies(vendor: str, operation: str, *, edge_cases: bool = False) -> Strategy:
    """Valid bodies for `operation` (`duplicateAgent` or `duplicate_agent`) of `vendor`."""
    return from_schema(vendor, _body_schema(vendor, operation), edge_cases=edge_cases)


def invalid_payloads(vendor: str, name: str, *, root: bool = True) -> Strategy:
    """`(payload, Reason)`: a valid `name` payload broken in exactly one labelled way."""
    schema = contracts.schema(vendors.contract(vendor), name)
    return broken_payloads(schema, from_schema(vendor, name), root=root)


def invalid_request_bodies(vendor: str, operation: str) -> Strategy:
    """`(body, Reason)`: a valid body for `operation` broken in exactly one labelled way."""
    return invalid_payloads(vendor, _body_schema(vendor, operation))


def list_items(vendor: str, *, edge_cases: bool = False) -> Strategy:
    """Items of `vendor`'s `listAgents` answer as the vendor sends them: its agents, less the
    fields the contract says the list leaves out (`x-agentmock-omits`)."""
    answer = _operation(vendor, "listAgents")["responses"]["200"]
    media = answer["content"]["application/json"]
    omitted = frozenset(media.get("x-agentmock-omits", ()))
    return agents(vendor, edge_cases=edge_cases).map(
        lambda agent: {k: v for k, v in agent.items() if k not in omitted}
    )


def agent_ids(vendor: str) -> Strategy:
    """Ids of the vendor's shape, from its contract's duplicate table (the id's generator):
    push ids (`-OKdqbqetEcM4ak369ym`), UUID v4, prefixed base32 (`agent_...`)."""
    profile = vendors.profile(vendor)
    rule = rules(profile.contract)[0][profile.id_field]
    return ID_STRATEGIES[rule["generator"]](rule)


def api_keys(vendor: str) -> Strategy:
    """Keys of the vendor's format (its profile's `api_key_pattern`), which the fake accepts
    while no keys are configured."""
    return st.from_regex(vendors.profile(vendor).api_key_pattern, fullmatch=True)


# -- one function per schema and per operation, by name ----------------------------------------


def _named(vendor: str) -> dict[str, Callable[..., Strategy]]:
    """`<schema>s` and `<operation>_requests` -> a strategy function, for one vendor."""
    made: dict[str, Callable[..., Strategy]] = {}
    document = contracts.load(vendors.contract(vendor))
    for schema in document["components"]["schemas"]:
        made[f"{snake_case(schema)}s"] = functools.partial(from_schema, vendor, schema)
    for item in document["paths"].values():
        for op in item.values():
            if not isinstance(op, dict) or "requestBody" not in op:
                continue
            verb = re.sub(r"_agent$", "", snake_case(str(op["operationId"])))
            made[f"{verb}_requests"] = functools.partial(request_bodies, vendor, op["operationId"])
    return made


def _resolve(name: str) -> Callable[..., Strategy] | None:
    invalid = name.startswith("invalid_")
    bare = name.removeprefix("invalid_")
    for vendor in sorted(vendors.names(), key=len, reverse=True):
        if not bare.startswith(f"{vendor}_"):
            continue
        valid = _named(vendor).get(bare.removeprefix(f"{vendor}_"))
        if valid is None or not invalid:
            return valid
        schema, operation = _target(valid)
        if operation is not None:
            return functools.partial(invalid_request_bodies, vendor, operation)
        return functools.partial(invalid_payloads, vendor, schema)
    return None


def _target(made: Callable[..., Strategy]) -> tuple[str, str | None]:
    assert isinstance(made, functools.partial)
    if made.func is request_bodies:
        return "", str(made.args[1])
    return str(made.args[1]), None


def __getattr__(name: str) -> Callable[..., Strategy]:
    found = _resolve(name)
    if found is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return found


def __dir__() -> list[str]:
    generated = [
        f"{prefix}{vendor}_{suffix}"
        for vendor in vendors.names()
        for suffix in _named(vendor)
        for prefix in ("", "invalid_")
    ]
    return sorted([*globals(), *generated])
