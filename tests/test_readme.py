"""The README's set-up commands and examples stay true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
PYTHON = [body for language, body in FENCE.findall(README) if language == "python"]
TEST_FILE = re.compile(r"^# (test_\w+\.py)\n")


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


def test_readme_python_snippets_run() -> None:
    snippets = [body for body in PYTHON if not TEST_FILE.match(body)]
    assert snippets
    namespace: dict[str, object] = {"__name__": "readme"}
    for snippet in snippets:
        exec(compile(snippet, "README.md", "exec"), namespace)


@pytest.mark.slow
def test_readme_test_files_pass(pytester: pytest.Pytester) -> None:
    files = {m.group(1): body for body in PYTHON if (m := TEST_FILE.match(body))}
    assert files
    for name, body in files.items():
        pytester.makepyfile(**{name.removesuffix(".py"): body})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error")
    tests = sum(body.count("\ndef test_") + body.count(".TestCase\n") for body in files.values())
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == outcomes.get("errors", 0) == 0, result.stdout.str()
    assert outcomes.get("passed", 0) >= tests  # parametrized tests count more than once
