"""The dashboard's first screen with 10,000 agents per vendor, against the seed alone.

Run by hand (not in CI):  python bench/dashboard.py [--agents 10000] [--runs 15]

Starts a real `agentmock serve`, times `GET /__admin/` (the whole server-rendered page) on the
seed alone, then again after adding `--agents` agents to every vendor through the admin API,
and, where Debian's chromium is installed, the time a real browser takes from navigation to
the page's `load` event, both ways, side by side. Target (issue 15): the first screen in well
under a second with 10,000 agents.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time

import httpx
from _serve import agentmock_serve

NAME_FIELD = {"voicy": "agent_name"}
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def page_ms(url: str, runs: int) -> float:
    times = []
    with httpx.Client() as client:
        for _ in range(runs):
            began = time.perf_counter()
            client.get(f"{url}/__admin/").raise_for_status()
            times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def browser_ms(url: str, runs: int) -> float | None:
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page()
        for _ in range(runs):
            page.goto(f"{url}/__admin/", wait_until="load")
            load = page.evaluate(
                "() => { const n = performance.getEntriesByType('navigation')[0];"
                " return n.loadEventEnd - n.startTime; }"
            )
            times.append(float(load))
        browser.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=10_000, help="agents added per vendor")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with agentmock_serve() as url:
        seed_page = page_ms(url, args.runs)
        seed_browser = browser_ms(url, args.runs)
        for vendor in ("millis", "voicy", "elevenlabs"):
            field = NAME_FIELD.get(vendor, "name")
            batch = [{field: f"bench agent {i}"} for i in range(args.agents)]
            httpx.post(f"{url}/__admin/{vendor}/agents", json=batch, timeout=120).raise_for_status()
        full_page = page_ms(url, args.runs)
        full_browser = browser_ms(url, args.runs)
    print(f"GET /__admin/ (server, median of {args.runs}):")
    print(f"  seed only:                       {seed_page:7.1f} ms")
    print(f"  {args.agents:,} more agents per vendor: {full_page:7.1f} ms")
    if seed_browser is None or full_browser is None:
        print("chromium: not installed (apt-get install chromium), browser times skipped")
    else:
        print(f"navigation to load in chromium (median of {args.runs}):")
        print(f"  seed only:                       {seed_browser:7.1f} ms")
        print(
            f"  {args.agents:,} more agents per vendor: {full_browser:7.1f} ms "
            "(target: well under 1,000)"
        )


if __name__ == "__main__":
    main()
