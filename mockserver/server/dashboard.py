"""The dashboard at `/__admin/`: the fake's agents, journal and faults, and its facts.

One server-rendered page (Jinja2, every value autoescaped) and a small script of its own that
polls for changes and drives the admin API; nothing is fetched from outside the server, so it
works offline, and a Content-Security-Policy keeps it that way. The page is reached like the
rest of the admin API (the same `AdminGuard`); with `--admin-token`, `GET /__admin/?token=TOKEN`
sets an HttpOnly, SameSite=Strict cookie once and the browser sends it from then on.

Parts of the page are fragments the script fetches again when the server's revision changes
(a journal entry, an agent added or removed, a fault queued or fired):

    GET /__admin/dashboard/agents/{vendor}?page=N   one page of a vendor's agents, newest first
    GET /__admin/dashboard/journal?after=SEQ&vendor=&operation=&status=   journal rows
    GET /__admin/dashboard/faults                   the queue
    GET /__admin/dashboard/entry/{seq}              one exchange's headers and bodies
"""

from __future__ import annotations

import functools
import math
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from starlette.convertors import IntegerConvertor, register_url_convertor
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

import agentmock
from agentmock import contracts
from agentmock.mockserver import vendors

if TYPE_CHECKING:
    from collections.abc import Callable

    import jinja2
    from starlette.requests import Request

    from agentmock.mockserver.core import Fake
    from agentmock.mockserver.journal import Entry
    from agentmock.mockserver.model.store import VendorStore
    from agentmock.mockserver.model.types import JSON, JSONObject

__all__ = ["JOURNAL_ROWS", "PAGE_SIZE", "TOKEN_COOKIE", "routes"]

TOKEN_COOKIE = "agentmock_admin_token"  # what the browser sends instead of the token header


class _Id(IntegerConvertor):
    """A number in a path (`/__admin/faults/{id}`), at most 18 digits: Starlette's `int`
    matches any run of digits and then fails in int() past Python's 4,300-digit limit (a 500);
    a longer one here simply matches no route (the admin API's 404)."""

    regex = "[0-9]{1,18}"


register_url_convertor("agentmock_int", _Id())

