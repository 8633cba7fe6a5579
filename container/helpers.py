"""Helpers of the container tests: podman as this project's machines run it."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def podman_env(folder: Path) -> dict[str, str]:
    """The environment podman runs in here: a containers.conf with no default ulimits."""
    conf = folder / "containers.conf"
    conf.write_text("[containers]\ndefault_ulimits = []\n")
    return {**os.environ, "CONTAINERS_CONF": str(conf)}


def podman(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    command = ["podman", "--runtime", "runc", "--cgroup-manager=cgroupfs", *args]
    return subprocess.run(
        command, capture_output=True, text=True, env=env, check=check, timeout=300
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
