"""What the plugin registers: the marker's help from the options themselves, and the coverage
report's hooks only in runs that ask for the report."""

from __future__ import annotations

import dataclasses

import pytest

from agentmock.pytest_plugin._options import AgentmockOptions


def test_the_marker_help_lists_every_option_with_its_default(pytester: pytest.Pytester) -> None:
    listed = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--markers")
    line = next(s for s in listed.stdout.lines if s.startswith("@pytest.mark.agentmock("))
    for option in dataclasses.fields(AgentmockOptions):
        assert f"{option.name}=" in line, option.name
    assert "allow_network=True" in line
    assert "journal_size=1000" in line
    assert "api_keys={}" in line


@pytest.mark.parametrize(
    ("args", "registered"),
    [
        ((), False),
        (("--agentmock-coverage",), True),
        (("--agentmock-coverage-fail-under=1",), True),
    ],
)
def test_the_coverage_hooks_exist_only_when_asked_for(
    pytester: pytest.Pytester, args: tuple[str, ...], registered: bool
) -> None:
    pytester.makepyfile(
        "def test_plugin(request):\n"
        "    found = request.config.pluginmanager.get_plugin('agentmock-coverage')\n"
        "    print('REGISTERED', found is not None)\n"
    )
    done = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-s", *args)
    done.stdout.fnmatch_lines([f"*REGISTERED {registered}*"])
