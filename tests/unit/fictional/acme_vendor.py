"""A fictional vendor, registered at run time: one contract, one module, no other edit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from agentmock.mockserver.vendors import VendorProfile

if TYPE_CHECKING:
    from agentmock.mockserver.model.call import Call
    from agentmock.mockserver.model.store import VendorStore
    from agentmock.mockserver.model.types import JSON

__all__ = ["duplicate_agent", "get_agent", "list_agents"]

NAME = "acme"


def duplicate_agent(store: VendorStore, call: Call) -> JSON:
    copy = store.duplicate(store.find(call.agent_id))
    store.keep_copy(copy, source=call.agent_id)
    return copy


def get_agent(store: VendorStore, call: Call) -> JSON:
    return store.find(call.agent_id)


def list_agents(store: VendorStore, call: Call) -> JSON:
    agents = list(store.agents.values())
    tags = call.query.get("tags")
    if isinstance(tags, list):
        agents = [a for a in agents if set(tags) <= set(a.get("tags", []))]
    limit = call.query.get("limit")
    return agents[:limit] if isinstance(limit, int) else agents


PROFILE = VendorProfile(
    name=NAME,
    title="Acme Voice",
    handlers=sys.modules[__name__],
    id_field="agent_id",
    auth_header="x-acme-key",
    default_api_key="acme-test-key",
    env_key="ACME_API_KEY",
    agent_defaults={"title": "Front desk"},
    contract_path=Path(__file__).with_name("acme.openapi.yaml"),
)
