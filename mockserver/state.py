"""The fake's state: per vendor, a store of agents, accepted keys and accounts; one id minter and
one clock. An explicit object (no module globals) that can be reset, snapshotted and rolled back.

All mutation happens under `State.lock`, a plain `threading.RLock`: the same state is reached from
the server's event loop, from test threads and from sync clients.
"""

from __future__ import annotations

import functools
import pickle
import threading
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from agentmock import contracts
from agentmock.mockserver.clock import Clock, SystemClock
from agentmock.mockserver.ids import IdMinter
from agentmock.mockserver.messages import json_body
from agentmock.mockserver.seed import SeedData, embedded_seed
from agentmock.mockserver.validation import SchemaCheck

if TYPE_CHECKING:
    from agentmock.mockserver.types import JSON, JSONObject, Vendor

__all__ = [
    "DEFAULT_ACCOUNT",
    "AgentStore",
    "Snapshot",
    "State",
    "VendorState",
    "json_copy",
    "wire_order",
]

DEFAULT_ACCOUNT: JSONObject = {"id": "550e8400-e29b-41d4-a716-446655440099", "name": "Acme Corp"}
ID_FIELD: dict[Vendor, str] = {"millis": "id", "voicy": "agent_id"}


def json_copy(value: JSON) -> JSON:
    """A deep copy of a JSON value.

    An orjson round trip runs in C: about 5x faster than `copy.deepcopy` on a full Millis agent,
    and this is on every duplicate's path. Values orjson cannot write (integers past 64 bits)
    fall back to pickle.
    """
    if not isinstance(value, dict | list):
        return value
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


class VendorState:
    """One vendor's agents (in insertion order), keys and accounts.

    `api_keys` maps each configured key to its account id (Voicy) or None (Millis). While it is
    empty, any well-formed key is accepted and belongs to the default account.
    """

    def __init__(self, vendor: Vendor) -> None:
        self.vendor = vendor
        self.id_field = ID_FIELD[vendor]
        self.agents = AgentStore()
        self.api_keys: dict[str, str | None] = {}
        self.accounts: dict[str, JSONObject] = {}
        self.default_account: str | None = None

    def visible(self, agent: JSONObject, account: str | None) -> bool:
        """Whether a key of `account` sees `agent` (Voicy: own and global agents)."""
        if self.vendor == "millis":
            return True
        owner = agent.get("account")
        return owner is None or owner.get("id") == account

    def agents_of(self, account: str | None) -> list[JSONObject]:
        return [a for a in self.agents.values() if self.visible(a, account)]


@dataclass(frozen=True, slots=True)
class Snapshot:
    data: dict[Vendor, tuple[dict[str, bytes], dict[str, str | None], JSONObject, str | None]]


