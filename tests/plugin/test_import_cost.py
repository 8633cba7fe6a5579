"""The plugin is loaded in every pytest run of every project that installs agentmock: it must
import nothing heavy until a fixture is used."""

from __future__ import annotations

import subprocess
import sys

HEAVY = [
    "respx",
    "httpx",
    "mockserver",
    "schemathesis",
    "hypothesis",
    "uvicorn",
    "starlette",
    "contracts",
]


def test_importing_the_plugin_imports_nothing_heavy() -> None:
    code = (
        "import sys, pytest_plugin.plugin, pytest_plugin;"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
