"""The fake's state: per vendor, a store of agents, accepted keys and accounts; one id minter and
one clock. What differs between vendors (defaults, ids, visibility, seed sections) is asked of
each vendor's profile. An explicit object (no module globals) that can be reset, snapshotted
and rolled back.

All mutation happens under `State.lock`, a plain `threading.RLock`: the same state is reached from
the server's event loop, from test threads and from sync clients.
"""

from __future__ import annotations

import functools
import pickle
import threading
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

import orjson

from agentmock import contracts
from agentmock.mockserver.clock import Clock, SystemClock
from agentmock.mockserver.ids import IdMinter
from agentmock.mockserver.messages import json_body
from agentmock.mockserver.seed import SeedData, embedded_seed
from agentmock.mockserver.validation import SchemaCheck
from agentmock.mockserver.vendors import all_profiles

if TYPE_CHECKING:
    from agentmock.mockserver.types import JSON, JSONObject, Vendor
    from agentmock.mockserver.vendors import VendorProfile

__all__ = [
    "AgentStore",
    "Snapshot",
    "State",
    "VendorState",
    "json_copy",
    "wire_order",
]


_ATOMS = frozenset({str, int, float, bool, type(None)})


def json_copy(value: JSON) -> JSON:
    """A deep copy of a JSON value.

    An orjson round trip runs in C: about 5x faster than `copy.deepcopy` on a full agent,
    and this is on every duplicate's path. Values orjson cannot write (integers past 64 bits)
    fall back to pickle.
    """
    if not isinstance(value, dict | list):
        return value
    if type(value) is dict and all(type(v) in _ATOMS for v in value.values()):
        return dict(value)  # a flat object (an account): a shallow copy is a deep one
    try:
        return orjson.loads(orjson.dumps(value))
    except orjson.JSONEncodeError:
        return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


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
def _property_order(vendor: Vendor) -> tuple[str, ...]:
    return tuple(contracts.schema(vendor, "Agent")["properties"])


def wire_order(vendor: Vendor, agent: JSONObject) -> JSONObject:
    """`agent` with its keys in the contract's order (unknown keys last), as the vendor sends it."""
    known = [k for k in _property_order(vendor) if k in agent]
    return {**{k: agent[k] for k in known}, **agent}


@functools.cache
def agent_check(vendor: Vendor, name: str = "Agent") -> SchemaCheck:
    return SchemaCheck(contracts.schema(vendor, name))


_Saved: TypeAlias = tuple[
    dict[str, bytes], dict[str, str | None], "JSONObject", str | None, dict[str, str]
]


class VendorState:
    """One vendor's agents (in insertion order), keys and accounts.

    `api_keys` maps each configured key to its account id, or None where the vendor has no
    accounts. While it is empty, any well-formed key is accepted (and belongs to the default
    account).
    """

    def __init__(self, profile: VendorProfile) -> None:
        self.profile = profile
        self.vendor = profile.name
        self.id_field = profile.id_field
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

    def keep_copy(self, copy: JSONObject, *, source: str) -> None:
        """Store a duplicate, noting which agent it was made from."""
        agent_id = copy[self.id_field]
        self.agents[agent_id] = copy
        self.origins[agent_id] = source

    def visible(self, agent: JSONObject, account: str | None) -> bool:
        """Whether a key of `account` sees `agent` (the vendor's rule)."""
        return self.profile.visible(agent, account)

    def find(self, agent_id: str, account: str | None = None) -> JSONObject:
        """A fresh read of the agent a key of `account` may see; the vendor's 404 otherwise."""
        from agentmock.mockserver.errors import AgentNotFound

        agent = self.agents.get(agent_id)
        if agent is None or not self.visible(agent, account):
            raise AgentNotFound
        return agent

    def agents_of(self, account: str | None) -> list[JSONObject]:
        return [a for a in self.agents.values() if self.visible(a, account)]


@dataclass(frozen=True, slots=True)
class Snapshot:
    data: dict[str, Any]


