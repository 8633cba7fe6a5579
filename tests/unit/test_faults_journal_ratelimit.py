from __future__ import annotations

import pytest

from agentmock.mockserver.core import Fake
from agentmock.mockserver.faults import Fault, FaultBook
from agentmock.mockserver.journal import REDACTED, Journal
from agentmock.mockserver.model.messages import Request, Response
from agentmock.mockserver.ratelimit import RateLimiter
from agentmock.mockserver.routing import default_router


def book() -> FaultBook:
    return FaultBook(default_router())


def test_faults_fire_times_then_stop_oldest_first() -> None:
    faults = book()
    faults.add({"vendor": "millis", "operation": "duplicate_agent", "kind": "drop", "times": 2})
    faults.add(Fault("millis", "*", "delay", seconds=1))
    assert faults.take("millis", "duplicateAgent").kind == "drop"  # type: ignore[union-attr]
    assert faults.take("millis", "duplicateAgent").kind == "drop"  # type: ignore[union-attr]
    assert faults.take("millis", "getAgent").kind == "delay"  # type: ignore[union-attr]
    assert faults.take("millis", "getAgent") is None
    assert [f.hits for f in faults.all()] == [2, 1]


def test_faults_are_per_vendor() -> None:
    faults = book()
    faults.add({"vendor": "voicy", "operation": "*", "kind": "drop"})
    assert faults.take("millis", "duplicateAgent") is None
    faults.clear("millis")
    assert len(faults.pending()) == 1
    faults.clear()
    assert faults.pending() == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"vendor": "vapi", "operation": "*", "kind": "drop"}, "unknown vendor 'vapi'"),
        ({"vendor": "millis", "operation": "clone", "kind": "drop"}, "no operation 'clone'"),
        ({"vendor": "millis", "operation": "*", "kind": "explode"}, "unknown fault kind"),
        ({"vendor": "millis", "operation": "*", "kind": "drop", "times": 0}, "times must be"),
        ({"vendor": "millis", "operation": "*", "kind": "status"}, "needs a status"),
        ({"vendor": "millis", "operation": "*", "kind": "status", "status": 700}, "needs a status"),
        ({"vendor": "millis", "operation": "*", "kind": "drop", "status": 500}, "status goes with"),
        (
            {"vendor": "millis", "operation": "*", "kind": "delay", "seconds": -1},
            "seconds must be 0-600",
        ),
        ({"vendor": "millis", "operation": "*", "kind": "drop", "when": 1}, "unknown fault field"),
        ({"vendor": "millis", "kind": "drop"}, "needs 'operation'"),
        (
            {
                "vendor": "millis",
                "operation": "*",
                "kind": "status",
                "status": 500,
                "headers": {"a": 1},
            },
            "header .a. must be text",
        ),
    ],
)
def test_bad_fault_specs_are_refused_clearly(spec: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        book().add(spec)


def test_journal_is_bounded_and_redacts_keys() -> None:
    journal = Journal(maxlen=3)
    for i in range(5):
        journal.record(
            at=float(i),
            vendor="voicy",
            operation="getAgent",
            request=Request(
                "GET", f"/v1/get-agent/{i}", {"authorization": "Bearer voicy_sk_live_secret"}
            ),
            response=Response(200, {}, b'{"ok":true}'),
            dropped=False,
            fault=None,
        )
    entries = journal.entries()
    assert [e.path for e in entries] == ["/v1/get-agent/2", "/v1/get-agent/3", "/v1/get-agent/4"]
    assert entries[0].request_headers["authorization"] == REDACTED
    assert "voicy_sk_live_secret" not in str([e.as_dict() for e in entries])
    assert entries[0].response_body == {"ok": True}
    assert [e.seq for e in entries] == [3, 4, 5]


def test_journal_summarises_huge_and_binary_bodies() -> None:
    journal = Journal()
    big = journal.record(
        at=0,
        vendor="millis",
        operation=None,
        request=Request("POST", "/x", {}, b"a" * 70_000),
        response=None,
        dropped=True,
        fault="drop",
    )
    assert big.request_body == "<70000 bytes>"
    assert big.status is None
    text = journal.record(
        at=0,
        vendor="millis",
        operation=None,
        request=Request("POST", "/x", {}, b"\xff not json"),
        response=None,
        dropped=True,
        fault=None,
    )
    assert text.request_body == "\ufffd not json"


def test_rate_limit_windows() -> None:
    limiter = RateLimiter(2)
    assert limiter.hit("k", 100.0)[0]
    allowed, headers = limiter.hit("k", 110.0)
    assert allowed
    assert headers == {
        "x-ratelimit-limit": "2",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": "160",
    }
    allowed, headers = limiter.hit("k", 120.0)
    assert not allowed
    assert headers["retry-after"] == "40"
    assert limiter.hit("other", 120.0)[0]  # per key
    assert limiter.hit("k", 160.0)[0]  # a new window


def test_rate_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="rate limit must be >= 1"):
        RateLimiter(0)


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ({"seconds": float("nan"), "kind": "delay"}, "seconds must be"),
        ({"seconds": 1e9, "kind": "delay"}, "seconds must be"),
        ({"seconds": -1, "kind": "delay"}, "seconds must be"),
        ({"seconds": 2}, "seconds go with kind 'delay'"),
        ({"kind": "status", "status": 101}, "status 200-599"),
        ({"kind": "status", "status": 600}, "status 200-599"),
        ({"operation": 7}, "operation is a string"),
        ({"headers": ["a", "b"]}, "headers are an object"),
        ({"headers": {"X-Ok": "a\r\nSet-Cookie: x=1"}}, "no line breaks"),
        ({"headers": {"Bad Name": "v"}}, "not a legal HTTP header name"),
        ({"headers": {"Content-Length": "0"}}, "the server's to set"),
        ({"times": 10**9}, "times must be"),
    ],
)
def test_a_fault_spec_is_validated_completely_and_not_queued(
    spec: dict[str, object], says: str
) -> None:
    fake = Fake()
    full = {"vendor": "voicy", "operation": "getAgent", "kind": "drop", **spec}
    if full["kind"] == "status":
        full.setdefault("status", 503)
    with pytest.raises(ValueError, match=says):
        fake.faults.add(full)
    assert fake.faults.pending() == []


