"""The public names the README lists import the ways a user writes them (in a fresh
interpreter, so nothing imported earlier in the test session helps)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "code",
    [
        "from agentmock.strategies import voicy_agents, from_schema",
        "import agentmock.strategies as s; s.millis_agents",
        "import agentmock; agentmock.strategies.voicy_agents",
        "import agentmock.strategies, agentmock.pytest_plugin.strategies as p;"
        " assert agentmock.strategies is p",
    ],
)
def test_the_strategies_import_as_the_readme_lists_them(code: str) -> None:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
