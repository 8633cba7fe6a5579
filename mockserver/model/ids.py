"""Vendor-shaped ids: Firebase push ids, UUID v4 and prefixed base32, seedable for tests."""

from __future__ import annotations

import random

__all__ = ["IdMinter"]

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base32, lower case
_PUSH_CHARS = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"


class IdMinter:
    """Mints ids from its own random source: `IdMinter(seed=7)` gives the same ids every run.

    Push ids follow Firebase's algorithm: 8 characters of millisecond time, then 12 random ones;
    within one millisecond the random part is incremented, so ids never repeat and sort by time.
    Such ids look like `-OKdqbqetEcM4ak369ym`.

    Push ids embed the time they were minted at. For ids that repeat from run to run whatever the
    wall clock says, give `start` (Unix seconds): push ids then take their time from a counter
    that starts there and moves one millisecond per id, and the `now` they are given is ignored.
    """

    def __init__(self, seed: int | None = None, *, start: float | None = None) -> None:
        self._random = random.Random(seed)
        # Request ids draw from a stream of their own, so an error answered in between does not
        # change which agent ids a seeded minter gives.
        self._requests = random.Random(None if seed is None else f"requests:{seed}")
        self._logical_ms = None if start is None else int(start * 1000)
        self._last_ms = -1
        self._last_random = 0  # the 12 random characters, as one 72-bit number
        self._stamp = ""

    def uuid4(self) -> str:
        # What `str(uuid.UUID(int=n, version=4))` gives, without building a UUID object
        # (most of the cost of a UUID id): the variant and version bits, then hex.
        n = self._random.getrandbits(128)
        n = (n & ~(0xC000 << 48)) | (0x8000 << 48)
        n = (n & ~(0xF000 << 64)) | (4 << 76)
        h = f"{n:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def request_id(self) -> str:
        """32 hex characters, as in `3c807fc4c3a1705f9638ecc764a91c01`."""
        return f"{self._requests.getrandbits(128):032x}"

    def prefixed_base32(self, prefix: str, length: int) -> str:
        """`prefix` and `length` random characters of Crockford's base32 in lower case, as
        in `agent_3701k3ttaq12ewp8b7qv5rfyszkz`."""
        bits = self._random.getrandbits(5 * length)
        return prefix + "".join(_CROCKFORD[(bits >> (5 * i)) & 31] for i in range(length))

    def push_id(self, now: float) -> str:
        if self._logical_ms is not None:
            self._logical_ms += 1
            ms = self._logical_ms
        else:
            ms = int(now * 1000)
        if ms == self._last_ms:
            self._last_random += 1
            if self._last_random >> 72:  # 64**12 ids in one millisecond: take the next one
                ms += 1
                self._last_random = self._random.getrandbits(72)
        else:
            self._last_random = self._random.getrandbits(72)
        if ms != self._last_ms:
            self._last_ms, self._stamp = ms, _base64(ms, 8)
        return self._stamp + _base64(self._last_random, 12)


def _base64(number: int, width: int) -> str:
    """`number` in Firebase's sortable alphabet, `width` characters, most significant first."""
    chars = [_PUSH_CHARS[(number >> shift) & 63] for shift in range(6 * (width - 1), -1, -6)]
    return "".join(chars)
