"""The third hostile-input pass against a real `agentmock serve`, in raw HTTP: rebinding names at
the admin guard, repeated Host and Origin headers, integers past Python's digit limit and
non-ASCII digits, the dashboard token cookie. Each answer is a 4xx (or the page), never a 5xx,
and nothing is changed by a refused request."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from tests.helpers import Served, serving

TOKEN = "s3cret-token"
ADMIN = {"X-Agentmock-Admin-Token": TOKEN}


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with serving("--admin-token", TOKEN) as server:
        yield server


def send(served: Served, head: str, body: bytes = b"") -> tuple[int, bytes, bytes]:
    """One request, written as is; (status, head, body) of the answer."""
    parts = urlsplit(served.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode("latin-1") + b"\r\n" + body)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    top, _, rest = answer.partition(b"\r\n\r\n")
    return int(top.split(b" ")[1]), top, rest


def faults(served: Served) -> list[object]:
    answer = httpx.get(f"{served.url}/__admin/faults", headers=ADMIN)
    assert answer.status_code == 200
    found: list[object] = answer.json()
    return found


@pytest.mark.parametrize(
    "host", ["127.0.0.1.rebind.attacker.example", "127.attacker.example", "127.0.0.1.nip.io"]
)
def test_a_name_that_only_starts_like_loopback_is_refused(served: Served, host: str) -> None:
    spec = b'{"vendor": "voicy", "operation": "getAgent", "kind": "status", "status": 503}'
    status, _, body = send(
        served,
        f"POST /__admin/faults HTTP/1.1\nHost: {host}\nSec-Fetch-Site: same-origin\n"
        f"X-Agentmock-Admin-Token: {TOKEN}\nContent-Type: application/json\n"
        f"Content-Length: {len(spec)}\nConnection: close\n",
        spec,
    )
    assert status == 403, body
    assert b"loopback host" in body
    assert faults(served) == []  # nothing queued


@pytest.mark.parametrize("host", ["127.0.0.2", "[::1]", "localhost"])
def test_literal_loopback_addresses_and_localhost_still_pass(served: Served, host: str) -> None:
    status, _, body = send(
        served,
        f"GET /__admin/faults HTTP/1.1\nHost: {host}\nX-Agentmock-Admin-Token: {TOKEN}\n"
        "Connection: close\n",
    )
    assert status == 200, body


@pytest.mark.parametrize("header", ["Host", "Origin"])
def test_a_repeated_host_or_origin_header_is_refused(served: Served, header: str) -> None:
    parts = urlsplit(served.url)
    here = f"{parts.hostname}:{parts.port}"
    values = {"Host": ("attacker.example", here), "Origin": ("http://evil.example", served.url)}
    first, last = values[header]
    other = f"Host: {here}\n" if header == "Origin" else ""
    status, _, body = send(
        served,
        f"DELETE /__admin/faults HTTP/1.1\n{other}{header}: {first}\n{header}: {last}\n"
        f"X-Agentmock-Admin-Token: {TOKEN}\nConnection: close\n",
    )
    assert status in (400, 403), body
    assert status < 500


@pytest.mark.parametrize(
    "target",
    [
        "/v1/convai/agents?page_size=" + "9" * 4301,
        "/__admin/dashboard/entry/" + "9" * 4400,
        "/__admin/?page=%C2%B2",  # ²: isdigit() but not int()
        "/__admin/?page.millis=%E2%91%A0",  # ①
    ],
)
def test_digits_python_cannot_read_are_a_4xx_or_the_page(served: Served, target: str) -> None:
    parts = urlsplit(served.url)
    status, _, body = send(
        served,
        f"GET {target} HTTP/1.1\nHost: {parts.hostname}:{parts.port}\nxi-api-key: k\n"
        f"X-Agentmock-Admin-Token: {TOKEN}\nConnection: close\n",
    )
    assert status < 500, body
    assert b"Traceback" not in body


def test_deleting_a_fault_with_a_4400_digit_id_is_a_404(served: Served) -> None:
    answer = httpx.delete(f"{served.url}/__admin/faults/{'9' * 4400}", headers=ADMIN)
    assert answer.status_code == 404
    assert answer.json()["error"].startswith("agentmock: ")


def test_a_stray_token_never_replaces_a_valid_cookie(served: Served) -> None:
    """The cookie is set only from a token that is itself right; the redirect that takes the
    token off the address bar is never cached and never sent on as a referrer."""
    first = httpx.get(f"{served.url}/__admin/?token={TOKEN}")
    assert first.status_code == 303
    assert first.headers["cache-control"] == "no-store"
    assert first.headers["referrer-policy"] == "no-referrer"
    assert "agentmock_admin_token=" in first.headers["set-cookie"]
    cookie = {"Cookie": f"agentmock_admin_token={TOKEN}"}
    stray = httpx.get(f"{served.url}/__admin/?token=attacker-chosen", headers=cookie)
    assert stray.status_code == 303
    assert "set-cookie" not in stray.headers
    wrong = httpx.get(f"{served.url}/__admin/?token=attacker-chosen")
    assert wrong.status_code == 401


def test_an_empty_admin_token_is_a_usage_error() -> None:
    import subprocess

    from tests.helpers import AGENTMOCK

    done = subprocess.run(
        [AGENTMOCK, "serve", "--admin-token", ""], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 2
    assert "--admin-token: must not be empty" in done.stderr
    assert "Traceback" not in done.stderr
