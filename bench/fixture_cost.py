"""Setup and teardown of a test that takes `millis_mock`, against one that takes respx's own
`respx_mock`, measured side by side in one pytest run.

Run by hand (not in CI):  python bench/fixture_cost.py [--tests 300]

Tests of the two kinds alternate in one file and each does nothing, so what is timed is the
fixtures' setup and teardown (pytest's `pytest_runtest_setup` and `pytest_runtest_teardown`
hooks, around everything else). Target (issue 9): millis_mock <= 3x respx_mock.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CONFTEST = """
import json, statistics, time
import pytest

TIMES = {}

@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        TIMES.setdefault(item.name, 0.0)
        TIMES[item.name] += time.perf_counter() - started

@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        TIMES[item.name] += time.perf_counter() - started

def pytest_sessionfinish(session):
    kinds = {}
    for name, spent in TIMES.items():
        kinds.setdefault(name.split("_")[1], []).append(spent)
    warm = {k: v[10:] for k, v in kinds.items()}  # the first few pay for imports
    with open("times.json", "w") as out:
        json.dump({k: statistics.median(v) for k, v in warm.items()}, out)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "conftest.py").write_text(CONFTEST)
        tests = []
        for i in range(args.tests):
            tests.append(f"def test_ours_{i}(millis_mock):\n    pass\n")
            tests.append(f"def test_respx_{i}(respx_mock):\n    pass\n")
            tests.append(f"def test_none_{i}():\n    pass\n")
        Path(folder, "test_cost.py").write_text("\n".join(tests))
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", folder]
        subprocess.run(command, cwd=folder, check=True, capture_output=True)
        times = json.loads(Path(folder, "times.json").read_text())
    ours, bare, none = times["ours"], times["respx"], times["none"]
    print(
        f"setup + teardown per test (median of {args.tests}): millis_mock {ours * 1e3:.2f} ms, "
        f"respx_mock {bare * 1e3:.2f} ms, no fixture {none * 1e3:.2f} ms; "
        f"ratio {ours / bare:.2f} (target <= 3)"
    )


if __name__ == "__main__":
    main()
