"""Hostile input, cut connections and foreign web pages against a real `agentmock serve`,
spoken in raw HTTP where a client library would refuse to send it. Each test checks that the
state did not change and that the answer is a 4xx in the right envelope, never a 5xx."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.helpers import AGENTMOCK, Served, read_response, serving

VOICY = {"Authorization": "Bearer voicy_sk_test_1"}
SOURCE = "550e8400-e29b-41d4-a716-446655440001"


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with serving() as server:
        yield server


@pytest.fixture(autouse=True)
def fresh(served: Served) -> None:
    assert httpx.post(f"{served.url}/__admin/reset").status_code == 200


def raw(served: Served, data: bytes, *, read: bool = True) -> bytes:
    """Send `data` as is over one connection; what came back (until the server closes)."""
    parts = urlsplit(served.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(data)
        if not read:
            return b""
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def agents(served: Served, vendor: str = "voicy") -> list[dict[str, object]]:
    answer = httpx.get(f"{served.url}/__admin/{vendor}/agents")
    assert answer.status_code == 200
    found: list[dict[str, object]] = answer.json()
    return found


def admin_error(answer: httpx.Response, status: int) -> str:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"error"}
    message: str = body["error"]
    assert message.startswith("agentmock: ")
    assert "Traceback" not in message
    assert 'File "' not in message
    return message


@pytest.mark.parametrize(
    "payload",
    [
        b'{"agent_name": "x", "huge": 1' + b"0" * 400 + b"}",  # past the range of a double
        b'{"agent_name": "x", "deep": ' + b"[" * 1000 + b"]" * 1000 + b"}",
        b'{"agent_name": "x", "deep": ' + b"[" * 10000 + b"]" * 10000 + b"}",
        b'{"agent_name": "x", "n": NaN}',
        b'{"agent_name": "\xff"}',
    ],
    ids=["huge-number", "1000-deep", "10000-deep", "nan", "bad-utf8"],
)
def test_the_admin_api_refuses_what_it_cannot_store_and_stays_readable(
    served: Served, payload: bytes
) -> None:
    before = agents(served)
    answer = httpx.post(f"{served.url}/__admin/voicy/agents", content=payload)
    admin_error(answer, 400)
    assert agents(served) == before
    assert httpx.get(f"{served.url}/__admin/requests").status_code == 200
    assert httpx.post(f"{served.url}/__admin/reset").status_code == 200


def test_deep_json_to_a_vendor_is_its_4xx_and_the_journal_stays_readable(served: Served) -> None:
    deep = b'{"agent_name": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    answer = httpx.post(f"{served.url}/v1/duplicate-agent/{SOURCE}", headers=VOICY, content=deep)
    assert answer.status_code == 400
    assert set(answer.json()) == {"error"}
    journal = httpx.get(f"{served.url}/__admin/requests")
    assert journal.status_code == 200
    assert journal.json()[-1]["status"] == 400


def test_head_never_mutates(served: Served) -> None:
    spec = json.dumps({"vendor": "voicy", "operation": "getAgent", "kind": "drop"})
    before = agents(served)
    for path, body in (("/__admin/faults", spec), ("/__admin/voicy/agents", "{}")):
        answer = httpx.request("HEAD", f"{served.url}{path}", content=body)
        assert answer.status_code == 200
    assert httpx.get(f"{served.url}/__admin/faults").json() == []
    assert agents(served) == before


def test_a_request_whose_body_never_completed_changes_nothing(served: Served) -> None:
    before = len(agents(served))
    head = (
        f"POST /v1/duplicate-agent/{SOURCE} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Authorization: Bearer voicy_sk_test_1\r\nContent-Type: application/json\r\n"
        "Content-Length: 100\r\n\r\n"
    ).encode()
    raw(served, head + b'{"agent_name": "half', read=False)  # then the client hangs up
    answer = raw(served, head.replace(b"100", b"2") + b"{}")  # a complete one still works
    assert answer.startswith(b"HTTP/1.1 200")
    assert len(agents(served)) == before + 1


@pytest.mark.parametrize(
    ("headers", "status", "says"),
    [
        ({"Origin": "http://evil.example", "Content-Type": "text/plain"}, 403, "cross-origin"),
        ({"Origin": "null"}, 403, "cross-origin"),
        ({"Sec-Fetch-Site": "cross-site"}, 403, "cross-site"),
        ({"Host": "evil.example"}, 403, "loopback host"),
        ({"Host": "rebound.attacker.test:8080"}, 403, "loopback host"),
    ],
)
def test_foreign_pages_cannot_drive_the_admin_api(
    served: Served, headers: dict[str, str], status: int, says: str
) -> None:
    httpx.post(f"{served.url}/v1/duplicate-agent/{SOURCE}", headers=VOICY)
    answer = httpx.post(f"{served.url}/__admin/reset", headers=headers)
    assert says in admin_error(answer, status)
    assert len(agents(served)) == 4  # the copy is still there: nothing was reset
    read = httpx.get(f"{served.url}/__admin/requests", headers=headers)
    admin_error(read, status)  # nor can it read the journal


def test_the_servers_own_origin_and_localhost_are_welcome(served: Served) -> None:
    port = urlsplit(served.url).port
    same = {"Origin": served.url, "Sec-Fetch-Site": "same-origin"}
    assert httpx.get(f"{served.url}/__admin/faults", headers=same).status_code == 200
    local = {"Host": f"localhost:{port}"}
    assert httpx.get(f"{served.url}/__admin/faults", headers=local).status_code == 200


def test_unknown_admin_routes_and_methods_are_json(served: Served) -> None:
    assert "no admin route" in admin_error(httpx.get(f"{served.url}/__admin/nope"), 404)
    answer = httpx.put(f"{served.url}/__admin/reset")
    assert "PUT is not allowed" in admin_error(answer, 405)
    assert answer.headers["allow"] == "POST"


def test_admin_bodies_are_limited_while_read(served: Served) -> None:
    big = b"[" + b"1," * 700_000 + b"1]"
    admin_error(httpx.post(f"{served.url}/__admin/faults", content=big), 413)
    assert httpx.get(f"{served.url}/__admin/faults").json() == []


def test_an_admin_token_is_required_when_set() -> None:
    with serving("--admin-token", "s3cret") as server:
        admin_error(httpx.post(f"{server.url}/__admin/reset"), 401)
        wrong = {"X-Agentmock-Admin-Token": "guess"}
        admin_error(httpx.post(f"{server.url}/__admin/reset", headers=wrong), 401)
        right = {"X-Agentmock-Admin-Token": "s3cret"}
        assert httpx.post(f"{server.url}/__admin/reset", headers=right).status_code == 200
        assert "s3cret" not in "\n".join(server.banner)


def test_binding_every_interface_warns_that_the_admin_api_is_exposed() -> None:
    with serving("--host", "0.0.0.0", "--admin-open") as server:
        warning = next(line for line in server.banner if line.startswith("WARNING"))
    assert "reachable from the network" in warning
    assert "--admin-token" in warning


def test_a_delayed_request_is_dropped_when_its_client_leaves_and_sigterm_is_prompt() -> None:
    """A 60-second delay fault, its client gone: the server does not hold the request, and
    SIGTERM with a request in flight ends the process within a few seconds."""
    import time

    with serving() as server:
        spec = {"vendor": "voicy", "operation": "listAgents", "kind": "delay", "seconds": 60}
        assert httpx.post(f"{server.url}/__admin/faults", json=spec).status_code == 201
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(f"{server.url}/v1/list-agents", headers=VOICY, timeout=0.5)
        slow = (
            b"POST /v1/duplicate-agent/" + SOURCE.encode() + b" HTTP/1.1\r\nHost: x\r\n"
            b"Content-Length: 50\r\n\r\n{"
        )
        parts = urlsplit(server.url)
        with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
            sock.sendall(slow)  # a body that never finishes, still open at SIGTERM
            started = time.monotonic()
            server.process.terminate()
            server.process.wait(timeout=10)
        assert time.monotonic() - started < 5


def test_a_seed_whose_aliases_explode_is_refused_quickly(tmp_path: Path) -> None:
    """A 'billion laughs' YAML seed: a few hundred bytes that expand past gigabytes."""
    import subprocess
    import time

    lines = ["voicy:", "  agents:", "    - agent_id: 550e8400-e29b-41d4-a716-446655440777"]
    lines.append('      l0: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]')
    for n, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[n]
        refs = ", ".join([f"*{prev}"] * 9)
        lines.append(f"      l{n + 1}: &{name} [{refs}]")
    lines.append("      agent_name: Laughs")
    seed = tmp_path / "laughs.yaml"
    seed.write_text("\n".join(lines) + "\n")
    started = time.monotonic()
    done = subprocess.run(
        [AGENTMOCK, "serve", "--port", "0", "--seed", str(seed)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "more than 1,000,000 values" in done.stderr
    assert time.monotonic() - started < 10


def test_oversized_headers_are_431_in_the_vendors_envelope(served: Served) -> None:
    before = agents(served)
    huge = {**VOICY, "X-Padding": "p" * 70_000}
    answer = httpx.post(f"{served.url}/v1/duplicate-agent/{SOURCE}", headers=huge)
    assert (answer.status_code, answer.json()) == (
        431,
        {"error": "Request header fields too large"},
    )
    assert agents(served) == before
    journal = httpx.get(f"{served.url}/__admin/requests").json()
    assert journal[-1]["request_headers"]["x-padding"] == "<70000 characters>"


def test_a_connection_that_never_finishes_its_request_head_is_closed() -> None:
    """Slowloris: the head trickles in and never completes; the server hangs up on it, and a
    normal client is served meanwhile."""
    import time

    with serving("--head-timeout", "1") as server:
        parts = urlsplit(server.url)
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
            sock.sendall(b"GET /v1/list-agents HTTP/1.1\r\nHost: x\r\n")  # no blank line
            started = time.monotonic()
            assert httpx.get(f"{server.url}/v1/list-agents", headers=VOICY).status_code == 200
            assert sock.recv(1024) == b""  # closed by the server
        assert time.monotonic() - started < 5


def test_the_head_deadline_counts_per_request_on_a_kept_alive_connection() -> None:
    """Prompt requests keep a connection open past the deadline; the next head that stalls on
    the same connection is closed."""
    import time

    with serving("--head-timeout", "0.5") as server:
        parts = urlsplit(server.url)
        get = f"GET /v1/list-agents HTTP/1.1\r\nHost: x\r\nAuthorization: {VOICY['Authorization']}"
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
            for _ in range(4):  # 1.2 s of prompt requests: well past the 0.5 s deadline
                sock.sendall(get.encode() + b"\r\n\r\n")
                head, _ = read_response(sock)
                assert head.startswith(b"HTTP/1.1 200")
                time.sleep(0.3)
            sock.sendall(get.encode() + b"\r\n")  # then a head that never ends
            started = time.monotonic()
            assert sock.recv(1024) == b""
            assert time.monotonic() - started < 3
