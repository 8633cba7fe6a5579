"""In-process cost of the fixtures, and what the plugin adds to every pytest run.

Run by hand (not in CI):  python bench/inprocess.py [--starts 10]

1. A Millis duplicate through `millis_mock`'s machinery (respx -> the fake's core) with a sync
   httpx client, against a bare respx route returning a static response of the same size, in
   alternating rounds in one process: as tests use it (a fresh fixture, a few calls) and in one
   long test. Target (issue 4): <= 1.5x the bare route's time per call.
2. pytest start-up with the plugin against `-p no:agentmock`, interleaved runs of
   `pytest --collect-only` over a file with one test that uses no fixture. Target: <= 50 ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import respx

from agentmock.mockserver.core import Fake
from agentmock.pytest_plugin._fixtures import RespxSession

URL = "https://api-west.millis.ai/agents/-OKdqbqetEcM4ak369ym/duplicate"
HEADERS = {"authorization": "sk_test"}


def per_call(client: httpx.Client, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        client.post(URL, headers=HEADERS)
    return (time.perf_counter() - started) / calls


def _ours(calls: int) -> float:
    session = RespxSession(Fake())
    session.mock("millis")
    try:
        with httpx.Client() as client:
            return per_call(client, calls)
    finally:
        session.close()


def _bare(calls: int, static: bytes) -> float:
    with respx.mock(assert_all_called=False) as router:
        router.post(URL).respond(200, content=static, headers={"content-type": "application/json"})
        with httpx.Client() as client:
            return per_call(client, calls)


def duplicate_rounds(calls: int, rounds: int) -> tuple[float, float]:
    """Median time per call, ours and bare, over `rounds` alternating fresh sessions."""
    session = RespxSession(Fake())
    session.mock("millis")
    with httpx.Client() as client:
        static = client.post(URL, headers=HEADERS).content  # a real copy, as the static body
    session.close()
    _ours(50), _bare(50, static)  # warm up
    ours, bare = [], []
    for _ in range(rounds):
        ours.append(_ours(calls))
        bare.append(_bare(calls, static))
    return statistics.median(ours), statistics.median(bare)


def startup(runs: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "test_nothing.py").write_text("def test_nothing():\n    assert True\n")
        base = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        with_plugin, without = [], []
        for _ in range(runs):
            for command, into in ((base, with_plugin), ([*base, "-p", "no:agentmock"], without)):
                started = time.perf_counter()
                subprocess.run(command, cwd=folder, capture_output=True, check=True)
                into.append(time.perf_counter() - started)
    return statistics.median(with_plugin), statistics.median(without)


def plugin_import(runs: int) -> float:
    """The plugin module's own import time, pytest already loaded (median, fresh processes)."""
    code = (
        "import time, pytest; t = time.perf_counter(); import agentmock.pytest_plugin.plugin; "
        "print(time.perf_counter() - t)"
    )
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=10)
    args = parser.parse_args()
    for label, calls, rounds in (
        ("per test (fresh fixture, 25 calls; 300 tests)", 25, 300),
        ("one long test (3,000 calls; 5 runs)", 3000, 5),
    ):
        ours, bare = duplicate_rounds(calls, rounds)
        print(
            f"millis duplicate via millis_mock (sync httpx), {label}: {ours * 1e6:.0f} us/call; "
            f"bare respx static route: {bare * 1e6:.0f} us/call; ratio {ours / bare:.2f} "
            "(target <= 1.5)"
        )
    with_plugin, without = startup(args.starts)
    print(
        f"pytest start-up, no fixture used: {with_plugin * 1e3:.0f} ms with agentmock, "
        f"{without * 1e3:.0f} ms with -p no:agentmock: +{(with_plugin - without) * 1e3:.0f} ms "
        "(target <= 50 ms; the difference is within run-to-run noise)"
    )
    print(f"importing pytest_plugin.plugin itself: {plugin_import(args.starts) * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
