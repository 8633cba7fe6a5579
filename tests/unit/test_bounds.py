"""What hostile traffic may cost, bounded (third hostile-input pass): a refused request's
journal entry, a rate-limit window per key, and `reset` of a large store."""

from __future__ import annotations

from agentmock.mockserver.config import FakeConfig
from agentmock.mockserver.model.messages import Request
from agentmock.mockserver.model.store import AgentStore
from agentmock.mockserver.ratelimit import WINDOW_SECONDS, RateLimiter


def test_a_request_with_thousands_of_headers_keeps_a_bounded_journal_entry() -> None:
    fake = FakeConfig().build()
    headers = {f"x-filler-{i}": "v" * 900 for i in range(4000)}  # 3.6 MB: refused with 431
    answer = fake.handle(Request("GET", "/v1/list-agents", headers)).response
    assert answer is not None
    assert answer.status == 431
    entry = fake.journal.entries()[-1]
    assert len(entry.headers_raw) == 65
    assert entry.headers_raw["<more>"] == f"<3936 more headers, {3936 * 900} characters>"
    assert sum(map(len, entry.headers_raw.values())) < 64 * 1024


def test_a_rate_limit_window_keeps_a_digest_not_the_key() -> None:
    limiter = RateLimiter(5)
    limiter.hit("k" * 60_000, 0.0)
    (key,) = limiter._windows
    assert len(key) == 16


def test_windows_that_have_passed_leave_from_the_front_as_requests_come() -> None:
    limiter = RateLimiter(5)
    for i in range(10_000):
        limiter.hit(f"key-{i}", float(i % 30))
    assert len(limiter) == 10_000
    allowed, _ = limiter.hit("late", 30.0 + WINDOW_SECONDS)
    assert allowed
    assert len(limiter) == 1  # every window opened at or before 30 s is gone
    allowed, headers = limiter.hit("late", 31.0 + WINDOW_SECONDS)
    assert (allowed, headers["x-ratelimit-remaining"]) == (True, "3")


def test_clearing_a_store_decodes_nothing() -> None:
    """MutableMapping.clear pops (and decodes) one agent at a time; the store drops them all."""
    store = AgentStore({f"a{i}": b"not json" for i in range(200_000)})
    store.clear()
    assert len(store) == 0
