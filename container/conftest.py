"""Fixtures of the container tests: the podman environment and the image, built once."""

from __future__ import annotations

import os
import subprocess

import pytest

from container.helpers import ROOT, podman_env


@pytest.fixture(scope="session")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return podman_env(tmp_path_factory.mktemp("podman"))


@pytest.fixture(scope="session")
def image(env: dict[str, str]) -> str:
    """AGENTMOCK_IMAGE, or the image container/build-local.sh builds."""
    if os.environ.get("AGENTMOCK_IMAGE"):
        return os.environ["AGENTMOCK_IMAGE"]
    built = subprocess.run(
        ["bash", str(ROOT / "container" / "build-local.sh")],
        capture_output=True,
        text=True,
        env=env,
        timeout=1200,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    return built.stdout.strip().splitlines()[-1]
