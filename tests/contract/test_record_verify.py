"""Record real traffic through the proxy, verify it offline: for every vendor, in front of a
real `agentmock serve` (faithful) and of a deliberately drifted server."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agentmock.mockserver import cassette
from agentmock.mockserver.ci.record import RecordingProxy
from agentmock.mockserver.config import FakeConfig
from agentmock.mockserver.server.serve import BackgroundServer
from tests.contract.drift_server import drifting_app
from tests.helpers import AGENTMOCK, Served, serving

KEYS = {
    "millis": {"authorization": "sk_live_SECRET_millis_0001"},
    "voicy": {"Authorization": "Bearer voicy_sk_live_SECRET_voicy_0002"},
    "elevenlabs": {"xi-api-key": "sk_SECRET_eleven_0003"},
}
SECRETS = ["SECRET_millis", "SECRET_voicy", "SECRET_eleven"]
# vendor -> (source id, a well-formed id of no agent, list path, get path, duplicate path, body)
SCRIPTS = {
    "millis": (
        "-OKdqbqetEcM4ak369ym",
        "-OKdqbqetEcM4ak3zzzz",
        "/agents",
        "/agents/{id}",
        "/agents/{id}/duplicate",
        None,
    ),
    "voicy": (
        "550e8400-e29b-41d4-a716-446655440001",
        "550e8400-e29b-41d4-a716-4466554400ff",
        "/v1/list-agents",
        "/v1/get-agent/{id}",
        "/v1/duplicate-agent/{id}",
        {"agent_name": "Night shift (ops@acme.example, +1-555-0100)"},
    ),
    "elevenlabs": (
        "agent_3701k3ttaq12ewp8b7qv5rfyszkz",
        "agent_0000000000000000000000000000",
        "/v1/convai/agents",
        "/v1/convai/agents/{id}",
        "/v1/convai/agents/{id}/duplicate",
        {"name": "Weekend line"},
    ),
}
ID_FIELD = {"millis": "id", "voicy": "agent_id", "elevenlabs": "agent_id"}


@pytest.fixture(scope="module")
def target() -> Iterator[Served]:
    with serving("--rate-limit", "0") as served:
        yield served


@pytest.fixture
def fresh(target: Served) -> Served:
    """The module's `agentmock serve`, back to its seed."""
    assert httpx.post(f"{target.url}/__admin/reset").status_code == 200
    return target


def drive(base_url: str, vendor: str) -> None:
    """A client session: list, read the source, duplicate it, read the copy, a 404."""
    source, missing, listing, get, dup, body = SCRIPTS[vendor]
    with httpx.Client(base_url=base_url, headers=KEYS[vendor], timeout=10) as client:
        assert client.get(listing).status_code == 200
        assert client.get(get.format(id=source)).status_code == 200
        made = client.post(dup.format(id=source), json=body)
        assert made.status_code < 300, made.text
        copy_id = made.json()[ID_FIELD[vendor]]
        assert client.get(get.format(id=copy_id)).status_code == 200
        assert client.get(get.format(id=missing)).status_code == 404


def record(vendor: str, target_url: str, out: Path) -> None:
    proxy = RecordingProxy(vendor, target_url, out)
    server = BackgroundServer(proxy)
    try:
        drive(server.url, vendor)
    finally:
        server.stop()
        proxy.writer.close()


