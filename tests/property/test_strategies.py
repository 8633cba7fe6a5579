"""The strategies: faithful (valid is valid), useful (edge cases happen), honest (invalid is
invalid for the labelled reason), and driven by the contracts."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentmock import contracts
from agentmock.mockserver import vendors
from agentmock.mockserver.core import Fake
from agentmock.mockserver.model.messages import Request
from agentmock.mockserver.model.validation import SchemaCheck
from agentmock.mockserver.routing import default_router
from agentmock.pytest_plugin import strategies as S

from ..helpers import fictional_vendor

VALID = [
    ("millis", "Agent", S.millis_agents),
    ("millis", "AgentConfig", S.millis_agent_configs),
    ("millis", "CreateAgentRequest", S.millis_create_agent_requests),
    ("voicy", "Agent", S.voicy_agents),
    ("voicy", "DuplicateAgentRequest", S.voicy_duplicate_requests),
    ("voicy", "UpdateAgentRequest", S.voicy_update_requests),
]
INVALID = [
    ("millis", "AgentConfig", S.invalid_millis_agent_configs),
    ("millis", "CreateAgentRequest", S.invalid_millis_create_agent_requests),
    ("voicy", "DuplicateAgentRequest", S.invalid_voicy_duplicate_requests),
    ("voicy", "UpdateAgentRequest", S.invalid_voicy_update_requests),
]


@pytest.mark.parametrize("edge", [False, True], ids=["plain", "edge"])
@pytest.mark.parametrize(("vendor", "name", "make"), VALID, ids=[f"{v}-{n}" for v, n, _ in VALID])
def test_every_valid_example_validates(vendor: str, name: str, make: Any, edge: bool) -> None:
    check = SchemaCheck(contracts.schema(vendor, name))

    @given(make(edge_cases=edge))  # default settings: health checks on
    def run(value: Any) -> None:
        assert check.is_valid(value), check.first_error(value)

    run()


EVERY_SCHEMA = [
    (vendor, name)
    for vendor in vendors.names()
    for name in contracts.load(vendor)["components"]["schemas"]
]


@pytest.mark.parametrize(
    ("vendor", "name"), EVERY_SCHEMA, ids=[f"{v}-{n}" for v, n in EVERY_SCHEMA]
)
def test_from_schema_covers_every_schema_of_every_vendor(vendor: str, name: str) -> None:
    """`from_schema(vendor, name)` needs no edit for a new vendor: all of its values are valid."""
    check = SchemaCheck(contracts.schema(vendor, name))

    @settings(max_examples=25, database=None, suppress_health_check=list(HealthCheck))
    @given(S.from_schema(vendor, name, edge_cases=True))
    def run(value: Any) -> None:
        assert check.is_valid(value), check.first_error(value)

    run()


@pytest.mark.parametrize(
    ("vendor", "name", "make"), INVALID, ids=[f"{v}-{n}" for v, n, _ in INVALID]
)
def test_every_invalid_example_fails_for_its_reason(vendor: str, name: str, make: Any) -> None:
    check = SchemaCheck(contracts.schema(vendor, name))
    kinds: Counter[str] = Counter()

    @settings(max_examples=150)
    @given(make())
    def run(pair: tuple[Any, S.Reason]) -> None:
        payload, reason = pair
        kinds[reason.kind] += 1
        assert not check.is_valid(payload), f"{reason} but the payload is valid"
        locs = [v.loc for v in check.violations(payload)]
        assert tuple(reason.path) in locs, f"{reason}: violations at {locs}"

    run()
    assert kinds["missing"] + kinds["wrong_type"] + kinds["unknown_key"] > 0
    if name == "DuplicateAgentRequest":
        assert kinds["blank"] > 0
        assert kinds["unknown_key"] > 0


def test_invalid_reasons_cover_enums_and_types() -> None:
    seen: Counter[str] = Counter()

    @settings(max_examples=200, derandomize=True, database=None)
    @given(S.invalid_millis_agent_configs())
    def run(pair: tuple[Any, S.Reason]) -> None:
        seen[pair[1].kind] += 1

    run()
    for kind in ("missing", "wrong_type", "not_in_enum", "not_an_object"):
        assert seen[kind] > 0, seen
    assert str(S.Reason("missing", ("voice", "provider"), "absent")) == (
        "missing at voice.provider: absent"
    )


def _walk(value: Any, key: str = "") -> Any:
    yield key, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, key)


RTL = re.compile("[\u0590-\u06ff]")
EMOJI = re.compile("[\U0001f300-\U0001faff]")


@pytest.mark.slow
def test_edge_cases_reach_every_listed_corner() -> None:
    corners: Counter[str] = Counter()

    @settings(max_examples=300, derandomize=True, database=None)
    @given(S.millis_agents(edge_cases=True), S.voicy_agents(edge_cases=True))
    def run(millis: dict[str, Any], voicy: dict[str, Any]) -> None:
        for agent in (millis, voicy):
            for key, value in _walk(agent):
                if isinstance(value, str):
                    corners["unicode"] += any(ord(c) > 127 for c in value)
                    corners["rtl"] += bool(RTL.search(value))
                    corners["emoji"] += bool(EMOJI.search(value))
                    corners["empty"] += value == ""
                    corners["long"] += len(value) >= 1000
                if key in ("name", "agent_name") and isinstance(value, str):
                    corners["copy_of_name"] += value.startswith("Copy of ")
        config = millis["config"]
        corners["null_optional"] += any(v is None for v in config.values())
        corners["absent_optional"] += "flow" not in config
        corners["extra_keys"] += bool(
            set(config) - set(contracts.schema("millis", "AgentConfig")["properties"])
        )
        corners["deep_tools"] += len(config.get("tools") or []) >= 4
        flow = config.get("flow") or {}
        corners["typo_field"] += "first_messsage" in (flow.get("interruption") or {})
        corners[f"voicemail:{(flow.get('voicemail') or {}).get('action')}"] += 1
        corners[f"mode:{voicy['begin_message_mode']}"] += 1
        corners[f"direction:{voicy['prompt_text_direction']}"] += 1
        corners[f"type:{voicy['agent_type']}"] += 1

    run()
    wanted = [
        "unicode",
        "rtl",
        "emoji",
        "empty",
        "long",
        "copy_of_name",
        "null_optional",
        "absent_optional",
        "extra_keys",
        "deep_tools",
        "typo_field",
        "voicemail:hangup",
        "voicemail:message",
        "mode:static",
        "mode:dynamic",
        "mode:off",
        "direction:ltr",
        "direction:rtl",
        "type:singlePrompt",
        "type:conversationalFlow",
    ]
    missing = [corner for corner in wanted if corners[corner] == 0]
    assert not missing, f"never produced: {missing} ({dict(corners)})"


def test_plain_mode_is_realistic_not_random_noise() -> None:
    @settings(max_examples=50, database=None)
    @given(S.millis_agents(), S.voicy_agents())
    def run(millis: dict[str, Any], voicy: dict[str, Any]) -> None:
        assert len(millis["config"]["prompt"]) >= 20  # not a three-character prompt
        assert re.fullmatch(r"-[-0-9A-Za-z_]{19}", millis["id"])
        assert ":" in voicy["voice_id"]

    run()


def test_every_example_the_strategies_draw_from_is_valid_where_it_stands() -> None:
    """The realistic values come from the contracts' `examples`: each must fit its field."""
    checked = 0
    for vendor in vendors.names():
        source = vendors.contract(vendor)
        for name in contracts.load(source)["components"]["schemas"]:
            for key, sub in _walk_schema(contracts.schema(source, name), ""):
                for example in sub.get("examples", []) if isinstance(sub, dict) else []:
                    assert SchemaCheck(sub).is_valid(example), f"{vendor} {name}.{key}: {example!r}"
                    checked += 1
    assert checked >= 20


