"""assert_duplicate_of checks copies against the contract's table and reports every mismatch."""

from __future__ import annotations

import pytest

from agentmock.mockserver.core import Fake
from agentmock.mockserver.model.clock import FixedClock
from agentmock.mockserver.model.messages import Request
from agentmock.mockserver.state import State
from agentmock.pytest_plugin import assert_duplicate_of

SOURCE = "550e8400-e29b-41d4-a716-446655440001"


def voicy_copy(body: bytes = b"") -> tuple[dict[str, object], dict[str, object]]:
    fake = Fake(State(random_seed=1, clock=FixedClock(1_763_776_800)))
    source = fake.state.voicy.agents[SOURCE]
    outcome = fake.handle(
        Request(
            "POST", f"/v1/duplicate-agent/{SOURCE}", {"authorization": "Bearer voicy_sk_1"}, body
        )
    )
    assert outcome.response is not None
    return source, outcome.response.json()


def test_a_real_copy_passes() -> None:
    source, copy = voicy_copy()
    assert_duplicate_of(source, copy, vendor="voicy")
    source, named = voicy_copy(b'{"agent_name": "Mine"}')
    assert_duplicate_of(source, named, vendor="voicy", agent_name="Mine")


def test_a_millis_copy_passes() -> None:
    fake = Fake()
    source = fake.state.millis.agents["-OKdqbqetEcM4ak369ym"]
    outcome = fake.handle(
        Request("POST", "/agents/-OKdqbqetEcM4ak369ym/duplicate", {"authorization": "k"})
    )
    assert outcome.response is not None
    assert_duplicate_of(source, outcome.response.json(), vendor="millis")


def test_every_mismatch_is_reported() -> None:
    source, copy = voicy_copy()
    broken = {
        **copy,
        "agent_id": source["agent_id"],
        "agent_name": "Customer Support Agent",
        "version": 3,
        "vars_provided": [],
    }
    del broken["deployed_at"]
    with pytest.raises(AssertionError) as caught:
        assert_duplicate_of(source, broken, vendor="voicy")
    message = str(caught.value)
    assert message.startswith("agentmock: the copy is not a voicy duplicate of the source")
    for expected in (
        "agent_id: should be newly generated (uuid4) but equals the source's",
        "agent_name: should be 'Copy of Customer Support Agent', got 'Customer Support Agent'",
        "version: should be reset to 1, got 3",
        "deployed_at: missing from the copy",
        "vars_provided: should be copied",
    ):
        assert expected in message


def test_name_override_and_account() -> None:
    source, copy = voicy_copy()
    with pytest.raises(AssertionError, match="agent_name: should be 'Other'"):
        assert_duplicate_of(source, copy, vendor="voicy", agent_name="Other")
    globex = {"id": "6f0d1c1e-0000-4000-8000-000000000001", "name": "Globex"}
    with pytest.raises(AssertionError, match="account: should be the caller's account"):
        assert_duplicate_of(source, copy, vendor="voicy", account=globex)


def test_extra_fields_must_be_copied() -> None:
    source, copy = voicy_copy()
    with pytest.raises(AssertionError, match="later_field: an extra field that should be copied"):
        assert_duplicate_of({**source, "later_field": 1}, copy, vendor="voicy")


def test_millis_id_shape_is_checked() -> None:
    fake = Fake()
    source = fake.state.millis.agents["-OKdqbqetEcM4ak369ym"]
    copy = {**source, "id": "short", "created_at": "yesterday"}
    with pytest.raises(AssertionError) as caught:
        assert_duplicate_of(source, copy, vendor="millis")
    assert "id: should be a 20-character push id, got 'short'" in str(caught.value)
    assert "created_at: should be Unix seconds (an integer), got 'yesterday'" in str(caught.value)


def test_a_list_item_or_a_flat_account_is_a_fine_source() -> None:
    """Voicy's list items leave out the variable arrays and its get-agent page shows a flat
    account: neither makes a good copy look bad, and a bad copy still fails."""
    from agentmock.mockserver.config import FakeConfig

    fake = FakeConfig().build()
    source_id = "550e8400-e29b-41d4-a716-446655440001"
    auth = {"authorization": "Bearer voicy_sk_test_1"}
    listed = fake.handle(Request("GET", "/v1/list-agents", auth)).response
    assert listed is not None
    item = next(a for a in listed.json() if a["agent_id"] == source_id)
    made = fake.handle(Request("POST", f"/v1/duplicate-agent/{source_id}", auth)).response
    assert made is not None
    copy = made.json()
    assert isinstance(copy, dict)
    assert_duplicate_of(item, copy, vendor="voicy")
    account = item["account"]
    flat = {k: v for k, v in item.items() if k != "account"}
    flat |= {"account_id": account["id"], "account_name": account["name"]}
    assert_duplicate_of(flat, copy, vendor="voicy")
    with pytest.raises(AssertionError, match="agent_prompt"):
        assert_duplicate_of(item, {**copy, "agent_prompt": "changed"}, vendor="voicy")
