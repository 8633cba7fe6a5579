"""The README's set-up commands and Python examples stay true."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def setup_commands() -> list[str]:
    language, body = FENCE.findall(README)[0]
    assert language == "sh"
    return [line.split("#")[0].strip() for line in body.splitlines() if line.strip()]


def test_readme_starts_with_exactly_two_setup_commands() -> None:
    assert README.index("```sh") < README.index("\n## ")
    serve, test = setup_commands()
    assert serve == "pip install -e . && agentmock serve"
    assert test == "pip install -e '.[dev]' && pytest"


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = setup_commands()[1]
    assert test_command in ci.splitlines()
    for check in ("ruff check .", "ruff format --check .", "mypy --strict"):
        assert check in ci.splitlines()


def test_readme_python_examples_run() -> None:
    blocks = [body for language, body in FENCE.findall(README) if language == "python"]
    assert blocks
    namespace: dict[str, object] = {"__name__": "readme"}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
