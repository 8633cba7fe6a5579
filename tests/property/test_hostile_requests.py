"""Hypothesis sends hostile HTTP requests to the app: odd methods, mangled paths, hostile
headers, truncated, deep, huge-numbered or non-UTF-8 bodies. Whatever it sends: no 5xx, an
error in the envelope of whoever it reached (a vendor or the admin API), and the state is
unchanged unless the request was a complete, valid, successful one."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentmock.mockserver import cassette, vendors
from agentmock.mockserver.ci.record import RecordingProxy
from agentmock.mockserver.config import FakeConfig
from agentmock.mockserver.server.app import create_app

PATHS = [
    "/agents",
    "/agents/-OKdqbqetEcM4ak369ym",
    "/agents/-OKdqbqetEcM4ak369ym/duplicate",
    "/v1/list-agents",
    "/v1/get-agent/550e8400-e29b-41d4-a716-446655440001",
    "/v1/update-agent/550e8400-e29b-41d4-a716-446655440003",
    "/v1/duplicate-agent/550e8400-e29b-41d4-a716-446655440001",
    "/v1/delete-agent/550e8400-e29b-41d4-a716-446655440003",
    "/v1/convai/agents",
    "/v1/convai/agents/create",
    "/v1/convai/agents/agent_3701k3ttaq12ewp8b7qv5rfyszkz",
    "/v1/convai/agents/agent_3701k3ttaq12ewp8b7qv5rfyszkz/duplicate",
    "/__admin/faults",
    "/__admin/voicy/agents",
    "/__admin/millis/agents",
    "/__admin/requests",
    "/__admin/nope",
    "/__admin",
    "/__admin/",
    "/__admin/faults/1",
    "/__admin/dashboard/agents/voicy",
    "/__admin/dashboard/journal",
    "/__admin/dashboard/faults",
    "/__admin/dashboard/entry/1",
    "/__admin/assets/dashboard.js",
]
VENDOR_NAMES = list(vendors.names())
AUTH = st.sampled_from(
    [
        {},
        {"authorization": "sk_test"},
        {"authorization": "Bearer voicy_sk_test_1"},
        {"authorization": "bearer  voicy_sk_x"},
        {"xi-api-key": "sk_x"},
        {"authorization": "Bearer " + "x" * 5000},
        {"origin": "http://evil.example"},
        {"sec-fetch-site": "cross-site"},
    ]
)
JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
).map(lambda value: orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS))
BODIES = st.one_of(
    st.just(b""),
    JSONISH,
    JSONISH.map(lambda raw: raw[: len(raw) // 2]),  # truncated
    st.binary(max_size=64),  # not UTF-8, not JSON
    st.integers(30, 3000).map(lambda n: b"[" * n + b"]" * n),  # deep
    st.integers(20, 400).map(lambda n: b'{"agent_name": "x", "n": 1' + b"0" * n + b"}"),
    st.sampled_from([b'{"agent_name": NaN}', b'{"a": 1}{', b'{"\\ud800": 1}']),
)
REQUESTS = st.tuples(
    st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PURGE"]),
    st.one_of(
        st.sampled_from(PATHS),
        st.tuples(
            st.sampled_from(PATHS),
            st.text(
                st.characters(min_codepoint=0x21, max_codepoint=0x2FF, exclude_categories=["Cc"]),
                min_size=1,
                max_size=8,
            ),
        ).map("/".join),
    ),
    AUTH,
    BODIES,
)


def state_of(fake: Any) -> Any:
    vendors = fake.router.operations
    return (
        {v: dict(fake.state.vendor(v).agents.raw()) for v in vendors},
        [f.as_dict() for f in fake.faults.pending()],
    )


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(requests=st.lists(REQUESTS, min_size=1, max_size=4))
def test_hostile_requests_never_5xx_and_never_change_state_when_refused(
    requests: list[tuple[str, str, dict[str, str], bytes]],
) -> None:
    fake = FakeConfig(now=1_763_776_800, random_seed=1).build()
    app = create_app(fake)

    async def go() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            for method, path, headers, body in requests:
                before = state_of(fake)
                answer = await client.request(method, path, headers=headers, content=body)
                assert answer.status_code < 500, (method, path, answer.text[:300])
                if answer.status_code >= 400:
                    assert state_of(fake) == before, (method, path, answer.status_code)
                    if method != "HEAD":
                        envelope = orjson.loads(answer.content)
                        assert isinstance(envelope, dict)
                        assert {"error", "detail", "message"} & set(envelope), envelope

    asyncio.run(go())


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(requests=st.lists(REQUESTS, min_size=1, max_size=3), vendor=st.sampled_from(VENDOR_NAMES))
def test_hostile_requests_through_the_record_proxy_never_5xx_from_the_proxy(
    tmp_path_factory: Any, requests: list[tuple[str, str, dict[str, str], bytes]], vendor: str
) -> None:
    """The proxy in front of the fake's app (in process): whatever a client sends, the proxy
    itself never answers 5xx (a 502 only for trouble upstream, which the app never causes),
    and every cassette line it writes reads back."""
    fake = FakeConfig(now=1_763_776_800, random_seed=1).build()
    tape = tmp_path_factory.mktemp("tape") / "t.jsonl"
    proxy = RecordingProxy(vendor, "http://upstream.test", tape)
    target = httpx.ASGITransport(app=create_app(fake))

    async def go() -> None:
        original = httpx.AsyncClient.__init__

        def routed(self: httpx.AsyncClient, *args: Any, **kwargs: Any) -> None:
            original(self, *args, **{**kwargs, "transport": target})

        httpx.AsyncClient.__init__ = routed  # type: ignore[method-assign]
        try:
            outer = httpx.ASGITransport(app=proxy)
            async with httpx.AsyncClient(transport=outer, base_url="http://127.0.0.1") as client:
                for method, path, headers, body in requests:
                    answer = await client.request(method, path, headers=headers, content=body)
                    assert answer.status_code < 500, (method, path, answer.text[:300])
        finally:
            httpx.AsyncClient.__init__ = original  # type: ignore[method-assign]

    try:
        asyncio.run(go())
    finally:
        proxy.close()
    cassette.read(tape)  # every line it wrote is a readable exchange


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(lines=st.lists(JSONISH | st.binary(max_size=40), max_size=4), torn=st.booleans())
def test_any_cassette_text_reads_or_is_refused_with_a_cassette_error(
    tmp_path_factory: Any, lines: list[bytes], torn: bool
) -> None:
    tape = tmp_path_factory.mktemp("c") / "c.jsonl"
    tape.write_bytes(b"\n".join(lines) + (b"" if torn else b"\n"))
    refused: cassette.CassetteError | None = None
    try:
        read = cassette.read(tape)
    except cassette.CassetteError as error:
        refused = error
    if refused is not None:
        assert str(refused).startswith(f"agentmock: {tape}:")
    else:
        assert all(isinstance(e.path, str) and isinstance(e.status, int) for e in read)
