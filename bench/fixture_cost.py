"""What a test pays for agentmock's fixtures, against respx's own `respx_mock`, side by side.

Run by hand (not in CI):  python bench/fixture_cost.py [--tests 300] [--starts 5]

1. Setup + teardown per test: tests taking `millis_mock`, `agentmock_mock` (every vendor),
   `respx_mock` and no fixture alternate in one file and do nothing, so what is timed is the
   fixtures' setup and teardown (pytest's `pytest_runtest_setup` and `pytest_runtest_teardown`
   hooks, around everything else); medians, the first ten of each kind left out.
   Targets (issue 24): millis_mock <= 1.5x respx_mock, agentmock_mock <= 2x.
2. The first use in a session (imports, contracts, the seed): a fresh pytest whose one test
   takes `millis_mock`, against one whose one test takes `respx_mock` (setup + teardown, timed
   by the same conftest), interleaved runs, medians. Target (issue 24): <= 100 ms more than
   respx_mock's first use.
"""

from __future__ import annotations

import argparse
import json
import statistics
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
    # The first few pay for imports; a run of one test (the first use) keeps it.
    warm = {k: v[10:] or v for k, v in kinds.items()}
    with open("times.json", "w") as out:
        json.dump({k: statistics.median(v) for k, v in warm.items()}, out)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=300)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()
    per_test(args.tests)
    first_use(args.starts)


def _timed_run(folder: str) -> dict[str, float]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", folder]
    subprocess.run(command, cwd=folder, check=True, capture_output=True)
    times: dict[str, float] = json.loads(Path(folder, "times.json").read_text())
    return times


def per_test(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "conftest.py").write_text(CONFTEST)
        tests = []
        for i in range(count):
            tests.append(f"def test_ours_{i}(millis_mock):\n    pass\n")
            tests.append(f"def test_all_{i}(agentmock_mock):\n    pass\n")
            tests.append(f"def test_respx_{i}(respx_mock):\n    pass\n")
            tests.append(f"def test_none_{i}():\n    pass\n")
        Path(folder, "test_cost.py").write_text("\n".join(tests))
        times = _timed_run(folder)
    ours, every, bare, none = times["ours"], times["all"], times["respx"], times["none"]
    print(
        f"setup + teardown per test (median of {count}): millis_mock {ours * 1e3:.2f} ms, "
        f"agentmock_mock {every * 1e3:.2f} ms, respx_mock {bare * 1e3:.2f} ms, "
        f"no fixture {none * 1e3:.2f} ms; ratios {ours / bare:.2f} (target <= 1.5) and "
        f"{every / bare:.2f} (target <= 2)"
    )


def first_use(starts: int) -> None:
    spent: dict[str, list[float]] = {"millis_mock": [], "respx_mock": []}
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "conftest.py").write_text(CONFTEST)
        for _ in range(starts):
            for fixture in spent:
                Path(folder, "test_first.py").write_text(f"def test_first({fixture}):\n    pass\n")
                spent[fixture].append(_timed_run(folder)["first"])
    ours, bare = (statistics.median(spent[f]) * 1e3 for f in ("millis_mock", "respx_mock"))
    print(
        f"first use in a session (median of {starts} fresh runs): millis_mock {ours:.0f} ms, "
        f"respx_mock {bare:.0f} ms: +{ours - bare:.0f} ms (target <= 100 ms)"
    )


if __name__ == "__main__":
    main()
