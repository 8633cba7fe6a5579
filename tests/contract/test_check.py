"""`agentmock check`: passes on the fake, fails on drift, refuses what it must, leaks no key."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agentmock import contracts
from agentmock.mockserver import vendors
from agentmock.mockserver.ci.check import disabled_checks
from tests.contract.drift_server import drifting_app
from tests.helpers import serve
from tests.scenarios.drivers import serve_asgi

pytestmark = pytest.mark.slow  # schemathesis runs and real servers; CI runs it (pytest -m slow)

AGENTMOCK = str(Path(sys.executable).with_name("agentmock"))
FAST = ["--max-examples", "8", "--seed", "7"]


def check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AGENTMOCK, "check", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


def test_the_in_process_fake_passes_every_check_for_every_vendor(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    done = check("--vendor", "all", *FAST, "--junit-xml", str(report))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert done.stdout.count("No issues found") == len(vendors.names())
    for vendor in vendors.names():
        assert f"{vendor} duplicateAgent reached its success path" in done.stdout
    assert "Stateful" in done.stdout  # the links phase ran
    assert "switched off: missing_required_header" in done.stdout
    suites = ET.parse(report).getroot()
    assert suites.tag == "testsuites"
    assert len(suites) == len(vendors.names())
    assert all(suite.get("failures") == "0" for suite in suites)


@pytest.fixture(scope="module")
def drifting_url() -> Iterator[str]:
    with serve_asgi(drifting_app()) as url:
        yield url


def test_a_drifting_server_fails_and_each_drift_is_named(drifting_url: str) -> None:
    done = check("--vendor", "voicy", "--url", drifting_url, *FAST)
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr
    out = done.stdout
    assert '"agent_name" is a required property' in out  # the renamed field
    assert "Undocumented status code" in out  # 201 where 200 is documented
    assert "Received: 201" in out
    assert "Documented: 200," in out
    # the wrong error envelope: neither `{"error"}` nor the documented `{"status", "message"}`
    assert '{"message":"Missing authorization"} is not valid under any of the schemas' in out


def test_the_ledger_names_each_contradicted_assumption_and_its_line(
    drifting_url: str, tmp_path: Path
) -> None:
    """The drifted server answers 201 where the contract assumes 200: the assumption is
    contradicted, the run fails, and the message names the contract line to change."""
    report = tmp_path / "junit.xml"
    done = check("--vendor", "voicy", "--url", drifting_url, *FAST, "--junit-xml", str(report))
    assert done.returncode == 1
    line = next(
        text for text in done.stdout.splitlines() if "duplicateAgent answered 201, not 200" in text
    )
    assert "contradicted" in line
    assert "/paths/~1v1~1duplicate-agent~1{agent_id}/post/responses/200" in line
    number = int(line.rsplit("change line ", 1)[1].split()[0])
    written = contracts.path("voicy").read_text(encoding="utf-8").splitlines()[number - 1]
    assert "x-agentmock-assumption: The duplicate page does not give the status" in written
    assert "assumption(s) contradicted by the traffic" in done.stdout
    suites = {s.get("name"): s for s in ET.parse(report).getroot()}
    ledger = suites["agentmock assumptions: voicy"]
    assert int(ledger.get("failures") or 0) >= 1
    assert int(ledger.get("skipped") or 0) >= 1  # the request-side ones are not observed


def test_documented_variants_are_neither_drift_nor_a_false_duplicate_mismatch() -> None:
    """A server answering in the get-agent page's flat account and the overview page's error
    envelope passes, and `--live`'s copy-versus-source comparison sees no mismatch."""
    from tests.contract.drift_server import variant_app

    with serve_asgi(variant_app()) as url:
        done = check(
            "--vendor",
            "voicy",
            "--url",
            url,
            "--live",
            "--agent-id",
            "550e8400-e29b-41d4-a716-446655440001",
            *FAST,
            env={"VOICY_API_KEY": "voicy_sk_test_1"},
        )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    assert "duplicate:" not in done.stdout
    assert "live: made 2 copies of 550e8400-e29b-41d4-a716-446655440001, deleted 2" in done.stdout
    assert "0 contradicted" in done.stdout


def test_check_against_a_real_serve_process_and_keys_never_leak(tmp_path: Path) -> None:
    secret = "voicy_sk_test_DO_NOT_PRINT_4815162342"
    report = tmp_path / "junit.xml"
    with serve("--api-key", f"voicy={secret}") as (url, _):
        done = check(
            "--vendor",
            "voicy",
            "--url",
            url,
            *FAST,
            "--junit-xml",
            str(report),
            env={"VOICY_API_KEY": secret},
        )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert "No issues found" in done.stdout
    assert secret not in done.stdout + done.stderr
    assert secret not in report.read_text(encoding="utf-8")


