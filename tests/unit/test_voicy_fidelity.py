"""Voicy as its own pages describe it (VENDORS.md, "Voicy: more facts"): each test quotes the
page it holds the fake to."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from agentmock.mockserver.config import FakeConfig
from agentmock.mockserver.core import Fake
from agentmock.mockserver.model.errors import ContractViolation
from agentmock.mockserver.model.messages import Request

KEY = {"authorization": "Bearer voicy_sk_test_1"}
DEPLOYED = "550e8400-e29b-41d4-a716-446655440001"  # version 3, deployed
ON_A_PHONE = "550e8400-e29b-41d4-a716-446655440003"  # seeded with assigned_phone_numbers


def send(fake: Fake, method: str, path: str, body: Any = None) -> tuple[int, Any, dict[str, str]]:
    raw = b"" if body is None else orjson.dumps(body)
    response = fake.handle(Request(method, path, dict(KEY), raw)).response
    assert response is not None
    return response.status, response.json(), response.headers


@pytest.fixture
def fake() -> Fake:
    return FakeConfig(now=1_763_776_800).build()


def test_list_items_are_lightweight(fake: Fake) -> None:
    """list-agents: "Returns an array of lightweight agent objects. These omit vars_provided,
    vars_extracted ... Use Get Agent to retrieve the full agent object." """
    status, items, _ = send(fake, "GET", "/v1/list-agents")
    assert status == 200
    assert all("vars_provided" not in i and "vars_extracted" not in i for i in items)
    _, full, _ = send(fake, "GET", f"/v1/get-agent/{DEPLOYED}")
    assert full["vars_provided"][0]["name"] == "customer_name"


def test_agent_type_is_not_writable(fake: Fake) -> None:
    """Flow agents "cannot be created or modified through the API"; `agent_type` is not a
    writable field."""
    status, body, _ = send(
        fake, "PATCH", f"/v1/update-agent/{DEPLOYED}", {"agent_type": "conversationalFlow"}
    )
    assert (status, body) == (
        400,
        {"error": "Invalid request: agent_type: Extra inputs are not permitted"},
    )


def test_patch_on_a_flow_agent_is_422_and_it_can_still_be_read_and_duplicated(fake: Fake) -> None:
    """ "PATCH on a conversationalFlow agent returns 422"; flow agents "appear in List and Get"."""
    flow = fake.add_agent("voicy", {"agent_type": "conversationalFlow", "agent_name": "Flow"})
    path = f"/v1/update-agent/{flow['agent_id']}"
    before = fake.state.vendor("voicy").agents.raw()[flow["agent_id"]]
    assert send(fake, "PATCH", path, {"agent_name": "x"})[:2] == (
        422,
        {"error": "Flow agents cannot be modified through the API"},
    )
    assert fake.state.vendor("voicy").agents.raw()[flow["agent_id"]] == before
    assert send(fake, "GET", f"/v1/get-agent/{flow['agent_id']}")[0] == 200
    status, copy, _ = send(fake, "POST", f"/v1/duplicate-agent/{flow['agent_id']}")
    assert (status, copy["agent_type"], copy["agent_name"]) == (
        200,
        "conversationalFlow",
        "Copy of Flow",
    )


def test_general_prompt_is_the_update_pages_name_for_agent_prompt(fake: Fake) -> None:
    """update-agent lists `general_prompt` and `response_delay_ms` among the body fields."""
    path = f"/v1/update-agent/{ON_A_PHONE}"
    status, body, _ = send(
        fake, "PATCH", path, {"general_prompt": "Be brief.", "response_delay_ms": 300}
    )
    assert status == 200
    assert (body["agent_prompt"], body["response_delay_ms"]) == ("Be brief.", 300)
    assert "general_prompt" not in body
    both = {"general_prompt": "a", "agent_prompt": "b"}
    assert send(fake, "PATCH", path, both)[0] == 400


def test_an_agent_on_a_phone_number_cannot_be_deleted(fake: Fake) -> None:
    """delete-agent: "An agent cannot be deleted if it is currently assigned to any phone
    numbers. You must first reassign or remove the phone number associations." """
    status, body, _ = send(fake, "DELETE", f"/v1/delete-agent/{ON_A_PHONE}")
    assert (status, body) == (409, {"error": "Agent is assigned to a phone number"})
    assert ON_A_PHONE in fake.state.vendor("voicy").agents
    for method, path in (("GET", f"/v1/get-agent/{ON_A_PHONE}"), ("GET", "/v1/list-agents")):
        assert "assigned_phone_numbers" not in str(send(fake, method, path)[1])
    _, copy, _ = send(fake, "POST", f"/v1/duplicate-agent/{ON_A_PHONE}")
    assert send(fake, "DELETE", f"/v1/delete-agent/{copy['agent_id']}")[0] == 204  # no phone


