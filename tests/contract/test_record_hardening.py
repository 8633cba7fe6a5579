"""`agentmock record` and `agentmock verify` under hostile input, third pass: the proxy forwards
the raw path byte for byte, never loses a vendor's answer to a full disk, continues a torn
cassette on a new line, keeps keys out of the cassette by name and by value, refuses what it
cannot forward in the vendor's envelope, passes repeated headers through; `verify` reads wrong
types, torn lines and control characters without a traceback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from agentmock.mockserver import cassette
from agentmock.mockserver.ci.record import RecordingProxy
from agentmock.mockserver.server.serve import BackgroundServer
from tests.helpers import AGENTMOCK

KEY = "sk_SECRET_eleven_0003"


class Echo:
    """A target that records what reached it and answers two cookies and a hop-by-hop header."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.seen.append(
            {
                "raw_path": scope["raw_path"],
                "query": scope["query_string"],
                "headers": [(k.lower(), v) for k, v in scope["headers"]],
            }
        )
        answer = (
            b'{"agent_id": "agent_3701k3ttaq12ewp8b7qv5rfyszkz", "echo": "' + KEY.encode() + b'"}'
        )
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"set-cookie", b"a=1; Path=/"),
                    (b"set-cookie", b"b=2; Path=/"),
                    (b"connection", b"x-hop"),
                    (b"x-hop", b"drop me"),
                    (b"content-length", str(len(answer)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": answer})


@pytest.fixture
def echo() -> Iterator[tuple[Echo, str]]:
    app = Echo()
    server = BackgroundServer(app)
    try:
        yield app, server.url
    finally:
        server.stop()


@pytest.fixture
def proxied(echo: tuple[Echo, str], tmp_path: Path) -> Iterator[tuple[Echo, str, Path]]:
    app, target = echo
    tape = tmp_path / "tape.jsonl"
    proxy = RecordingProxy("elevenlabs", target, tape)
    server = BackgroundServer(proxy)
    try:
        yield app, server.url, tape
    finally:
        server.stop()
        proxy.close()


def raw(url: str, head: str) -> tuple[int, bytes]:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode("utf-8") + b"\r\n")
        answer = b""  # no half-close: the proxy is waiting on the target meanwhile
        while chunk := sock.recv(65536):
            answer += chunk
    return int(answer.split(b" ")[1]), answer


@pytest.mark.parametrize(
    "path",
    [
        "/v1/convai/agents/abc%3Fx%3D1",
        "/v1/convai/agents/abc%23frag",
        "/v1/convai/agents/a%2Fb/duplicate",
    ],
)
def test_the_proxy_forwards_the_raw_path_byte_for_byte(
    proxied: tuple[Echo, str, Path], path: str
) -> None:
    app, url, _ = proxied
    status, _ = raw(url, f"DELETE {path}?keep=%26me HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n")
    assert status == 200
    assert app.seen[-1]["raw_path"] == path.encode()
    assert app.seen[-1]["query"] == b"keep=%26me"


@pytest.mark.parametrize(
    "head",
    [
        "GET /v1/convai/agents/a%00b HTTP/1.1\nHost: 127.0.0.1\n",
        "GET /v1/convai/agents/a%0D%0AX-Evil:%201 HTTP/1.1\nHost: 127.0.0.1\n",
        "OPTIONS * HTTP/1.1\nHost: 127.0.0.1\n",
        "GET /v1/convai/agents HTTP/1.1\nHost: 127.0.0.1\nX-Name: caf\u00e9\u2603\n",
    ],
)
def test_what_the_proxy_cannot_forward_is_a_4xx_in_the_vendors_envelope(
    proxied: tuple[Echo, str, Path], head: str
) -> None:
    app, url, _ = proxied
    status, answer = raw(url, head + "Connection: close\n")
    assert status < 500, answer
    assert b"Traceback" not in answer
    if status == 400:
        assert b'"detail"' in answer  # ElevenLabs' envelope
        assert app.seen == []  # nothing reached the vendor


def test_a_rebinding_host_cannot_read_through_the_proxy(proxied: tuple[Echo, str, Path]) -> None:
    app, url, _ = proxied
    status, answer = raw(
        url, "GET /v1/convai/agents HTTP/1.1\nHost: attacker.example\nConnection: close\n"
    )
    assert status == 403
    assert b'"detail"' in answer
    assert app.seen == []


def test_repeated_headers_pass_and_hop_by_hop_ones_do_not(proxied: tuple[Echo, str, Path]) -> None:
    _, url, _ = proxied
    answer = httpx.get(f"{url}/v1/convai/agents", headers={"xi-api-key": KEY})
    assert answer.headers.get_list("set-cookie") == ["a=1; Path=/", "b=2; Path=/"]
    assert "x-hop" not in answer.headers


def test_keys_never_reach_the_cassette_by_name_or_by_value(proxied: tuple[Echo, str, Path]) -> None:
    _, url, tape = proxied
    httpx.get(
        f"{url}/v1/convai/agents?xi-api-key={KEY}&page_size=2",
        headers={
            "xi-api-key": KEY,
            "Api-Key": "ak_SECRET_other_0004",
            "X-Auth-Token": "tok_SECRET_other_0005",
            "X-Echo": f"copy of {KEY}",
        },
    )
    text = tape.read_text()
    assert "SECRET" not in text, text
    exchange = cassette.read(tape)[0]
    assert "page_size=2" in exchange.query
    assert exchange.response_body == {
        "agent_id": "agent_3701k3ttaq12ewp8b7qv5rfyszkz",
        "echo": "<key-1>",  # the key the request carried, found by value in the answer
    }


def test_a_cassette_cut_mid_line_is_continued_on_a_new_line(
    echo: tuple[Echo, str], tmp_path: Path
) -> None:
    _, target = echo
    tape = tmp_path / "tape.jsonl"
    tape.write_bytes(b'{"vendor": "elevenlabs", "operation": "getAg')  # killed mid-write
    proxy = RecordingProxy("elevenlabs", target, tape)
    server = BackgroundServer(proxy)
    try:
        assert httpx.get(f"{server.url}/v1/convai/agents", headers={"xi-api-key": KEY}).is_success
    finally:
        server.stop()
        proxy.close()
    read = cassette.read(tape)
    assert [e.operation for e in read] == ["listAgents"]
    assert read.torn == [1]
    done = subprocess.run([AGENTMOCK, "verify", str(tape)], capture_output=True, text=True)
    assert "skipped 1 torn line(s)" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_full_disk_never_costs_the_client_the_vendors_answer(echo: tuple[Echo, str]) -> None:
    """A cassette on /dev/full (every write: ENOSPC): the duplicate made upstream reaches the
    client, the loss is on stderr at once, and the process exits 1 at the end."""
    _, target = echo
    process = subprocess.Popen(
        [
            AGENTMOCK,
            "record",
            "--vendor",
            "elevenlabs",
            "--target",
            target,
            "--out",
            "/dev/full",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        url = banner.split(" at ")[1].split(" ")[0]
        for _ in range(100):
            try:
                answer = httpx.post(
                    f"{url}/v1/convai/agents/agent_3701k3ttaq12ewp8b7qv5rfyszkz/duplicate",
                    headers={"xi-api-key": KEY},
                    json={},
                )
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert answer.status_code == 200
        assert answer.json()["agent_id"] == "agent_3701k3ttaq12ewp8b7qv5rfyszkz"
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=20)
    assert "NOT RECORDED: POST" in err
    assert process.returncode == 1
    assert "1 exchange(s) passed through but could not be written" in err
    assert "Traceback" not in err


class _FlakyFile:
    """A file whose writes fail (a full disk) until `space` is set."""

    def __init__(self) -> None:
        self.data = b""
        self.space = False

    def tell(self) -> int:
        return len(self.data)

    def write(self, chunk: bytes) -> int:
        if not self.space:
            raise OSError(28, "No space left on device")
        self.data += chunk
        return len(chunk)

    def flush(self) -> None:
        pass

    def truncate(self, size: int) -> None:
        self.data = self.data[:size]

    def seek(self, where: int) -> None:
        pass

    def close(self) -> None:
        pass


def test_when_space_returns_the_cassette_says_what_was_lost(
    echo: tuple[Echo, str], tmp_path: Path
) -> None:
    _, target = echo
    tape = tmp_path / "tape.jsonl"
    proxy = RecordingProxy("elevenlabs", target, tape)
    proxy.writer._file.close()
    flaky = _FlakyFile()
    proxy.writer._file = flaky  # type: ignore[assignment]
    server = BackgroundServer(proxy)
    try:
        url = f"{server.url}/v1/convai/agents"
        assert httpx.get(url, headers={"xi-api-key": KEY}).is_success  # the disk is full
        assert proxy.unrecorded == 1
        flaky.space = True
        assert httpx.get(url, headers={"xi-api-key": KEY}).is_success
    finally:
        server.stop()
    tape.write_bytes(flaky.data)
    read = cassette.read(tape)
    assert read.unrecorded == [(1, 1, "the cassette could not be written")]
    assert len(read) == 1
    done = subprocess.run([AGENTMOCK, "verify", str(tape)], capture_output=True, text=True)
    assert f"{tape}:1: 1 exchange(s) passed the proxy but were not recorded" in done.stdout


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ({"method": 5}, "method must be str, not int"),
        ({"path": None}, "path must be str, not null"),
        ({"vendor": ["x"]}, "vendor must be str, not list"),
        ({"request_headers": ["x"]}, "request_headers must be dict, not list"),
        ({"response_headers": None}, "response_headers must be dict, not null"),
        ({"query": 7}, "query must be str, not int"),
    ],
)
def test_verify_names_the_file_and_line_of_a_wrongly_typed_field(
    tmp_path: Path, line: dict[str, Any], said: str
) -> None:
    good = {
        "vendor": "voicy",
        "operation": "listAgents",
        "method": "GET",
        "path": "/v1/list-agents",
        "query": "",
        "status": 200,
        "request_headers": {},
        "request_body": None,
        "response_headers": {},
        "response_body": [],
        "ms": 1.0,
    }
    tape = tmp_path / "bad.jsonl"
    import json

    tape.write_text(json.dumps(good) + "\n" + json.dumps({**good, **line}) + "\n")
    done = subprocess.run([AGENTMOCK, "verify", str(tape)], capture_output=True, text=True)
    assert done.returncode == 2
    assert f"{tape}:2: {said}" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_seed_saved_as_jsonl_is_not_a_passing_cassette(tmp_path: Path) -> None:
    tape = tmp_path / "seed.jsonl"
    tape.write_text('{"voicy": {"agents": []}}\n')
    done = subprocess.run([AGENTMOCK, "verify", str(tape)], capture_output=True, text=True)
    assert done.returncode == 2
    assert f"{tape}:1: not a cassette line" in done.stdout


