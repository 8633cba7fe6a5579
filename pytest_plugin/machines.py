"""Stateful property tests of the duplicate endpoints: one `RuleBasedStateMachine` per vendor.

Rules create (Millis) or seed (Voicy) agents, duplicate, get, list, update and delete them
through the in-process fixtures' machinery, with httpx. After every step the machine checks:

- each duplicate adds exactly one agent;
- the source is unchanged, byte for byte;
- the copy satisfies `assert_duplicate_of` (the contract's duplicate table);
- ids never repeat;
- duplicating (or reading) a deleted agent is a 404.

Run one as a test:  `TestMillis = MillisAgentMachine.TestCase`.

To drive your own client code, subclass and override `duplicate` (and, if you like, the other
calls); the invariants then hold your client to the contract:

    class MyClientMachine(VoicyAgentMachine):
        def duplicate(self, agent_id, agent_name):
            return my_client.duplicate(agent_id, name=agent_name)  # returns the httpx.Response
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import httpx

try:
    from hypothesis import strategies as st
    from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, multiple, rule
except ModuleNotFoundError as missing:  # hypothesis is an extra: say which
    raise ModuleNotFoundError(
        "agentmock: the state machines need hypothesis: pip install 'agentmock[strategies]'"
    ) from missing

from agentmock.mockserver.config import FakeConfig
from agentmock.mockserver.core import auth_headers
from agentmock.pytest_plugin._fixtures import RespxSession
from agentmock.pytest_plugin.assertions import assert_duplicate_of
from agentmock.pytest_plugin.strategies import (
    from_schema,
    millis_create_agent_requests,
    voicy_agents,
    voicy_duplicate_requests,
)

if TYPE_CHECKING:
    from agentmock.mockserver.model.types import Vendor

__all__ = ["AgentMachine", "ElevenLabsAgentMachine", "MillisAgentMachine", "VoicyAgentMachine"]


class AgentMachine(RuleBasedStateMachine):
    """What both vendors' machines share: a fresh fake per run, bookkeeping, the invariants."""

    vendor: ClassVar[Vendor]
    agents = Bundle("agents")

    def __init__(self) -> None:
        super().__init__()
        self.session = RespxSession(FakeConfig(seed={}).build())
        self.mock = self.session.mock(self.vendor)
        self.store = self.mock.fake.state.vendor(self.vendor).agents
        self.client = httpx.Client(
            base_url=self.mock.base_url, headers=auth_headers(self.vendor, self.mock.api_key)
        )
        self.seen_ids: set[str] = set()
        self.deleted: set[str] = set()
        self.expected_count = 0
        fake = self.mock.fake
        self.duplicated_status = fake.router.operation(self.vendor, "duplicateAgent").success_status
        self.store_id_field = fake.profiles[self.vendor].id_field

    def teardown(self) -> None:
        self.client.close()
        self.session.close()

    # -- the calls; override these to drive your own client ----------------------------------

    def duplicate(self, agent_id: str, agent_name: str | None) -> httpx.Response:
        raise NotImplementedError

    def get(self, agent_id: str) -> httpx.Response:
        raise NotImplementedError

    def delete(self, agent_id: str) -> httpx.Response:
        raise NotImplementedError

    # -- shared rules --------------------------------------------------------------------------

    def _remember(self, agent_id: str) -> str:
        assert agent_id not in self.seen_ids, f"agentmock: id {agent_id!r} was minted twice"
        self.seen_ids.add(agent_id)
        self.expected_count += 1
        return agent_id

    def _duplicate(self, source_id: str, agent_name: str | None) -> Any:
        if source_id in self.deleted:
            response = self.duplicate(source_id, agent_name)
            assert response.status_code == 404, response.text
            assert len(self.store) == self.expected_count
            return multiple()
        before = self.store.raw()[source_id]
        source = self.store[source_id]
        response = self.duplicate(source_id, agent_name)
        assert response.status_code == self.duplicated_status, response.text
        copy = response.json()
        if set(copy) == {self.store_id_field}:  # the vendor answers the id alone: read it back
            copy = self.get(copy[self.store_id_field]).json()
        assert self.store.raw()[source_id] == before, "agentmock: the source changed"
        assert_duplicate_of(source, copy, vendor=self.vendor, agent_name=agent_name)
        copy_id = self._remember(copy[self.store_id_field])
        assert len(self.store) == self.expected_count, "a duplicate must add exactly one agent"
        return copy_id

    @rule(agent_id=agents)
    def read(self, agent_id: str) -> None:
        response = self.get(agent_id)
        if agent_id in self.deleted:
            assert response.status_code == 404
        else:
            assert response.status_code == 200
            assert response.json() == self.store[agent_id]

    @rule(agent_id=agents)
    def remove(self, agent_id: str) -> None:
        response = self.delete(agent_id)
        if agent_id in self.deleted:
            assert response.status_code == 404
            return
        assert response.status_code in (200, 204)
        self.deleted.add(agent_id)
        self.expected_count -= 1

    @invariant()
    def store_matches_bookkeeping(self) -> None:
        assert len(self.store) == self.expected_count
        assert set(self.store) == self.seen_ids - self.deleted


