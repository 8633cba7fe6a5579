"""The official ElevenLabs SDK as an oracle: whatever the contract lets a client send, the fake's
answer must parse with the SDK's own response models, strictly (pydantic's `model_validate`,
not the SDK's lenient parsing), and every error must reach the SDK's error classes with the
errors page's `detail` fields.

Requests come from the contract's own request schemas (every optional section: workflow with
its nodes and edges, platform settings, tags, conversation config), so a response model field
the fake forgets to fill in fails here, not in a user's production.
"""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pytest
from elevenlabs import ElevenLabs
from elevenlabs.core.api_error import ApiError
from elevenlabs.errors import UnprocessableEntityError
from elevenlabs.types import GetAgentResponseModel, GetAgentsPageResponseModel
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import agentmock
from agentmock.pytest_plugin.strategies import from_schema

pytestmark = pytest.mark.slow  # hypothesis through the vendor SDK; CI runs it (pytest -m slow)

SOURCE = "agent_3701k3ttaq12ewp8b7qv5rfyszkz"
KEY = "sk_agentmock_test"
ORACLE = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _client(http: httpx.Client) -> Any:
    return ElevenLabs(api_key=KEY, httpx_client=http).conversational_ai.agents


def _raw_json(http: httpx.Client, path: str) -> Any:
    """The fake's answer as sent, for the strict parse (the SDK's own parse is lenient)."""
    answer = http.get(f"https://api.elevenlabs.io{path}", headers={"xi-api-key": KEY})
    assert answer.status_code == 200, answer.text
    return answer.json()


def _kwargs(method: Any, body: dict[str, Any]) -> dict[str, Any]:
    accepted = set(inspect.signature(method).parameters)
    missing = set(body) - accepted
    assert not missing, f"the SDK's {method.__name__} takes no {sorted(missing)}"
    return dict(body)


# Node types the fake does not model (the contract's `OtherNode` says so): it stores them as
# sent, so they are left out of what is held to the SDK's strict parse.
MODELLED_NODES = {"start", "end", "tool"}


def _modelled(body: dict[str, Any]) -> dict[str, Any]:
    nodes = (body.get("workflow") or {}).get("nodes")
    if not nodes:
        return body
    kept = {k: n for k, n in nodes.items() if n["type"] in MODELLED_NODES}
    return {**body, "workflow": {**body["workflow"], "nodes": kept}}


@ORACLE
@given(
    create=from_schema("elevenlabs", "CreateAgentRequest").map(_modelled),
    update=from_schema("elevenlabs", "UpdateAgentRequest").map(_modelled),
    name=st.none() | st.text(max_size=20),
)
def test_what_the_contract_lets_a_client_send_comes_back_in_the_sdks_models(
    create: dict[str, Any], update: dict[str, Any], name: str | None
) -> None:
    with agentmock.mock(), httpx.Client() as http:
        agents = _client(http)
        made = agents.create(**_kwargs(agents.create, create))
        GetAgentResponseModel.model_validate(_raw_json(http, f"/v1/convai/agents/{made.agent_id}"))
        updated = agents.update(made.agent_id, **_kwargs(agents.update, update))
        assert updated.agent_id == made.agent_id
        after = _raw_json(http, f"/v1/convai/agents/{made.agent_id}")
        GetAgentResponseModel.model_validate(after)
        copy = agents.duplicate(made.agent_id, name=name)
        GetAgentResponseModel.model_validate(_raw_json(http, f"/v1/convai/agents/{copy.agent_id}"))
        for archived in ("false", "true"):
            page = _raw_json(http, f"/v1/convai/agents?archived={archived}&page_size=100")
            GetAgentsPageResponseModel.model_validate(page)


def _detail(error: ApiError) -> dict[str, Any]:
    body = error.body
    assert isinstance(body, dict), body
    detail = body["detail"]
    assert {"type", "code", "message", "request_id"} <= set(detail), detail
    return dict(detail)


@pytest.mark.parametrize(
    ("status", "kind", "code"),
    [
        (400, "invalid_request", "bad_request"),
        (401, "authentication_error", "unauthorized"),
        (403, "authorization_error", "forbidden"),
        (404, "not_found", "agent_not_found"),
        (409, "conflict", "conflict"),
        (429, "rate_limit_error", "rate_limit_exceeded"),
        (500, "internal_error", "internal_error"),
        (503, "service_unavailable", "service_unavailable"),
    ],
)
def test_every_injected_error_reaches_the_sdk_with_the_pages_fields(
    elevenlabs_mock: Any, status: int, kind: str, code: str
) -> None:
    times = 3 if status in (409, 429) or status >= 500 else 1  # the SDK retries these twice
    elevenlabs_mock.fail("get_agent", status=status, times=times)
    with httpx.Client() as http, pytest.raises(ApiError) as raised:
        _client(http).get(SOURCE, request_options={"max_retries": 0} if times == 1 else None)
    assert raised.value.status_code == status
    detail = _detail(raised.value)
    assert (detail["type"], detail["code"], detail["status"]) == (kind, code, code)


def test_the_fakes_own_refusals_reach_the_sdk_with_the_pages_fields(elevenlabs_mock: Any) -> None:
    with httpx.Client() as http:
        agents = _client(http)
        with pytest.raises(ApiError) as missing:
            agents.get("agent_0000000000000000000000000000")
        assert _detail(missing.value)["code"] == "agent_not_found"
        with pytest.raises(ApiError) as cursor:
            agents.list(cursor="not-one-we-handed-out")
        assert (cursor.value.status_code, _detail(cursor.value)["param"]) == (400, "cursor")
        with pytest.raises(UnprocessableEntityError) as invalid:
            agents.list(page_size=500)  # FastAPI's validation list, as the SDK models it
        assert invalid.value.body["detail"][0]["loc"] == ["query", "page_size"]
        keyless = ElevenLabs(api_key="", httpx_client=http).conversational_ai.agents
        with pytest.raises(ApiError) as unauthenticated:
            keyless.get(SOURCE)
        assert _detail(unauthenticated.value)["type"] == "authentication_error"
