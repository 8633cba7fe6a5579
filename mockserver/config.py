"""`FakeConfig`: the one way to describe and build a fake.

The marker (`@pytest.mark.agentmock(...)`), `agentmock.mock(...)`, `agentmock serve` and the tests
all build their fake from a `FakeConfig`, so an option means the same everywhere. It is
keyword-only and checked on creation: a typo or a wrong type is a `TypeError` naming it.

>>> fake = FakeConfig(seed={}, random_seed=7, now=1_763_776_800).build()
>>> sum(len(store.agents) for store in fake.state.vendors.values())
0
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from agentmock.mockserver import vendors

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from agentmock.mockserver.core import Fake
    from agentmock.mockserver.journal import Entry
    from agentmock.mockserver.model.clock import Clock
    from agentmock.mockserver.model.ids import IdMinter
    from agentmock.mockserver.seed import SeedData
    from agentmock.mockserver.state import Snapshot

# Light to import (the pipeline loads in `build`): the pytest plugin reads the options' fields
# at start to describe its marker.

__all__ = ["Checkpoint", "FakeConfig"]

_ID_EPOCH = 1_763_776_800  # 2025-11-22 02:00 UTC: where seeded push ids' time counter starts


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A fake just as `FakeConfig.apply` left it, to come back to (`FakeConfig.restore`)."""

    state: Snapshot
    seed: SeedData
    minter: IdMinter | None
    """A copy of the seeded minter as it stood (ids then repeat test after test, as from a fresh
    build); None where ids are random: each restore gets a fresh random minter."""


@dataclass(frozen=True, kw_only=True)
class FakeConfig:
    """What a fake starts with and how it behaves.

    - `seed`: a seed mapping (the `agentmock serve --seed` format), a path to a seed file, or
      None for the embedded seed; `{}` starts empty. A relative path is read from the current
      directory (the marker resolves it against the test file's directory first).
    - `api_keys`: `{vendor: [key, ...]}`: accept only these keys for that vendor.
    - `strict`: check every response the fake produces against the contract (default True).
    - `rate_limit`: requests a minute per key for the rate-limited vendors; None (default) for
      each vendor's own default (its profile's `default_rate_limit`), 0 for no limit at all.
    - `random_seed`: make every minted id repeat from run to run.
    - `now`: fix the clock at this Unix time (e.g. for `created_at`).
    - `journal_size`: how many requests the journal keeps.
    """

    seed: SeedData | str | os.PathLike[str] | None = None
    api_keys: dict[str, list[str]] = field(default_factory=dict)
    strict: bool = True
    rate_limit: int | None = None
    random_seed: int | None = None
    now: float | None = None
    journal_size: int = 1000

    def __post_init__(self) -> None:
        if self.seed is not None and not isinstance(self.seed, dict | str | os.PathLike):
            raise TypeError(f"seed must be a mapping, a file path or None, not {self.seed!r}")
        if not isinstance(self.strict, bool):
            raise TypeError(f"strict must be True or False, not {self.strict!r}")
        if not isinstance(self.api_keys, dict) or not all(
            vendor in vendors.registry
            and isinstance(keys, list | tuple)
            and all(isinstance(k, str) for k in keys)
            for vendor, keys in self.api_keys.items()
        ):
            raise TypeError(
                f"api_keys must map a vendor ({', '.join(vendors.names())}) to a list of keys, "
                f"not {self.api_keys!r}"
            )
        for name in ("rate_limit", "random_seed", "journal_size"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise TypeError(f"{name} must be a whole number, not {value!r}")
        if self.rate_limit is not None and self.rate_limit < 0:
            raise TypeError(f"rate_limit must be a whole number >= 0, not {self.rate_limit!r}")
        if self.journal_size < 1:
            raise TypeError(f"journal_size must be >= 1, not {self.journal_size!r}")
        if self.now is not None and (
            not isinstance(self.now, int | float) or isinstance(self.now, bool)
        ):
            raise TypeError(f"now must be a Unix time in seconds, not {self.now!r}")

    def seed_data(self) -> SeedData:
        """The seed this config starts from, its `api_keys` written in (they survive resets)."""
        from agentmock.mockserver.seed import embedded_seed, load_seed, parse_seed, with_api_keys

        if self.seed is None:
            data = embedded_seed()
        elif isinstance(self.seed, dict):
            data = parse_seed(self.seed, source="seed=")
        else:
            data = load_seed(Path(self.seed))
        keys = [(vendor, key) for vendor, listed in self.api_keys.items() for key in listed]
        return with_api_keys(data, keys) if keys else data

    def build(self, *, listeners: Iterable[Callable[[Entry], None]] = ()) -> Fake:
        """A new fake in the state this config describes."""
        from agentmock.mockserver.core import Fake
        from agentmock.mockserver.state import State

        fake = Fake(State({}), journal_size=self.journal_size)
        fake.listeners.extend(listeners)
        return self.apply(fake)

    def apply(self, fake: Fake) -> Fake:
        """Put an existing `fake` (a live server's, say) in the state this config describes."""
        state = fake.state
        with state.lock:
            state.clock = self._clock()
            state.minter = self._minter()
            state.reset(self.seed_data())
            self._settle(fake)
        return fake

    def checkpoint(self, fake: Fake) -> Checkpoint:
        """Remember `fake` as `apply` (or `build`) just left it."""
        import copy

        state = fake.state
        with state.lock:
            minter = copy.deepcopy(state.minter) if self.random_seed is not None else None
            return Checkpoint(state.snapshot(), state.seed, minter)

    def restore(self, fake: Fake, checkpoint: Checkpoint) -> Fake:
        """`apply` again, from a `checkpoint` of this config's fake: the same state (the seed's
        agents, keys and accounts, no faults, an empty journal, fresh rate-limit windows, the
        clock and minter a fresh `apply` gives) without reading and checking the seed again."""
        import copy

        state = fake.state
        with state.lock:
            state.clock = self._clock()
            saved = checkpoint.minter
            state.minter = copy.deepcopy(saved) if saved is not None else self._minter()
            state.rollback(checkpoint.state)
            state.seed = checkpoint.seed
            self._settle(fake)
        return fake

    def _clock(self) -> Clock:
        from agentmock.mockserver.model.clock import FixedClock, SystemClock

        return FixedClock(self.now) if self.now is not None else SystemClock()

    def _minter(self) -> IdMinter:
        from agentmock.mockserver.model.ids import IdMinter

        # A random seed alone must make every id repeat: with the wall clock still moving,
        # push ids then take their time from a counter instead (see `IdMinter`).
        logical = self.random_seed is not None and self.now is None
        return IdMinter(self.random_seed, start=_ID_EPOCH if logical else None)

    def _settle(self, fake: Fake) -> None:
        fake.faults.clear()
        fake.journal.clear()
        fake.strict = self.strict
        fake.set_rate_limit(self.rate_limit)
