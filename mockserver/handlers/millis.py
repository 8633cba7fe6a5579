"""Millis AI handlers. The fake does not model: pagination, public keys, agent usage or calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentmock.mockserver.duplication import duplicate
from agentmock.mockserver.errors import AgentNotFound
from agentmock.mockserver.state import wire_order

if TYPE_CHECKING:
    from agentmock.mockserver.handlers import Call
    from agentmock.mockserver.state import State
    from agentmock.mockserver.types import JSON, JSONObject

__all__ = [
    "create_agent",
    "delete_agent",
    "duplicate_agent",
    "get_agent",
    "list_agents",
    "update_agent",
]


def _find(state: State, call: Call) -> JSONObject:
    agent = state.millis.agents.get(call.path_params["agent_id"])
    if agent is None:
        raise AgentNotFound
    return agent


def duplicate_agent(state: State, call: Call) -> JSON:
    """The copy keeps the name, gets a fresh id and created_at; any request body is ignored."""
    source = _find(state, call)  # a fresh read: the copy can be made in it
    copy = duplicate("millis", source, minter=state.minter, clock=state.clock, copy_source=False)
    state.millis.agents[copy["id"]] = copy
    return copy


def create_agent(state: State, call: Call) -> JSON:
    body = call.body or {}
    fresh = {"id": state.minter.push_id(state.clock.now()), "created_at": int(state.clock.now())}
    agent = wire_order("millis", {**body, **fresh})
    state.millis.agents[agent["id"]] = agent
    return agent


def list_agents(state: State, call: Call) -> JSON:
    return list(state.millis.agents.values())


def get_agent(state: State, call: Call) -> JSON:
    return _find(state, call)


def update_agent(state: State, call: Call) -> JSON:
    """`name` replaces; `config` is merged into the stored config one top-level key at a time."""
    agent = _find(state, call)
    body = call.body or {}
    if "name" in body:
        agent["name"] = body["name"]
    if "config" in body:
        agent["config"] = {**agent["config"], **body["config"]}
    state.millis.agents[agent["id"]] = agent
    return agent


def delete_agent(state: State, call: Call) -> JSON:
    del state.millis.agents[_find(state, call)["id"]]
    return None
