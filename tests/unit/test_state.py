"""State: seed, reset, snapshot and rollback, seeding agents with defaults, keys and accounts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentmock.mockserver.model.clock import FixedClock
from agentmock.mockserver.seed import embedded_seed, load_seed, parse_seed
from agentmock.mockserver.state import State


def make() -> State:
    return State(random_seed=1, clock=FixedClock(1_763_776_800))


def test_embedded_seed_has_the_documented_agents() -> None:
    state = make()
    assert len(state.millis.agents) == 2
    acme = state.voicy.agents["550e8400-e29b-41d4-a716-446655440001"]
    assert acme["account"] == {"id": "550e8400-e29b-41d4-a716-446655440099", "name": "Acme Corp"}
    hebrew = [a for a in state.voicy.agents.values() if a["language"] == "he"]
    assert len(hebrew) == 1
    assert hebrew[0]["prompt_text_direction"] == "rtl"


def test_agents_are_stored_in_the_contracts_key_order() -> None:
    agent = make().voicy.agents["550e8400-e29b-41d4-a716-446655440001"]
    assert list(agent)[:3] == ["agent_id", "agent_name", "account"]


def test_reset_goes_back_to_the_seed() -> None:
    state = make()
    state.millis.agents.clear()
    state.add_api_key("voicy", "voicy_sk_x")
    state.reset()
    assert len(state.millis.agents) == 2
    assert state.voicy.api_keys == {}


def test_snapshot_and_rollback() -> None:
    state = make()
    snapshot = state.snapshot()
    added = state.add_agent("millis", {"name": "Temp"})
    changed = state.millis.agents["-OKdqbqetEcM4ak369ym"]
    changed["name"] = "mutated"
    state.millis.agents[changed["id"]] = changed
    assert state.millis.agents["-OKdqbqetEcM4ak369ym"]["name"] == "mutated"
    state.rollback(snapshot)
    assert added["id"] not in state.millis.agents
    assert state.millis.agents["-OKdqbqetEcM4ak369ym"]["name"] == "Support line"
    state.millis.agents.clear()
    state.rollback(snapshot)  # a snapshot survives being rolled back to
    assert len(state.millis.agents) == 2


def test_add_agent_fills_realistic_defaults() -> None:
    state = make()
    millis = state.add_agent("millis", {"config": {"prompt": "Only a prompt"}})
    assert millis["config"]["voice"]["provider"] == "elevenlabs"
    assert millis["config"]["prompt"] == "Only a prompt"
    assert millis["created_at"] == 1_763_776_800
    voicy = state.add_agent("voicy", {"agent_name": "Night shift"})
    assert voicy["account"]["name"] == "Acme Corp"
    assert voicy["version"] == 1


def test_add_agent_returns_a_copy() -> None:
    state = make()
    added = state.add_agent("voicy", {})
    added["agent_name"] = "changed outside"
    assert state.voicy.agents[added["agent_id"]]["agent_name"] == "Customer Support Agent"


@pytest.mark.parametrize(
    ("vendor", "fields", "message"),
    [
        ("voicy", {"version": 0}, "version: Input should be >= 1"),
        ("voicy", {"begin_message_mode": "loud"}, "begin_message_mode: Input should be"),
        ("millis", {"config": {"language": "xx"}}, "config.language"),
        ("millis", {"id": "-OKdqbqetEcM4ak369ym"}, "already exists"),
        ("millis", [], "an agent is a JSON object"),
        ("vapi", {}, "unknown vendor 'vapi'"),
    ],
)
def test_add_agent_errors_name_the_field(vendor: str, fields: object, message: str) -> None:
    state = make()
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        state.add_agent(vendor, fields)  # type: ignore[arg-type]


def test_agents_of_another_account_create_it() -> None:
    state = make()
    other = {"id": "6f0d1c1e-0000-4000-8000-000000000001", "name": "Globex"}
    state.add_agent("voicy", {"account": other})
    assert state.voicy.accounts[other["id"]] == other


def test_seed_file_formats(tmp_path: Path) -> None:
    seed = {
        "millis": {"agents": [{"name": "From JSON"}], "api_keys": ["sk_1"]},
        "voicy": {
            "accounts": [
                {
                    "id": "6f0d1c1e-0000-4000-8000-000000000002",
                    "name": "G",
                    "api_keys": ["voicy_sk_g"],
                }
            ]
        },
    }
    as_json = tmp_path / "seed.json"
    as_json.write_text(json.dumps(seed))
    as_yaml = tmp_path / "seed.yaml"
    as_yaml.write_text("millis:\n  agents:\n    - name: From YAML\n")
    state = State(load_seed(as_json))
    assert [a["name"] for a in state.millis.agents.values()] == ["From JSON"]
    assert state.millis.api_keys == {"sk_1": None}
    assert state.voicy.api_keys == {"voicy_sk_g": "6f0d1c1e-0000-4000-8000-000000000002"}
    assert [a["name"] for a in State(load_seed(as_yaml)).millis.agents.values()] == ["From YAML"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected a mapping"),
        ({"vapi": {}}, "unknown vendor 'vapi'"),
        ({"millis": {"agent": []}}, r"unknown millis key\(s\) \['agent'\]"),
        ({"voicy": {"agents": {}}}, "voicy.agents must be a list"),
    ],
)
def test_seed_outline_errors(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_seed(data)


def test_unparseable_seed_file(tmp_path: Path) -> None:
    broken = tmp_path / "seed.json"
    broken.write_text("{nope")
    with pytest.raises(ValueError, match=r"seed.json: not valid .json"):
        load_seed(broken)


def test_embedded_seed_is_fresh_each_time() -> None:
    embedded_seed()["millis"]["agents"].clear()
    assert embedded_seed()["millis"]["agents"]


def test_reads_from_the_store_are_fresh_copies() -> None:
    state = make()
    agent = state.voicy.agents["550e8400-e29b-41d4-a716-446655440001"]
    agent["vars_provided"][0]["name"] = "changed in my copy"
    assert state.voicy.agents["550e8400-e29b-41d4-a716-446655440001"]["vars_provided"][0][
        "name"
    ] == ("customer_name")
    assert "550e8400-e29b-41d4-a716-446655440001" in state.voicy.agents
    assert next(iter(state.voicy.agents)) == "550e8400-e29b-41d4-a716-446655440001"
    del state.voicy.agents["550e8400-e29b-41d4-a716-446655440001"]
    assert len(state.voicy.agents) == 2


def test_json_copy_handles_what_orjson_cannot_write() -> None:
    from agentmock.mockserver.model.jsonio import json_copy

    value = {"big": 10**30, "nested": [{"a": 1}]}
    copied = json_copy(value)
    assert copied == value
    assert copied["nested"] is not value["nested"]
