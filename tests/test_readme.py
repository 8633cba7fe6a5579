"""The README's set-up commands, and the examples of the README and of every documentation page
(docs/*.md, the MkDocs site), stay true: each page's Python snippets run, in order, and its
`# test_*.py` files pass under pytest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
TEST_FILE = re.compile(r"^# (test_\w+\.py)\n")
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _python(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [body for language, body in FENCE.findall(text) if language == "python"]


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


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_python_snippets_run(page: Path) -> None:
    snippets = [body for body in _python(page) if not TEST_FILE.match(body)]
    namespace: dict[str, object] = {"__name__": page.stem}
    for snippet in snippets:
        exec(compile(snippet, str(page), "exec"), namespace)


def test_the_readme_and_the_fixtures_page_have_examples_of_both_kinds() -> None:
    for page in (ROOT / "README.md", ROOT / "docs" / "fixtures.md"):
        bodies = _python(page)
        assert any(TEST_FILE.match(b) for b in bodies), page
        assert any(not TEST_FILE.match(b) for b in bodies) or page.name == "fixtures.md", page


@pytest.mark.slow
@pytest.mark.parametrize(
    "page", [p for p in PAGES if any(TEST_FILE.match(b) for b in _python(p))], ids=lambda p: p.name
)
def test_test_files_pass(pytester: pytest.Pytester, page: Path) -> None:
    files = {m.group(1): body for body in _python(page) if (m := TEST_FILE.match(body))}
    for name, body in files.items():
        pytester.makepyfile(**{name.removesuffix(".py"): body})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error")
    tests = sum(body.count("\ndef test_") + body.count(".TestCase\n") for body in files.values())
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == outcomes.get("errors", 0) == 0, result.stdout.str()
    assert outcomes.get("passed", 0) >= tests  # parametrized tests count more than once


def test_every_documentation_page_is_in_the_sites_navigation() -> None:
    import yaml

    site = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    listed = {next(iter(entry.values())) for entry in site["nav"]}
    assert listed == {p.name for p in (ROOT / "docs").glob("*.md")}
    assert site["strict"] is True
