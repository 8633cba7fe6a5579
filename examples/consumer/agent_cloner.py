"""A small, realistic consumer of both vendors' duplicate endpoints (an example for agentmock).

`clone_agent` duplicates an agent and is careful about the one thing that makes duplicating
dangerous: it is not idempotent. It retries 429 and 5xx answers (honouring `Retry-After`), and
when the connection breaks after the request was sent, it looks for the copy the server may
already have made before trying again, so a lost response never yields a second copy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx

RETRY_STATUSES = {429, 500, 502, 503, 504}
LOST = (httpx.RemoteProtocolError, httpx.ReadError, httpx.ReadTimeout, httpx.WriteError)


class CloneError(RuntimeError):
    """The vendor refused, or kept failing."""


@dataclass(frozen=True)
class Vendor:
    name: str
    base_url: str
    id_field: str
    duplicate_path: str
    list_path: str
    get_path: str
    same_copy_fields: tuple[str, ...]  # fields (present in list items) that identify a copy

    def auth(self, api_key: str) -> dict[str, str]:
        if self.name == "voicy":
            return {"Authorization": f"Bearer {api_key}"}
        return {"authorization": api_key}  # Millis: the raw key, no Bearer


MILLIS = Vendor(
    "millis",
    "https://api-west.millis.ai",
    "id",
    "/agents/{id}/duplicate",
    "/agents",
    "/agents/{id}",
    ("name", "config"),
)
VOICY = Vendor(
    "voicy",
    "https://api.voicy.co",
    "agent_id",
    "/v1/duplicate-agent/{id}",
    "/v1/list-agents",
    "/v1/get-agent/{id}",
    # Voicy's list items are lightweight: no vars_provided / vars_extracted (read the agent).
    ("agent_name", "agent_prompt", "voice_id"),
)


def clone_agent(
    vendor: Vendor,
    api_key: str,
    agent_id: str,
    *,
    name: str | None = None,
    attempts: int = 4,
    client: httpx.Client | None = None,
    sleep: Any = time.sleep,
) -> dict[str, Any]:
    """Duplicate `agent_id` once, whatever the network does; returns the copy."""
    http = client or httpx.Client(base_url=vendor.base_url, timeout=10)
    headers = vendor.auth(api_key)
    try:
        before = {a[vendor.id_field]: a for a in _list(http, vendor, headers)}
        source = before.get(agent_id)
        body = {"agent_name": name} if name is not None and vendor is VOICY else None
        path = vendor.duplicate_path.format(id=agent_id)
        for attempt in range(attempts):
            try:
                response = http.post(path, headers=headers, json=body)
            except LOST:
                # The request may have been served: find the copy before making another.
                copy = _find_copy(http, vendor, headers, before, source, name)
                if copy is not None:
                    return copy
                continue
            if response.status_code in RETRY_STATUSES and attempt < attempts - 1:
                sleep(float(response.headers.get("retry-after", 0.1 * 2**attempt)))
                continue
            if response.status_code >= 400:
                raise CloneError(f"{vendor.name} answered {response.status_code}: {response.text}")
            copy: dict[str, Any] = response.json()
            return copy
        raise CloneError(f"{vendor.name}: no copy after {attempts} attempts")
    finally:
        if client is None:
            http.close()


def _list(http: httpx.Client, vendor: Vendor, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = http.get(vendor.list_path, headers=headers)
    response.raise_for_status()
    agents: list[dict[str, Any]] = response.json()
    return agents


def _find_copy(
    http: httpx.Client,
    vendor: Vendor,
    headers: dict[str, str],
    before: dict[str, Any],
    source: dict[str, Any] | None,
    name: str | None,
) -> dict[str, Any] | None:
    if source is None:
        return None
    expected = dict(source)
    if vendor is VOICY:
        expected["agent_name"] = name if name is not None else f"Copy of {source['agent_name']}"
    for agent in _list(http, vendor, headers):
        if agent[vendor.id_field] in before:
            continue
        if all(agent.get(f) == expected.get(f) for f in vendor.same_copy_fields):
            full = http.get(vendor.get_path.format(id=agent[vendor.id_field]), headers=headers)
            full.raise_for_status()
            copy: dict[str, Any] = full.json()
            return copy
    return None