class MillisAgentMachine(AgentMachine):
    """Millis: create, duplicate, get, list, update, delete."""

    vendor = "millis"

    def duplicate(self, agent_id: str, agent_name: str | None) -> httpx.Response:
        return self.client.post(f"/agents/{agent_id}/duplicate")

    def get(self, agent_id: str) -> httpx.Response:
        return self.client.get(f"/agents/{agent_id}")

    def delete(self, agent_id: str) -> httpx.Response:
        return self.client.delete(f"/agents/{agent_id}")

    @rule(target=AgentMachine.agents, body=millis_create_agent_requests())
    def create(self, body: dict[str, Any]) -> str:
        response = self.client.post("/agents", json=body)
        assert response.status_code == 200, response.text
        created = response.json()
        assert created["name"] == body["name"]
        return self._remember(created["id"])

    @rule(target=AgentMachine.agents, source=AgentMachine.agents)
    def copy(self, source: str) -> Any:
        return self._duplicate(source, None)

    @rule()
    def listed(self) -> None:
        response = self.client.get("/agents")
        assert response.status_code == 200
        assert {a["id"] for a in response.json()} == set(self.store)

    @rule(
        agent_id=AgentMachine.agents,
        name=st.sampled_from(["Renamed", "Support line (EU)", "שם חדש"]),
    )
    def rename(self, agent_id: str, name: str) -> None:
        response = self.client.put(f"/agents/{agent_id}", json={"name": name})
        if agent_id in self.deleted:
            assert response.status_code == 404
        else:
            assert response.status_code == 200
            assert self.store[agent_id]["name"] == name