def verify(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([AGENTMOCK, "verify", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("vendor", list(SCRIPTS))
def test_a_faithful_recording_verifies_clean_and_holds_no_key(
    fresh: Served, vendor: str, tmp_path: Path
) -> None:
    tape = tmp_path / f"{vendor}.jsonl"
    record(vendor, fresh.url, tape)
    exchanges = cassette.read(tape)
    assert [e.operation for e in exchanges] == [
        "listAgents",
        "getAgent",
        "duplicateAgent",
        "getAgent",
        "getAgent",
    ]
    text = tape.read_text()
    assert not any(secret in text for secret in SECRETS)
    assert exchanges[0].request_headers[next(iter(KEYS[vendor])).lower()] == "<key-1>"
    report = tmp_path / "junit.xml"
    done = verify(str(tape), "--junit-xml", str(report))
    assert done.returncode == 0, done.stdout
    assert "5 exchange(s) in 1 cassette(s): 0 drift(s), 0 contradicted" in done.stdout
    assert not any(secret in done.stdout + done.stderr for secret in SECRETS)
    assert report.read_text().count("<testsuite") >= 2  # the cassette and the ledger


def test_redaction_is_stable_so_ids_and_copies_still_line_up(fresh: Served, tmp_path: Path) -> None:
    tape = tmp_path / "voicy.jsonl"
    record("voicy", fresh.url, tape)
    duplicate = cassette.read(tape)[2]
    assert isinstance(duplicate.request_body, dict)
    name = duplicate.request_body["agent_name"]
    assert re.fullmatch(r"Night shift \(<email-\d+>, <phone-\d+>\)", name)
    assert isinstance(duplicate.response_body, dict)
    assert duplicate.response_body["agent_name"] == name  # the same value, the same placeholder
    assert "acme.example" not in tape.read_text()
    assert duplicate.path.endswith("550e8400-e29b-41d4-a716-446655440001")  # ids untouched


def test_a_drifted_server_fails_verify_naming_each_drift(tmp_path: Path) -> None:
    drifted = BackgroundServer(drifting_app())
    try:
        tape = tmp_path / "voicy.jsonl"
        record("voicy", drifted.url, tape)
    finally:
        drifted.stop()
    done = verify(str(tape))
    assert done.returncode == 1
    out = done.stdout
    assert "voicy duplicateAgent 201: status 201 is not declared" in out
    assert 'listAgents 200: response at 0: "agent_name" is a required property' in out
    assert "getAgent 404: response" in out  # {"message": ...} is no Voicy envelope
    assert "contradicted (saw: duplicateAgent answered 201, not 200)" in out


def test_a_cassette_seeds_the_fake(fresh: Served, tmp_path: Path) -> None:
    tape = tmp_path / "elevenlabs.jsonl"
    record("elevenlabs", fresh.url, tape)
    copy_id = cassette.read(tape)[2].response_body["agent_id"]
    fake = FakeConfig(seed=tape).build()
    store = fake.state.vendor("elevenlabs").agents
    assert {"agent_3701k3ttaq12ewp8b7qv5rfyszkz", copy_id} == set(store)
    assert store[copy_id]["name"] == "Weekend line"


def test_a_killed_proxy_leaves_a_readable_cassette(fresh: Served, tmp_path: Path) -> None:
    tape = tmp_path / "millis.jsonl"
    proxy = subprocess.Popen(
        [
            AGENTMOCK,
            "record",
            "--vendor",
            "millis",
            "--target",
            fresh.url,
            "--port",
            "0",
            "--out",
            str(tape),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proxy.stdout is not None
        line = proxy.stdout.readline()
        url = line.split(" at ", 1)[1].split(" ", 1)[0]
        for _ in range(100):
            try:
                httpx.get(f"{url}/agents", headers=KEYS["millis"], timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.02)
        httpx.get(f"{url}/agents/-OKdqbqetEcM4ak369ym", headers=KEYS["millis"])
    finally:
        os.kill(proxy.pid, signal.SIGKILL)
        proxy.wait(timeout=10)
        if proxy.stdout is not None:
            proxy.stdout.close()
    with tape.open("ab") as torn:  # as if killed in the middle of a write
        torn.write(b'{"vendor": "millis", "operation": "getAg')
    exchanges = cassette.read(tape)
    assert [e.operation for e in exchanges][-2:] == ["listAgents", "getAgent"]
    assert verify(str(tape)).returncode == 0


def test_record_refuses_a_remote_target_without_live(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            AGENTMOCK,
            "record",
            "--vendor",
            "voicy",
            "--target",
            "https://api.voicy.co",
            "--out",
            str(tmp_path / "x.jsonl"),
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "is not a loopback address" in done.stderr
    assert "pass --live" in done.stderr


def test_unreadable_cassettes_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"not": "a cassette"}\n{"vendor": "voicy"}\n')
    done = verify(str(bad))
    assert done.returncode == 2
    assert "not a cassette line" in done.stdout
    assert verify(str(tmp_path / "missing.jsonl")).returncode == 2


def test_promote_prints_each_new_valid_response_shape_as_a_contract_example(
    fresh: Served, tmp_path: Path
) -> None:
    import yaml

    from agentmock import contracts
    from agentmock.mockserver.ci.verify import promote
    from agentmock.mockserver.model.validation import SchemaCheck

    tape = tmp_path / "voicy.jsonl"
    record("voicy", fresh.url, tape)
    # one more line: an answer shaped exactly like the contract's own example adds nothing
    known = contracts.load("voicy")["components"]["examples"]["SourceAgent"]["value"]
    line = cassette.read(tape)[1]
    line.response_body = known
    with tape.open("ab") as more:
        more.write(line.as_json() + b"\n")
    text = promote([tape])
    assert promote([tape]) == text  # deterministic
    examples = yaml.safe_load(text)
    assert examples, text
    agent = SchemaCheck(contracts.schema("voicy", "Agent"))
    for name, example in examples.items():
        assert name.startswith("recorded_")
        if name.startswith("recorded_getAgent_200"):
            assert agent.is_valid(example["value"])
            assert example["value"] != known
    done = verify(str(tape), "--promote")
    assert done.returncode == 0
    assert "examples to add to the contracts" in done.stdout


@pytest.mark.parametrize("vendor", list(SCRIPTS))
def test_every_vendors_drifted_recording_fails_verify(vendor: str, tmp_path: Path) -> None:
    from tests.contract.drift_server import shifted_app

    drifted = BackgroundServer(shifted_app())
    try:
        tape = tmp_path / f"{vendor}.jsonl"
        proxy = RecordingProxy(vendor, drifted.url, tape)
        server = BackgroundServer(proxy)
        try:
            source, _, listing, _, dup, body = SCRIPTS[vendor]
            with httpx.Client(base_url=server.url, headers=KEYS[vendor], timeout=10) as client:
                assert client.get(listing).status_code == 203
                assert client.post(dup.format(id=source), json=body).status_code == 203
        finally:
            server.stop()
            proxy.close()
    finally:
        drifted.stop()
    done = verify(str(tape))
    assert done.returncode == 1
    assert f"{vendor} listAgents 203: status 203 is not declared" in done.stdout
    assert f"{vendor} duplicateAgent 203: status 203 is not declared" in done.stdout
    assert not any(secret in done.stdout for secret in SECRETS)


def test_a_missing_required_response_header_is_drift(monkeypatch: pytest.MonkeyPatch) -> None:
    """No contract marks a response header required today; the check must still bite."""
    import agentmock.mockserver.ci.verify as module
    from agentmock.mockserver import conformance
    from agentmock.mockserver.cassette import Exchange
    from agentmock.mockserver.routing import Router

    exchange = Exchange(
        vendor="voicy",
        operation="listAgents",
        method="GET",
        path="/v1/list-agents",
        query="",
        status=200,
        request_headers={"authorization": "<key-1>"},
        request_body=None,
        response_headers={},
        response_body=[],
    )
    assert module.check_exchange(Router(), exchange) == []
    monkeypatch.setattr(conformance, "_required_headers", lambda *args: ("X-RateLimit-Limit",))
    assert [str(p) for p in module.check_exchange(Router(), exchange)] == [
        "the contract requires response header X-RateLimit-Limit; it was missing"
    ]
