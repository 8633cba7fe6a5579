"""`agentmock.mock(...)`: the fake for httpx outside pytest, as a context manager and decorator."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import httpx
import pytest

import agentmock

VOICY_SOURCE = "550e8400-e29b-41d4-a716-446655440001"
AUTH = {"Authorization": "Bearer voicy_sk_live_xxx"}


def test_context_manager_fakes_every_vendor_and_yields_a_handle_each() -> None:
    with agentmock.mock() as fake:
        copy = httpx.post(
            f"https://api.voicy.co/v1/duplicate-agent/{VOICY_SOURCE}",
            headers=AUTH,
            json={"agent_name": "Night shift"},
        )
        assert copy.status_code == 200
        assert copy.json()["agent_name"] == "Night shift"
        assert copy.json()["agent_id"] in fake.voicy.agents
        assert fake.voicy.routes.duplicate_agent.call_count == 1
        assert [e.status for e in fake.voicy.requests] == [200]
        millis = httpx.get("https://api-eu-west.millis.ai/agents", headers={"authorization": "k"})
        assert millis.status_code == 200
        assert len(millis.json()) == len(fake.millis.agents)
    with pytest.raises(AttributeError, match="not active"):
        _ = fake.voicy


def test_options_are_the_markers_and_a_typo_is_a_type_error() -> None:
    with agentmock.mock(seed={}, api_keys={"voicy": ["voicy_sk_live_mine"]}) as fake:
        assert len(fake.voicy.agents) == 0
        refused = httpx.get("https://api.voicy.co/v1/list-agents", headers=AUTH)
        assert refused.status_code == 401
    with pytest.raises(TypeError, match=r"agentmock.mock\(...\).*'sed'.*Valid options: seed"):
        agentmock.mock(sed={})


def test_a_fault_that_never_fired_fails_on_exit_unless_switched_off() -> None:
    active = agentmock.mock().start()
    active.voicy.fail("duplicate_agent", status=503)
    with pytest.raises(AssertionError, match=r"(?s)never hit.*assert_all_called=False"):
        active.stop()
    with agentmock.mock(assert_all_called=False) as fake:
        fake.voicy.fail("duplicate_agent", status=503)


def test_decorator_sync_and_async_each_call_a_fresh_fake() -> None:
    @agentmock.mock(seed={})
    def count_agents() -> int:
        made = httpx.post(
            "https://api-west.millis.ai/agents",
            json={"name": "n", "config": {"prompt": "p", "voice": {"provider": "openai"}}},
            headers={"authorization": "k"},
        )
        assert made.status_code == 200
        return len(
            httpx.get("https://api-west.millis.ai/agents", headers={"authorization": "k"}).json()
        )

    assert count_agents() == count_agents() == 1

    @agentmock.mock()
    async def duplicate() -> int:
        async with httpx.AsyncClient() as client:
            answer = await client.post(
                f"https://api.voicy.co/v1/duplicate-agent/{VOICY_SOURCE}", headers=AUTH
            )
        return answer.status_code

    assert asyncio.run(duplicate()) == 200


def test_inactive_after_exit_the_network_is_back() -> None:
    with agentmock.mock():
        pass
    with pytest.raises(httpx.ConnectError):
        httpx.get("http://127.0.0.1:9/", timeout=2)


def test_mock_imports_no_pytest() -> None:
    code = (
        "import sys, agentmock, httpx\n"
        "with agentmock.mock() as fake:\n"
        "    r = httpx.get('https://api.voicy.co/v1/list-agents',"
        " headers={'Authorization': 'Bearer voicy_sk_live_xxx'})\n"
        "print(r.status_code, 'pytest' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["200", "False"], done.stderr
