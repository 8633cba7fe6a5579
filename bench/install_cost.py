"""What installing agentmock (plain, no extras) adds to a one-test pytest run, side by side.

Run by hand (not in CI):  python bench/install_cost.py [--runs 15]

Four fresh venvs: pytest alone; pytest and httpx (the consumer's own stack: agentmock fakes
httpx clients, so its users have httpx, and with it anyio's pytest plugin); pytest, httpx and
respx (respx brings its own pytest11 plugin, which imports respx, httpx and httpcore at every
pytest start: the issue allows that plugin, so this row shows what is respx's and what is
ours); and pytest with agentmock's wheel (built from this checkout, no extras). The same
one-test project runs in each, alternately; the medians are compared. Bytecode caching is
on, as on a developer's machine (this workplace sets PYTHONDONTWRITEBYTECODE, which makes
pytest re-rewrite every plugin module on every run). Target (issue 9): <= 50 ms. Also lists
the pytest11 plugins.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _venv(where: Path, *packages: str) -> Path:
    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", *packages], check=True, cwd=where)
    return python


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp, ROOT],
            check=True,
            cwd=tmp,
        )
        (wheel,) = tmp.glob("agentmock-*.whl")
        bare = _venv(tmp / "bare", "pytest")
        httpx = _venv(tmp / "httpx", "pytest", "httpx")
        respx = _venv(tmp / "respx", "pytest", "httpx", "respx")
        ours = _venv(tmp / "ours", "pytest", str(wheel))
        project = tmp / "project"
        project.mkdir()
        (project / "test_one.py").write_text("def test_one():\n    assert True\n")
        times: dict[Path | str, list[float]] = {
            bare: [],
            httpx: [],
            respx: [],
            ours: [],
            "own": [],
        }
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        for _ in range(args.runs + 2):
            for python in times:
                # "own": the agentmock venv without agentmock's plugin, to isolate its cost.
                flags = ["-p", "no:agentmock"] if python == "own" else []
                started = time.perf_counter()
                subprocess.run(
                    [ours if python == "own" else python, "-m", "pytest", "-q", *flags],
                    cwd=project,
                    check=True,
                    capture_output=True,
                    env=env,
                )
                times[python].append(time.perf_counter() - started)
        plugins = subprocess.run(
            [
                ours,
                "-c",
                "from importlib.metadata import entry_points as e;"
                "print(', '.join(sorted(f'{p.name} ({p.dist.name})'"
                " for p in e(group='pytest11'))))",
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=project,
        ).stdout.strip()
    with_us, with_httpx, alone = (statistics.median(times[p][2:]) for p in (ours, httpx, bare))
    print(
        f"one-test pytest run (median of {args.runs}): {with_us * 1e3:.0f} ms with agentmock; "
        f"{with_httpx * 1e3:.0f} ms with pytest and httpx: +{(with_us - with_httpx) * 1e3:.0f} ms "
        f"(target <= 50 ms); {alone * 1e3:.0f} ms with pytest alone: "
        f"+{(with_us - alone) * 1e3:.0f} ms"
    )
    with_respx = statistics.median(times[respx][2:])
    print(
        f"pytest, httpx and respx: {with_respx * 1e3:.0f} ms (respx's own plugin: "
        f"+{(with_respx - with_httpx) * 1e3:.0f} ms); agentmock on top of them: "
        f"+{(with_us - with_respx) * 1e3:.0f} ms (target <= 50 ms)"
    )
    own = with_us - statistics.median(times["own"][2:])
    print(f"agentmock's own plugin (the same venv with -p no:agentmock): +{own * 1e3:.0f} ms")
    print(f"pytest11 plugins in the agentmock venv: {plugins}")


if __name__ == "__main__":
    main()
