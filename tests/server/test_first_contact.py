"""What a newcomer meets first (issue 23): clean one-line errors before a long run, a health
route for readiness probes that needs no token and leaves no trace, a missing seed file named."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from agentmock.mockserver.ci.record import RecordingProxy
from agentmock.mockserver.server.serve import BackgroundServer
from tests.helpers import AGENTMOCK, run, serving


@pytest.mark.parametrize("command", [["check", "--vendor", "voicy"], ["verify", "x.jsonl"]])
def test_an_unwritable_report_path_is_refused_before_the_run(command: list[str]) -> None:
    done = subprocess.run(
        [AGENTMOCK, *command, "--junit-xml", "/nonexistent/dir/x.xml"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.endswith(
        "--junit-xml: cannot write /nonexistent/dir/x.xml: no folder /nonexistent/dir"
    )
    assert "Traceback" not in done.stderr


def test_health_needs_no_token_and_leaves_no_trace() -> None:
    with serving("--admin-token", "t0ken") as served:
        for method in ("GET", "HEAD"):
            answer = httpx.request(method, f"{served.url}/__admin/health")
            assert answer.status_code == 200
        assert answer.headers["cache-control"] == "no-store"
        assert httpx.get(f"{served.url}/__admin/health").json() == {"status": "ok"}
        journal = httpx.get(
            f"{served.url}/__admin/requests", headers={"X-Agentmock-Admin-Token": "t0ken"}
        )
        assert journal.status_code == 200
        assert journal.json() == []
        assert httpx.get(f"{served.url}/__admin/faults").status_code == 401  # the rest is guarded


def test_the_record_proxy_answers_a_readiness_probe_without_recording_it(tmp_path: Path) -> None:
    tape = tmp_path / "t.jsonl"
    proxy = RecordingProxy("voicy", "http://127.0.0.1:9", tape)  # the target is never asked
    server = BackgroundServer(proxy)
    try:
        assert httpx.get(f"{server.url}/__admin/health").json() == {"status": "ok"}
    finally:
        server.stop()
        proxy.close()
    assert tape.read_text() == ""


def test_a_missing_seed_file_in_the_marker_is_named(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
import pytest

@pytest.mark.agentmock(seed="nope.yaml")
def test_seeded(voicy_mock):
    pass
""",
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*FileNotFoundError: agentmock: no seed file 'nope.yaml' (looked for *nope.yaml) in "
            "@pytest.mark.agentmock(seed=...) on "
            "test_a_missing_seed_file_in_the_marker_is_named.py::test_seeded"
        ],
        consecutive=True,
    )
