"""Makes docs/dashboard.png, the README's screenshot: python docs/screenshot.py

The stand-in server (in this process), one Voicy duplicate, one refused request and a queued
fault, shown in Debian's chromium through playwright.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from agentmock.mockserver.server.app import create_app
from agentmock.mockserver.server.serve import BackgroundServer

OUT = Path(__file__).with_name("dashboard.png")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    server = BackgroundServer(create_app())
    url = server.url
    try:
        voicy = {"Authorization": "Bearer voicy_sk_live_xxx"}
        source = "550e8400-e29b-41d4-a716-446655440001"
        httpx.post(f"{url}/v1/duplicate-agent/{source}", headers=voicy, json={"agent_name": "Copy"})
        httpx.get(f"{url}/agents/nope", headers={"authorization": "k"})
        fault = {"vendor": "voicy", "operation": "duplicateAgent", "kind": "status", "status": 503}
        httpx.post(f"{url}/__admin/faults", json=fault)
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.goto(f"{url}/__admin/")
            page.locator("#journal-rows tr[data-seq] summary").first.click()
            page.wait_for_timeout(500)
            page.screenshot(path=str(OUT), full_page=True)
            browser.close()
    finally:
        server.stop()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
