"""Helpers shared by the test layers (one module, never imported from another test module)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

HEADER = """
import asyncio
import httpx
import pytest
import respx
"""


def run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    """`source` as a consumer's test file (httpx, pytest, respx imported), run in a subprocess."""
    pytester.makepyfile(HEADER + source)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", *args)


AGENTMOCK = str(Path(sys.executable).with_name("agentmock"))


@dataclass
class Served:
    """A running `agentmock serve`: its process, base URL and banner; `rest` is what it
    printed after the banner, once it has stopped."""

    process: subprocess.Popen[str]
    url: str
    banner: list[str]
    rest: str = ""


@contextmanager
def serving(*args: str) -> Iterator[Served]:
    """Start `agentmock serve --port 0 ARGS` and wait until it accepts connections."""
    process = subprocess.Popen(
        [AGENTMOCK, "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    served: Served | None = None
    try:
        assert process.stdout is not None
        lines: list[str] = []
        while True:
            line = process.stdout.readline()
            if not line:
                raise AssertionError(f"agentmock serve exited: {process.communicate()[1]}")
            lines.append(line.rstrip("\n"))
            if line.startswith("Press Ctrl+C"):  # the last line of the banner
                break
        found = next(m for line in lines if (m := re.search(r" at (http://\S+)", line)))
        url = found.group(1)
        for _ in range(200):  # the banner is printed just before uvicorn starts accepting
            try:
                httpx.get(f"{url}/__admin/faults", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.02)
        served = Served(process, url, lines)
        yield served
    finally:
        process.terminate()
        out, err = process.communicate(timeout=10)
        if served is not None:
            served.rest = out + err


@contextmanager
def serve(*args: str) -> Iterator[tuple[str, list[str]]]:
    """Start `agentmock serve --port 0 ARGS`; yield its base URL and the banner lines."""
    with serving(*args) as served:
        yield served.url, served.banner


FICTIONAL = Path(__file__).parent / "unit" / "fictional"


@contextmanager
def fictional_vendor() -> Iterator[str]:
    """Register `acme` (tests/unit/fictional: one contract, one module) for the block."""
    from agentmock.mockserver import vendors

    sys.path.insert(0, str(FICTIONAL))
    try:
        yield vendors.register("acme_vendor").name
    finally:
        vendors.unregister("acme")
        sys.path.remove(str(FICTIONAL))
        sys.modules.pop("acme_vendor", None)


def read_response(sock: socket.socket) -> tuple[bytes, bytes]:
    """One whole HTTP/1.1 response from a kept-alive connection: its head and its body (by
    Content-Length), leaving the connection ready for the next request."""
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += sock.recv(65536)
    head, _, body = answer.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += sock.recv(65536)
    return head, body


ROOT = Path(__file__).resolve().parent.parent
_SOURCES = ["pyproject.toml", "README.md", "LICENSE", "agentmock", "contracts", "mockserver"]
_SOURCES += ["pytest_plugin"]


def build_wheel(where: Path) -> Path:
    """A wheel of this checkout, built in `where` from a copy of the sources: setuptools
    builds in the tree's `build/`, which a stale earlier build (or another xdist worker
    building at once) would otherwise share."""
    source = where / "source"
    for name in _SOURCES:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(ROOT / name, source / name, symlinks=True, ignore=ignore)
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(where), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = where.glob("agentmock-*.whl")
    return wheel


def wheel_venv(where: Path, *requirements: str, extra: str = "") -> Path:
    """A fresh venv in `where` with this checkout's wheel (with `extra`, e.g. `check`) and
    `requirements`: what a user installs. Returns its python."""
    import venv

    wheel = build_wheel(where)
    venv.create(where / "venv", with_pip=True)
    python = where / "venv" / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    spec = f"{wheel}[{extra}]" if extra else str(wheel)
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", spec, *requirements],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    return python
