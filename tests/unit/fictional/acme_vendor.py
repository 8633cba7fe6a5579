"""A fictional vendor, registered at run time: one contract, one module, no other edit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from agentmock.mockserver.duplication import duplicate
from agentmock.mockserver.vendors import VendorProfile

if TYPE_CHECKING:
    from agentmock.mockserver.handlers import Call
    from agentmock.mockserver.state import State
    from agentmock.mockserver.types import JSON, JSONObject

__all__ = ["duplicate_agent", "get_agent", "list_agents"]

NAME = "acme"


def _find(state: State, call: Call) -> JSONObject:
    return state.vendor(NAME).find(call.path_params["agent_id"])


def duplicate_agent(state: State, call: Call) -> JSON:
    copy = duplicate(NAME, _find(state, call), minter=state.minter, clock=state.clock)
    state.vendor(NAME).keep_copy(copy, source=call.path_params["agent_id"])
    return copy


def get_agent(state: State, call: Call) -> JSON:
    return _find(state, call)


def list_agents(state: State, call: Call) -> JSON:
    agents = list(state.vendor(NAME).agents.values())
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
