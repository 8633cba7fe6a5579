"""ElevenLabs as its own pages and SDK describe it: each test quotes the source it holds the fake
to (the errors page: elevenlabs.io/docs/eleven-api/resources/errors; the list page; the SDK's
response models)."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from elevenlabs.types import GetAgentResponseModel

from agentmock.mockserver.config import FakeConfig
from agentmock.mockserver.core import MAX_BODY_BYTES, Fake
from agentmock.mockserver.model.messages import Request

KEY = {"xi-api-key": "sk_test", "content-type": "application/json"}
AGENTS = "/v1/convai/agents"
SOURCE = "agent_3701k3ttaq12ewp8b7qv5rfyszkz"


def send(
    fake: Fake, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    raw = body if isinstance(body, bytes) else b"" if body is None else orjson.dumps(body)
    path, _, query = path.partition("?")
    sent = dict(KEY if headers is None else headers)
    response = fake.handle(Request(method, path, sent, raw, query))
    assert response.response is not None
    return response.response.status, response.response.json()


@pytest.fixture
def fake() -> Fake:
    return FakeConfig(now=1_763_776_800, random_seed=3).build()


def detail(answer: tuple[int, Any]) -> tuple[int, str, str]:
    """(status, type, code), after checking the page's other properties are there."""
    status, body = answer
    info = body["detail"]
    assert isinstance(info["message"], str)
    assert info["message"]
    assert info["status"] == info["code"]  # "a legacy field ... instead use the code property"
    assert len(info["request_id"]) == 32
    assert int(info["request_id"], 16) >= 0
    return status, info["type"], info["code"]


def test_every_error_has_the_pages_type_code_message_and_request_id(fake: Fake) -> None:
    """Errors page: "all API requests return a JSON object with a detail property" whose
    properties are type, code, message, status (legacy), request_id, param."""
    missing = send(fake, "GET", f"{AGENTS}/agent_nope")
    assert detail(missing) == (404, "not_found", "agent_not_found")
    refused = {"xi-api-key": "nope"}
    keyed = FakeConfig(api_keys={"elevenlabs": ["sk_right"]}).build()
    assert detail(send(keyed, "GET", AGENTS, headers=refused)) == (
        401,
        "authentication_error",
        "invalid_api_key",
    )
    assert detail(send(fake, "GET", AGENTS, headers={})) == (
        401,
        "authentication_error",
        "missing_api_key",
    )


def test_a_missing_key_answers_the_message_live_captures_show(fake: Fake) -> None:
    _, body = send(fake, "GET", AGENTS, headers={})
    assert body["detail"]["message"] == (
        "Neither authorization header nor xi-api-key received, please provide one."
    )


def test_request_ids_differ_and_repeat_with_the_seed() -> None:
    def ids(seed: int) -> list[str]:
        fake = FakeConfig(random_seed=seed).build()
        answers = [send(fake, "GET", f"{AGENTS}/x", headers={}) for _ in "ab"]
        return [body["detail"]["request_id"] for _, body in answers]

    first = ids(5)
    assert first[0] != first[1]
    assert ids(5) == first


def test_a_bad_cursor_is_the_pages_400_invalid_cursor(fake: Fake) -> None:
    """Errors page: `invalid_cursor`, type `validation_error` (400): "The pagination cursor is
    invalid or expired." """
    answer = send(fake, "GET", f"{AGENTS}?cursor=made-up")
    assert detail(answer) == (400, "validation_error", "invalid_cursor")
    assert answer[1]["detail"]["param"] == "cursor"


def test_a_body_over_the_limit_is_the_pages_400_request_too_large(fake: Fake) -> None:
    """Errors page: `request_too_large`, type `invalid_request` (400)."""
    before = dict(fake.state.vendor("elevenlabs").agents.raw())
    body = b'{"name": "' + b"x" * MAX_BODY_BYTES + b'"}'
    answer = send(fake, "POST", f"{AGENTS}/{SOURCE}/duplicate", body)
    assert detail(answer) == (400, "invalid_request", "request_too_large")
    assert fake.state.vendor("elevenlabs").agents.raw() == before


def test_the_rate_limit_and_an_injected_429_are_the_pages_rate_limit_exceeded() -> None:
    """Errors page: a 429's code "will be rate_limit_exceeded", type `rate_limit_error`."""
    fake = FakeConfig(rate_limit=1).build()
    send(fake, "GET", AGENTS)
    assert detail(send(fake, "GET", AGENTS)) == (429, "rate_limit_error", "rate_limit_exceeded")
    faulty = FakeConfig().build()
    faulty.faults.add(
        {"vendor": "elevenlabs", "operation": "getAgent", "kind": "status", "status": 429}
    )
    injected = send(faulty, "GET", f"{AGENTS}/{SOURCE}")
    assert detail(injected) == (429, "rate_limit_error", "rate_limit_exceeded")