def _walk_schema(schema: Any, prefix: str) -> Any:
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            path = f"{prefix}.{name}" if prefix else name
            yield path, sub
            yield from _walk_schema(sub, path)
        for keyword in ("anyOf", "oneOf", "allOf"):
            for branch in schema.get(keyword, []):
                yield from _walk_schema(branch, prefix)
        if "items" in schema:
            yield f"{prefix}[]", schema["items"]
            yield from _walk_schema(schema["items"], prefix)


def test_a_field_added_to_a_contract_flows_into_the_strategies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = contracts.schema

    def grown(source: contracts.Source, name: str) -> dict[str, Any]:
        schema = real(source, name)
        if (contracts.path(source), name) == (contracts.path("voicy"), "DuplicateAgentRequest"):
            schema["properties"]["priority"] = {"type": "string", "enum": ["low", "high"]}
            schema["required"] = ["priority"]
        return schema

    monkeypatch.setattr(contracts, "schema", grown)
    S._cached.cache_clear()
    try:

        @settings(max_examples=20, database=None)
        @given(S.voicy_duplicate_requests())
        def run(body: dict[str, Any]) -> None:
            assert body["priority"] in ("low", "high")

        run()
    finally:
        S._cached.cache_clear()


@pytest.mark.parametrize("vendor", vendors.names())
def test_ids_and_keys_have_the_vendors_shape(vendor: str) -> None:
    """Every registered vendor's generated keys are accepted and its generated ids are
    well-formed (a 404, not a 4xx about the id's shape), with no per-vendor code."""
    fake = Fake()
    router = fake.router
    listing = router.operation(vendor, "listAgents").path
    reading = router.operation(vendor, "getAgent").path
    profile = fake.profiles[vendor]

    @settings(max_examples=30, database=None, suppress_health_check=list(HealthCheck))
    @given(key=S.api_keys(vendor), agent_id=S.agent_ids(vendor))
    def check(key: str, agent_id: str) -> None:
        headers = {k.lower(): v for k, v in profile.client_headers(key).items()}
        listed = fake.handle(Request("GET", listing, headers)).response
        assert listed is not None
        assert listed.status == 200
        got = fake.handle(Request("GET", reading.format(agent_id=agent_id), headers)).response
        assert got is not None
        assert got.status == 404, got.body

    check()


