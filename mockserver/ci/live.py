"""`agentmock check --url`'s dealings with a live server beyond the fuzzing: keeping an
`agentmock serve` stand-in as it was found, and `--live`'s bounded duplicates of a real agent,
each copy checked against the contract and the duplicate table, then deleted."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO
from urllib.parse import urlsplit

from agentmock.mockserver.conformance import response_problems
from agentmock.mockserver.core import auth_headers
from agentmock.mockserver.model.duplication import mismatches
from agentmock.mockserver.vendors import profile

if TYPE_CHECKING:
    from collections.abc import Iterator

    from agentmock.mockserver.ci.ledger import Ledger
    from agentmock.mockserver.model.types import Vendor

__all__ = ["LIVE_DUPLICATES", "live_duplicates", "stand_in_kept", "under"]

LIVE_DUPLICATES = 2


def under(base_url: str, path: str) -> str:
    """A request's path as the contract writes it: without the base URL's own path prefix."""
    prefix = urlsplit(base_url).path.rstrip("/")
    return path[len(prefix) :] if prefix and path.startswith(prefix) else path


@contextmanager
def stand_in_kept(url: str, vendor: Vendor, key: str, out: TextIO) -> Iterator[None]:
    """Against an `agentmock serve` (it answers `/__admin/health`): accept only the check's
    key for the run (so refusing other keys is checked, as in process), and leave the stand-in
    as it was found, its seeded agents and keys included, however the fuzzing went. Any other
    server is left to the check's requests: they create, change and delete agents there."""
    import httpx

    admin = {}
    token = os.environ.get("AGENTMOCK_ADMIN_TOKEN")
    if token:
        admin["x-agentmock-admin-token"] = token
    try:
        health = httpx.get(f"{url}/__admin/health", timeout=5)
        is_agentmock = health.status_code == 200 and health.json() == {"status": "ok"}
    except (httpx.HTTPError, ValueError):
        is_agentmock = False
    if not is_agentmock:
        yield
        return
    saved = httpx.post(f"{url}/__admin/snapshot", headers=admin, timeout=10)
    if saved.status_code != 200:
        out.write(
            f"    note: {url} is an agentmock server whose admin API refused "
            f"({saved.status_code}; set AGENTMOCK_ADMIN_TOKEN): its agents will not be restored\n"
        )
        yield
        return
    try:  # from here on, whatever happens, the server goes back to the snapshot
        keyed = httpx.post(
            f"{url}/__admin/{vendor}/api-keys", headers=admin, json={"keys": [key]}, timeout=10
        )
        if keyed.status_code == 201:
            out.write(
                f"    {url} is an agentmock server: only the check's key, restored afterwards\n"
            )
        else:
            out.write(
                f"    note: {url} refused the check's key ({keyed.status_code}); "
                "restored afterwards\n"
            )
        yield
    finally:
        httpx.post(f"{url}/__admin/rollback", headers=admin, timeout=10)


def live_duplicates(
    vendor: Vendor, url: str, agent_id: str | None, key: str, out: TextIO, ledger: Ledger | None
) -> int:
    """Duplicate `agent_id` (`--agent-id`) at `url` a bounded number of times, check each
    copy, delete them all.

    The source and copies are compared in the vendor's canonical form (a documented variant,
    such as a flat `account_id` for an `account` object, is not a mismatch); a copy answered
    by its id alone is read back first. Every answer is shown to the assumption `ledger`."""
    import httpx

    from agentmock.mockserver.routing import default_router

    if agent_id is None:
        out.write("    live: no --agent-id given, so no duplicate was made (reads only)\n")
        return 0
    router = default_router()
    ops = {name: router.operation(vendor, name) for name in ("duplicateAgent", "getAgent")}
    delete = router.operation(vendor, "deleteAgent")
    rules = profile(vendor)
    problems: list[str] = []
    made: list[str] = []

    def seen(response: httpx.Response) -> None:
        if ledger is not None:
            response.read()
            path = under(url, response.request.url.path)
            ledger.observe(response.request.method, path, response.status_code, response.content)

    with httpx.Client(
        base_url=url,
        headers=auth_headers(vendor, key),
        event_hooks={"response": [seen]},
    ) as client:
        source_path = ops["getAgent"].path.format(agent_id=agent_id)
        source = client.get(source_path)
        if source.status_code != 200:
            out.write(f"agentmock check: cannot read --agent-id: {source.status_code}\n")
            return 1
        original = rules.canonical_agent(source.json())
        for attempt in range(LIVE_DUPLICATES):
            body, name = rules.live_duplicate_body(attempt)
            path = ops["duplicateAgent"].path.format(agent_id=agent_id)
            response = client.post(path, json=body)
            op = ops["duplicateAgent"]
            if response.status_code != op.success_status:
                problems.append(f"duplicate answered {response.status_code}: {response.text[:200]}")
                continue
            copy = response.json()
            made.append(copy[rules.id_field])
            for problem in response_problems(op, response.status_code, copy):
                problems.append(f"duplicate response breaks the contract: {problem}")
            if set(copy) == {rules.id_field}:  # the vendor answers the id alone: read the copy
                read = client.get(ops["getAgent"].path.format(agent_id=copy[rules.id_field]))
                copy = read.json() if read.status_code == 200 else copy
            for mismatch in mismatches(
                rules.contract, original, rules.canonical_agent(copy), agent_name=name
            ):
                problems.append(f"duplicate: {mismatch}")
                if ledger is not None:
                    ledger.contradict_property(mismatch.field, str(mismatch))
        left = []
        for copy_id in made:
            gone = client.delete(delete.path.format(agent_id=copy_id))
            if not 200 <= gone.status_code < 300:  # the vendor may list more than one
                left.append(f"{copy_id} ({gone.status_code})")
    deleted = len(made) - len(left)
    out.write(f"    live: made {len(made)} copies of {agent_id}, deleted {deleted}\n")
    if left:
        out.write(f"agentmock check: could not delete these copies: {', '.join(left)}\n")
    for line in problems:
        out.write(f"agentmock check: {vendor} {line}\n")
    return 1 if problems or left else 0
