"""The dashboard in a real headless Chromium (Debian's `chromium`, driven by playwright),
against a real `agentmock serve` process.

Every test also checks, on the way out, that the page logged no console error or warning and
requested nothing outside the server's origin. Without a chromium the tests skip, naming the
package to install; `AGENTMOCK_REQUIRE_BROWSER=1` (set by CI) turns that skip into a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from ..helpers import Served, serving

pytestmark = pytest.mark.slow  # chromium; CI runs it (pytest -m slow)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

CHROMIUM = (
    os.environ.get("AGENTMOCK_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)
# As root, in a sandbox whose network is closed: no sandboxing of its own, no background calls.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VOICY = {"Authorization": "Bearer voicy_sk_test_1"}
VOICY_SOURCE = "550e8400-e29b-41d4-a716-446655440001"
XSS = "<img src=x onerror=alert(1)>"
LIVE = 4_000  # ms: the page polls every second; "within a couple of seconds", with slack


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if CHROMIUM is None:
        reason = "no chromium here: `apt-get install chromium` runs the dashboard's browser tests"
        if os.environ.get("AGENTMOCK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"AGENTMOCK_REQUIRE_BROWSER=1, but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with serving() as server:
        yield server


@dataclass
class Dashboard:
    page: Page
    url: str
    problems: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: str = "/__admin/") -> None:
        self.page.goto(f"{self.url}{path}")

    def agents(self, vendor: str) -> list[str]:
        """The agent ids the page shows for `vendor`, in order."""
        rows = self.page.locator(f"#agents-{vendor} tr[data-agent]")
        return [rows.nth(i).get_attribute("data-agent") or "" for i in range(rows.count())]


def _watch(page: Page, url: str) -> Dashboard:
    dashboard = Dashboard(page, url)
    page.on(
        "console",
        lambda m: (
            dashboard.problems.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda error: dashboard.problems.append(f"page error: {error}"))
    page.on(
        "request",
        lambda r: None if r.url.startswith(f"{url}/") else dashboard.foreign.append(r.url),
    )
    return dashboard


@pytest.fixture
def dash(browser: Browser, served: Served) -> Iterator[Dashboard]:
    httpx.post(f"{served.url}/__admin/reset").raise_for_status()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(LIVE)
    dashboard = _watch(page, served.url)
    dashboard.open()
    yield dashboard
    context.close()
    assert dashboard.problems == [], "the page logged errors"
    assert dashboard.foreign == [], "the page requested something outside the server"


def test_the_seeded_agents_of_every_vendor_are_listed(dash: Dashboard) -> None:
    from playwright.sync_api import expect

    from agentmock.mockserver import vendors

    for vendor in vendors.names():
        seeded = httpx.get(f"{dash.url}/__admin/{vendor}/agents").json()
        assert seeded
        ids = [a.get("agent_id") or a["id"] for a in seeded]
        assert sorted(dash.agents(vendor)) == sorted(ids)
        for agent in seeded:
            name = agent.get("agent_name") or agent["name"]
            row = dash.page.locator(f'#agents-{vendor} tr[data-agent="{ids[seeded.index(agent)]}"]')
            expect(row.locator("td.name")).to_have_text(name)


def test_an_agents_json_opens_on_a_click(dash: Dashboard) -> None:
    from playwright.sync_api import expect

    row = dash.page.locator(f'#agents-voicy tr[data-agent="{VOICY_SOURCE}"]')
    json = row.locator("pre.json")
    expect(json).to_be_hidden()
    row.locator("summary").click()
    expect(json).to_be_visible()
    expect(json).to_contain_text('"agent_name": "Customer Support Agent"')


def test_a_duplicate_made_with_httpx_appears_live(dash: Dashboard) -> None:
    from playwright.sync_api import expect

    dash.page.evaluate("window.stillTheSamePage = true")
    made = httpx.post(
        f"{dash.url}/v1/duplicate-agent/{VOICY_SOURCE}", headers=VOICY, json={"agent_name": "Live"}
    )
    copy = made.json()["agent_id"]
    row = dash.page.locator("#journal-rows tr[data-seq]").first
    expect(row).to_contain_text("duplicateAgent", timeout=LIVE)
    expect(row.locator("td.status")).to_have_text("200")
    agent = dash.page.locator(f'#agents-voicy tr[data-agent="{copy}"]')
    expect(agent.locator("td.name")).to_have_text("Live", timeout=LIVE)
    expect(agent.locator("code.origin")).to_have_text(VOICY_SOURCE)  # what it was copied from
    assert dash.page.evaluate("window.stillTheSamePage") is True  # no reload


def test_a_fault_added_through_the_form_fires_on_the_next_request(dash: Dashboard) -> None:
    from playwright.sync_api import expect

    page = dash.page
    page.get_by_label("Vendor", exact=True).select_option("voicy")
    page.get_by_label("Operation", exact=True).select_option("duplicateAgent")
    page.get_by_label("Kind", exact=True).select_option("status")
    page.get_by_label("Status", exact=True).fill("503")
    page.get_by_label("Times", exact=True).fill("1")
    page.get_by_role("button", name="Add fault").click()
    queued = page.locator("#fault-list tr[data-fault]")
    expect(queued).to_have_count(1)
    expect(queued).to_contain_text("duplicateAgent")
    assert [f["status"] for f in httpx.get(f"{dash.url}/__admin/faults").json()] == [503]

    answer = httpx.post(f"{dash.url}/v1/duplicate-agent/{VOICY_SOURCE}", headers=VOICY)
    assert answer.status_code == 503
    expect(queued).to_have_count(0, timeout=LIVE)  # fired once, gone from the queue
    row = page.locator("#journal-rows tr[data-seq]").first
    expect(row.locator("td.status")).to_have_text("503", timeout=LIVE)
    expect(row).to_contain_text("status")  # the fault column


def test_the_form_fits_its_fields_to_the_vendor_and_kind(dash: Dashboard) -> None:
    page = dash.page
    page.get_by_label("Vendor", exact=True).select_option("millis")
    hidden = page.locator("#fault-operation option[data-vendor='voicy']").first
    assert hidden.evaluate("option => option.hidden") is True
    page.get_by_label("Kind", exact=True).select_option("delay")
    assert page.get_by_label("Seconds", exact=True).is_enabled()
    assert page.get_by_label("Status", exact=True).is_disabled()


def test_a_refused_fault_says_why_and_queues_nothing(dash: Dashboard) -> None:
    from playwright.sync_api import expect

    page = dash.page
    page.get_by_label("Kind", exact=True).select_option("drop")
    page.get_by_label("Times", exact=True).fill("2000000")  # the form allows it; the server not
    page.get_by_role("button", name="Add fault").click()
    expect(page.get_by_role("alert")).to_contain_text("agentmock: times must be a whole number")
    assert httpx.get(f"{dash.url}/__admin/faults").json() == []
    assert [p for p in dash.problems if "400" not in p] == []
    dash.problems.clear()  # the browser logs the 400 it was answered; that is the point here


def test_each_queued_fault_has_a_remove_button(dash: Dashboard) -> None:
    from playwright.sync_api import expect

    spec = {"vendor": "millis", "operation": "*", "kind": "drop", "times": 3}
    httpx.post(f"{dash.url}/__admin/faults", json=[spec, spec]).raise_for_status()
    queued = dash.page.locator("#fault-list tr[data-fault]")
    expect(queued).to_have_count(2, timeout=LIVE)
    first = queued.first.get_attribute("data-fault")
    dash.page.get_by_role("button", name=f"Remove fault {first}").click()
    expect(queued).to_have_count(1)
    left = httpx.get(f"{dash.url}/__admin/faults").json()
    assert len(left) == 1
    assert str(left[0]["id"]) != first


def test_reset_asks_first_then_restores_the_seed(dash: Dashboard) -> None:
    from playwright.sync_api import expect

    seeded = sorted(dash.agents("voicy"))
    httpx.post(f"{dash.url}/v1/duplicate-agent/{VOICY_SOURCE}", headers=VOICY).raise_for_status()
    expect(dash.page.locator("#agents-voicy tr[data-agent]")).to_have_count(
        len(seeded) + 1, timeout=LIVE
    )

    def answer(dialog: Dialog, accept: bool) -> None:
        dash.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.accept() if accept else dialog.dismiss()

    dash.page.once("dialog", lambda d: answer(d, False))
    dash.page.get_by_role("button", name="Reset").click()
    assert dash.dialogs
    assert dash.dialogs[0].startswith("confirm: Reset every vendor")
    assert len(httpx.get(f"{dash.url}/__admin/voicy/agents").json()) == len(seeded) + 1

    dash.page.once("dialog", lambda d: answer(d, True))
    with dash.page.expect_navigation():
        dash.page.get_by_role("button", name="Reset").click()
    assert sorted(dash.agents("voicy")) == seeded
    assert len(httpx.get(f"{dash.url}/__admin/voicy/agents").json()) == len(seeded)
    expect(dash.page.locator("#journal-rows tr[data-seq]")).to_have_count(0)


def test_an_agent_whose_name_is_html_is_shown_as_text(dash: Dashboard) -> None:
    from playwright.sync_api import expect

    added = httpx.post(f"{dash.url}/__admin/voicy/agents", json={"agent_name": XSS}).json()

    def dismiss(dialog: Dialog) -> None:
        dash.dialogs.append(dialog.message)
        dialog.dismiss()

    dash.page.on("dialog", dismiss)
    name = dash.page.locator(f'tr[data-agent="{added["agent_id"]}"] td.name')
    expect(name).to_have_text(XSS, timeout=LIVE)  # arrived live, through a fragment
    dash.open()  # and rendered whole
    expect(name).to_have_text(XSS)
    assert dash.page.locator("main img").count() == 0
    dash.page.wait_for_timeout(300)
    assert dash.dialogs == []  # onerror=alert(1) never ran


def test_the_journal_filters_by_vendor_operation_and_status(dash: Dashboard) -> None:
    from playwright.sync_api import expect

    httpx.post(f"{dash.url}/v1/duplicate-agent/{VOICY_SOURCE}", headers=VOICY)
    httpx.get(f"{dash.url}/agents", headers={"authorization": "k"})
    httpx.get(f"{dash.url}/agents")  # no key: 422 (FastAPI checks the request first)
    rows = dash.page.locator("#journal-rows tr[data-seq]")
    expect(rows).to_have_count(3, timeout=LIVE)
    dash.page.get_by_label("Vendor filter").select_option("millis")
    expect(rows).to_have_count(2)
    dash.page.get_by_label("Status filter").fill("4xx")
    dash.page.get_by_label("Status filter").press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td.status")).to_have_text("422")
    dash.page.get_by_label("Status filter").fill("")
    dash.page.get_by_label("Vendor filter").select_option("")
    dash.page.get_by_label("Operation filter").select_option("duplicateAgent")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("voicy")


def test_an_exchanges_bodies_open_on_demand_with_the_key_redacted(dash: Dashboard) -> None:
    from playwright.sync_api import expect

    httpx.post(
        f"{dash.url}/v1/duplicate-agent/{VOICY_SOURCE}", headers=VOICY, json={"agent_name": "Body"}
    )
    row = dash.page.locator("#journal-rows tr[data-seq]").first
    expect(row).to_be_visible(timeout=LIVE)
    row.locator("summary").click()
    bodies = row.locator(".bodies")
    expect(bodies).to_contain_text("authorization: [redacted]")
    expect(bodies).to_contain_text('"agent_name": "Body"')
    expect(bodies).not_to_contain_text("voicy_sk_test_1")


def test_agents_page_without_reloading(dash: Dashboard) -> None:
    from playwright.sync_api import expect

    httpx.post(f"{dash.url}/__admin/millis/agents", json=[{}] * 60).raise_for_status()
    dash.open()
    dash.page.evaluate("window.stillTheSamePage = true")
    section = dash.page.locator("#agents-millis")
    expect(section.locator("tr[data-agent]")).to_have_count(25)
    first_page = dash.agents("millis")
    section.get_by_role("link", name="Older").click()
    expect(section).to_contain_text("Page 2 of 3")
    assert not set(dash.agents("millis")) & set(first_page)
    assert dash.page.evaluate("window.stillTheSamePage") is True


def test_with_an_admin_token_the_page_works_once_given_the_token(browser: Browser) -> None:
    from playwright.sync_api import expect

    with serving("--admin-token", "s3cret") as server:
        assert any("/__admin/?token=<your --admin-token>" in line for line in server.banner)
        stranger = browser.new_context()  # its JSON 401 page makes chromium ask for a favicon
        refused = stranger.new_page().goto(f"{server.url}/__admin/")
        assert refused is not None
        assert refused.status == 401
        stranger.close()
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(LIVE)
        dash = _watch(page, server.url)
        dash.open("/__admin/?token=s3cret")
        assert page.url == f"{server.url}/__admin/"  # the token is off the address bar
        page.get_by_label("Kind", exact=True).select_option("drop")
        page.get_by_role("button", name="Add fault").click()
        expect(page.locator("#fault-list tr[data-fault]")).to_have_count(1)
        context.close()
        assert dash.problems == []
        assert dash.foreign == []


def test_at_1280_px_every_table_fits_and_the_journal_is_one_click_away(
    browser: Browser, served: Served, tmp_path: Path
) -> None:
    """In chromium at 1280 px: no agent table is wider than its section (long values end in an
    ellipsis, whole on hover), and the navigation stays on screen, so the journal is one click
    from anywhere on the page. A screenshot is kept for a human to look at on failure."""
    httpx.post(f"{served.url}/__admin/reset").raise_for_status()
    long = "A name long enough to overflow any column of a table at this width " * 3
    added = httpx.post(f"{served.url}/__admin/elevenlabs/agents", json={"name": long})
    assert added.status_code == 201, added.text
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        dash = _watch(page, served.url)
        dash.open()
        page.screenshot(path=str(tmp_path / "dashboard-1280.png"), full_page=True)
        overflowing = page.evaluate(
            """() => [...document.querySelectorAll('section.agents')]
                .filter(s => s.querySelector('table').scrollWidth > s.clientWidth)
                .map(s => s.id)"""
        )
        assert overflowing == []
        tallest = page.evaluate(
            "Math.max(...[...document.querySelectorAll('section.agents td.name')]"
            ".map(td => td.getBoundingClientRect().height))"
        )
        assert tallest < 40, f"a name wraps over several lines ({tallest} px)"
        page.mouse.wheel(0, 5000)  # far down the page, below the agent tables
        journal = page.locator("nav a[href='#journal']")
        assert journal.is_visible()
        page.mouse.wheel(0, -5000)  # back to the top: the agent tables stand before the journal
        journal.click()
        from playwright.sync_api import expect

        expect(page.locator("#journal-title")).to_be_in_viewport()
        assert dash.problems == []
    finally:
        context.close()
