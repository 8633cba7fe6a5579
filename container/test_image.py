"""The container image, built as container/build-local.sh builds it and run with podman.

Run by CI (`.ci/run`), not by the newcomer's `pytest` (it needs podman, runc and debootstrap):

    pytest container/test_image.py

AGENTMOCK_IMAGE names an image built already (skips the build).
"""

from __future__ import annotations

import json
import os
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from agentmock.mockserver import vendors
from container.helpers import free_port, podman

if TYPE_CHECKING:
    from collections.abc import Iterator

TOKEN = "container-secret"


class Running:
    def __init__(self, name: str, url: str) -> None:
        self.name, self.url = name, url


@pytest.fixture
def running(image: str, env: dict[str, str]) -> Iterator[Running]:
    port, name = free_port(), f"agentmock-test-{os.getpid()}-{time.monotonic_ns()}"
    podman(
        "run",
        "-d",
        "--name",
        name,
        "-p",
        f"127.0.0.1:{port}:8080",
        "-e",
        f"AGENTMOCK_ADMIN_TOKEN={TOKEN}",
        image,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/__admin/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise AssertionError(podman("logs", name, env=env, check=False).stderr)
        yield Running(name, url)
    finally:
        podman("rm", "-f", name, env=env, check=False)


def test_the_health_route_needs_no_token_and_the_healthcheck_uses_it(
    running: Running, env: dict[str, str]
) -> None:
    assert httpx.get(f"{running.url}/__admin/health").json() == {"status": "ok"}
    assert httpx.head(f"{running.url}/__admin/health").status_code == 200
    assert podman("healthcheck", "run", running.name, env=env, check=False).returncode == 0


def test_every_vendors_duplicate_answers_through_the_published_port(running: Running) -> None:
    token = {"X-Agentmock-Admin-Token": TOKEN}
    for vendor in vendors.names():
        profile = vendors.profile(vendor)
        seeded = httpx.get(f"{running.url}/__admin/{vendor}/agents", headers=token).json()
        source = seeded[0][profile.id_field]
        body, _ = profile.live_duplicate_body(0)
        answer = httpx.post(
            running.url + profile.duplicate_path(source),
            headers=profile.client_headers(profile.default_api_key),
            json=body if body is not None else {},
        )
        assert 200 <= answer.status_code < 300, (vendor, answer.text)
        after = httpx.get(f"{running.url}/__admin/{vendor}/agents", headers=token).json()
        assert len(after) == len(seeded) + 1, vendor


def test_the_admin_api_needs_the_token(running: Running) -> None:
    assert httpx.post(f"{running.url}/__admin/reset").status_code == 401
    token = {"X-Agentmock-Admin-Token": TOKEN}
    assert httpx.post(f"{running.url}/__admin/reset", headers=token).status_code == 200


def test_it_runs_as_a_user_other_than_root(
    running: Running, image: str, env: dict[str, str]
) -> None:
    assert podman("exec", running.name, "id", "-u", env=env).stdout.strip() != "0"
    config = json.loads(podman("image", "inspect", image, env=env).stdout)[0]["Config"]
    assert config["User"] == "agentmock"
    assert "8080/tcp" in config["ExposedPorts"]


def test_sigterm_stops_it_at_once_and_cleanly(running: Running, env: dict[str, str]) -> None:
    started = time.monotonic()
    podman("stop", "-t", "10", running.name, env=env)  # SIGTERM, then SIGKILL after 10 s
    assert time.monotonic() - started < 5
    state = json.loads(podman("inspect", running.name, env=env).stdout)[0]["State"]
    assert state["ExitCode"] == 0


def test_without_a_token_it_refuses_to_open_the_admin_api(image: str, env: dict[str, str]) -> None:
    done = podman("run", "--rm", image, env=env, check=False)
    assert done.returncode == 2
    assert "makes the admin API reachable from the network" in done.stderr
    opened = podman(
        "run",
        "--rm",
        "-e",
        "AGENTMOCK_ADMIN_OPEN=1",
        "-e",
        "AGENTMOCK_PORT=bad",
        image,
        env=env,
        check=False,
    )
    assert opened.returncode == 2
    assert opened.stderr.strip().splitlines()[-1].startswith("agentmock serve: AGENTMOCK_PORT=")
