"""The contracts through OpenAPI tools nobody here wrote, the way users point them at them.

- openapi-python-client generates a client from each contract with no warning and every
  operation present; the generated client, imported, drives the fake for every operation and
  parses each answer into its own models (not `None`, not a raw dict).
- Spectral (`spectral:oas`) and Redocly (`recommended`) lint each contract with no finding at
  all; the rules switched off are in `tests/contract/lint/`, each with its reason.

Spectral and Redocly are npm packages: `.ci/run` installs them and sets
AGENTMOCK_REQUIRE_LINTERS=1, which turns their absence into a failure instead of a skip.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from agentmock import contracts

LINT = Path(__file__).parent / "lint"
VENDORS = ("millis", "voicy", "elevenlabs")
OPERATIONS = {"create_agent", "list_agents", "get_agent", "update_agent", "duplicate_agent"}
NPM_TOOLS = "npm install -g @stoplight/spectral-cli @redocly/cli"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One generated client package per vendor, `<vendor>_client`, importable."""
    root = tmp_path_factory.mktemp("generated")
    tool = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    assert tool, "openapi-python-client is a dev dependency"
    for vendor in VENDORS:
        done = subprocess.run(
            [
                tool,
                "generate",
                "--path",
                str(contracts.path(vendor)),
                "--meta",
                "none",
                "--output-path",
                str(root / f"{vendor}_client"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        (root / f"{vendor}.log").write_text(done.stdout + done.stderr, encoding="utf-8")
        assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.split(".")[0].endswith("_client")]:
            del sys.modules[name]


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_generator_takes_every_contract_whole(generated: Path, vendor: str) -> None:
    log = (generated / f"{vendor}.log").read_text(encoding="utf-8")
    assert "Warning" not in log, log
    assert "WARNING" not in log, log
    assert "Unable to process" not in log, log
    modules = {p.stem for p in (generated / f"{vendor}_client" / "api" / "agents").glob("*.py")}
    wanted = {op for op in OPERATIONS if vendor != "voicy" or op != "create_agent"}
    assert modules - {"__init__"} == wanted | {"delete_agent"}


def _api(vendor: str, operation: str) -> ModuleType:
    return importlib.import_module(f"{vendor}_client.api.agents.{operation}")


def _model(vendor: str, name: str) -> Any:
    return getattr(importlib.import_module(f"{vendor}_client.models"), name)


def _client(vendor: str, base_url: str, key: str, header: str, prefix: str) -> Any:
    module = importlib.import_module(f"{vendor}_client")
    return module.AuthenticatedClient(
        base_url=base_url, token=key, prefix=prefix, auth_header_name=header
    )


def test_a_generated_millis_client_drives_every_operation(
    generated: Path, millis_mock: Any
) -> None:
    key = millis_mock.api_key
    client = _client("millis", "https://api-west.millis.ai", key, "authorization", "")
    agent_type = _model("millis", "Agent")
    body = _model("millis", "CreateAgentRequest").from_dict(
        {
            "name": "Generated",
            "config": {
                "prompt": "p",
                "voice": {"provider": "elevenlabs"},
                "session_data_webhook": {"url": "https://hooks.example", "headers": {"a": "b"}},
            },
        }
    )
    made = _api("millis", "create_agent").sync_detailed(client=client, body=body, authorization=key)
    assert made.status_code == 200
    assert isinstance(made.parsed, agent_type)
    agent_id = made.parsed.id
    listed = _api("millis", "list_agents").sync_detailed(client=client, authorization=key)
    assert agent_id in [a.id for a in listed.parsed]
    got = _api("millis", "get_agent").sync_detailed(agent_id, client=client, authorization=key)
    assert got.parsed.config.session_data_webhook.url == "https://hooks.example"
    change = _model("millis", "UpdateAgentRequest").from_dict({"config": {"prompt": "new"}})
    updated = _api("millis", "update_agent").sync_detailed(
        agent_id, client=client, body=change, authorization=key
    )
    assert updated.parsed.config.prompt == "new"
    copy = _api("millis", "duplicate_agent").sync_detailed(
        agent_id, client=client, authorization=key
    )
    assert isinstance(copy.parsed, agent_type)
    assert copy.parsed.id != agent_id
    gone = _api("millis", "delete_agent").sync_detailed(agent_id, client=client, authorization=key)
    assert gone.status_code == 200
    assert agent_id not in millis_mock.agents


def test_a_generated_voicy_client_drives_every_operation(generated: Path, voicy_mock: Any) -> None:
    client = _client("voicy", "https://api.voicy.co", voicy_mock.api_key, "Authorization", "Bearer")
    agent_type = _model("voicy", "Agent")
    source = "550e8400-e29b-41d4-a716-446655440001"
    body = _model("voicy", "DuplicateAgentRequest").from_dict({"agent_name": "Generated"})
    copy = _api("voicy", "duplicate_agent").sync_detailed(source, client=client, body=body)
    assert copy.status_code == 200
    assert isinstance(copy.parsed, agent_type)
    copy_id = copy.parsed.agent_id
    listed = _api("voicy", "list_agents").sync_detailed(client=client)
    assert str(copy_id) in [str(a.agent_id) for a in listed.parsed]
    got = _api("voicy", "get_agent").sync_detailed(copy_id, client=client)
    assert got.parsed.agent_name == "Generated"
    change = _model("voicy", "UpdateAgentRequest").from_dict({"language": "es"})
    updated = _api("voicy", "update_agent").sync_detailed(copy_id, client=client, body=change)
    assert updated.parsed.language == "es"
    gone = _api("voicy", "delete_agent").sync_detailed(copy_id, client=client)
    assert gone.status_code == 204
    assert str(copy_id) not in voicy_mock.agents


def test_a_generated_elevenlabs_client_drives_every_operation(
    generated: Path, elevenlabs_mock: Any
) -> None:
    key = elevenlabs_mock.api_key
    client = _client("elevenlabs", "https://api.elevenlabs.io", key, "xi-api-key", "")
    body = _model("elevenlabs", "CreateAgentRequest").from_dict(
        {"name": "Generated", "conversation_config": {}, "workflow": {}}
    )
    made = _api("elevenlabs", "create_agent").sync_detailed(client=client, body=body)
    assert made.status_code == 200
    agent_id = made.parsed.agent_id
    listed = _api("elevenlabs", "list_agents").sync_detailed(client=client)
    assert agent_id in [a.agent_id for a in listed.parsed.agents]
    got = _api("elevenlabs", "get_agent").sync_detailed(agent_id, client=client)
    assert isinstance(got.parsed, _model("elevenlabs", "Agent"))
    assert got.parsed.workflow.prevent_subagent_loops is False
    change = _model("elevenlabs", "UpdateAgentRequest").from_dict({"name": "Renamed"})
    updated = _api("elevenlabs", "update_agent").sync_detailed(agent_id, client=client, body=change)
    assert updated.parsed.name == "Renamed"
    copy = _api("elevenlabs", "duplicate_agent").sync_detailed(agent_id, client=client)
    assert copy.parsed.agent_id in elevenlabs_mock.agents
    gone = _api("elevenlabs", "delete_agent").sync_detailed(agent_id, client=client)
    assert gone.status_code == 204
    assert agent_id not in elevenlabs_mock.agents


def _linter(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("AGENTMOCK_REQUIRE_LINTERS"):
            pytest.fail(f"{name} is not installed; CI installs it with {NPM_TOOLS}")
        pytest.skip(f"{name} is not installed: {NPM_TOOLS}")
    return found


@pytest.mark.parametrize("vendor", VENDORS)
def test_spectral_finds_nothing(vendor: str) -> None:
    spectral = _linter("spectral")
    done = subprocess.run(
        [
            spectral,
            "lint",
            "--ruleset",
            str(LINT / "spectral.yaml"),
            "--fail-severity",
            "hint",
            "--format",
            "text",
            str(contracts.path(vendor)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # "--fail-severity hint": not even a warning passes
    assert "No results with a severity of 'hint' or higher found!" in done.stdout, done.stdout


@pytest.mark.parametrize("vendor", VENDORS)
def test_redocly_finds_nothing(vendor: str) -> None:
    redocly = _linter("redocly")
    done = subprocess.run(
        [
            redocly,
            "lint",
            "--config",
            str(LINT / "redocly.yaml"),
            "--format",
            "json",
            str(contracts.path(vendor)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["problems"] == [], report["problems"]
    assert report["totals"] == {"errors": 0, "warnings": 0, "ignored": 0}
