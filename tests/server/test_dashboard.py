"""The dashboard at /__admin/ as HTML and fragments, driven through httpx.ASGITransport.

What a browser does with it (live updates, the form, Reset's confirm) is in tests/browser.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable

import httpx

import agentmock
from agentmock.mockserver.core import Fake
from agentmock.mockserver.model.clock import FixedClock
from agentmock.mockserver.model.messages import Request
from agentmock.mockserver.server import dashboard
from agentmock.mockserver.server.app import AdminGuard, create_app
from agentmock.mockserver.state import State

from ..helpers import fictional_vendor

Client = httpx.AsyncClient
VOICY_SOURCE = "550e8400-e29b-41d4-a716-446655440001"
VOICY = {"Authorization": "Bearer voicy_sk_test_1"}
XSS = "<img src=x onerror=alert(1)>"


def run(
    test: Callable[[Client, Fake], Awaitable[None]], *, guard: AdminGuard | None = None
) -> None:
    fake = Fake(State(random_seed=3, clock=FixedClock(1_763_776_800)))

    async def go() -> None:
        transport = httpx.ASGITransport(app=create_app(fake, guard=guard))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8080") as c:
            await test(c, fake)

    asyncio.run(go())


def rows(html: str) -> list[str]:
    """The agent ids of an agents table, in the order shown."""
    return re.findall(r'<tr data-agent="([^"]+)"', html)


def test_the_page_lists_every_vendors_seeded_agents_and_the_servers_facts() -> None:
    async def test(client: Client, fake: Fake) -> None:
        page = await client.get("/__admin/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        html = page.text
        for name, store in fake.state.vendors.items():
            profile = fake.profiles[name]
            assert f'id="agents-{name}"' in html
            for agent_id, agent in store.agents.items():
                assert f'<tr data-agent="{agent_id}">' in html
                name = agent[profile.name_field]
                assert f'<td class="name" title="{name}">{name}</td>' in html
        assert f"<dd>{agentmock.__version__}</dd>" in html
        assert "<dt>Strict mode</dt><dd>on</dd>" in html
        assert "600/min per key" in html  # Voicy's default rate limit
        assert "https://api.voicy.co" in html
        assert "curl -X POST http://127.0.0.1:8080/v1/duplicate-agent/" in html

    run(test)


def test_the_page_allows_nothing_from_outside_the_server() -> None:
    async def test(client: Client, fake: Fake) -> None:
        page = await client.get("/__admin/")
        policy = page.headers["content-security-policy"]
        assert "default-src 'none'" in policy
        assert "script-src 'self'" in policy
        assert "connect-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert re.findall(r'(?:src|href)="(https?:)?//', page.text) == []  # no CDN, no other host
        assert "<script>" not in page.text  # no inline code, which the policy would block
        for asset, kind in (("dashboard.js", "text/javascript"), ("dashboard.css", "text/css")):
            answer = await client.get(f"/__admin/assets/{asset}")
            assert answer.status_code == 200
            assert answer.headers["content-type"].startswith(kind)
        missing = await client.get("/__admin/assets/../app.py")
        assert missing.status_code == 404
        assert missing.json()["error"].startswith("agentmock: ")

    run(test)


def test_an_agent_name_that_is_html_is_shown_as_text() -> None:
    async def test(client: Client, fake: Fake) -> None:
        await client.post("/__admin/voicy/agents", json={"agent_name": XSS})
        await client.post(f"/v1/duplicate-agent/{VOICY_SOURCE}", headers=VOICY, json={"x": XSS})
        for url in ("/__admin/", "/__admin/dashboard/agents/voicy", "/__admin/dashboard/journal"):
            html = (await client.get(url)).text
            assert "<img" not in html, url
        page = (await client.get("/__admin/")).text
        shown = "&lt;img src=x onerror=alert(1)&gt;"
        assert f'<td class="name" title="{shown}">{shown}</td>' in page
        seq = fake.journal.latest
        entry = (await client.get(f"/__admin/dashboard/entry/{seq}")).text
        assert "&lt;img src=x onerror=alert(1)&gt;" in entry
        assert "<img" not in entry

    run(test)


def test_agents_are_paged_newest_first_and_only_one_page_is_read() -> None:
    async def test(client: Client, fake: Fake) -> None:
        size = dashboard.PAGE_SIZE
        added = (await client.post("/__admin/millis/agents", json=[{}] * (2 * size + 3))).json()
        everything = list(reversed(list(fake.state.millis.agents)))
        assert everything[: len(added)] == [a["id"] for a in reversed(added)]
        first = (await client.get("/__admin/dashboard/agents/millis")).text
        assert rows(first) == everything[:size]
        assert "Page 1 of 3" in first
        last = (await client.get("/__admin/dashboard/agents/millis?page=3")).text
        assert rows(last) == everything[2 * size :]
        beyond = (await client.get("/__admin/dashboard/agents/millis?page=99")).text
        assert rows(beyond) == rows(last)  # clamped to the last page
        page = (await client.get("/__admin/?page.millis=2")).text
        assert everything[size] in page
        assert everything[0] not in rows(page)
        unknown = await client.get("/__admin/dashboard/agents/nope")
        assert unknown.status_code == 404
        assert unknown.json() == {
            "error": "agentmock: unknown vendor 'nope'; expected one of millis, voicy, elevenlabs"
        }

    run(test)


def test_a_copy_shows_the_agent_it_was_duplicated_from() -> None:
    async def test(client: Client, fake: Fake) -> None:
        made = await client.post(f"/v1/duplicate-agent/{VOICY_SOURCE}", headers=VOICY)
        copy = made.json()["agent_id"]
        assert fake.state.voicy.origins == {copy: VOICY_SOURCE}
        html = (await client.get("/__admin/dashboard/agents/voicy")).text
        row = html.split(f'<tr data-agent="{copy}">')[1].split("</tr>")[0]
        assert f'<code class="origin">{VOICY_SOURCE}</code>' in row
        assert "origins" not in made.text  # never part of the wire shape
        await client.post("/__admin/reset")
        assert fake.state.voicy.origins == {}

    run(test)


def test_origins_follow_snapshot_and_rollback() -> None:
    state = State(random_seed=1)
    fake = Fake(state)
    saved = state.snapshot()
    made = fake.handle(
        Request(
            "POST", f"/v1/duplicate-agent/{VOICY_SOURCE}", {"authorization": VOICY["Authorization"]}
        )
    )
    assert made.response is not None
    assert made.response.status == 200
    assert len(state.voicy.origins) == 1
    state.rollback(saved)
    assert state.voicy.origins == {}


def test_journal_rows_filter_and_follow_what_the_page_already_has() -> None:
    async def test(client: Client, fake: Fake) -> None:
        await client.post(f"/v1/duplicate-agent/{VOICY_SOURCE}", headers=VOICY)
        await client.get("/v1/list-agents", headers={})  # 401
        await client.post("/agents/-OKdqbqetEcM4ak369ym/duplicate", headers={"authorization": "k"})
        seqs = [e.seq for e in fake.journal.entries()]

        async def shown(query: str) -> list[int]:
            html = (await client.get(f"/__admin/dashboard/journal?{query}")).text
            return [int(s) for s in re.findall(r'<tr data-seq="(\d+)"', html)]

        assert await shown("") == seqs[::-1]  # newest first
        assert await shown("vendor=voicy") == [seqs[1], seqs[0]]
        assert await shown("operation=duplicateAgent") == [seqs[2], seqs[0]]
        assert await shown("status=4xx") == [seqs[1]]
        assert await shown("status=200") == [seqs[2], seqs[0]]
        assert await shown("status=401") == [seqs[1]]
        assert await shown(f"after={seqs[0]}") == [seqs[2], seqs[1]]
        assert await shown("after=junk&status=nonsense") == []

    run(test)


def test_the_revision_and_epoch_tell_the_page_when_to_read_again() -> None:
    async def test(client: Client, fake: Fake) -> None:
        async def marks() -> tuple[str, str]:
            answer = await client.get("/__admin/dashboard/journal")
            return answer.headers["x-agentmock-revision"], answer.headers[
                "x-agentmock-journal-epoch"
            ]

        first, epoch = await marks()
        assert await marks() == (first, epoch)  # nothing happened: nothing to read
        await client.post("/__admin/millis/agents", json={})  # not journalled, still a change
        second, _ = await marks()
        assert second != first
        await client.post(
            "/__admin/faults", json={"vendor": "millis", "operation": "*", "kind": "drop"}
        )
        third, _ = await marks()
        assert third != second
        await client.post("/__admin/reset")
        _, after_reset = await marks()
        assert after_reset != epoch

    run(test)


def test_an_entry_shows_its_bodies_with_keys_redacted() -> None:
    async def test(client: Client, fake: Fake) -> None:
        await client.post(
            f"/v1/duplicate-agent/{VOICY_SOURCE}", headers=VOICY, json={"agent_name": "Shown"}
        )
        html = (await client.get(f"/__admin/dashboard/entry/{fake.journal.latest}")).text
        assert "authorization: [redacted]" in html
        assert "voicy_sk_test_1" not in html
        assert "&#34;agent_name&#34;: &#34;Shown&#34;" in html  # the request body
        assert "Response body (200)" in html
        gone = await client.get("/__admin/dashboard/entry/999")
        assert gone.status_code == 404
        assert "bounded" in gone.json()["error"]

    run(test)


def test_one_queued_fault_is_removed_by_its_id() -> None:
    async def test(client: Client, fake: Fake) -> None:
        spec = {"vendor": "voicy", "operation": "duplicateAgent", "kind": "status", "status": 503}
        added = (await client.post("/__admin/faults", json=[spec, spec])).json()
        first, second = (f["id"] for f in added)
        assert first != second
        html = (await client.get("/__admin/dashboard/faults")).text
        assert f'data-remove="{first}"' in html
        assert f'data-remove="{second}"' in html
        assert (await client.delete(f"/__admin/faults/{first}")).status_code == 204
        assert [f["id"] for f in (await client.get("/__admin/faults")).json()] == [second]
        again = await client.delete(f"/__admin/faults/{first}")
        assert again.status_code == 404
        assert again.json()["error"].startswith("agentmock: no queued fault")
        wrong = await client.get(f"/__admin/faults/{second}")
        assert wrong.status_code == 405
        assert [f["id"] for f in (await client.get("/__admin/faults")).json()] == [second]

    run(test)


def test_head_on_the_page_changes_nothing_and_the_bare_path_redirects() -> None:
    async def test(client: Client, fake: Fake) -> None:
        before = fake.state.snapshot().data
        head = await client.head("/__admin/?token=x")
        assert head.status_code == 303  # no token configured: the cookie is harmless
        head = await client.head("/__admin/")
        assert head.status_code == 200
        assert head.content == b""
        assert fake.state.snapshot().data == before
        bare = await client.get("/__admin")
        assert (bare.status_code, bare.headers["location"]) == (308, "/__admin/")

    run(test)


def test_a_foreign_page_cannot_load_or_drive_the_dashboard() -> None:
    async def test(client: Client, fake: Fake) -> None:
        framed = await client.get("/__admin/", headers={"Sec-Fetch-Site": "cross-site"})
        assert framed.status_code == 403
        assert framed.json()["error"].startswith("agentmock: cross-site")
        foreign = {"Origin": "http://evil.example"}
        removal = await client.delete("/__admin/faults/1", headers=foreign)
        assert removal.status_code == 403

    run(test, guard=AdminGuard(hosts=frozenset({"127.0.0.1"})))


def test_with_an_admin_token_the_page_takes_it_once_and_keeps_it_in_a_cookie() -> None:
    async def test(client: Client, fake: Fake) -> None:
        refused = await client.get("/__admin/")
        assert refused.status_code == 401
        assert "/__admin/?token=TOKEN" in refused.json()["error"]
        assert (await client.get("/__admin/?token=wrong")).status_code == 401
        assert (await client.get("/__admin/assets/dashboard.js?token=s3cret")).status_code == 401
        taken = await client.get("/__admin/?token=s3cret")
        assert taken.status_code == 303
        assert taken.headers["location"] == "/__admin/"  # the token leaves the address bar
        cookie = taken.headers["set-cookie"].lower()
        assert cookie.startswith(f"{dashboard.TOKEN_COOKIE}=s3cret;")
        assert "httponly" in cookie
        assert "samesite=strict" in cookie
        assert "path=/__admin" in cookie
        client.cookies.clear()  # the jar keeps what the redirect set; send exactly one
        client.cookies.set(dashboard.TOKEN_COOKIE, "s3cret")
        assert (await client.get("/__admin/")).status_code == 200
        assert (await client.post("/__admin/reset")).status_code == 200
        client.cookies.clear()
        client.cookies.set(dashboard.TOKEN_COOKIE, "stale")
        assert (await client.post("/__admin/reset")).status_code == 401

    run(test, guard=AdminGuard(token="s3cret"))


def test_a_vendor_registered_at_run_time_gets_its_section_with_no_page_edit() -> None:
    with fictional_vendor() as name:

        async def test(client: Client, fake: Fake) -> None:
            html = (await client.get("/__admin/")).text
            assert f'id="agents-{name}"' in html
            assert f'<option value="{name}">' in html  # the fault form's vendors
            for agent_id in fake.state.vendor(name).agents:
                assert f'<tr data-agent="{agent_id}">' in html

        run(test)


def test_ten_thousand_agents_render_one_page() -> None:
    count = 10_000

    async def test(client: Client, fake: Fake) -> None:
        await client.post(
            "/__admin/voicy/agents", json=[{"agent_name": f"n{i}"} for i in range(count)]
        )
        html = (await client.get("/__admin/")).text
        voicy = html.split('id="agents-voicy"')[1].split("</section>")[0]
        assert len(rows(voicy)) == dashboard.PAGE_SIZE
        pages = -(-(count + 3) // dashboard.PAGE_SIZE)
        assert f"Page 1 of {pages}" in voicy
        assert f"{count + 3} in all" in voicy

    run(test)


def test_the_page_can_tell_a_restarted_server_from_the_one_it_was_served_by() -> None:
    seen: list[str] = []

    async def test(client: Client, fake: Fake) -> None:
        page = (await client.get("/__admin/")).text
        instance = re.search(r'data-instance="([0-9a-f]+)"', page)
        assert instance is not None
        for _ in range(2):
            answer = await client.get("/__admin/dashboard/journal")
            assert answer.headers["x-agentmock-instance"] == instance.group(1)
        seen.append(instance.group(1))

    run(test)
    run(test)  # another app: another server as far as an open page is concerned
    assert seen[0] != seen[1]


def test_columns_are_short_with_their_path_and_times_read_as_dates() -> None:
    """At 1280 px a header like `conversation_config.agent.prompt.llm` overflowed: headers are
    the path's last words with the path on hover, and times are dates with the raw value on
    hover, whether the vendor sends Unix seconds or ISO 8601."""

    async def test(client: Client, fake: Fake) -> None:
        fake.add_agent("millis", {"name": "Timed", "created_at": 1_763_776_800})
        voicy = {"agent_name": "Deployed", "deployed_at": "2025-11-22T02:00:00Z"}
        fake.add_agent("voicy", voicy)
        html = (await client.get("/__admin/")).text
        assert '<th title="created_at">created at</th>' in html
        assert '<th title="config.voice.provider">provider</th>' in html
        assert '<th title="account.name">account name</th>' in html
        assert '<td title="1763776800 (times in UTC)">2025-11-22 02:00</td>' in html
        assert '<td title="2025-11-22T02:00:00Z (times in UTC)">2025-11-22 02:00</td>' in html

    run(test)
