"""Vendor-shaped ids: Millis's Firebase push ids and Voicy's UUID v4, seedable for tests."""

from __future__ import annotations

import random
import uuid

__all__ = ["IdMinter"]

_PUSH_CHARS = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"


class IdMinter:
    """Mints ids from its own random source: `IdMinter(seed=7)` gives the same ids every run.

    Push ids follow Firebase's algorithm: 8 characters of millisecond time, then 12 random ones;
    within one millisecond the random part is incremented, so ids never repeat and sort by time.
    Real Millis ids look like `-OKdqbqetEcM4ak369ym`.
    """

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)
        self._last_ms = -1
        self._last_random: list[int] = []

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def push_id(self, now: float) -> str:
        ms = int(now * 1000)
        if ms == self._last_ms and self._last_random:
            digits = self._last_random
            i = len(digits) - 1
            while i >= 0 and digits[i] == 63:
                digits[i] = 0
                i -= 1
            if i >= 0:
                digits[i] += 1
            else:  # 64**12 ids in one millisecond: move to the next one
                ms += 1
                digits = [self._random.randrange(64) for _ in range(12)]
        else:
            digits = [self._random.randrange(64) for _ in range(12)]
        self._last_ms, self._last_random = ms, digits
        stamp = []
        for _ in range(8):
            stamp.append(_PUSH_CHARS[ms % 64])
            ms //= 64
        return "".join(reversed(stamp)) + "".join(_PUSH_CHARS[d] for d in digits)
