"""Millis AI: its profile and its handlers.

FastAPI underneath: the key is a required `authorization` header parameter carrying the raw
private key (no `Bearer`), so a missing key is a 422 validation error, and a request is
validated before its key is looked at. Errors are `{"detail": ...}`.

The fake does not model: pagination, public keys, agent usage or calls.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agentmock.mockserver.model.errors import ApiError, InvalidApiKey, RequestInvalid
from agentmock.mockserver.vendors._profile import VendorProfile

if TYPE_CHECKING:
    from agentmock.mockserver.model.call import Call
    from agentmock.mockserver.model.store import VendorStore
    from agentmock.mockserver.model.types import JSON, JSONObject

NAME = "millis"


@dataclass(frozen=True, kw_only=True)
class MillisProfile(VendorProfile):
    def authenticate(self, store: VendorStore, headers: dict[str, str]) -> str | None:
        key = headers[self.auth_header]  # its presence was validated first (FastAPI's 422)
        if not key.strip() or (store.api_keys and key not in store.api_keys):
            raise InvalidApiKey
        if key.strip()[:7].lower() == "bearer ":  # a raw key, never `Bearer <key>` (a client bug)
            raise InvalidApiKey
        return None

    def error_body(self, error: ApiError) -> JSON:
        if isinstance(error, RequestInvalid):
            return {"detail": [v.as_fastapi() for v in error.violations]}
        return {"detail": error.message}

    def new_agent(self, store: VendorStore, fields: JSONObject) -> JSONObject:
        agent = {**self.agent_defaults, **fields}
        if isinstance(fields.get("config"), dict):
            agent["config"] = {**self.agent_defaults["config"], **fields["config"]}
        agent.setdefault("id", store.minter.push_id(store.clock.now()))
        agent.setdefault("created_at", int(store.clock.now()))
        return agent


__all__ = [
    "create_agent",
    "delete_agent",
    "duplicate_agent",
    "get_agent",
    "list_agents",
    "update_agent",
]


def duplicate_agent(store: VendorStore, call: Call) -> JSON:
    """The copy keeps the name, gets a fresh id and created_at; any request body is ignored."""
    source = store.find(call.agent_id, call.account)  # a fresh read: the copy is made in it
    copy = store.duplicate(source)
    store.keep_copy(copy, source=call.agent_id)
    return copy


def create_agent(store: VendorStore, call: Call) -> JSON:
    body = call.body or {}
    fresh = {"id": store.minter.push_id(store.clock.now()), "created_at": int(store.clock.now())}
    return store.put(store.wire_order({**body, **fresh}))


def list_agents(store: VendorStore, call: Call) -> JSON:
    return list(store.agents.values())


def get_agent(store: VendorStore, call: Call) -> JSON:
    return store.find(call.agent_id, call.account)


def update_agent(store: VendorStore, call: Call) -> JSON:
    """`name` replaces; `config` is merged into the stored config one top-level key at a time."""
    agent = store.find(call.agent_id, call.account)
    body = call.body or {}
    if "name" in body:
        agent["name"] = body["name"]
    if "config" in body:
        agent["config"] = {**agent["config"], **body["config"]}
    return store.put(agent)


def delete_agent(store: VendorStore, call: Call) -> JSON:
    del store.agents[store.find(call.agent_id, call.account)["id"]]
    return None


PROFILE = MillisProfile(
    name=NAME,
    title="Millis AI",
    handlers=sys.modules[__name__],
    id_field="id",
    key_fields=("config.language", "config.voice.provider", "config.llm.model", "created_at"),
    auth_header="authorization",
    default_api_key="sk_test_agentmock",
    env_key="MILLIS_API_KEY",
    validate_before_auth=True,
    agent_defaults={
        "name": "Support line",
        "config": {
            "prompt": "You are a friendly voice assistant. Keep answers short.",
            "voice": {
                "provider": "elevenlabs",
                "voice_id": "21m00Tcm4TlvDq8ikWAM",
                "model": "eleven_turbo_v2_5",
            },
        },
    },
)