class State:
    """Both vendors' state over one seed, one clock and one id minter.

    >>> from mockserver.clock import FixedClock
    >>> state = State(random_seed=1, clock=FixedClock(1_763_776_800))
    >>> len(state.millis.agents) >= 2 and len(state.voicy.agents) >= 2
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
        self.millis = VendorState("millis")
        self.voicy = VendorState("voicy")
        self.reset()

    def vendor(self, vendor: str) -> VendorState:
        if vendor == "millis":
            return self.millis
        if vendor == "voicy":
            return self.voicy
        raise ValueError(
            f"agentmock: unknown vendor {vendor!r}; expected one of {contracts.VENDORS}"
        )

    # -- lifecycle -------------------------------------------------------------------------

    def reset(self, seed: SeedData | None = None, *, vendor: str | None = None) -> None:
        """Back to the seed (or to a new one), for one vendor or both.

        The id minter keeps going: ids never repeat, even across resets.
        """
        vendors = contracts.VENDORS if vendor is None else (self.vendor(vendor).vendor,)
        with self.lock:
            if seed is not None:
                self.seed = seed
            for name in vendors:
                store = self.vendor(name)
                store.agents.clear()
                store.api_keys.clear()
                store.accounts.clear()
                store.default_account = None
            self._apply_seed(self.seed, vendors)

    def snapshot(self) -> Snapshot:
        with self.lock:
            return Snapshot(
                {
                    v: (
                        s.agents.raw(),
                        dict(s.api_keys),
                        json_copy(s.accounts),
                        s.default_account,
                    )
                    for v in contracts.VENDORS
                    for s in (self.vendor(v),)
                }
            )

    def rollback(self, snapshot: Snapshot) -> None:
        with self.lock:
            for vendor, (agents, keys, accounts, default) in snapshot.data.items():
                store = self.vendor(vendor)
                store.agents = AgentStore(agents)
                store.api_keys = dict(keys)
                store.accounts = json_copy(accounts)
                store.default_account = default

    # -- seeding ---------------------------------------------------------------------------

    def _apply_seed(self, seed: SeedData, vendors: tuple[Vendor, ...]) -> None:
        if "voicy" in vendors:
            voicy = seed.get("voicy", {})
            default = voicy.get("default_account", DEFAULT_ACCOUNT)
            self.add_account("voicy", default, api_keys=voicy.get("api_keys", ()))
            self.voicy.default_account = default["id"]
            for account in voicy.get("accounts", ()):
                fields = {k: v for k, v in account.items() if k != "api_keys"}
                self.add_account("voicy", fields, api_keys=account.get("api_keys", ()))
        if "millis" in vendors:
            for key in seed.get("millis", {}).get("api_keys", ()):
                self.millis.api_keys[key] = None
        for vendor in vendors:
            for agent in seed.get(vendor, {}).get("agents", ()):
                self.add_agent(vendor, agent)

    def add_account(self, vendor: str, account: JSONObject, *, api_keys: Any = ()) -> JSONObject:
        """Add a Voicy account `{"id", "name"}` and the keys that belong to it."""
        if vendor != "voicy":
            raise ValueError("agentmock: only Voicy has accounts")
        problems = agent_check("voicy", "Account").violations(account, loc=("account",))
        if problems:
            raise ValueError(f"agentmock: invalid account {account!r}: {problems[0].sentence()}")
        with self.lock:
            self.voicy.accounts[account["id"]] = {"id": account["id"], "name": account["name"]}
            for key in api_keys:
                self.voicy.api_keys[str(key)] = account["id"]
        return dict(self.voicy.accounts[account["id"]])

    def add_api_key(self, vendor: str, key: str, *, account: str | None = None) -> None:
        """Accept `key` (and, from now on, only configured keys) for `vendor`."""
        store = self.vendor(vendor)
        with self.lock:
            owner = (account or store.default_account) if vendor == "voicy" else None
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
            agent = json_copy(fields)
            if vendor == "millis":
                defaults = json_copy(_MILLIS_DEFAULTS)
                if isinstance(agent.get("config"), dict):
                    agent["config"] = {**defaults["config"], **agent["config"]}
                agent = {**defaults, **agent}
                agent.setdefault("id", self.minter.push_id(self.clock.now()))
                agent.setdefault("created_at", int(self.clock.now()))
            else:
                agent = {**json_copy(_VOICY_DEFAULTS), **agent}
                agent.setdefault("agent_id", self.minter.uuid4())
                if "account" not in agent:
                    agent["account"] = dict(store.accounts[store.default_account or ""])
            problems = agent_check(store.vendor).violations(agent, loc=("agent",))
            if problems:
                detail = "; ".join(p.sentence() for p in problems)
                raise ValueError(f"agentmock: invalid {vendor} agent: {detail}")
            agent = wire_order(store.vendor, agent)
            agent_id = agent[store.id_field]
            if agent_id in store.agents:
                raise ValueError(f"agentmock: a {vendor} agent {agent_id!r} already exists")
            owner = agent.get("account")
            if vendor == "voicy" and owner is not None and owner["id"] not in store.accounts:
                self.add_account("voicy", owner)
            store.agents[agent_id] = agent
            return agent


_MILLIS_DEFAULTS: JSONObject = {
    "name": "Support line",
    "config": {
        "prompt": "You are a friendly voice assistant. Keep answers short.",
        "voice": {
            "provider": "elevenlabs",
            "voice_id": "21m00Tcm4TlvDq8ikWAM",
            "model": "eleven_turbo_v2_5",
        },
    },
}
_VOICY_DEFAULTS: JSONObject = {
    "agent_name": "Customer Support Agent",
    "voice_id": "openai:sage",
    "language": "en",
    "begin_message": "Hello! How can I help you today?",
    "agent_prompt": "You are a helpful customer support agent.",
    "begin_message_mode": "static",
    "prompt_text_direction": "ltr",
    "vars_provided": [],
    "vars_extracted": [],
    "version": 1,
    "deployed_at": None,
    "agent_type": "singlePrompt",
    "notification_emails": [],
}
