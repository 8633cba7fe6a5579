"""`examples/ci/contract-check.yml` is code: each job's `run:` lines, as written, must pass.

agentmock is installed from a wheel built from this checkout, with the extras the job's own
`pip install` line names, into a fresh venv; then every other `run:` line of the job runs in
bash, in a folder of its own, with that venv first on PATH. The `recorded` job gets cassettes
recorded first (with the same install) where it expects them; the `live` job needs the
vendors' real keys, so it is checked for what it can be without them: a key for every vendor it
checks, and the same install line.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import ROOT, wheel_venv

pytestmark = pytest.mark.slow  # builds a wheel and venvs; CI runs it (pytest -m slow)

WORKFLOW = ROOT / "examples" / "ci" / "contract-check.yml"
INSTALL = "pip install 'agentmock[check]'"


def _jobs() -> dict[str, Any]:
    jobs: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    return jobs


def _runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


@pytest.fixture(scope="module")
def bin_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel and the `check` extra: what the jobs' install line gives."""
    python = wheel_venv(tmp_path_factory.mktemp("ci"), extra="check")
    return python.parent


def _bash(script: str, cwd: Path, bin_dir: Path, env: dict[str, str] | None = None) -> str:
    """Run `script` as a CI runner would (bash -e), then end whatever it left in the
    background (the stand-in server). Output goes to a file: a background process keeps a
    pipe open after the script has finished."""
    environment = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    environment["PATH"] = f"{bin_dir}{os.pathsep}{environment['PATH']}"
    environment.update(env or {})
    log = cwd / "step.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            ["bash", "-e", "-c", script],
            cwd=cwd,
            env=environment,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            process.wait(timeout=900)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    out = log.read_text()
    assert process.returncode == 0, f"{script}\n{out[-4000:]}"
    return out


@pytest.fixture
def job_dir(tmp_path: Path) -> Path:
    return tmp_path


def test_every_job_installs_the_extra_its_commands_need() -> None:
    for name, job in _jobs().items():
        runs = _runs(job)
        checks = any("agentmock check" in run for run in runs)
        # `check` needs schemathesis (the `check` extra); `verify` and `serve` do not
        assert runs[0] == (INSTALL if checks else "pip install agentmock"), name


def test_the_fake_job_passes_as_written(bin_dir: Path, job_dir: Path) -> None:
    for script in _runs(_jobs()["fake"])[1:]:
        _bash(script, job_dir, bin_dir)
    assert (job_dir / "contract-check.xml").is_file()


def test_the_stand_in_job_passes_as_written(bin_dir: Path, job_dir: Path) -> None:
    (script,) = _runs(_jobs()["stand-in"])[1:]
    out = _bash(script, job_dir, bin_dir)
    assert out.count("is an agentmock server") == 3  # every vendor, left as it was found


def test_the_recorded_job_passes_as_written(bin_dir: Path, job_dir: Path) -> None:
    (script,) = _runs(_jobs()["recorded"])[1:]
    cassettes = re.findall(r"cassettes/(\w+)\.jsonl", script)
    assert sorted(cassettes) == ["elevenlabs", "millis", "voicy"]
    (job_dir / "cassettes").mkdir()
    recording = _RECORD.format(vendors=" ".join(cassettes))
    _bash(recording, job_dir, bin_dir)
    _bash(script, job_dir, bin_dir)
    assert (job_dir / "recorded.xml").is_file()


def test_the_live_job_names_a_key_for_every_vendor_it_checks() -> None:
    job = _jobs()["live"]
    checked = {m for run in _runs(job) for m in re.findall(r"--vendor (\w+)", run)}
    assert checked == {"millis", "voicy", "elevenlabs"}
    for vendor in checked:
        assert f"{vendor.upper()}_API_KEY" in job["env"], vendor


# What a developer does once, with a real key, to make the cassettes the `recorded` job checks:
# here against `agentmock serve`, through `agentmock record`, with curl as the client.
_RECORD = """
agentmock serve --port 18931 > serve.log 2>&1 &
for i in $(seq 50); do curl -sf localhost:18931/__admin/health > /dev/null && break; sleep 0.2; done
port=18932
for vendor in {vendors}; do
  agentmock record --vendor $vendor --target http://127.0.0.1:18931 \\
      --out cassettes/$vendor.jsonl --port $port > record.log 2>&1 &
  for i in $(seq 50); do
    curl -sf localhost:$port/__admin/health > /dev/null && break; sleep 0.2
  done
  case $vendor in
    millis) curl -sf -H 'authorization: sk_test' localhost:$port/agents > /dev/null
            curl -sf -X POST -H 'authorization: sk_test' \\
                localhost:$port/agents/-OKdqbqetEcM4ak369ym/duplicate > /dev/null ;;
    voicy) curl -sf -H 'Authorization: Bearer voicy_sk_test_1' localhost:$port/v1/list-agents \\
                > /dev/null
           curl -sf -X POST -H 'Authorization: Bearer voicy_sk_test_1' > /dev/null \\
                localhost:$port/v1/duplicate-agent/550e8400-e29b-41d4-a716-446655440001 ;;
    elevenlabs) curl -sf -H 'xi-api-key: sk_test' localhost:$port/v1/convai/agents > /dev/null
                curl -sf -X POST -H 'xi-api-key: sk_test' -H 'content-type: application/json' \\
                    -d '{{}}' > /dev/null \\
                    localhost:$port/v1/convai/agents/agent_3701k3ttaq12ewp8b7qv5rfyszkz/duplicate ;;
  esac
  kill %2 2>/dev/null || kill $! ; wait $! 2>/dev/null || true
  port=$((port + 1))
done
"""
