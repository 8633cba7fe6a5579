"""The plugin is loaded in every pytest run of every project that installs agentmock: it must
import nothing heavy until a fixture is used. It reads the vendor registry's names (a dict in
`agentmock.mockserver.vendors`) to name one `<vendor>_mock` fixture per vendor, and nothing
else of the core."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = [
    "respx",
    "httpx",
    "agentmock.mockserver.core",
    "agentmock.mockserver.vendors._profile",
    "agentmock.mockserver.vendors.millis",
    "schemathesis",
    "hypothesis",
    "uvicorn",
    "starlette",
    "agentmock.contracts",
]


@pytest.mark.parametrize(
    "modules", ["agentmock.pytest_plugin.plugin, agentmock.pytest_plugin", "agentmock"]
)
def test_importing_the_plugin_or_the_package_imports_nothing_heavy(modules: str) -> None:
    code = f"import sys, {modules}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
