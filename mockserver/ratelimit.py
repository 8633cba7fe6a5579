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
        self._limit = str(per_minute)
        self._windows: dict[str, tuple[float, int, str]] = {}  # start, count, reset header
        self._lock = threading.Lock()

    def hit(self, key: str, now: float) -> tuple[bool, dict[str, str]]:
        """Count one request of `key`: (allowed, the X-RateLimit-* headers to send)."""
        with self._lock:
            if len(self._windows) >= _SWEEP_AT:  # forget keys whose window has passed
                self._windows = {
                    k: w for k, w in self._windows.items() if now - w[0] < WINDOW_SECONDS
                }
            window = self._windows.get(key)
            if window is None or now - window[0] >= WINDOW_SECONDS:
                window = (now, 0, str(math.ceil(now + WINDOW_SECONDS)))
            start, count, reset = window[0], window[1] + 1, window[2]
            self._windows[key] = (start, count, reset)
        headers = {
            "x-ratelimit-limit": self._limit,
            "x-ratelimit-remaining": str(max(self.per_minute - count, 0)),
            "x-ratelimit-reset": reset,
        }
        allowed = count <= self.per_minute
        if not allowed:
            headers["retry-after"] = str(max(math.ceil(start + WINDOW_SECONDS - now), 1))
        return allowed, headers

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()