def test_unknown_vendor() -> None:
    with pytest.raises(ValueError, match="unknown vendor 'vapi'"):
        S.agent_ids("vapi")
    with pytest.raises(ValueError, match="unknown vendor 'vapi'"):
        S.api_keys("vapi")


def test_strategies_are_usable_as_plain_hypothesis_strategies() -> None:
    assert isinstance(S.millis_agent_configs(), st.SearchStrategy)
    assert S.millis_agent_configs() is S.millis_agent_configs()  # compiled once


@settings(max_examples=30, database=None, suppress_health_check=list(HealthCheck))
@given(S.list_items("voicy", edge_cases=True))
def test_voicy_list_items_leave_out_the_variable_arrays(item: dict[str, Any]) -> None:
    """list-agents: "These omit vars_provided, vars_extracted ... for performance"."""
    assert "vars_provided" not in item
    assert "vars_extracted" not in item
    assert SchemaCheck(contracts.schema("voicy", "Agent")).is_valid(item)


def test_every_vendor_has_its_strategies_by_name() -> None:
    """`<vendor>_<schema>s` and `<vendor>_<operation>_requests` exist for every registered
    vendor, ElevenLabs included, each with an `invalid_` twin; an unknown name is refused."""
    listed = dir(S)
    for vendor in vendors.names():
        assert f"{vendor}_agents" in listed
        assert f"invalid_{vendor}_duplicate_requests" in listed or vendor == "millis"
    assert S.elevenlabs_update_requests.func is S.request_bodies  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="elevenlabs_no_such_things"):
        _ = S.elevenlabs_no_such_things


BODIES = [
    (vendor, op)
    for vendor in vendors.names()
    for op in ("duplicateAgent", "createAgent", "updateAgent")
    if op in {o.operation_id for o in default_router().operations[vendor] if o.body is not None}
]


@pytest.mark.parametrize(("vendor", "op"), BODIES, ids=[f"{v}-{o}" for v, o in BODIES])
def test_every_vendors_request_bodies_validate(vendor: str, op: str) -> None:
    name = S._body_schema(vendor, op)
    check = SchemaCheck(contracts.schema(vendors.contract(vendor), name))

    @settings(max_examples=20, database=None, suppress_health_check=list(HealthCheck))
    @given(S.request_bodies(vendor, op, edge_cases=True))
    def run(body: Any) -> None:
        assert check.is_valid(body), check.first_error(body)

    run()


def test_a_vendor_registered_at_run_time_has_strategies() -> None:
    with fictional_vendor() as acme:
        check = SchemaCheck(contracts.schema(vendors.contract(acme), "Agent"))

        @settings(max_examples=20, database=None)
        @given(S.agents(acme), S.agent_ids(acme))
        def run(agent: Any, agent_id: str) -> None:
            assert check.is_valid(agent), check.first_error(agent)
            assert isinstance(agent_id, str)

        run()
        assert f"{acme}_agents" in dir(S)
    S._cached.cache_clear()
