"""The fake's whole state: per vendor, a store (`model.store.VendorStore`) of agents, accepted
keys and accounts; one id minter and one clock. What differs between vendors (defaults, ids,
visibility, seed sections) is asked of each vendor's profile. An explicit object (no module
globals) that can be reset, snapshotted and rolled back.

All mutation happens under `State.lock`, a plain `threading.RLock`: the same state is reached from
the server's event loop, from test threads and from sync clients.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agentmock.mockserver import vendors
from agentmock.mockserver.model.clock import Clock, SystemClock
from agentmock.mockserver.model.ids import IdMinter
from agentmock.mockserver.model.jsonio import json_copy
from agentmock.mockserver.model.store import VendorStore, agent_check, wire_order
from agentmock.mockserver.seed import SeedData, embedded_seed

if TYPE_CHECKING:
    from agentmock.mockserver.model.types import JSONObject
    from agentmock.mockserver.vendors import VendorProfile

__all__ = ["Snapshot", "State"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    data: dict[str, Any]


class State:
    """Every registered vendor's state over one seed, one clock and one id minter.

    `vendors` maps each vendor's name to its `VendorStore`; `state.<vendor>` reads the same.

    >>> from agentmock.mockserver.model.clock import FixedClock
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
        self._clock: Clock = clock or SystemClock()
        self._minter = IdMinter(random_seed)
        self.lock = threading.RLock()
        self.profiles: dict[str, VendorProfile] = dict(vendors.registry)
        self.vendors: dict[str, VendorStore] = {
            name: self._store(profile) for name, profile in self.profiles.items()
        }
        self.reset()

    @property
    def clock(self) -> Clock:
        """The one clock every store stamps with (settable: each store follows)."""
        return self._clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        self._clock = clock
        for store in self.vendors.values():
            store.clock = clock

    @property
    def minter(self) -> IdMinter:
        """The one id minter every store mints with (settable: each store follows)."""
        return self._minter

    @minter.setter
    def minter(self, minter: IdMinter) -> None:
        self._minter = minter
        for store in self.vendors.values():
            store.minter = minter

    def _store(self, profile: VendorProfile) -> VendorStore:
        return VendorStore(
            profile.name,
            id_field=profile.id_field,
            contract=profile.contract,
            visible=profile.visible,
            minter=self.minter,
            clock=self.clock,
        )

    def __getattr__(self, name: str) -> VendorStore:
        stores: dict[str, VendorStore] | None = self.__dict__.get("vendors")
        if stores is not None and name in stores:
            return stores[name]
        raise AttributeError(f"'State' object has no attribute {name!r}")

    def vendor(self, vendor: str) -> VendorStore:
        found = self.vendors.get(vendor)
        if found is None:
            raise vendors.unknown_vendor(vendor)
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
            self.profiles[name].apply_seed(self.vendors[name], seed.get(name, {}))
        for name in names:
            for agent in seed.get(name, {}).get("agents", ()):
                self.add_agent(name, agent)

    def add_account(self, vendor: str, account: JSONObject, *, api_keys: Any = ()) -> JSONObject:
        """Add an account `{"id", "name"}` and the keys that belong to it (vendors whose
        contract has an `Account` schema)."""
        store = self.vendor(vendor)
        with self.lock:
            return store.add_account(account, api_keys=api_keys)

    def add_api_key(self, vendor: str, key: str, *, account: str | None = None) -> None:
        """Accept `key` (and, from now on, only configured keys) for `vendor`."""
        store = self.vendor(vendor)
        with self.lock:
            owner = self.profiles[vendor].key_owner(store, account)
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
            profile = self.profiles[store.vendor]
            agent = json_copy(profile.new_agent(store, fields))
            problems = agent_check(store.contract).violations(agent, loc=("agent",))
            if problems:
                detail = "; ".join(p.sentence() for p in problems)
                raise ValueError(f"agentmock: invalid {vendor} agent: {detail}")
            agent = wire_order(store.contract, agent)
            agent_id = agent[store.id_field]
            if agent_id in store.agents:
                raise ValueError(f"agentmock: a {vendor} agent {agent_id!r} already exists")
            profile.adopt(store, agent)
            store.agents[agent_id] = agent
            return agent