TOKEN_VERIFIED = "agentmock.token_verified"
"""Set in the ASGI scope by the admin guard: this request's `?token=` is the admin token."""
PAGE_SIZE = 25  # agents per vendor per page: 10,000 agents are 400 pages, not one long table
JOURNAL_ROWS = 100  # journal rows the page shows (newest first); the journal itself keeps more
WEB = Path(__file__).with_name("web")
_ASSETS = {"dashboard.js": "text/javascript", "dashboard.css": "text/css"}
_HEADERS = {
    # Only this server's own script, styles and requests; no frames, no inline code. A name
    # that slipped past escaping could still not run.
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


@functools.cache
def _templates() -> jinja2.Environment:
    import jinja2  # imported on the first page view: fixtures and the check never need it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pretty"] = _pretty
    env.filters["clock"] = _clock
    return env


def _render(name: str, **context: Any) -> HTMLResponse:
    html = _templates().get_template(name).render(**context)
    return HTMLResponse(html, headers=_HEADERS)


@functools.cache
def _asset(name: str) -> bytes:
    return (WEB / name).read_bytes()  # read once: they are package data


def _pretty(value: JSON) -> str:
    if isinstance(value, str):
        return value
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except TypeError:  # an integer past 64 bits
        return repr(value)


def _clock(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


# -- what the page shows --------------------------------------------------------------------


def _value(agent: JSONObject, path: str) -> Any:
    value: Any = agent
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _field(agent: JSONObject, path: str) -> str:
    """A dotted path's value as text (`account.name`), `-` when absent."""
    value = _value(agent, path)
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "-"
    return "-" if value is None else str(value)


_TIME_NAMES = ("_at", "_at_unix_secs", "_unix_secs", "_time")
_EPOCHS = (946_684_800, 4_102_444_800)  # 2000 to 2100, in seconds


def _cell(agent: JSONObject, path: str) -> dict[str, str]:
    """A key field as the page shows it: `text`, and the raw value on hover (`raw`, "" when it
    says nothing more). A time (a field named like one: `created_at`, `..._unix_secs`) reads as
    `2025-11-22 02:00` (UTC), whether the vendor sends Unix seconds or ISO 8601."""
    raw = _field(agent, path)
    value = _value(agent, path)
    if path.rsplit(".", 1)[-1].endswith(_TIME_NAMES):
        when: datetime | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            if _EPOCHS[0] <= value < _EPOCHS[1]:
                when = datetime.fromtimestamp(value, UTC)
        elif isinstance(value, str):
            try:
                when = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
            except ValueError:
                when = None
        if when is not None:
            return {"text": when.strftime("%Y-%m-%d %H:%M"), "raw": f"{raw} (times in UTC)"}
    return {"text": raw, "raw": raw if len(raw) > 40 else ""}


def _label(path: str) -> dict[str, str]:
    """A column's short label (the path's last part, as words; with its parent's where the last
    says little alone) and its full path on hover: `conversation_config.agent.prompt.llm` ->
    `llm`, `metadata.created_at_unix_secs` -> `created at`, `account.name` -> `account name`."""
    parts = path.split(".")
    last = parts[-1].removesuffix("_unix_secs")
    if last in ("name", "id", "type") and len(parts) > 1:
        last = f"{parts[-2]} {last}"
    return {"label": last.replace("_", " "), "path": path}


def agents_page(store: VendorStore, page: int) -> dict[str, Any]:
    """One page of a vendor's agents, newest first. Only that page's agents are decoded: the
    store keeps JSON bytes, so 10,000 agents cost a key list, not 10,000 parses."""
    profile = vendors.profile(store.vendor)
    ids = list(store.agents)
    pages = max(1, math.ceil(len(ids) / PAGE_SIZE))
    page = min(max(page, 1), pages)
    end = len(ids) - (page - 1) * PAGE_SIZE
    shown = reversed(ids[max(0, end - PAGE_SIZE) : end])
    rows: list[dict[str, Any]] = []
    for agent_id in shown:
        agent = store.agents[agent_id]
        rows.append(
            {
                "id": agent_id,
                "name": _field(agent, profile.name_field),
                "fields": [_cell(agent, path) for path in profile.key_fields],
                "origin": store.origins.get(agent_id),
                "json": agent,
            }
        )
    return {
        "vendor": profile.name,
        "title": profile.title,
        "columns": [_label(path) for path in profile.key_fields],
        "rows": rows,
        "page": page,
        "pages": pages,
        "total": len(ids),
    }


def _status_matches(status: int | None, wanted: str) -> bool:
    """`201`, `4xx`, `dropped`, or empty (any)."""
    wanted = wanted.strip().lower()
    if not wanted:
        return True
    if status is None:
        return wanted in ("dropped", "-")
    if len(wanted) == 3 and wanted.endswith("xx"):
        return str(status)[0] == wanted[0]
    return str(status) == wanted


def journal_rows(fake: Fake, params: dict[str, str]) -> list[Entry]:
    """The journal, newest first, filtered as the page's filters say, at most `JOURNAL_ROWS`."""
    vendor = params.get("vendor") or None
    operation = params.get("operation") or None
    status = params.get("status", "")
    try:
        after = int(params.get("after") or 0)
    except ValueError:
        after = 0
    rows: list[Entry] = []
    for entry in reversed(fake.journal.entries(vendor)):
        if entry.seq <= after or len(rows) >= JOURNAL_ROWS:
            break
        if operation is not None and entry.operation != operation:
            continue
        if _status_matches(entry.status, status):
            rows.append(entry)
    return rows


def revision(fake: Fake) -> str:
    """Changes whenever what the page shows may have: new journal entries, an emptied journal,
    agents added or removed, faults queued, fired or removed."""
    counts = ".".join(str(len(s.agents)) for s in fake.state.vendors.values())
    faults = ".".join(f"{f.id}:{f.hits}" for f in fake.faults.pending())
    return f"{fake.journal.epoch}-{fake.journal.latest}-{counts}-{faults}"


def _facts(fake: Fake, base_url: str, started: float) -> dict[str, Any]:
    from agentmock.mockserver.server.banner import example_curls

    uptime = int(time.monotonic() - started)
    limits = {v: limiter.per_minute for v, limiter in fake.rate_limiters.items()}
    return {
        "version": agentmock.__version__,
        "base_url": base_url,
        "vendors": [
            {
                "name": p.name,
                "title": p.title,
                "stands_in_for": contracts.base_urls(vendors.contract(p.name))[0],
                "rate_limit": limits.get(p.name),
                "agents": len(fake.state.vendor(p.name).agents),
            }
            for p in fake.profiles.values()
        ],
        "strict": fake.strict,
        "uptime": f"{uptime // 3600}h {uptime % 3600 // 60:02d}m {uptime % 60:02d}s",
        "curls": example_curls(fake, base_url),
    }


def _operations(fake: Fake) -> list[tuple[str, str]]:
    return [
        (vendor, op.operation_id) for vendor, ops in fake.router.operations.items() for op in ops
    ]


# -- the routes -----------------------------------------------------------------------------


def routes(fake: Fake, *, error: Callable[[int, str], Response]) -> list[Route]:
    """The dashboard's routes, to mount under `/__admin` beside the admin API; `error` is the
    admin API's own error answer (`{"error": "agentmock: ..."}`), used for a missing part."""
    from agentmock.mockserver.faults import KINDS

    started = time.monotonic()
    instance = secrets.token_hex(8)  # a restarted server is another: the page reloads itself

    def _page_of(request: Request, vendor: str) -> int:
        raw = request.query_params.get(f"page.{vendor}") or request.query_params.get("page")
        # ASCII digits only: "²".isdigit() is true, and int() refuses it
        return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else 1

    def _base(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    async def page(request: Request) -> Response:
        token = request.query_params.get("token")
        if token is not None:  # off the address bar; into a cookie only if it is the token
            response = RedirectResponse("/__admin/", status_code=303)
            response.headers["cache-control"] = "no-store"
            response.headers["referrer-policy"] = "no-referrer"
            if request.scope.get(TOKEN_VERIFIED) is True:
                response.set_cookie(
                    TOKEN_COOKIE, token, path="/__admin", httponly=True, samesite="strict"
                )
            return response
        with fake.state.lock:
            sections = [agents_page(s, _page_of(request, v)) for v, s in fake.state.vendors.items()]
            return _render(
                "dashboard.html",
                facts=_facts(fake, _base(request), started),
                sections=sections,
                entries=journal_rows(fake, dict(request.query_params)),
                filters=dict(request.query_params),
                faults=fake.faults.pending(),
                operations=_operations(fake),
                kinds=KINDS,
                revision=revision(fake),
                epoch=fake.journal.epoch,
                instance=instance,
                limit=JOURNAL_ROWS,
            )

    async def agents(request: Request) -> Response:
        vendor = request.path_params["vendor"]
        if vendor not in vendors.registry:
            return error(404, vendors.unknown_vendor(vendor).reason)
        with fake.state.lock:
            section = agents_page(fake.state.vendor(vendor), _page_of(request, vendor))
            return _render("_agents.html", section=section)

    async def journal(request: Request) -> Response:
        with fake.state.lock:
            response = _render(
                "_journal.html", entries=journal_rows(fake, dict(request.query_params))
            )
            response.headers["x-agentmock-revision"] = revision(fake)
            response.headers["x-agentmock-journal-epoch"] = str(fake.journal.epoch)
            response.headers["x-agentmock-instance"] = instance
        return response

    async def faults(request: Request) -> Response:
        return _render("_faults.html", faults=fake.faults.pending())

    async def entry(request: Request) -> Response:
        seq = request.path_params["seq"]
        found = next((e for e in fake.journal.entries() if e.seq == seq), None)
        if found is None:
            return error(404, f"journal entry {seq} is gone (the journal is bounded)")
        return _render("_entry.html", entry=found)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _ASSETS:
            return error(404, f"no asset {name!r}")
        return Response(_asset(name), media_type=_ASSETS[name], headers=_HEADERS)

    return [
        Route("/", page, methods=["GET"]),
        Route("/dashboard/agents/{vendor}", agents, methods=["GET"]),
        Route("/dashboard/journal", journal, methods=["GET"]),
        Route("/dashboard/faults", faults, methods=["GET"]),
        Route("/dashboard/entry/{seq:agentmock_int}", entry, methods=["GET"]),
        Route("/assets/{name}", asset, methods=["GET"]),
    ]