@pytest.mark.parametrize(
    ("status", "kind", "code"),
    [
        (400, "invalid_request", "bad_request"),
        (402, "payment_required", "insufficient_credits"),
        (403, "authorization_error", "forbidden"),
        (409, "conflict", "conflict"),
        (500, "internal_error", "internal_error"),
        (502, "internal_error", "internal_error"),
        (503, "service_unavailable", "service_unavailable"),
    ],
)
def test_an_injected_status_carries_the_pages_type_for_it(
    fake: Fake, status: int, kind: str, code: str
) -> None:
    """Errors page, "Error types": each type with its HTTP status."""
    fake.faults.add(
        {"vendor": "elevenlabs", "operation": "getAgent", "kind": "status", "status": status}
    )
    assert detail(send(fake, "GET", f"{AGENTS}/{SOURCE}")) == (status, kind, code)


def test_an_authorization_bearer_key_is_read_when_xi_api_key_is_absent() -> None:
    """Errors page: `invalid_authorization_header` ("The Authorization header format is
    invalid"); the contract marks reading `Bearer <key>` as an assumption."""
    fake = FakeConfig(api_keys={"elevenlabs": ["sk_right"]}).build()
    assert send(fake, "GET", AGENTS, headers={"authorization": "Bearer sk_right"})[0] == 200
    refused = send(fake, "GET", AGENTS, headers={"authorization": "Bearer sk_wrong"})
    assert detail(refused) == (401, "authentication_error", "invalid_api_key")
    for malformed in ("sk_right", "Basic c2tfcmlnaHQ=", "Bearer "):
        answer = send(fake, "GET", AGENTS, headers={"authorization": malformed})
        assert detail(answer) == (401, "authentication_error", "invalid_authorization_header")
    # xi-api-key wins where both are sent
    both = {"xi-api-key": "sk_right", "authorization": "Basic x"}
    assert send(fake, "GET", AGENTS, headers=both)[0] == 200


def test_archived_agents_leave_the_list_unless_asked_for(fake: Fake) -> None:
    """List page: `archived` "Defaults to false"; SDK: archiving is
    `platform_settings.archived`, and the summary carries `archived`."""
    _, made = send(
        fake,
        "POST",
        f"{AGENTS}/create",
        {"conversation_config": {}, "name": "Old", "platform_settings": {"archived": True}},
    )
    listed = [a["agent_id"] for a in send(fake, "GET", AGENTS)[1]["agents"]]
    assert made["agent_id"] not in listed
    assert SOURCE in listed
    _, archived = send(fake, "GET", f"{AGENTS}?archived=true")
    assert [(a["agent_id"], a["archived"]) for a in archived["agents"]] == [
        (made["agent_id"], True)
    ]
    _, agent = send(fake, "GET", f"{AGENTS}/{made['agent_id']}")
    assert "archived" not in agent  # no invented top-level flag
    assert agent["platform_settings"] == {"archived": True}
    send(fake, "PATCH", f"{AGENTS}/{made['agent_id']}", {"platform_settings": {"archived": False}})
    assert made["agent_id"] in [a["agent_id"] for a in send(fake, "GET", AGENTS)[1]["agents"]]


def test_a_workflow_sent_empty_comes_back_with_what_the_sdk_requires(fake: Fake) -> None:
    """SDK: AgentWorkflowResponseModel requires `nodes`, `edges`, `prevent_subagent_loops`;
    a node requires `position` and `edge_order`, an edge `reroutes`."""
    _, made = send(fake, "POST", f"{AGENTS}/create", {"conversation_config": {}, "workflow": {}})
    _, agent = send(fake, "GET", f"{AGENTS}/{made['agent_id']}")
    assert agent["workflow"] == {"edges": {}, "nodes": {}, "prevent_subagent_loops": False}
    GetAgentResponseModel.model_validate(agent)
    workflow = {
        "nodes": {"s": {"type": "start"}, "e": {"type": "end", "position": {"x": 3}}},
        "edges": {"s-e": {"source": "s", "target": "e"}},
    }
    status, updated = send(fake, "PATCH", f"{AGENTS}/{made['agent_id']}", {"workflow": workflow})
    assert status == 200
    nodes = updated["workflow"]["nodes"]
    assert nodes["s"] == {"type": "start", "position": {"x": 0, "y": 0}, "edge_order": []}
    assert nodes["e"]["position"] == {"x": 3, "y": 0}
    assert updated["workflow"]["edges"]["s-e"]["reroutes"] == []
    GetAgentResponseModel.model_validate(updated)
