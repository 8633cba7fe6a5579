"""`action.yml` is code: its steps run as a shell would run them, with GitHub's expressions
filled in from the inputs, against a wheel of this checkout."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.helpers import ROOT, build_wheel

pytestmark = pytest.mark.slow  # builds a wheel and a venv; CI runs it (pytest -m slow)

ACTION = ROOT / "action.yml"


def _action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return loaded


def _expand(text: str, inputs: dict[str, str]) -> str:
    """GitHub's `${{ inputs.name }}`; any other expression is a failure of this test."""

    def one(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        assert expression.startswith("inputs."), f"unexpected expression {expression!r}"
        return inputs[expression.removeprefix("inputs.")]

    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def _run_action(where: Path, given: dict[str, str]) -> tuple[dict[str, str], Path]:
    action = _action()
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    inputs.update(given)
    runner = where / "runner"
    runner.mkdir()
    output, github_env = where / "output", where / "env"
    base = {
        **{k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
        "RUNNER_TEMP": str(runner),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_ENV": str(github_env),
    }
    for step in action["runs"]["steps"]:
        assert step["shell"] == "bash"
        env = {**base, **{k: _expand(str(v), inputs) for k, v in step.get("env", {}).items()}}
        done = subprocess.run(
            ["bash", "-e", "-c", _expand(step["run"], inputs)],
            env=env,
            cwd=where,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"{step['name']}: {done.stdout}{done.stderr}"
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert f"AGENTMOCK_URL={outputs['url']}" in github_env.read_text()
    return outputs, runner


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture
def stop_it() -> Iterator[list[Path]]:
    runners: list[Path] = []
    yield runners
    for runner in runners:
        pid = int((runner / "agentmock.pid").read_text())
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)


def _free_port() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return str(probe.getsockname()[1])


def test_the_action_installs_starts_and_exports_a_healthy_stand_in(
    tmp_path: Path, wheel: Path, stop_it: list[Path]
) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text("voicy:\n  agents:\n    - agent_name: From the action\n")
    port = _free_port()
    outputs, runner = _run_action(
        tmp_path,
        {
            "package": str(wheel),
            "python": sys.executable,
            "port": port,
            "seed": str(seed),
            "api-keys": "voicy=voicy_sk_test_action",
            "admin-token": "action-token",
        },
    )
    stop_it.append(runner)
    url = outputs["url"]
    assert url == f"http://127.0.0.1:{port}"
    agents = httpx.get(
        f"{url}/__admin/voicy/agents", headers={"X-Agentmock-Admin-Token": "action-token"}
    ).json()
    assert [a["agent_name"] for a in agents] == ["From the action"]  # the seed input
    listed = httpx.get(
        f"{url}/v1/list-agents", headers={"Authorization": "Bearer voicy_sk_test_action"}
    )
    other = httpx.get(f"{url}/v1/list-agents", headers={"Authorization": "Bearer voicy_sk_test_1"})
    assert (listed.status_code, other.status_code) == (200, 401)  # the api-keys input
    assert httpx.get(f"{url}/__admin/voicy/agents").status_code == 401  # the admin-token input


def test_the_action_fails_with_the_log_when_the_stand_in_cannot_start(
    tmp_path: Path, wheel: Path
) -> None:
    with pytest.raises(AssertionError, match=r"(?s)did not become healthy.*AGENTMOCK_API_KEY"):
        _run_action(
            tmp_path,
            {
                "package": str(wheel),
                "python": sys.executable,
                "port": _free_port(),
                "api-keys": "vapi=x",
            },
        )
