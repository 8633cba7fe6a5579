"""User stories around the duplicate endpoints, run through every adapter.

Each test gets a `driver` (core, ASGI app, live uvicorn server; the plugin adds respx) and must
pass identically through all of them.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest

from agentmock.mockserver.ratelimit import RateLimiter
from tests.scenarios.drivers import Driver, Result

MILLIS_SOURCE = "-OKdqbqetEcM4ak369ym"
VOICY_SOURCE = "550e8400-e29b-41d4-a716-446655440001"
MILLIS_AUTH = {"authorization": "sk_test_anything"}
VOICY_AUTH = {"Authorization": "Bearer voicy_sk_live_xxx"}
JSON_TYPE = {"Content-Type": "application/json"}


def millis_duplicate(driver: Driver, agent_id: str = MILLIS_SOURCE, content: bytes = b"") -> Result:
    path = f"/agents/{agent_id}/duplicate"
    return driver.send("millis", "POST", path, headers=MILLIS_AUTH, content=content)


def voicy_duplicate(driver: Driver, agent_id: str = VOICY_SOURCE, body: object = None) -> Result:
    content = b"" if body is None else json.dumps(body).encode()
    headers = {**VOICY_AUTH, **JSON_TYPE}
    return driver.send(
        "voicy", "POST", f"/v1/duplicate-agent/{agent_id}", headers=headers, content=content
    )


# -- the happy path ------------------------------------------------------------------------------


def test_millis_duplicate_of_an_existing_agent(driver: Driver) -> None:
    source = driver.fake.state.millis.agents[MILLIS_SOURCE]
    before = json.dumps(source, sort_keys=True)
    result = millis_duplicate(driver)
    assert result.status == 200
    copy = result.json()
    assert copy["id"] != MILLIS_SOURCE
    assert len(copy["id"]) == 20
    assert copy["id"].startswith("-")
    assert copy["name"] == source["name"]
    assert copy["config"] == source["config"]
    assert copy["created_at"] == 1_763_776_800
    assert json.dumps(driver.fake.state.millis.agents[MILLIS_SOURCE], sort_keys=True) == before
    assert driver.fake.state.millis.agents[copy["id"]] == copy


def test_voicy_duplicate_with_the_vendor_pages_request(driver: Driver) -> None:
    result = voicy_duplicate(driver, body={"agent_name": "My Agent Copy"})
    assert result.status == 200
    copy = result.json()
    assert uuid.UUID(copy["agent_id"]).version == 4
    assert copy["agent_name"] == "My Agent Copy"
    assert copy["version"] == 1
    assert copy["deployed_at"] is None
    assert copy["account"] == {"id": "550e8400-e29b-41d4-a716-446655440099", "name": "Acme Corp"}
    source = driver.fake.state.voicy.agents[VOICY_SOURCE]
    for field in ("agent_prompt", "vars_provided", "vars_extracted", "voice_id", "language"):
        assert copy[field] == source[field]
    assert source["version"] == 3


def test_voicy_duplicate_without_a_body_is_named_copy_of(driver: Driver) -> None:
    result = voicy_duplicate(driver)
    assert result.status == 200
    assert result.json()["agent_name"] == "Copy of Customer Support Agent"


def test_duplicating_twice_makes_two_distinct_agents(driver: Driver) -> None:
    first, second = millis_duplicate(driver), millis_duplicate(driver)
    assert first.json()["id"] != second.json()["id"]
    assert len(driver.fake.state.millis.agents) == 4
    one, two = voicy_duplicate(driver), voicy_duplicate(driver)
    assert one.json()["agent_id"] != two.json()["agent_id"]
    assert len(driver.fake.state.voicy.agents) == 5


def test_a_copy_can_be_read_back_and_deleted(driver: Driver) -> None:
    copy_id = voicy_duplicate(driver).json()["agent_id"]
    got = driver.send("voicy", "GET", f"/v1/get-agent/{copy_id}", headers=VOICY_AUTH)
    assert got.status == 200
    assert got.json()["agent_id"] == copy_id
    gone = driver.send("voicy", "DELETE", f"/v1/delete-agent/{copy_id}", headers=VOICY_AUTH)
    assert (gone.status, gone.raw) == (204, b"")
    again = voicy_duplicate(driver, agent_id=copy_id)
    assert (again.status, again.json()) == (404, {"error": "Agent not found"})


# -- missing agents and bad input ----------------------------------------------------------------


def test_duplicating_a_missing_agent_is_a_404_in_each_envelope(driver: Driver) -> None:
    millis = millis_duplicate(driver, agent_id="-NoSuchAgent0000000")
    assert (millis.status, millis.json()) == (404, {"detail": "Agent not found"})
    voicy = voicy_duplicate(driver, agent_id=str(uuid.UUID(int=7, version=4)))
    assert (voicy.status, voicy.json()) == (404, {"error": "Agent not found"})
    assert len(driver.fake.state.millis.agents) == 2
    assert len(driver.fake.state.voicy.agents) == 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"agent_name": ""}', "agent_name: must not be empty or blank"),
        (b'{"agent_name": "   "}', "agent_name: must not be empty or blank"),
        (b'{"agent_name": 42}', "agent_name: Input should be a valid string"),
        (b'{"agent_nmae": "x"}', "agent_nmae: Extra inputs are not permitted"),
        (b"[]", "request body: Input should be a valid dictionary"),
        (b"{not json", "request body: JSON decode error"),
    ],
)
def test_voicy_bad_duplicate_bodies_are_400s_naming_the_problem(
    driver: Driver, body: bytes, message: str
) -> None:
    headers = {**VOICY_AUTH, **JSON_TYPE}
    path = f"/v1/duplicate-agent/{VOICY_SOURCE}"
    result = driver.send("voicy", "POST", path, headers=headers, content=body)
    assert result.status == 400
    assert message in result.json()["error"]
    assert len(driver.fake.state.voicy.agents) == 3


def test_voicy_agent_id_must_be_a_uuid(driver: Driver) -> None:
    result = voicy_duplicate(driver, agent_id="not-a-uuid")
    assert (result.status, result.json()) == (
        400,
        {"error": "Invalid request: agent_id: must be a UUID"},
    )


def test_millis_ignores_any_duplicate_body(driver: Driver) -> None:
    result = millis_duplicate(driver, content=b"{this is not json")
    assert result.status == 200


def test_oversized_bodies_are_413(driver: Driver) -> None:
    big = b'{"agent_name": "' + b"x" * (1024 * 1024) + b'"}'
    path = f"/v1/duplicate-agent/{VOICY_SOURCE}"
    result = driver.send("voicy", "POST", path, headers=VOICY_AUTH, content=big)
    assert (result.status, result.json()) == (413, {"error": "Request body too large"})
    assert len(driver.fake.state.voicy.agents) == 3


# -- auth ---------------------------------------------------------------------------------------


def test_millis_missing_key_is_fastapis_422(driver: Driver) -> None:
    result = driver.send("millis", "POST", f"/agents/{MILLIS_SOURCE}/duplicate")
    assert result.status == 422
    assert result.json() == {
        "detail": [{"type": "missing", "loc": ["header", "authorization"], "msg": "Field required"}]
    }


def test_millis_unaccepted_key_is_401(driver: Driver) -> None:
    driver.fake.state.add_api_key("millis", "sk_the_only_one")
    result = millis_duplicate(driver)
    assert (result.status, result.json()) == (401, {"detail": "Invalid API key"})
    ok = driver.send(
        "millis",
        "POST",
        f"/agents/{MILLIS_SOURCE}/duplicate",
        headers={"authorization": "sk_the_only_one"},
    )
    assert ok.status == 200


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Missing authorization"),
        ({"Authorization": "voicy_sk_live_xxx"}, "Invalid API key"),
        ({"Authorization": "Bearer"}, "Invalid API key"),
        ({"Authorization": "Bearer sk_live_not_voicy"}, "Invalid API key"),
    ],
)
def test_voicy_auth_failures(driver: Driver, headers: dict[str, str], message: str) -> None:
    path = f"/v1/duplicate-agent/{VOICY_SOURCE}"
    result = driver.send("voicy", "POST", path, headers=headers)
    assert (result.status, result.json()) == (401, {"error": message})
    assert len(driver.fake.state.voicy.agents) == 3


def test_voicy_keys_see_only_their_accounts_agents(driver: Driver) -> None:
    state = driver.fake.state
    state.add_account("voicy", {"id": str(uuid.UUID(int=99, version=4)), "name": "Globex"})
    state.add_api_key("voicy", "voicy_sk_live_globex", account=str(uuid.UUID(int=99, version=4)))
    state.add_api_key("voicy", "voicy_sk_live_acme")
    globex = {"Authorization": "Bearer voicy_sk_live_globex"}
    path = f"/v1/duplicate-agent/{VOICY_SOURCE}"
    assert driver.send("voicy", "POST", path, headers=globex).status == 404
    listed = driver.send("voicy", "GET", "/v1/list-agents", headers=globex).json()
    assert [a["agent_name"] for a in listed] == ["Receptionist template"]  # the global agent
    copy = driver.send(
        "voicy", "POST", "/v1/duplicate-agent/550e8400-e29b-41d4-a716-446655440004", headers=globex
    )
    assert copy.status == 200
    assert copy.json()["account"]["name"] == "Globex"
    unknown = {"Authorization": "Bearer voicy_sk_live_xxx"}  # keys are configured now
    assert driver.send("voicy", "POST", path, headers=unknown).status == 401


# -- faults -------------------------------------------------------------------------------------


def test_status_fault_answers_in_the_vendor_envelope_without_touching_state(driver: Driver) -> None:
    driver.fake.faults.add(
        {
            "vendor": "voicy",
            "operation": "duplicate_agent",
            "kind": "status",
            "status": 503,
            "headers": {"Retry-After": "2"},
        }
    )
    failed = voicy_duplicate(driver)
    assert (failed.status, failed.json()) == (503, {"error": "Service unavailable"})
    assert failed.headers["retry-after"] == "2"
    assert len(driver.fake.state.voicy.agents) == 3
    assert voicy_duplicate(driver).status == 200  # times=1: the next call goes through


def test_status_fault_for_millis_with_a_custom_body(driver: Driver) -> None:
    driver.fake.faults.add(
        {
            "vendor": "millis",
            "operation": "duplicateAgent",
            "kind": "status",
            "status": 500,
            "times": 2,
        }
    )
    assert millis_duplicate(driver).json() == {"detail": "Internal Server Error"}
    assert millis_duplicate(driver).status == 500
    assert millis_duplicate(driver).status == 200


def test_delay_fault_waits_then_serves(driver: Driver) -> None:
    driver.fake.faults.add(
        {"vendor": "millis", "operation": "duplicateAgent", "kind": "delay", "seconds": 0.2}
    )
    started = time.monotonic()
    result = millis_duplicate(driver)
    assert time.monotonic() - started >= 0.2
    assert result.status == 200


def test_drop_fault_loses_the_request_before_it_commits(driver: Driver) -> None:
    driver.fake.faults.add({"vendor": "voicy", "operation": "duplicateAgent", "kind": "drop"})
    assert voicy_duplicate(driver).dropped
    assert len(driver.fake.state.voicy.agents) == 3


def test_commit_then_drop_makes_the_copy_and_loses_the_answer(driver: Driver) -> None:
    driver.fake.faults.add(
        {"vendor": "voicy", "operation": "duplicateAgent", "kind": "commit_then_drop"}
    )
    assert voicy_duplicate(driver).dropped
    names = [a["agent_name"] for a in driver.fake.state.voicy.agents.values()]
    assert names.count("Copy of Customer Support Agent") == 1
    entry = driver.fake.journal.entries("voicy")[-1]
    assert (entry.fault, entry.status) == ("commit_then_drop", None)


def test_malformed_fault_sends_unparseable_json(driver: Driver) -> None:
    driver.fake.faults.add({"vendor": "millis", "operation": "duplicateAgent", "kind": "malformed"})
    result = millis_duplicate(driver)
    assert result.status == 200
    with pytest.raises(json.JSONDecodeError, match=r"Unterminated|Expecting"):
        json.loads(result.raw)
    assert len(driver.fake.state.millis.agents) == 3


def test_voicy_rate_limit(driver: Driver) -> None:
    driver.fake.rate_limiters["voicy"] = RateLimiter(2)
    first, second, third = (voicy_duplicate(driver) for _ in range(3))
    assert (first.status, second.status) == (200, 200)
    assert first.headers["x-ratelimit-limit"] == "2"
    assert second.headers["x-ratelimit-remaining"] == "0"
    assert third.status == 429
    assert third.json() == {"error": "Rate limit exceeded. Please retry after 30 seconds."}
    assert int(third.headers["x-ratelimit-reset"]) == 1_763_776_800 + 60
    assert len(driver.fake.state.voicy.agents) == 5


def test_unknown_routes_and_methods_answer_like_the_vendor(driver: Driver) -> None:
    missing = driver.send("voicy", "GET", "/v1/no-such-thing", headers=VOICY_AUTH)
    assert (missing.status, missing.json()) == (404, {"error": "Not found"})
    wrong = driver.send("millis", "GET", f"/agents/{MILLIS_SOURCE}/duplicate", headers=MILLIS_AUTH)
    assert (wrong.status, wrong.json()) == (405, {"detail": "Method Not Allowed"})
    assert wrong.headers["allow"] == "POST"
    slash = driver.send("millis", "GET", "/agents/", headers=MILLIS_AUTH)
    assert slash.status == 404
