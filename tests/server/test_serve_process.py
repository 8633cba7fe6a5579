"""The real `agentmock serve` process, talked to over loopback."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.helpers import AGENTMOCK, serve, serving


def test_the_vendors_own_curl_examples_work_against_serve() -> None:
    with serve() as (url, banner):
        assert url.startswith("http://127.0.0.1:")
        assert any(
            "550e8400-e29b-41d4-a716-446655440001  Customer Support Agent" in line
            for line in banner
        )
        assert any("__admin" in line for line in banner)
        voicy = httpx.post(
            f"{url}/v1/duplicate-agent/550e8400-e29b-41d4-a716-446655440001",
            headers={
                "Authorization": "Bearer voicy_sk_live_xxx",
                "Content-Type": "application/json",
            },
            content=b'{"agent_name": "My Agent Copy"}',
        )
        assert voicy.status_code == 200
        assert voicy.json()["agent_name"] == "My Agent Copy"
        millis = httpx.post(
            f"{url}/agents/-OKdqbqetEcM4ak369ym/duplicate", headers={"authorization": "k"}
        )
        assert millis.status_code == 200
        httpx.post(
            f"{url}/__admin/faults", json={"vendor": "millis", "operation": "*", "kind": "drop"}
        )
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.post(
                f"{url}/agents/-OKdqbqetEcM4ak369ym/duplicate", headers={"authorization": "k"}
            )
        assert len(httpx.get(f"{url}/__admin/millis/agents").json()) == 3


def test_serve_flags(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"voicy": {"agents": [{"agent_name": "Only one"}]}}))
    with serve(
        "--seed", str(seed), "--api-key", "voicy=voicy_sk_live_mine", "--rate-limit", "1"
    ) as (url, _):
        listed = httpx.get(
            f"{url}/v1/list-agents", headers={"Authorization": "Bearer voicy_sk_live_mine"}
        )
        assert [a["agent_name"] for a in listed.json()] == ["Only one"]
        assert listed.headers["x-ratelimit-limit"] == "1"
        other = httpx.get(
            f"{url}/v1/list-agents", headers={"Authorization": "Bearer voicy_sk_live_xxx"}
        )
        assert other.status_code == 401
        again = httpx.get(
            f"{url}/v1/list-agents", headers={"Authorization": "Bearer voicy_sk_live_mine"}
        )
        assert again.status_code == 429
        httpx.post(f"{url}/__admin/reset")
        kept = httpx.get(
            f"{url}/v1/list-agents", headers={"Authorization": "Bearer voicy_sk_live_xxx"}
        )
        assert kept.status_code == 401  # --api-key survives a reset


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--api-key", "vapi=k"], "expected VENDOR=KEY"),
        (["--rate-limit", "-1"], "expected a whole number >= 0"),
        (["--seed", "/no/such/file.yaml"], "No such file"),
        (["--seed", "x.yaml", "--empty"], "not allowed with argument"),
        (["--port", "99999"], "expected a port 1-65535"),
        (["--port", "-5"], "expected a port 1-65535"),
        (["--port", "http"], "expected a port 1-65535"),
    ],
)
def test_serve_usage_errors_exit_2_with_a_reason(args: list[str], message: str) -> None:
    done = subprocess.run([AGENTMOCK, "serve", *args], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_version_and_no_command() -> None:
    from agentmock import __version__

    version = subprocess.run([AGENTMOCK, "--version"], capture_output=True, text=True)
    assert (version.returncode, version.stdout.strip()) == (0, f"agentmock {__version__}")
    bare = subprocess.run([AGENTMOCK], capture_output=True, text=True)
    assert bare.returncode == 2
    assert "usage: agentmock" in bare.stderr
    assert "serve" in bare.stderr
    assert "check" in bare.stderr


def test_log_requests_prints_one_line_per_request_and_never_a_key() -> None:
    with serving("--log-requests") as served:
        assert served.process.stdout is not None
        secret = "voicy_sk_live_TOPSECRET"
        auth = {"Authorization": f"Bearer {secret}"}
        source = "550e8400-e29b-41d4-a716-446655440001"
        httpx.post(f"{served.url}/v1/duplicate-agent/{source}", headers=auth)
        httpx.get(f"{served.url}/v1/nowhere", headers=auth)
        lines = [served.process.stdout.readline().strip() for _ in range(2)]
    assert re.fullmatch(
        r"POST /v1/duplicate-agent/550e8400-e29b-41d4-a716-446655440001 200 duplicateAgent "
        r"\d+\.\dms",
        lines[0],
    ), lines
    assert re.fullmatch(r"GET /v1/nowhere 404 - \d+\.\dms", lines[1]), lines
    assert "TOPSECRET" not in "".join(lines) + served.rest


def test_empty_starts_with_no_agents() -> None:
    with serve("--empty") as (url, _):
        assert httpx.get(f"{url}/__admin/millis/agents").json() == []


def test_the_official_elevenlabs_sdk_against_agentmock_serve() -> None:
    """The vendor's own client, pointed at the stand-in server's base URL, on its seed."""
    from elevenlabs import ElevenLabs

    with serving() as served, httpx.Client() as http:
        client = ElevenLabs(api_key="sk_agentmock_test", base_url=served.url, httpx_client=http)
        agents = client.conversational_ai.agents
        listed = agents.list()
        assert "agent_3701k3ttaq12ewp8b7qv5rfyszkz" in [a.agent_id for a in listed.agents]
        copy = agents.duplicate("agent_3701k3ttaq12ewp8b7qv5rfyszkz")
        assert agents.get(copy.agent_id).name == "Support line (copy)"
