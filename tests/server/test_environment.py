"""`agentmock serve` configured by AGENTMOCK_* variables, as a container is: every flag has one,
the command line wins, and a bad value is one line and exit 2."""

from __future__ import annotations

import argparse
import os
import subprocess

import httpx
import pytest

from agentmock.mockserver.cli import _parser
from agentmock.mockserver.cli.environment import variable
from tests.helpers import AGENTMOCK, serving

VOICY_DUP = "/v1/duplicate-agent/550e8400-e29b-41d4-a716-446655440001"


def _serve(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AGENTMOCK, "serve", *args],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, **env},
    )


def test_every_serve_flag_has_a_variable_named_in_its_help() -> None:
    parser = _parser()
    serve = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[
        "serve"
    ]
    flags = [a for a in serve._actions if a.option_strings and a.dest != "help"]
    assert len(flags) >= 10
    for action in flags:
        assert f"[env: {variable(action)}]" in (action.help or ""), action.dest
    assert variable(next(a for a in flags if a.dest == "port")) == "AGENTMOCK_PORT"


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"AGENTMOCK_PORT": "80000"}, "AGENTMOCK_PORT='80000': expected a port"),
        ({"AGENTMOCK_RATE_LIMIT": "-1"}, "AGENTMOCK_RATE_LIMIT='-1': expected a whole number"),
        ({"AGENTMOCK_NO_STRICT": "perhaps"}, "AGENTMOCK_NO_STRICT='perhaps': expected one of"),
        ({"AGENTMOCK_API_KEY": "voicy=a,vapi=b"}, "AGENTMOCK_API_KEY='voicy=a,vapi=b'"),
        ({"AGENTMOCK_HEAD_TIMEOUT": "nan"}, "AGENTMOCK_HEAD_TIMEOUT='nan': expected seconds"),
        ({"AGENTMOCK_SEED": "s.yaml", "AGENTMOCK_EMPTY": "1"}, "cannot be used together"),
        ({"AGENTMOCK_HOST": "0.0.0.0"}, "--host 0.0.0.0 makes the admin API reachable"),
    ],
)
def test_a_bad_variable_is_one_line_and_exit_2(env: dict[str, str], said: str) -> None:
    done = _serve(**env)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("agentmock serve: ")
    assert said in lines[0]


def test_the_variables_configure_a_real_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTMOCK_EMPTY", "true")
    monkeypatch.setenv("AGENTMOCK_API_KEY", "voicy=voicy_sk_test_env, millis=env-key")
    monkeypatch.setenv("AGENTMOCK_ADMIN_TOKEN", "tok")
    monkeypatch.setenv("AGENTMOCK_NO_STRICT", "1")
    monkeypatch.setenv("AGENTMOCK_RATE_LIMIT", "0")
    with serving() as server:
        assert any("strict mode: off; rate limit: off" in line for line in server.banner)
        agents = httpx.get(
            f"{server.url}/__admin/voicy/agents", headers={"X-Agentmock-Admin-Token": "tok"}
        )
        assert agents.json() == []  # AGENTMOCK_EMPTY
        assert httpx.get(f"{server.url}/__admin/voicy/agents").status_code == 401
        refused = httpx.get(
            f"{server.url}/v1/list-agents", headers={"Authorization": "Bearer voicy_sk_test_1"}
        )
        accepted = httpx.get(
            f"{server.url}/v1/list-agents", headers={"Authorization": "Bearer voicy_sk_test_env"}
        )
        assert (refused.status_code, accepted.status_code) == (401, 200)


def test_the_command_line_wins_and_an_empty_variable_is_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AGENTMOCK_EMPTY", "")  # as compose passes an unset secret
    monkeypatch.setenv("AGENTMOCK_ADMIN_TOKEN", "")
    monkeypatch.setenv("AGENTMOCK_RATE_LIMIT", "5")
    with serving("--rate-limit", "0") as server:  # `serving` gives --port 0 over any variable
        assert any("rate limit: off" in line for line in server.banner)
        assert httpx.get(f"{server.url}/__admin/voicy/agents").status_code == 200  # no token
        assert len(httpx.get(f"{server.url}/__admin/voicy/agents").json()) >= 2  # the seed