class State:
    """Every registered vendor's state over one seed, one clock and one id minter.

    `vendors` maps each vendor's name to its `VendorState`; `state.<vendor>` reads the same.

    >>> from agentmock.mockserver.clock import FixedClock
    >>> state = State(random_seed=1, clock=FixedClock(1_763_776_800))
    >>> all(len(store.agents) >= 2 for store in list(state.vendors.values())[:2])
    True
    """

    def __init__(
        self,
        seed: SeedData | None = None,
        *,
        random_seed: int | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.seed = embedded_seed() if seed is None else seed
        self.clock: Clock = clock or SystemClock()
        self.minter = IdMinter(random_seed)
        self.lock = threading.RLock()
        self.vendors: dict[str, VendorState] = {
            profile.name: VendorState(profile) for profile in all_profiles()
        }
        self.reset()

    def __getattr__(self, name: str) -> VendorState:
        vendors: dict[str, VendorState] | None = self.__dict__.get("vendors")
        if vendors is not None and name in vendors:
            return vendors[name]
        raise AttributeError(f"'State' object has no attribute {name!r}")

    def vendor(self, vendor: str) -> VendorState:
        found = self.vendors.get(vendor)
        if found is None:
            raise ValueError(
                f"agentmock: unknown vendor {vendor!r}; expected one of {', '.join(self.vendors)}"
            )
        return found

    # -- lifecycle -------------------------------------------------------------------------

    def reset(self, seed: SeedData | None = None, *, vendor: str | None = None) -> None:
        """Back to the seed (or to a new one), for one vendor or all.

        The id minter keeps going: ids never repeat, even across resets.
        """
        names = list(self.vendors) if vendor is None else [self.vendor(vendor).vendor]
        with self.lock:
            if seed is not None:
                self.seed = seed
            for name in names:
                self.vendors[name].clear()
            self._apply_seed(self.seed, names)

    def snapshot(self) -> Snapshot:
        with self.lock:
            return Snapshot({name: store.snapshot() for name, store in self.vendors.items()})

    def rollback(self, snapshot: Snapshot) -> None:
        with self.lock:
            for name, saved in snapshot.data.items():
                self.vendors[name].rollback(saved)

    # -- seeding ---------------------------------------------------------------------------

    def _apply_seed(self, seed: SeedData, names: list[str]) -> None:
        for name in names:
            store = self.vendors[name]
            store.profile.apply_seed(self, store, seed.get(name, {}))
        for name in names:
            for agent in seed.get(name, {}).get("agents", ()):
                self.add_agent(name, agent)

    def add_account(self, vendor: str, account: JSONObject, *, api_keys: Any = ()) -> JSONObject:
        """Add an account `{"id", "name"}` and the keys that belong to it (vendors whose
        contract has an `Account` schema)."""
        store = self.vendor(vendor)
        if "Account" not in contracts.load(vendor)["components"]["schemas"]:
            raise ValueError(f"agentmock: {vendor} has no accounts")
        problems = agent_check(vendor, "Account").violations(account, loc=("account",))
        if problems:
            raise ValueError(f"agentmock: invalid account {account!r}: {problems[0].sentence()}")
        with self.lock:
            store.accounts[account["id"]] = {"id": account["id"], "name": account["name"]}
            for key in api_keys:
                store.api_keys[str(key)] = account["id"]
        return dict(store.accounts[account["id"]])

    def add_api_key(self, vendor: str, key: str, *, account: str | None = None) -> None:
        """Accept `key` (and, from now on, only configured keys) for `vendor`."""
        store = self.vendor(vendor)
        with self.lock:
            owner = store.profile.key_owner(store, account)
            if owner is not None and owner not in store.accounts:
                raise ValueError(f"agentmock: unknown {vendor} account {owner!r}")
            store.api_keys[key] = owner

    def add_agent(self, vendor: str, fields: JSONObject) -> JSONObject:
        """Store an agent, filling unspecified required fields with realistic defaults.

        Returns the stored agent in the vendor's wire shape. Raises `ValueError` naming the
        field when the result would break the contract, or when the id is taken.
        """
        store = self.vendor(vendor)
        if not isinstance(fields, dict):
            raise ValueError(f"agentmock: an agent is a JSON object, got {type(fields).__name__}")
        with self.lock:
            # One copy of the whole result: it may share values with `fields` and the defaults.
            agent = json_copy(store.profile.new_agent(self, store, fields))
            problems = agent_check(store.vendor).violations(agent, loc=("agent",))
            if problems:
                detail = "; ".join(p.sentence() for p in problems)
                raise ValueError(f"agentmock: invalid {vendor} agent: {detail}")
            agent = wire_order(store.vendor, agent)
            agent_id = agent[store.id_field]
            if agent_id in store.agents:
                raise ValueError(f"agentmock: a {vendor} agent {agent_id!r} already exists")
            store.profile.adopt(self, store, agent)
            store.agents[agent_id] = agent
            return agent
