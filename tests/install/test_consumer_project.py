"""agentmock as a consumer meets it: a wheel built from this checkout, installed (plain, no
extras) into a fresh venv, used by a project that has its own `contracts` and `mockserver`
packages and a `pytest_plugin.py` module."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import wheel_venv

pytestmark = pytest.mark.slow  # builds a wheel and venvs; CI runs it (pytest -m slow)

CONSUMER = {
    "contracts/__init__.py": 'VENDORS = "the consumer\'s own contracts"\n',
    "mockserver/__init__.py": "",
    "mockserver/server.py": "def port():\n    return 4242\n",
    "pytest_plugin.py": "MARK = 'the consumer\\'s own pytest_plugin'\n",
    "app/__init__.py": "",
    "app/cloner.py": (
        "import httpx\n\n\n"
        "def clone(agent_id, name):\n"
        "    answer = httpx.post(\n"
        "        f'https://api.voicy.co/v1/duplicate-agent/{agent_id}',\n"
        "        headers={'Authorization': 'Bearer voicy_sk_live_xxx'},\n"
        "        json={'agent_name': name},\n"
        "    )\n"
        "    answer.raise_for_status()\n"
        "    return answer.json()\n"
    ),
    "tests/test_app.py": (
        "import contracts\n"
        "import pytest_plugin\n"
        "from mockserver.server import port\n\n"
        "import agentmock\n"
        "from app.cloner import clone\n\n\n"
        "def test_own_packages_and_the_fixtures_together(voicy_mock):\n"
        '    assert contracts.VENDORS == "the consumer\'s own contracts"\n'
        '    assert pytest_plugin.MARK == "the consumer\'s own pytest_plugin"\n'
        "    assert port() == 4242\n"
        "    source = voicy_mock.agents.add(agent_name='Front desk')\n"
        "    copy = clone(source['agent_id'], 'Night desk')\n"
        "    agentmock.assert_duplicate_of(source, copy, vendor='voicy', agent_name='Night desk')\n"
        "    assert voicy_mock.routes.duplicate_agent.call_count == 1\n\n\n"
        "def test_mock_outside_the_fixtures():\n"
        "    with agentmock.mock() as fake:\n"
        "        copy = clone('550e8400-e29b-41d4-a716-446655440001', 'Copy')\n"
        "        assert copy['agent_id'] in fake.voicy.agents\n"
    ),
    "tests/conftest.py": "",
}


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(  # never from the checkout, whose files would shadow the install
        [str(a) for a in args],
        cwd=cwd or Path(args[0]).parent,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv with agentmock's wheel (no extras) and pytest: what a consumer installs."""
    python = wheel_venv(tmp_path_factory.mktemp("install"), "pytest")
    return python


@pytest.fixture
def consumer(tmp_path: Path) -> Path:
    for name, text in CONSUMER.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("import_mode", ["prepend", "importlib"])
@pytest.mark.parametrize("tests_package", [False, True], ids=["no-init", "tests-init"])
def test_a_consumer_with_its_own_contracts_and_mockserver_packages(
    fresh_venv: Path, consumer: Path, import_mode: str, tests_package: bool
) -> None:
    if tests_package:
        (consumer / "tests" / "__init__.py").write_text("")
    args = ["-p", "no:cacheprovider", f"--import-mode={import_mode}", "-W", "error"]
    if import_mode == "importlib":
        args += ["--rootdir", str(consumer)]
    env_root = ["-c", "import sys; sys.path.insert(0, '.'); import pytest; sys.exit(pytest.main())"]
    done = _run(fresh_venv, *env_root, *args, cwd=consumer) if import_mode == "importlib" else None
    if done is None:
        done = _run(fresh_venv, "-m", "pytest", *args, cwd=consumer)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def test_the_plain_install_brings_no_other_pytest_plugin_and_no_schemathesis(
    fresh_venv: Path,
) -> None:
    code = (
        "from importlib.metadata import entry_points\n"
        "print(sorted(f'{e.dist.name}:{e.name}' for e in entry_points(group='pytest11')))\n"
    )
    done = _run(fresh_venv, "-c", code)
    plugins = eval(done.stdout)
    owners = {entry.split(":")[0].lower() for entry in plugins}
    # respx and anyio (httpx's) bring their own, cheap ones. hypothesis's would cost every run
    # ~0.9 s (see bench/install_cost.py): it is the `strategies` extra's, not the plain install's.
    assert owners <= {"agentmock", "respx", "anyio"}, plugins
    assert "agentmock:agentmock" in plugins
    for module in ("schemathesis", "hypothesis"):
        assert _run(fresh_venv, "-c", f"import {module}").returncode != 0
    for code in (
        "import agentmock; agentmock.strategies",
        "import agentmock.strategies",
        "from agentmock.strategies import voicy_agents",
    ):
        strategies = _run(fresh_venv, "-c", code)
        assert "pip install 'agentmock[strategies]'" in strategies.stderr, code
    check = _run(fresh_venv.with_name("agentmock"), "check")
    assert check.returncode == 2
    assert "pip install 'agentmock[check]'" in check.stderr
    version = _run(fresh_venv.with_name("agentmock"), "--version")
    assert version.stdout.startswith("agentmock ")


def test_the_wheel_holds_only_the_agentmock_package(fresh_venv: Path) -> None:
    code = (
        "from importlib.metadata import files\n"
        "print(sorted({str(f).split('/')[0] for f in files('agentmock')}))\n"
    )
    tops = eval(_run(fresh_venv, "-c", code).stdout)
    assert [t for t in tops if not t.endswith(".dist-info") and t != ".."] == ["agentmock"]


def test_the_plain_install_serves_the_dashboard_with_its_assets(fresh_venv: Path) -> None:
    code = (
        "import asyncio, httpx\n"
        "from agentmock.mockserver.server.app import create_app\n"
        "async def main():\n"
        "    transport = httpx.ASGITransport(app=create_app())\n"
        "    async with httpx.AsyncClient(transport=transport, base_url='http://localhost') as c:\n"
        "        for path in ('/__admin/', '/__admin/assets/dashboard.js',\n"
        "                     '/__admin/assets/dashboard.css', '/__admin/dashboard/journal'):\n"
        "            answer = await c.get(path)\n"
        "            print(path, answer.status_code, len(answer.content))\n"
        "asyncio.run(main())\n"
    )
    done = _run(fresh_venv, "-c", code)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    assert [line.split()[1] for line in lines if line] == ["200"] * 4, done.stdout
    assert all(int(line.split()[2]) > 0 for line in lines[:3])
