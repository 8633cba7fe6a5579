"""Voicy handlers. Keys see their own account's agents and global ones (`account: null`);
global agents can be read and duplicated (the copy is the caller's) but not changed (403).

The fake does not model: deployments (updates keep `version` and `deployed_at`), operating-hours
behaviour, calls, or any create endpoint (Voicy documents none; seed through the admin API).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentmock.mockserver.duplication import duplicate
from agentmock.mockserver.errors import AccessDenied, AgentNotFound

if TYPE_CHECKING:
    from agentmock.mockserver.handlers import Call
    from agentmock.mockserver.state import State
    from agentmock.mockserver.types import JSON, JSONObject

__all__ = ["delete_agent", "duplicate_agent", "get_agent", "list_agents", "update_agent"]


def _find(state: State, call: Call) -> JSONObject:
    agent = state.voicy.agents.get(call.path_params["agent_id"])
    if agent is None or not state.voicy.visible(agent, call.account):
        raise AgentNotFound
    return agent


def _find_own(state: State, call: Call) -> JSONObject:
    agent = _find(state, call)
    if agent.get("account") is None:
        raise AccessDenied
    return agent


def duplicate_agent(state: State, call: Call) -> JSON:
    """Fresh UUID, version 1, deployed_at null, "Copy of <name>" unless agent_name is given."""
    source = _find(state, call)
    caller = state.voicy.accounts.get(call.account or "")
    copy = duplicate(  # `source` is a fresh read: the copy can be made in it
        "voicy",
        source,
        minter=state.minter,
        clock=state.clock,
        request=call.body,
        caller=caller,
        copy_source=False,
    )
    state.voicy.agents[copy["agent_id"]] = copy
    return copy


def list_agents(state: State, call: Call) -> JSON:
    return state.voicy.agents_of(call.account)


def get_agent(state: State, call: Call) -> JSON:
    return _find(state, call)


def update_agent(state: State, call: Call) -> JSON:
    """Any subset of the writable fields; variable arrays replace the stored ones."""
    agent = _find_own(state, call)
    updated = {**agent, **(call.body or {})}
    state.voicy.agents[agent["agent_id"]] = updated
    return updated


def delete_agent(state: State, call: Call) -> JSON:
    del state.voicy.agents[_find_own(state, call)["agent_id"]]
    return None
