"""Every adapter answers a script of requests byte for byte the same way."""

from __future__ import annotations

import pytest

from tests.scenarios.drivers import ADAPTERS, Driver, Result

VOICY = {"Authorization": "Bearer voicy_sk_live_xxx", "Content-Type": "application/json"}
MILLIS = {"authorization": "sk_test"}
SOURCE = "550e8400-e29b-41d4-a716-446655440001"
XI = {"xi-api-key": "sk_test", "content-type": "application/json"}
ELEVEN = "/v1/convai/agents"
ELEVEN_SOURCE = "agent_3701k3ttaq12ewp8b7qv5rfyszkz"
SCRIPT: list[tuple[str, str, str, dict[str, str], bytes]] = [
    ("millis", "POST", "/agents/-OKdqbqetEcM4ak369ym/duplicate", MILLIS, b""),
    ("millis", "POST", "/agents", MILLIS, b'{"name": "N", "config": {"prompt": "p", "voice": {}}}'),
    ("millis", "POST", "/agents", {}, b"{"),
    ("millis", "GET", "/agents", MILLIS, b""),
    ("millis", "PUT", "/agents/nope", MILLIS, b'{"name": "x"}'),
    ("millis", "DELETE", "/agents/-OKdr2LpZ0aQx7mN4bVc", MILLIS, b""),
    ("millis", "PATCH", "/agents", MILLIS, b""),
    ("voicy", "POST", f"/v1/duplicate-agent/{SOURCE}", VOICY, b'{"agent_name": "Copy A"}'),
    ("voicy", "POST", f"/v1/duplicate-agent/{SOURCE}", VOICY, b""),
    ("voicy", "POST", f"/v1/duplicate-agent/{SOURCE}", VOICY, b'{"agent_name": " "}'),
    ("voicy", "POST", "/v1/duplicate-agent/abc", VOICY, b""),
    ("voicy", "GET", "/v1/list-agents", VOICY, b""),
    ("voicy", "GET", "/v1/list-agents", {}, b""),
    ("voicy", "PATCH", f"/v1/update-agent/{SOURCE}", VOICY, b'{"language": "es"}'),
    ("voicy", "GET", f"/v1/get-agent/{SOURCE}", VOICY, b""),
    ("voicy", "DELETE", "/v1/delete-agent/550e8400-e29b-41d4-a716-446655440004", VOICY, b""),
    ("voicy", "GET", "/v1/unknown", VOICY, b""),
    ("elevenlabs", "POST", f"{ELEVEN}/{ELEVEN_SOURCE}/duplicate", XI, b'{"name": "Copy"}'),
    ("elevenlabs", "POST", f"{ELEVEN}/create", XI, b'{"conversation_config": {}}'),
    ("elevenlabs", "GET", f"{ELEVEN}?page_size=1&tags=support&tags=he", XI, b""),
    ("elevenlabs", "GET", f"{ELEVEN}?cursor=nonsense", XI, b""),
    ("elevenlabs", "GET", f"{ELEVEN}?page_size=0", XI, b""),
    ("elevenlabs", "GET", f"{ELEVEN}/agent_nope", {}, b""),
    ("elevenlabs", "PATCH", f"{ELEVEN}/{ELEVEN_SOURCE}", XI, b'{"tags": ["x"]}'),
    ("elevenlabs", "DELETE", f"{ELEVEN}/{ELEVEN_SOURCE}", XI, b""),
    ("elevenlabs", "OPTIONS", f"{ELEVEN}/create", XI, b""),
]
EXPECTED_STATUSES = [
    200,
    422,
    422,
    200,
    404,
    200,
    405,
    200,
    200,
    400,
    400,
    200,
    401,
    200,
    502,
    403,
    404,
    200,
    200,
    200,
    400,
    422,
    401,
    200,
    204,
    405,
    200,
]
HEADERS_THAT_MATTER = ("content-type", "allow", "retry-after", "x-ratelimit-limit")


def run_script(driver: Driver) -> list[tuple[int | None, bytes, dict[str, str]]]:
    driver.fake.faults.add(
        {"vendor": "voicy", "operation": "getAgent", "kind": "status", "status": 502}
    )
    driver.fake.faults.add({"vendor": "millis", "operation": "listAgents", "kind": "malformed"})
    results: list[Result] = [
        driver.send(vendor, method, path, headers=headers, content=body)
        for vendor, method, path, headers, body in SCRIPT
    ]
    results.append(driver.send("voicy", "GET", f"/v1/get-agent/{SOURCE}", headers=VOICY))
    return [
        (r.status, r.raw, {k: v for k, v in r.headers.items() if k in HEADERS_THAT_MATTER})
        for r in results
    ]


@pytest.fixture(scope="module")
def reference() -> list[tuple[int | None, bytes, dict[str, str]]]:
    from agentmock.mockserver.core import Fake
    from agentmock.mockserver.model.clock import FixedClock
    from agentmock.mockserver.state import State
    from tests.scenarios.drivers import CoreDriver

    results = run_script(CoreDriver(Fake(State(random_seed=1, clock=FixedClock(1_763_776_800)))))
    statuses = [status for status, _, _ in results]
    assert statuses == EXPECTED_STATUSES  # the script reaches what it means to
    return results


@pytest.mark.parametrize("driver", ADAPTERS[1:], indirect=True)
def test_adapters_match_the_core_byte_for_byte(
    driver: Driver, reference: list[tuple[int | None, bytes, dict[str, str]]]
) -> None:
    got = run_script(driver)
    for i, (want, have) in enumerate(zip(reference, got, strict=True)):
        assert have == want, f"request {i} ({SCRIPT[i][:3] if i < len(SCRIPT) else 'last'})"