def test_live_mode_reads_duplicates_a_bounded_number_of_times_and_cleans_up() -> None:
    with serve() as (url, _):
        done = check(
            "--vendor",
            "voicy",
            "--url",
            url,
            "--live",
            "--agent-id",
            "550e8400-e29b-41d4-a716-446655440001",
            *FAST,
        )
        remaining = httpx.get(f"{url}/__admin/voicy/agents").json()
        journal = httpx.get(f"{url}/__admin/requests", params={"vendor": "voicy"}).json()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert "live: made 2 copies of 550e8400-e29b-41d4-a716-446655440001, deleted 2" in done.stdout
    assert len(remaining) == 3  # every copy was deleted
    writes = [(e["method"], e["operation"]) for e in journal if e["method"] != "GET"]
    assert set(writes) == {("DELETE", "deleteAgent"), ("POST", "duplicateAgent")}
    assert len(writes) == 4  # reads, plus only our two duplicates and their two deletes


def test_live_mode_reports_copies_it_could_not_delete() -> None:
    with serve() as (url, _):
        httpx.post(
            f"{url}/__admin/faults",
            json={
                "vendor": "millis",
                "operation": "deleteAgent",
                "kind": "status",
                "status": 500,
                "times": 5,
            },
        )
        done = check(
            "--vendor",
            "millis",
            "--url",
            url,
            "--live",
            "--agent-id",
            "-OKdqbqetEcM4ak369ym",
            *FAST,
        )
    assert done.returncode == 1
    assert "agentmock check: could not delete these copies:" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "https://api.voicy.co"], "is not a loopback address"),
        (["--url", "ftp://127.0.0.1"], "--url must be http:// or https://"),
        (["--url", "https://api.voicy.co", "--live", "--vendor", "voicy"], "a key is needed"),
        (["--url", "http://127.0.0.1:9"], "cannot reach http://127.0.0.1:9"),
        (["--vendor", "vapi"], "invalid choice: 'vapi'"),
    ],
)
def test_usage_and_connection_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    done = check(*args, env={"VOICY_API_KEY": "", "MILLIS_API_KEY": ""})
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""


def test_every_switched_off_check_is_listed_with_a_reason() -> None:
    import schemathesis.specs.openapi.checks  # registers the OpenAPI checks
    from schemathesis.checks import CHECKS

    assert schemathesis.specs.openapi.checks
    known = set(CHECKS.get_all_names())
    listed = disabled_checks()
    assert set(listed) <= {*vendors.names(), "live"}
    for vendor, checks in listed.items():
        for name, options in checks.items():
            assert name in known, f"{vendor}: {name} is not a schemathesis check"
            assert len(options.get("reason", "")) > 40, f"{vendor}.{name} needs a reason"


def test_a_server_that_refuses_the_key_exits_2_not_0() -> None:
    with serve("--api-key", "voicy=voicy_sk_live_only", "--api-key", "millis=only") as (url, _):
        done = check("--url", url, "--api-key", "wrong-key", *FAST)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "refused the millis key (GET /agents answered 401)" in done.stderr
    assert "wrong-key" not in done.stdout + done.stderr


def test_without_schemathesis_check_exits_2_saying_what_to_install() -> None:
    code = (
        "import sys; sys.modules['schemathesis'] = None\n"
        "from agentmock.mockserver.cli import main\n"
        "sys.exit(main(['check']))\n"
    )
    done = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True)
    assert done.returncode == 2
    assert "pip install 'agentmock[check]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_switched_off_reasons_point_at_nothing_the_wheel_does_not_ship() -> None:
    for checks in disabled_checks().values():
        for options in checks.values():
            assert "tests/" not in options["reason"], options["reason"]


def test_an_adjustment_scoped_to_one_operation_stays_there(tmp_path: Path) -> None:
    from agentmock.mockserver.ci.check import _adjustments, _schemathesis_config

    written = _schemathesis_config(_adjustments("elevenlabs", False), tmp_path, "x").read_text()
    top, _, scoped = written.partition("[[operations]]")
    assert "positive_data_acceptance" not in top  # not for every operation
    assert 'include-name = "GET /v1/convai/agents"' in scoped
    assert 'checks.positive_data_acceptance.expected-statuses = ["2xx"' in scoped


def test_check_against_agentmock_serve_leaves_it_as_it_found_it() -> None:
    """The stand-in keeps its agents (seeded and added), and accepts any key again after."""
    import httpx

    with serve() as (url, _):
        added = httpx.post(f"{url}/__admin/voicy/agents", json={"agent_name": "Mine"})
        assert added.status_code == 201
        before = httpx.get(f"{url}/__admin/voicy/agents").json()
        done = check("--vendor", "voicy", "--url", url, *FAST)
        after = httpx.get(f"{url}/__admin/voicy/agents").json()
        anyone = httpx.get(
            f"{url}/v1/list-agents", headers={"Authorization": "Bearer voicy_sk_someone_else"}
        )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert "is an agentmock server: only the check's key, restored afterwards" in done.stdout
    assert after == before
    assert anyone.status_code == 200