class VoicyAgentMachine(AgentMachine):
    """Voicy: seed (Voicy has no create endpoint), duplicate, get, list, update, delete."""

    vendor = "voicy"

    def duplicate(self, agent_id: str, agent_name: str | None) -> httpx.Response:
        body = {} if agent_name is None else {"agent_name": agent_name}
        return self.client.post(f"/v1/duplicate-agent/{agent_id}", json=body)

    def get(self, agent_id: str) -> httpx.Response:
        return self.client.get(f"/v1/get-agent/{agent_id}")

    def delete(self, agent_id: str) -> httpx.Response:
        return self.client.delete(f"/v1/delete-agent/{agent_id}")

    @rule(target=AgentMachine.agents, agent=voicy_agents())
    def seed(self, agent: dict[str, Any]) -> Any:
        if agent["agent_id"] in self.seen_ids:
            return multiple()
        agent = {k: v for k, v in agent.items() if k != "account"}  # the key's own account
        return self._remember(self.mock.agents.add(**agent)["agent_id"])

    @rule(target=AgentMachine.agents, source=AgentMachine.agents, body=voicy_duplicate_requests())
    def copy(self, source: str, body: dict[str, Any]) -> Any:
        return self._duplicate(source, body.get("agent_name"))

    @rule()
    def listed(self) -> None:
        response = self.client.get("/v1/list-agents")
        assert response.status_code == 200
        assert {a["agent_id"] for a in response.json()} == set(self.store)

    @rule(agent_id=AgentMachine.agents, prompt=st.sampled_from(["Be brief.", "ענה בקצרה.", ""]))
    def reprompt(self, agent_id: str, prompt: str) -> None:
        flow = agent_id not in self.deleted and self.store[agent_id]["agent_type"] != "singlePrompt"
        response = self.client.patch(f"/v1/update-agent/{agent_id}", json={"agent_prompt": prompt})
        if agent_id in self.deleted:
            assert response.status_code == 404
        elif flow:  # "PATCH on a conversationalFlow agent returns 422"
            assert response.status_code == 422, response.text
        else:
            assert response.status_code == 200
            assert self.store[agent_id]["agent_prompt"] == prompt


class ElevenLabsAgentMachine(AgentMachine):
    """ElevenLabs: create, duplicate (the answer is the id alone), get, list page by page,
    update, delete."""

    vendor = "elevenlabs"

    def duplicate(self, agent_id: str, agent_name: str | None) -> httpx.Response:
        body = {} if agent_name is None else {"name": agent_name}
        return self.client.post(f"/v1/convai/agents/{agent_id}/duplicate", json=body)

    def get(self, agent_id: str) -> httpx.Response:
        return self.client.get(f"/v1/convai/agents/{agent_id}")

    def delete(self, agent_id: str) -> httpx.Response:
        return self.client.delete(f"/v1/convai/agents/{agent_id}")

    @rule(target=AgentMachine.agents, body=from_schema("elevenlabs", "CreateAgentRequest"))
    def create(self, body: dict[str, Any]) -> str:
        response = self.client.post("/v1/convai/agents/create", json=body)
        assert response.status_code == 200, response.text
        created: str = response.json()["agent_id"]
        if body.get("name") is not None:
            assert self.store[created]["name"] == body["name"]
        return self._remember(created)

    @rule(
        target=AgentMachine.agents,
        source=AgentMachine.agents,
        body=from_schema("elevenlabs", "DuplicateAgentRequest"),
    )
    def copy(self, source: str, body: dict[str, Any]) -> Any:
        return self._duplicate(source, body.get("name"))

    @rule(size=st.integers(1, 4), archived=st.booleans())
    def listed(self, size: int, archived: bool) -> None:
        """Archived agents (`platform_settings.archived`) list only with `archived=true`, the
        others only without it: "Defaults to false"."""
        seen: list[str] = []
        params: dict[str, Any] = {"page_size": size}
        if archived:
            params["archived"] = "true"
        while True:
            response = self.client.get("/v1/convai/agents", params=params)
            assert response.status_code == 200, response.text
            page = response.json()
            seen += [a["agent_id"] for a in page["agents"]]
            if not page["has_more"]:
                break
            params["cursor"] = page["next_cursor"]
        wanted = [
            agent_id
            for agent_id, agent in self.store.items()
            if ((agent.get("platform_settings") or {}).get("archived") is True) is archived
        ]
        assert sorted(seen) == sorted(wanted), "every agent on exactly one page"

    @rule(agent_id=AgentMachine.agents, name=st.sampled_from(["Renamed", "שם חדש", ""]))
    def rename(self, agent_id: str, name: str) -> None:
        response = self.client.patch(f"/v1/convai/agents/{agent_id}", json={"name": name})
        if agent_id in self.deleted:
            assert response.status_code == 404
        else:
            assert response.status_code == 200
            assert self.store[agent_id]["name"] == name
