"""A vendor's rate limit, emulated (where its profile says `rate_limited`): N requests a
minute per key, in fixed one-minute windows.

Each vendor's profile gives a default (`default_rate_limit`, reported and enforced even when
nothing is configured); `--rate-limit N` / `rate_limit=N` sets another, 0 none. Time comes from the
state's clock, so a test with a `FixedClock` decides when a window ends.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict

__all__ = ["RateLimiter"]

WINDOW_SECONDS = 60


class RateLimiter:
    """Windows keyed by a 16-byte digest of the key (a 60 KB key costs 16 bytes for its
    minute, not 60 KB), kept in the order they opened: expired ones leave from the front, a
    few per request, so a request costs the same at 10 live keys or 100,000."""

    def __init__(self, per_minute: int) -> None:
        if not isinstance(per_minute, int) or isinstance(per_minute, bool) or per_minute < 1:
            raise ValueError(f"agentmock: rate limit must be >= 1 a minute, got {per_minute!r}")
        self.per_minute = per_minute
        self._limit = str(per_minute)
        # digest -> (start, count, reset header), oldest window first
        self._windows: OrderedDict[bytes, tuple[float, int, str]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str, now: float) -> tuple[bool, dict[str, str]]:
        """Count one request of `key`: (allowed, the X-RateLimit-* headers to send)."""
        digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        with self._lock:
            windows = self._windows
            while windows:  # drop windows that have passed, oldest first
                first = next(iter(windows.values()))
                if now - first[0] < WINDOW_SECONDS:
                    break
                windows.popitem(last=False)
            window = windows.get(digest)
            if window is None or now - window[0] >= WINDOW_SECONDS:
                window = (now, 0, str(math.ceil(now + WINDOW_SECONDS)))
                windows.pop(digest, None)
            start, count, reset = window[0], window[1] + 1, window[2]
            windows[digest] = (start, count, reset)  # a new window goes to the back
        headers = {
            "x-ratelimit-limit": self._limit,
            "x-ratelimit-remaining": str(max(self.per_minute - count, 0)),
            "x-ratelimit-reset": reset,
        }
        allowed = count <= self.per_minute
        if not allowed:
            headers["retry-after"] = str(max(math.ceil(start + WINDOW_SECONDS - now), 1))
        return allowed, headers

    def __len__(self) -> int:
        """Live windows (for tests and the curious)."""
        return len(self._windows)

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()
