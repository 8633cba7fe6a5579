"""Clocks the state reads time from; tests make them deterministic.

>>> clock = SteppingClock(start=1_763_776_800, step=1)
>>> clock.now(), clock.now()
(1763776800.0, 1763776801.0)
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

__all__ = ["Clock", "FixedClock", "SteppingClock", "SystemClock"]


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the Unix epoch."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> float:
        return time.time()


class FixedClock:
    """Always the same instant until `set` or `advance` moves it."""

    def __init__(self, at: float) -> None:
        self._at = float(at)

    def now(self) -> float:
        return self._at

    def set(self, at: float) -> None:
        self._at = float(at)

    def advance(self, seconds: float) -> None:
        self._at += seconds


class SteppingClock:
    """`start`, then `step` seconds later at every reading."""

    def __init__(self, start: float, step: float = 1.0) -> None:
        self._next = float(start)
        self._step = float(step)
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            at = self._next
            self._next += self._step
            return at
