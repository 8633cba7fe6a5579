"""A vendor's rate limit, emulated (where its profile says `rate_limited`): N requests a
minute per key, in fixed one-minute windows.

Each vendor's profile gives a default (`default_rate_limit`, reported and enforced even when
nothing is configured); `--rate-limit N` / `rate_limit=N` sets another, 0 none. Time comes from the
state's clock, so a test with a `FixedClock` decides when a window ends.
"""

from __future__ import annotations

import math
import threading

__all__ = ["RateLimiter"]

WINDOW_SECONDS = 60
_SWEEP_AT = 4096  # windows kept before idle ones are dropped (a fuzzer sends a key a request)


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        if not isinstance(per_minute, int) or isinstance(per_minute, bool) or per_minute < 1:
            raise ValueError(f"agentmock: rate limit must be >= 1 a minute, got {per_minute!r}")
        self.per_minute = per_minute
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: float) -> tuple[bool, dict[str, str]]:
        """Count one request of `key`: (allowed, the X-RateLimit-* headers to send)."""
        with self._lock:
            if len(self._windows) >= _SWEEP_AT:  # forget keys whose window has passed
                self._windows = {
                    k: w for k, w in self._windows.items() if now - w[0] < WINDOW_SECONDS
                }
            start, count = self._windows.get(key, (now, 0))
            if now - start >= WINDOW_SECONDS:
                start, count = now, 0
            count += 1
            self._windows[key] = (start, count)
        headers = {
            "x-ratelimit-limit": str(self.per_minute),
            "x-ratelimit-remaining": str(max(self.per_minute - count, 0)),
            "x-ratelimit-reset": str(math.ceil(start + WINDOW_SECONDS)),
        }
        allowed = count <= self.per_minute
        if not allowed:
            headers["retry-after"] = str(max(math.ceil(start + WINDOW_SECONDS - now), 1))
        return allowed, headers

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()