def test_phone_assignments_come_from_the_admin_api_too(fake: Fake) -> None:
    agent = fake.add_agent("voicy", {"assigned_phone_numbers": ["+1-555-0100"]})
    assert (
        "assigned_phone_numbers" not in send(fake, "GET", f"/v1/get-agent/{agent['agent_id']}")[1]
    )
    assert send(fake, "DELETE", f"/v1/delete-agent/{agent['agent_id']}")[0] == 409


def test_rate_limit_headers_on_every_response_report_the_enterprise_tier(fake: Fake) -> None:
    """ "Rate limit information is included in response headers"; limits are "60 requests/minute
    (Standard) or 600 (Enterprise)"."""
    for method, path in (
        ("GET", "/v1/list-agents"),
        ("GET", "/v1/get-agent/" + "0" * 8 + "-0000-4000-8000-" + "0" * 12),
    ):
        _, _, headers = send(fake, method, path)
        assert headers["x-ratelimit-limit"] == "600"
        assert int(headers["x-ratelimit-reset"]) == 1_763_776_800 + 60
    remaining = [
        int(send(fake, "GET", "/v1/list-agents")[2]["x-ratelimit-remaining"]) for _ in range(2)
    ]
    assert remaining == [597, 596]


def test_the_tier_is_enforced_and_the_429_agrees_with_its_body() -> None:
    """The 429 body says "Please retry after 30 seconds"; its Retry-After says the same."""
    fake = FakeConfig(now=1_763_776_800, rate_limit=2).build()
    for _ in range(2):
        assert send(fake, "GET", "/v1/list-agents")[0] == 200
    status, body, headers = send(fake, "GET", "/v1/list-agents")
    assert status == 429
    assert body == {"error": "Rate limit exceeded. Please retry after 30 seconds."}
    assert headers["retry-after"] == "30"
    assert headers["x-ratelimit-remaining"] == "0"


def test_rate_limit_zero_switches_limits_and_headers_off() -> None:
    fake = FakeConfig(rate_limit=0).build()
    for _ in range(650):
        status, _, headers = send(fake, "GET", "/v1/list-agents")
    assert status == 200
    assert not any(h.startswith("x-ratelimit") for h in headers)


def test_millis_refuses_a_bearer_key_even_with_no_keys_configured(fake: Fake) -> None:
    """VENDORS.md: "`Bearer <key>` is not a Millis key: a fake that accepts it lets a client bug
    through." """
    for value in ("Bearer sk_1", "bearer sk_1"):
        response = fake.handle(Request("GET", "/agents", {"authorization": value})).response
        assert response is not None
        assert (response.status, response.json()) == (401, {"detail": "Invalid API key"})


def test_a_blank_name_is_reported_once(fake: Fake) -> None:
    status, body, _ = send(fake, "POST", f"/v1/duplicate-agent/{DEPLOYED}", {"agent_name": ""})
    assert (status, body) == (
        400,
        {"error": "Invalid request: agent_name: must not be empty or blank"},
    )


def test_strict_mode_pins_the_canonical_form_while_the_contract_accepts_variants() -> None:
    """The contract accepts the get-agent page's flat `account_id`/`account_name` and the
    overview page's `{"status": "error", "message"}`; the fake sends `account` and `{"error"}`,
    and strict mode holds it to that."""
    from agentmock import contracts

    fake = FakeConfig().build()
    get = fake.router.operation("voicy", "getAgent")
    flat = contracts.load("voicy")["components"]["examples"]["FlatAccountAgent"]["value"]
    overview = {"status": "error", "message": "Agent not found"}
    full, pinned = get.responses, get.pinned
    assert full[200] is not None
    assert full[404] is not None
    assert pinned[200] is not None
    assert pinned[404] is not None
    assert full[200].is_valid(flat)
    assert full[404].is_valid(overview)
    assert not pinned[200].is_valid(flat)
    assert not pinned[404].is_valid(overview)

    def flat_handler(state: Any, call: Any) -> Any:
        return flat

    fake.handlers["voicy"]["get_agent"] = flat_handler
    with pytest.raises(ContractViolation, match="voicy getAgent 200"):
        send(fake, "GET", f"/v1/get-agent/{DEPLOYED}")
