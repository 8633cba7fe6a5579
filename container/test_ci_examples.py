"""`examples/ci/service-container.yml` and `examples/ci/compose.yaml` are code: each is run
the way its runner would run it, with podman and the image container/build-local.sh builds.

Run by CI (`.ci/run`) beside container/test_image.py; AGENTMOCK_IMAGE names an image built
already. The service container is started with the job's image options (health command
included), the job waits until podman calls it healthy, and then every step's `run:` runs in
bash with the job's env; the compose file's services start in `depends_on` order, each gated on
its dependency's health, on a network of their own where service names resolve.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from typing import Any

import yaml

from container.helpers import ROOT, free_port, podman

EXAMPLES = ROOT / "examples" / "ci"


def _wait_healthy(name: str, env: dict[str, str]) -> None:
    for _ in range(100):
        if podman("healthcheck", "run", name, env=env, check=False).returncode == 0:
            return
        time.sleep(0.2)
    raise AssertionError(podman("logs", name, env=env, check=False).stderr)


def test_the_service_container_job_runs_as_written(image: str, env: dict[str, str]) -> None:
    workflow = yaml.safe_load((EXAMPLES / "service-container.yml").read_text(encoding="utf-8"))
    job: dict[str, Any] = workflow["jobs"]["tests"]
    (service,) = job["services"].values()
    port = free_port()
    (mapping,) = service["ports"]
    assert mapping == "8080:8080"
    name = f"agentmock-service-{os.getpid()}"
    args = ["run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:8080"]
    for key, value in service["env"].items():
        args += ["-e", f"{key}={value}"]
    args += shlex.split(service["options"])
    try:
        podman(*args, image, env=env)
        _wait_healthy(name, env)
        job_env = {k: str(v).replace(":8080", f":{port}") for k, v in job["env"].items()}
        for step in job["steps"]:
            done = subprocess.run(
                ["bash", "-e", "-c", step["run"]],
                env={**os.environ, **job_env},
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 0, f"{step['name']}: {done.stdout}{done.stderr}"
    finally:
        podman("rm", "-f", name, env=env, check=False)


def test_the_compose_file_starts_the_app_once_the_stand_in_is_healthy(
    image: str, env: dict[str, str]
) -> None:
    compose = yaml.safe_load((EXAMPLES / "compose.yaml").read_text(encoding="utf-8"))
    services: dict[str, Any] = compose["services"]
    assert services["app"]["depends_on"] == {"agentmock": {"condition": "service_healthy"}}
    network = f"agentmock-compose-{os.getpid()}"
    started: list[str] = []
    podman("network", "create", network, env=env)
    try:
        for service_name in ("agentmock", "app"):  # depends_on order
            spec = services[service_name]
            assert spec["image"] == "${AGENTMOCK_IMAGE:-localhost/agentmock:dev}"
            container = f"{network}-{service_name}"
            args = ["run", "--name", container, "--network", network]
            args += ["--network-alias", service_name]
            for key, value in spec.get("environment", {}).items():
                args += ["-e", f"{key}={value}"]
            for mapping in spec.get("ports", []):
                args += ["-p", f"127.0.0.1:{free_port()}:{mapping.split(':')[-1]}"]
            entrypoint = spec.get("entrypoint")
            if entrypoint:
                args += ["--entrypoint", entrypoint[0]]
            started.append(container)
            if service_name == "agentmock":
                podman(*args, "-d", image, env=env)
                _wait_healthy(container, env)
            else:
                done = podman(*args, image, *entrypoint[1:], env=env, check=False)
                assert done.returncode == 0, done.stdout + done.stderr
                assert "app: duplicated" in done.stdout
    finally:
        for container in started:
            podman("rm", "-f", container, env=env, check=False)
        podman("network", "rm", "-f", network, env=env, check=False)
