"""What the benches share: a free port, and a real `agentmock serve` to measure."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from collections.abc import Iterator

AGENTMOCK = str(Path(sys.executable).with_name("agentmock"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def agentmock_serve(*args: str) -> Iterator[str]:
    """`agentmock serve ARGS` on a free port; yields its base URL once the admin API answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [AGENTMOCK, "serve", "--port", str(port), *args], stdout=subprocess.DEVNULL
    )
    try:
        for _ in range(500):
            try:
                httpx.get(f"{url}/__admin/faults", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.01)
        else:
            raise RuntimeError("agentmock serve did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
