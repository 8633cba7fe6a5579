"""Duplicates follow the contract's x-agentmock-duplicate table, field by field."""

from __future__ import annotations

import copy as copylib
import uuid

from agentmock.mockserver.model.clock import FixedClock
from agentmock.mockserver.model.duplication import duplicate, rules
from agentmock.mockserver.model.ids import IdMinter
from agentmock.mockserver.seed import embedded_seed

CLOCK = FixedClock(1_800_000_000)
ACME = {"id": "550e8400-e29b-41d4-a716-446655440099", "name": "Acme Corp"}


def millis_source() -> dict[str, object]:
    agent: dict[str, object] = embedded_seed()["millis"]["agents"][0]
    return agent


def voicy_source() -> dict[str, object]:
    agent: dict[str, object] = {**embedded_seed()["voicy"]["agents"][0], "account": ACME}
    return agent


def test_millis_copy_keeps_name_and_config_and_regenerates_id_and_time() -> None:
    source = millis_source()
    frozen = copylib.deepcopy(source)
    made = duplicate("millis", source, minter=IdMinter(1), clock=CLOCK)
    assert made["name"] == source["name"]
    assert made["config"] == source["config"]
    assert made["id"] != source["id"]
    assert made["created_at"] == 1_800_000_000
    assert source == frozen


def test_the_copy_is_deep() -> None:
    source = millis_source()
    made = duplicate("millis", source, minter=IdMinter(1), clock=CLOCK)
    made["config"]["tools"][0]["params"][0]["name"] = "changed"
    made["config"]["voice"]["provider"] = "changed"
    assert source["config"]["tools"][0]["params"][0]["name"] == "order_number"  # type: ignore[index]
    assert source["config"]["voice"]["provider"] == "elevenlabs"  # type: ignore[index]


def test_voicy_copy_resets_version_and_deployment_and_renames() -> None:
    made = duplicate("voicy", voicy_source(), minter=IdMinter(1), clock=CLOCK, caller=ACME)
    assert made["version"] == 1
    assert made["deployed_at"] is None
    assert made["agent_name"] == "Copy of Customer Support Agent"
    assert uuid.UUID(made["agent_id"]).version == 4
    assert made["account"] == ACME


def test_voicy_override_name() -> None:
    made = duplicate(
        "voicy",
        voicy_source(),
        minter=IdMinter(1),
        clock=CLOCK,
        request={"agent_name": "Night shift"},
        caller=ACME,
    )
    assert made["agent_name"] == "Night shift"


def test_a_name_that_already_starts_with_copy_of_gets_another() -> None:
    source = {**voicy_source(), "agent_name": "Copy of Support"}
    made = duplicate("voicy", source, minter=IdMinter(1), clock=CLOCK, caller=ACME)
    assert made["agent_name"] == "Copy of Copy of Support"


def test_unknown_keys_are_copied() -> None:
    source = {**voicy_source(), "a_field_added_later": {"nested": [1, 2]}}
    made = duplicate("voicy", source, minter=IdMinter(1), clock=CLOCK, caller=ACME)
    assert made["a_field_added_later"] == {"nested": [1, 2]}
    assert made["a_field_added_later"] is not source["a_field_added_later"]


def test_reset_fields_are_set_even_if_the_source_lacks_them() -> None:
    source = {k: v for k, v in voicy_source().items() if k not in ("version", "deployed_at")}
    made = duplicate("voicy", source, minter=IdMinter(1), clock=CLOCK, caller=ACME)
    assert (made["version"], made["deployed_at"]) == (1, None)


def test_rules_come_from_the_contract() -> None:
    table, additional = rules("voicy")
    assert table["version"] == {"action": "reset", "value": 1}
    assert additional == "copy"