def test_an_empty_cassette_fails_verify(tmp_path: Path) -> None:
    tape = tmp_path / "empty.jsonl"
    tape.write_text("")
    done = subprocess.run([AGENTMOCK, "verify", str(tape)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "no exchange to verify" in done.stdout


def test_control_characters_never_reach_the_terminal_or_the_report(tmp_path: Path) -> None:
    import json
    import xml.etree.ElementTree as ET

    evil = "/v1/\x1b[31mred\x07\x00"  # no route: the path is in the message
    line: dict[str, Any] = {
        "vendor": "voicy",
        "operation": None,
        "method": "GET",
        "path": evil,
        "query": "",
        "status": 200,
        "request_headers": {},
        "request_body": None,
        "response_headers": {},
        "response_body": None,
    }
    tape = tmp_path / "evil.jsonl"
    tape.write_text(json.dumps(line) + "\n")
    report = tmp_path / "junit.xml"
    done = subprocess.run(
        [AGENTMOCK, "verify", str(tape), "--junit-xml", str(report)], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "\x1b" not in done.stdout
    assert "\\x1b[31mred\\x07\\x00" in done.stdout
    ET.parse(report)  # well-formed


def test_serve_seeded_from_a_wrongly_typed_cassette_is_one_line_and_exit_2(tmp_path: Path) -> None:
    import json

    tape = tmp_path / "bad.jsonl"
    line: dict[str, Any] = {
        "vendor": 5,
        "operation": None,
        "method": "GET",
        "path": "/x",
        "query": "",
        "status": 200,
        "request_headers": {},
        "request_body": None,
        "response_headers": {},
        "response_body": None,
    }
    tape.write_text(json.dumps(line) + "\n")
    done = subprocess.run(
        [AGENTMOCK, "serve", "--seed", str(tape), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].endswith(f"{tape}:1: vendor must be str, not int")
    assert "Traceback" not in done.stderr


class Bomb:
    """A target whose answer is a gzip bomb: about 300 KB that inflate to 300 MB."""

    def __init__(self) -> None:
        import zlib

        squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
        zeros = b"\0" * (1024 * 1024)
        self.body = b"".join(squeeze.compress(zeros) for _ in range(300)) + squeeze.flush()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-encoding", b"gzip"),
                    (b"content-length", str(len(self.body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": self.body})


def test_a_gzip_bomb_from_the_target_is_a_502_not_a_pinned_core(tmp_path: Path) -> None:
    bomb = Bomb()
    assert len(bomb.body) < 1024 * 1024
    target = BackgroundServer(bomb)
    proxy = RecordingProxy("elevenlabs", target.url, tmp_path / "tape.jsonl")
    server = BackgroundServer(proxy)
    try:
        answer = httpx.get(
            f"{server.url}/v1/convai/agents", headers={"xi-api-key": KEY}, timeout=30
        )
    finally:
        server.stop()
        target.stop()
        proxy.close()
    assert answer.status_code == 502
    assert "over 16 MiB" in answer.text


def test_a_body_over_the_limit_is_refused_as_it_arrives(proxied: tuple[Echo, str, Path]) -> None:
    app, url, _ = proxied
    answer = httpx.post(
        f"{url}/v1/convai/agents/create",
        headers={"xi-api-key": KEY},
        content=b"x" * (2 * 1024 * 1024),
    )
    assert answer.status_code == 400  # ElevenLabs' request_too_large, as the fake answers it
    assert answer.json()["detail"]["code"] == "request_too_large"
    assert app.seen == []


class Hang:
    """A target that never answers."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        import asyncio

        if scope["type"] == "http":
            await asyncio.sleep(3600)


def test_sigterm_stops_the_proxy_while_the_target_hangs(tmp_path: Path) -> None:
    import threading

    target = BackgroundServer(Hang())
    command = [AGENTMOCK, "record", "--vendor", "elevenlabs", "--target", target.url]
    process = subprocess.Popen(
        [*command, "--out", str(tmp_path / "t.jsonl"), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split(" at ")[1].split(" ")[0]

        def hang() -> None:
            with pytest.raises(httpx.HTTPError):
                httpx.get(f"{url}/v1/convai/agents", headers={"xi-api-key": KEY}, timeout=30)

        client = threading.Thread(target=hang, daemon=True)
        client.start()
        time.sleep(0.5)  # the request is in flight, waiting on the target
        process.terminate()
        process.communicate(timeout=10)  # the grace is 2 s; minutes before
    finally:
        if process.poll() is None:
            process.kill()
        target.stop()
    assert process.returncode is not None


class Gzipped:
    """A target that compresses its answer, as real vendors do."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        import gzip

        if scope["type"] != "http":
            return
        body = gzip.compress(b'{"agents": [], "has_more": false, "next_cursor": null}')
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-encoding", b"gzip"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def test_a_compressed_answer_reaches_the_client_decoded_and_is_recorded(tmp_path: Path) -> None:
    target = BackgroundServer(Gzipped())
    tape = tmp_path / "tape.jsonl"
    proxy = RecordingProxy("elevenlabs", target.url, tape)
    server = BackgroundServer(proxy)
    try:
        answer = httpx.get(f"{server.url}/v1/convai/agents", headers={"xi-api-key": KEY})
    finally:
        server.stop()
        target.stop()
        proxy.close()
    assert answer.status_code == 200
    assert "content-encoding" not in answer.headers
    assert answer.json() == {"agents": [], "has_more": False, "next_cursor": None}
    assert cassette.read(tape)[0].response_body == answer.json()
