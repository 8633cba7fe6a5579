"""The admin API under /__admin/, driven through httpx.ASGITransport."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
import yaml

from agentmock.mockserver.core import Fake
from agentmock.mockserver.model.clock import FixedClock
from agentmock.mockserver.server.app import create_app
from agentmock.mockserver.state import State

Client = httpx.AsyncClient


def run(test: Callable[[Client, Fake], Awaitable[None]]) -> None:
    fake = Fake(State(random_seed=2, clock=FixedClock(1_763_776_800)))

    async def go() -> None:
        transport = httpx.ASGITransport(app=create_app(fake))
        async with httpx.AsyncClient(transport=transport, base_url="http://agentmock") as client:
            await test(client, fake)

    asyncio.run(go())


def test_inspect_and_seed_agents() -> None:
    async def test(client: Client, fake: Fake) -> None:
        listed = await client.get("/__admin/voicy/agents")
        assert len(listed.json()) == 3
        added = await client.post("/__admin/voicy/agents", json={"agent_name": "Seeded"})
        assert added.status_code == 201
        assert added.json()["agent_name"] == "Seeded"
        many = await client.post("/__admin/millis/agents", json=[{"name": "A"}, {"name": "B"}])
        assert [a["name"] for a in many.json()] == ["A", "B"]
        assert len(fake.state.millis.agents) == 4

    run(test)


def test_seeding_is_all_or_nothing_and_errors_are_clear() -> None:
    async def test(client: Client, fake: Fake) -> None:
        bad = await client.post(
            "/__admin/voicy/agents", json=[{"agent_name": "ok"}, {"version": 0}]
        )
        assert bad.status_code == 400
        assert bad.json() == {
            "error": "agentmock: invalid voicy agent: version: Input should be >= 1"
        }
        assert len(fake.state.voicy.agents) == 3
        assert (await client.post("/__admin/voicy/agents", content=b"{")).status_code == 400
        unknown = await client.get("/__admin/vapi/agents")
        assert unknown.status_code == 404
        assert "unknown vendor 'vapi'" in unknown.json()["error"]

    run(test)


def test_reset_goes_back_to_the_seed() -> None:
    async def test(client: Client, fake: Fake) -> None:
        await client.post("/agents/-OKdqbqetEcM4ak369ym/duplicate", headers={"authorization": "k"})
        assert len(fake.state.millis.agents) == 3
        assert (await client.post("/__admin/reset")).json() == {"status": "reset"}
        assert len(fake.state.millis.agents) == 2
        assert fake.journal.entries() == []

    run(test)


def test_journal_read_filter_and_clear() -> None:
    async def test(client: Client, fake: Fake) -> None:
        await client.get("/agents", headers={"authorization": "sk_secret_value"})
        await client.get("/v1/list-agents", headers={"authorization": "Bearer voicy_sk_live_1"})
        everything = (await client.get("/__admin/requests")).json()
        assert [e["operation"] for e in everything] == ["listAgents", "listAgents"]
        assert "sk_secret_value" not in str(everything)
        voicy = (await client.get("/__admin/requests", params={"vendor": "voicy"})).json()
        assert [e["vendor"] for e in voicy] == ["voicy"]
        assert (await client.delete("/__admin/requests")).status_code == 204
        assert (await client.get("/__admin/requests")).json() == []

    run(test)


def test_faults_add_list_and_clear() -> None:
    async def test(client: Client, fake: Fake) -> None:
        spec = {"vendor": "voicy", "operation": "duplicateAgent", "kind": "status", "status": 429}
        added = await client.post("/__admin/faults", json=spec)
        assert added.status_code == 201
        assert (await client.get("/__admin/faults")).json()[0]["status"] == 429
        hit = await client.post(
            "/v1/duplicate-agent/550e8400-e29b-41d4-a716-446655440001",
            headers={"authorization": "Bearer voicy_sk_live_1"},
        )
        assert hit.status_code == 429
        assert hit.json() == {"error": "Rate limit exceeded. Please retry after 30 seconds."}
        await client.post("/__admin/faults", json=spec)
        assert (await client.delete("/__admin/faults")).status_code == 204
        assert (await client.get("/__admin/faults")).json() == []
        bad = await client.post("/__admin/faults", json={"vendor": "voicy", "kind": "drop"})
        assert bad.status_code == 400
        assert bad.json() == {"error": "agentmock: a fault needs 'operation'"}

    run(test)


@pytest.mark.parametrize("vendor", ["millis", "voicy"])
def test_contracts_are_served(vendor: str) -> None:
    async def test(client: Client, fake: Fake) -> None:
        response = await client.get(f"/__admin/contracts/{vendor}.yaml")
        assert response.headers["content-type"].startswith("application/yaml")
        assert yaml.safe_load(response.text)["openapi"] == "3.1.0"

    run(test)


def test_a_strict_violation_is_a_loud_500_not_a_silent_pass(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def test(client: Client, fake: Fake) -> None:
        def broken(state: Any, call: Any) -> Any:
            return [{"id": 1}]

        monkeypatch.setitem(fake.handlers["millis"], "list_agents", broken)
        with caplog.at_level(logging.ERROR, logger="agentmock"):
            response = await client.get("/agents", headers={"authorization": "k"})
        assert response.status_code == 500
        assert response.json()["agentmock_error"].startswith("agentmock: strict mode")
        assert "schema path" in caplog.text

    run(test)


def test_json_without_content_type_is_accepted_on_millis() -> None:
    async def test(client: Client, fake: Fake) -> None:
        body = b'{"name": "Raw", "config": {"prompt": "p", "voice": {"provider": "openai"}}}'
        response = await client.post("/agents", headers={"authorization": "k"}, content=body)
        assert "content-type" not in response.request.headers
        assert response.status_code == 200
        assert response.json()["name"] == "Raw"

    run(test)


def test_a_repeated_request_header_reaches_the_core_joined_in_order() -> None:
    async def test(client: Client, fake: Fake) -> None:
        headers = [("Authorization", "k"), ("X-Trace", "one"), ("x-trace", "two")]
        await client.get("/agents", headers=headers)
        assert fake.journal.entries()[-1].request_headers["x-trace"] == "one, two"

    run(test)


def test_snapshot_rollback_and_api_keys() -> None:
    async def test(client: Client, fake: Fake) -> None:
        key = {"authorization": "Bearer voicy_sk_anyone"}
        assert (await client.post("/__admin/rollback")).status_code == 409
        assert (await client.post("/__admin/snapshot")).json() == {"status": "saved"}
        await client.post("/__admin/voicy/agents", json={"agent_name": "Later"})
        added = await client.post("/__admin/voicy/api-keys", json={"keys": ["voicy_sk_only"]})
        assert added.status_code == 201
        assert (await client.get("/v1/list-agents", headers=key)).status_code == 401
        only = {"authorization": "Bearer voicy_sk_only"}
        assert (await client.get("/v1/list-agents", headers=only)).status_code == 200
        assert (await client.post("/__admin/rollback")).json() == {"status": "rolled back"}
        names = [a["agent_name"] for a in (await client.get("/__admin/voicy/agents")).json()]
        assert "Later" not in names
        assert (await client.get("/v1/list-agents", headers=key)).status_code == 200
        for bad in ({"keys": "x"}, {"keys": [""]}, [1], {"keys": [3]}):
            refused = await client.post("/__admin/voicy/api-keys", json=bad)
            assert refused.status_code == 400
            assert refused.json()["error"].startswith("agentmock: ")
        assert (
            await client.post("/__admin/nope/api-keys", json={"keys": ["k"]})
        ).status_code == 404

    run(test)