@pytest.mark.parametrize("status", [204, 205, 304])
def test_a_bodiless_status_fault_sends_no_body(status: int) -> None:
    fake = Fake()
    fake.faults.add(
        {"vendor": "voicy", "operation": "listAgents", "kind": "status", "status": status}
    )
    response = fake.handle(
        Request("GET", "/v1/list-agents", {"authorization": "Bearer voicy_sk_1"})
    ).response
    assert response is not None
    assert (response.status, response.body) == (status, b"")


def test_malformed_leaves_a_bodiless_answer_bodiless() -> None:
    fake = Fake()
    fake.faults.add({"vendor": "voicy", "operation": "deleteAgent", "kind": "malformed"})
    path = "/v1/delete-agent/550e8400-e29b-41d4-a716-446655440001"
    response = fake.handle(Request("DELETE", path, {"authorization": "Bearer voicy_sk_1"})).response
    assert response is not None
    assert (response.status, response.body) == (204, b"")


def test_the_rate_limit_counts_a_key_however_its_scheme_is_spelt() -> None:
    fake = Fake(rate_limit=2)
    statuses = []
    for header in ("Bearer voicy_sk_1", "bearer voicy_sk_1", "BEARER  voicy_sk_1"):
        response = fake.handle(
            Request("GET", "/v1/list-agents", {"authorization": header})
        ).response
        assert response is not None
        statuses.append(response.status)
    assert statuses == [200, 200, 429]


def test_the_rate_limiter_forgets_idle_keys() -> None:
    from agentmock.mockserver.ratelimit import RateLimiter

    limiter = RateLimiter(5)
    for n in range(5000):
        limiter.hit(f"key-{n}", now=0.0)
    limiter.hit("late", now=61.0)
    assert len(limiter._windows) == 1


def test_every_vendors_key_header_is_redacted_and_huge_headers_are_summarised() -> None:
    fake = Fake()
    headers = {"xi-api-key": "sk_secret_eleven", "x-trace": "t" * 1_000_000}
    fake.handle(Request("GET", "/v1/convai/agents", headers))
    (entry,) = fake.journal.entries("elevenlabs")
    assert entry.request_headers["xi-api-key"] == REDACTED
    assert entry.request_headers["x-trace"] == "<1000000 characters>"
    assert "sk_secret_eleven" not in str(entry.as_dict())
