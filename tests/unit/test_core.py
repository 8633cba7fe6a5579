"""The core pipeline: operations, strict mode, and that nothing rejected changes state or 5xxs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentmock.mockserver.core import Fake
from agentmock.mockserver.model.clock import FixedClock
from agentmock.mockserver.model.errors import ContractViolation
from agentmock.mockserver.model.messages import Request
from agentmock.mockserver.state import State

MILLIS_KEY = {"authorization": "sk_test"}
VOICY_KEY = {"authorization": "Bearer voicy_sk_live_xxx"}
SOURCE = "-OKdqbqetEcM4ak369ym"


def make(**kwargs: Any) -> Fake:
    return Fake(State(random_seed=5, clock=FixedClock(1_763_776_800)), **kwargs)


def call(fake: Fake, method: str, path: str, headers: dict[str, str], body: Any = None) -> Any:
    raw = b"" if body is None else json.dumps(body).encode()
    outcome = fake.handle(Request(method, path, headers, raw))
    assert outcome.response is not None
    return outcome.response.status, outcome.response.json()


def test_millis_create_get_update_list_delete() -> None:
    fake = make()
    status, created = call(
        fake,
        "POST",
        "/agents",
        MILLIS_KEY,
        {"name": "Bot", "config": {"prompt": "p", "voice": {"provider": "rime"}, "custom": 1}},
    )
    assert status == 200
    assert created["config"]["custom"] == 1  # unknown keys are kept
    agent = f"/agents/{created['id']}"
    status, updated = call(fake, "PUT", agent, MILLIS_KEY, {"config": {"language": "de"}})
    assert status == 200
    assert updated["config"] == {
        "prompt": "p",
        "voice": {"provider": "rime"},
        "custom": 1,
        "language": "de",
    }
    assert call(fake, "GET", agent, MILLIS_KEY) == (200, updated)
    assert len(call(fake, "GET", "/agents", MILLIS_KEY)[1]) == 3
    assert call(fake, "DELETE", agent, MILLIS_KEY) == (200, None)
    assert call(fake, "GET", agent, MILLIS_KEY) == (404, {"detail": "Agent not found"})


def test_millis_collects_every_problem_into_one_422_before_looking_at_the_key() -> None:
    fake = make()
    status, body = call(fake, "POST", "/agents", {}, {"name": 3, "config": {}})
    assert status == 422
    assert [tuple(d["loc"]) for d in body["detail"]] == [
        ("header", "authorization"),
        ("body", "name"),
        ("body", "config", "prompt"),
        ("body", "config", "voice"),
    ]


def test_millis_update_cannot_null_the_prompt() -> None:
    fake = make()
    status, body = call(fake, "PUT", f"/agents/{SOURCE}", MILLIS_KEY, {"config": {"prompt": None}})
    assert status == 422
    assert body["detail"][0]["loc"] == ["body", "config", "prompt"]


def test_voicy_update_replaces_variables_and_makes_a_working_version_of_a_deployed_one() -> None:
    """ "Working versions are editable; Deployed versions are frozen": a change to a deployed
    version is a new working version (VENDORS.md's decision), and that one is edited in place."""
    fake = make()
    path = "/v1/update-agent/550e8400-e29b-41d4-a716-446655440001"
    status, body = call(fake, "PATCH", path, VOICY_KEY, {"vars_provided": [], "agent_name": "New"})
    assert status == 200
    assert (body["vars_provided"], body["agent_name"]) == ([], "New")
    assert (body["version"], body["deployed_at"]) == (4, None)  # was version 3, deployed
    status, body = call(fake, "PATCH", path, VOICY_KEY, {"language": "he"})
    assert (status, body["version"], body["deployed_at"]) == (200, 4, None)
    status, body = call(fake, "PATCH", path, VOICY_KEY, {"version": 9})
    assert status == 400
    assert body == {"error": "Invalid request: version: Extra inputs are not permitted"}


def test_voicy_global_agents_are_read_only() -> None:
    fake = make()
    path = "/v1/delete-agent/550e8400-e29b-41d4-a716-446655440004"
    assert call(fake, "DELETE", path, VOICY_KEY) == (403, {"error": "Access denied"})
    assert "550e8400-e29b-41d4-a716-446655440004" in fake.state.voicy.agents


def test_strict_mode_catches_a_fake_that_breaks_its_contract(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(state: State, call: Any) -> Any:
        return {"id": 1, "name": "x"}

    fake = make()
    monkeypatch.setitem(fake.handlers["millis"], "duplicate_agent", broken)
    with pytest.raises(ContractViolation) as caught:
        fake.handle(Request("POST", f"/agents/{SOURCE}/duplicate", MILLIS_KEY))
    message = str(caught.value)
    assert message.startswith(
        "agentmock: strict mode: the fake's millis duplicateAgent 200: response at (root)"
    )
    assert "schema path: " in message
    assert "--no-strict" in message
    lax = make(strict=False)
    monkeypatch.setitem(lax.handlers["millis"], "duplicate_agent", broken)
    outcome = lax.handle(Request("POST", f"/agents/{SOURCE}/duplicate", MILLIS_KEY))
    assert outcome.response is not None
    assert outcome.response.json() == {"id": 1, "name": "x"}


def test_journal_records_every_request_with_its_operation() -> None:
    fake = make()
    call(fake, "POST", f"/agents/{SOURCE}/duplicate", MILLIS_KEY)
    call(fake, "GET", "/v1/nothing", VOICY_KEY)
    first, second = fake.journal.entries()
    assert (first.vendor, first.operation, first.status) == ("millis", "duplicateAgent", 200)
    assert (second.vendor, second.operation, second.status) == ("voicy", None, 404)
    assert first.request_headers["authorization"] == "[redacted]"


def test_reset_clears_faults_journal_and_agents() -> None:
    fake = make()
    fake.faults.add({"vendor": "millis", "operation": "*", "kind": "drop"})
    call(fake, "GET", "/v1/list-agents", VOICY_KEY)
    fake.add_agent("millis", {})
    fake.reset()
    assert (fake.faults.pending(), fake.journal.entries(), len(fake.state.millis.agents)) == (
        [],
        [],
        2,
    )


PATHS = [
    "/agents",
    f"/agents/{SOURCE}",
    f"/agents/{SOURCE}/duplicate",
    "/v1/list-agents",
    "/v1/duplicate-agent/550e8400-e29b-41d4-a716-446655440001",
    "/v1/get-agent/550e8400-e29b-41d4-a716-446655440001",
    "/v1/update-agent/550e8400-e29b-41d4-a716-446655440001",
    "/v1/delete-agent/550e8400-e29b-41d4-a716-446655440004",
]
JUNK = st.one_of(
    st.binary(max_size=200),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3)
        ),
        max_leaves=12,
    ).map(lambda value: json.dumps(value).encode()),
    st.sampled_from([b"NaN", b'{"a": Infinity}', b'"\\ud800"', b"[" * 5000, b"\xef\xbb\xbf{}"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]),
    path=st.sampled_from(PATHS) | st.text(max_size=30).map(lambda s: "/" + s),
    auth=st.sampled_from(
        [{}, MILLIS_KEY, VOICY_KEY, {"authorization": ""}, {"authorization": "Bearer x"}]
    ),
    body=JUNK,
)
def test_no_input_makes_a_5xx_and_rejected_input_changes_nothing(
    method: str, path: str, auth: dict[str, str], body: bytes
) -> None:
    fake = make()
    before = fake.state.snapshot()
    outcome = fake.handle(Request(method, path, auth, body))
    assert outcome.response is not None
    assert outcome.response.status < 500
    if outcome.response.status >= 400:
        assert fake.state.snapshot() == before
    if outcome.response.body:
        outcome.response.json()  # always valid JSON
