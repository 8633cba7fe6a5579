"""The official ElevenLabs SDK (`elevenlabs`, httpx underneath, written by the vendor, not by us)
against agentmock: in process through `elevenlabs_mock`, and over HTTP against a real uvicorn
server (`agentmock_server`), with the sync and the async client.

Each test runs the same calls through a small adapter, so the four ways to reach the fake
(respx or server x sync or async) must behave the same for the client people really use.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from elevenlabs import AsyncElevenLabs, ElevenLabs
from elevenlabs.core.api_error import ApiError
from elevenlabs.errors import UnprocessableEntityError

from agentmock.pytest_plugin.handles import VendorHandle

SOURCE = "agent_3701k3ttaq12ewp8b7qv5rfyszkz"  # seeded: "Support line"


class Sdk:
    """`sdk.<call>(...)` on either client's `conversational_ai.agents`. An async call runs in
    its own event loop, with a client (and httpx connection pool) made in that loop."""

    def __init__(self, base_url: str | None, *, use_async: bool) -> None:
        self.base_url = base_url
        self.use_async = use_async

    def __getattr__(self, name: str) -> Any:
        key, base_url = "sk_agentmock_test", self.base_url

        def call(*args: Any, **kwargs: Any) -> Any:
            if not self.use_async:
                with httpx.Client() as http:
                    client = ElevenLabs(api_key=key, base_url=base_url, httpx_client=http)
                    return getattr(client.conversational_ai.agents, name)(*args, **kwargs)

            async def go() -> Any:
                async with httpx.AsyncClient() as http:
                    client = AsyncElevenLabs(api_key=key, base_url=base_url, httpx_client=http)
                    return await getattr(client.conversational_ai.agents, name)(*args, **kwargs)

            return asyncio.run(go())

        return call


@pytest.fixture(params=["respx-sync", "respx-async", "server-sync", "server-async"])
def way(request: pytest.FixtureRequest) -> tuple[Sdk, VendorHandle]:
    where, flavour = request.param.split("-")
    handle: VendorHandle
    if where == "respx":
        handle = request.getfixturevalue("elevenlabs_mock")
        base_url = None  # the SDK's own default host, https://api.elevenlabs.io
    else:
        handle = request.getfixturevalue("agentmock_server").elevenlabs
        base_url = handle.base_url
    return Sdk(base_url, use_async=flavour == "async"), handle


def test_create_duplicate_get_update_delete(way: tuple[Sdk, VendorHandle]) -> None:
    sdk, fake = way
    created = sdk.create(
        name="Front desk",
        tags=["support"],
        conversation_config={"agent": {"first_message": "Hi!", "prompt": {"prompt": "Be kind."}}},
    )
    named = sdk.duplicate(created.agent_id, name="Front desk (weekend)")
    unnamed = sdk.duplicate(created.agent_id)
    assert len({created.agent_id, named.agent_id, unnamed.agent_id}) == 3
    assert all(a.startswith("agent_") for a in (named.agent_id, unnamed.agent_id))

    copy = sdk.get(unnamed.agent_id)
    assert copy.name == "Front desk (copy)"  # the contract's documented assumption
    assert sdk.get(named.agent_id).name == "Front desk (weekend)"
    assert copy.conversation_config.agent.first_message == "Hi!"  # deep-copied config
    assert copy.tags == ["support"]
    assert copy.metadata.created_at_unix_secs > 0

    updated = sdk.update(unnamed.agent_id, name="Renamed", tags=["a", "b"])
    assert (updated.name, updated.tags) == ("Renamed", ["a", "b"])
    assert updated.conversation_config.agent.first_message == "Hi!"  # PATCH leaves the rest

    sdk.delete(unnamed.agent_id)
    assert unnamed.agent_id not in fake.agents
    assert [e.operation for e in fake.requests] == [
        "createAgent",
        "duplicateAgent",
        "duplicateAgent",
        "getAgent",
        "getAgent",
        "updateAgent",
        "deleteAgent",
    ]


def test_list_walks_every_page_with_the_cursor(way: tuple[Sdk, VendorHandle]) -> None:
    sdk, fake = way
    for n in range(5):
        fake.agents.add(name=f"Line {n}", tags=["bulk"])
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = sdk.list(page_size=2, cursor=cursor)
        pages += 1
        seen += [agent.agent_id for agent in page.agents]
        if not page.has_more:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(a["agent_id"] for a in fake.agents)  # each once
    assert pages == 4  # 7 agents (2 seeded), two a page
    tagged = sdk.list(tags=["bulk"], search="line 3")
    assert [a.name for a in tagged.agents] == ["Line 3"]


def test_a_missing_agent_is_a_404_the_sdk_raises(way: tuple[Sdk, VendorHandle]) -> None:
    sdk, _ = way
    with pytest.raises(ApiError) as raised:
        sdk.get("agent_0000000000000000000000000000")
    assert raised.value.status_code == 404
    detail = raised.value.body["detail"]
    # The errors page's fields: type and code from its tables, a request id to quote to support.
    assert (detail["type"], detail["code"], detail["status"]) == (
        "not_found",
        "agent_not_found",
        "agent_not_found",
    )
    assert detail["message"] == "Agent not found"
    assert len(detail["request_id"]) == 32


def test_an_invalid_request_is_the_sdks_unprocessable_entity(
    way: tuple[Sdk, VendorHandle],
) -> None:
    sdk, fake = way
    with pytest.raises(UnprocessableEntityError) as raised:
        sdk.list(page_size=500)
    assert raised.value.body["detail"][0]["loc"] == ["query", "page_size"]
    assert [e.status for e in fake.requests] == [422]


def test_a_429_is_retried_by_the_sdk_and_the_journal_shows_both_attempts(
    way: tuple[Sdk, VendorHandle],
) -> None:
    sdk, fake = way
    fake.fail("duplicate_agent", status=429, headers={"Retry-After": "1"})
    before = len(fake.agents)
    copy = sdk.duplicate(SOURCE, name="After a retry")
    assert copy.agent_id in fake.agents
    assert len(fake.agents) == before + 1  # the refused attempt changed nothing
    attempts = [(e.operation, e.status, e.fault) for e in fake.requests]
    assert attempts == [("duplicateAgent", 429, "status"), ("duplicateAgent", 200, None)]
