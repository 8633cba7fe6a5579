"""One vendor's store: its agents, accepted keys and accounts, with the id minter and clock its
handlers mint and stamp with. Handlers are `(store, call) -> body`; the pipeline resolves the
store before it calls one.

The store knows its vendor only by facts (name, id field, contract file, visibility rule), so
this module sits below the vendor modules and imports none of them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, MutableMapping
from typing import TYPE_CHECKING, Any, TypeAlias

import orjson

from agentmock import contracts
from agentmock.mockserver.model import duplication
from agentmock.mockserver.model.errors import AgentNotFound
from agentmock.mockserver.model.jsonio import json_copy
from agentmock.mockserver.model.messages import json_body
from agentmock.mockserver.model.validation import SchemaCheck

if TYPE_CHECKING:
    from agentmock.mockserver.model.clock import Clock
    from agentmock.mockserver.model.ids import IdMinter
    from agentmock.mockserver.model.types import JSON, JSONObject

__all__ = ["AgentStore", "VendorStore", "agent_check", "wire_order"]


class AgentStore(MutableMapping[str, "JSONObject"]):
    """Agents by id, in insertion order, kept as JSON bytes.

    Every read is a fresh deep copy (changing what you read never changes what is stored; store
    it back to change it), snapshots are cheap, and thousands of stored agents cost the garbage
    collector nothing: under load, tracked dicts made the collector the fake's largest cost.
    """

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, bytes] | None = None) -> None:
        self._data: dict[str, bytes] = dict(data or {})

    def __getitem__(self, agent_id: str) -> JSONObject:
        agent: JSONObject = orjson.loads(self._data[agent_id])
        return agent

    def __setitem__(self, agent_id: str, agent: JSONObject) -> None:
        # Copied into an exact-size object: orjson shrinks its output buffer in place, and tens
        # of thousands of such long-lived buffers fragment the heap until every allocation is
        # 3x slower (seen at about 40,000 stored agents).
        self._data[agent_id] = bytes(memoryview(json_body(agent)))

    def get(  # type: ignore[override]
        self, agent_id: str, default: JSONObject | None = None
    ) -> JSONObject | None:
        """`self[agent_id]` (a fresh copy), or `default`, without a Python-level KeyError."""
        raw = self._data.get(agent_id)
        if raw is None:
            return default
        agent: JSONObject = orjson.loads(raw)
        return agent

    def __delitem__(self, agent_id: str) -> None:
        del self._data[agent_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, agent_id: object) -> bool:
        return agent_id in self._data

    def __repr__(self) -> str:
        return f"AgentStore({list(self._data)})"

    def clear(self) -> None:
        """Forget every agent at once (MutableMapping's own pops and decodes one at a time:
        9 s for 200,000 agents, every client blocked meanwhile)."""
        self._data.clear()

    def raw(self) -> dict[str, bytes]:
        """A copy of the stored bytes by id (for snapshots)."""
        return dict(self._data)


@functools.cache
def _property_order(source: contracts.Source) -> tuple[str, ...]:
    return tuple(contracts.schema(source, "Agent")["properties"])


def wire_order(source: contracts.Source, agent: JSONObject) -> JSONObject:
    """`agent` with its keys in the contract's order (unknown keys last), as the vendor sends it."""
    known = [k for k in _property_order(source) if k in agent]
    return {**{k: agent[k] for k in known}, **agent}


@functools.cache
def agent_check(source: contracts.Source, name: str = "Agent") -> SchemaCheck:
    """The contract's schema `name` (an agent by default), compiled once."""
    return SchemaCheck(contracts.schema(source, name))


_Saved: TypeAlias = tuple[
    dict[str, bytes], dict[str, str | None], "JSONObject", str | None, dict[str, str]
]


