"""examples/ are part of the product: they run in the project's own test suite."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_consumer_example_suite_passes() -> None:
    folder = ROOT / "examples" / "consumer"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    passed = re.search(r"(\d+) passed", done.stdout)
    assert passed is not None
    assert int(passed.group(1)) >= 12


def test_ci_workflow_example_uses_real_agentmock_options() -> None:
    import shlex

    import yaml

    from agentmock.mockserver.cli import _join_dash_values, _parser

    workflow = yaml.safe_load((ROOT / "examples" / "ci" / "contract-check.yml").read_text())
    commands = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for line in step.get("run", "").replace(">\n", " ").splitlines():
                line = re.sub(r"\$\{\{[^}]*\}\}", "X", line.strip())
                if line.startswith("agentmock "):
                    commands.append(shlex.split(line.split(">")[0])[1:])
    assert len(commands) >= 4
    for argv in commands:
        args = _parser().parse_args(_join_dash_values(argv))
        assert args.command in ("serve", "check", "verify")