class VendorStore:
    """One vendor's agents (in insertion order), keys and accounts.

    `api_keys` maps each configured key to its account id, or None where the vendor has no
    accounts. While it is empty, any well-formed key is accepted (and belongs to the default
    account). `minter` and `clock` are the state's, shared by every vendor's store.
    """

    def __init__(
        self,
        vendor: str,
        *,
        id_field: str,
        contract: contracts.Source,
        visible: Callable[[JSONObject, str | None], bool],
        minter: IdMinter,
        clock: Clock,
    ) -> None:
        self.vendor = vendor
        self.id_field = id_field
        self.contract = contract
        self.visible = visible
        """Whether a key of an account sees an agent (the vendor's rule)."""
        self.minter = minter
        self.clock = clock
        self.agents = AgentStore()
        self.api_keys: dict[str, str | None] = {}
        self.accounts: dict[str, JSONObject] = {}
        self.default_account: str | None = None
        self.origins: dict[str, str] = {}
        """Which agent each copy was duplicated from (copy id -> source id), for the dashboard;
        never part of an agent's wire shape."""

    def clear(self) -> None:
        self.agents.clear()
        self.api_keys.clear()
        self.accounts.clear()
        self.default_account = None
        self.origins.clear()

    def snapshot(self) -> _Saved:
        return (
            self.agents.raw(),
            dict(self.api_keys),
            json_copy(self.accounts),
            self.default_account,
            dict(self.origins),
        )

    def rollback(self, saved: _Saved) -> None:
        agents, keys, accounts, default, origins = saved
        self.agents = AgentStore(agents)
        self.api_keys = dict(keys)
        self.accounts = json_copy(accounts)
        self.default_account = default
        self.origins = dict(origins)

    # -- what handlers use -----------------------------------------------------------------

    def find(self, agent_id: str, account: str | None = None) -> JSONObject:
        """A fresh read of the agent a key of `account` may see; the vendor's 404 otherwise."""
        agent = self.agents.get(agent_id)
        if agent is None or not self.visible(agent, account):
            raise AgentNotFound
        return agent

    def agents_of(self, account: str | None) -> list[JSONObject]:
        return [a for a in self.agents.values() if self.visible(a, account)]

    def put(self, agent: JSONObject) -> JSONObject:
        """Store `agent` (new or changed) under its id; returns it."""
        self.agents[agent[self.id_field]] = agent
        return agent

    def keep_copy(self, copy: JSONObject, *, source: str) -> None:
        """Store a duplicate, noting which agent it was made from."""
        agent_id = copy[self.id_field]
        self.agents[agent_id] = copy
        self.origins[agent_id] = source

    def duplicate(
        self, source: JSONObject, *, request: JSONObject | None = None, caller: JSON = None
    ) -> JSONObject:
        """A copy of `source` (a fresh read, made into the copy) by the contract's table, with
        this store's minter and clock; `request` is the duplicate request's body, `caller` the
        asking key's account. The copy is not stored: `keep_copy` does that."""
        return duplication.duplicate(
            self.contract,
            source,
            minter=self.minter,
            clock=self.clock,
            request=request,
            caller=caller,
            copy_source=False,
        )

    def wire_order(self, agent: JSONObject) -> JSONObject:
        """`agent` with its keys in the contract's order, as the vendor sends it."""
        return wire_order(self.contract, agent)

    # -- accounts --------------------------------------------------------------------------

    def add_account(self, account: JSONObject, *, api_keys: Any = ()) -> JSONObject:
        """Add an account `{"id", "name"}` and the keys that belong to it (vendors whose
        contract has an `Account` schema)."""
        if "Account" not in contracts.load(self.contract)["components"]["schemas"]:
            raise ValueError(f"agentmock: {self.vendor} has no accounts")
        problems = agent_check(self.contract, "Account").violations(account, loc=("account",))
        if problems:
            raise ValueError(f"agentmock: invalid account {account!r}: {problems[0].sentence()}")
        self.accounts[account["id"]] = {"id": account["id"], "name": account["name"]}
        for key in api_keys:
            self.api_keys[str(key)] = account["id"]
        return dict(self.accounts[account["id"]])
