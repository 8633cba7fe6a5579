"""The plugin's fixtures, run the way a consumer runs them: in a pytester sandbox."""

from __future__ import annotations

import pytest

from agentmock.pytest_plugin._coverage import declared_pairs
from tests.helpers import FICTIONAL, run

DECLARED = len(declared_pairs())  # every (vendor, operation, status) of the contracts


def test_sync_and_async_clients_both_fixtures_one_test(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_both(millis_mock, voicy_mock):
    with httpx.Client() as client:
        millis = client.post(
            f"{millis_mock.base_url}/agents/-OKdqbqetEcM4ak369ym/duplicate",
            headers={"authorization": millis_mock.api_key},
        )
    assert millis.status_code == 200

    async def call():
        async with httpx.AsyncClient(base_url=voicy_mock.base_url) as client:
            return await client.post(
                "/v1/duplicate-agent/550e8400-e29b-41d4-a716-446655440001",
                headers={"Authorization": f"Bearer {voicy_mock.api_key}"},
                json={"agent_name": "Async copy"},
            )

    voicy = asyncio.run(call())
    assert voicy.status_code == 200
    assert voicy.json()["agent_name"] == "Async copy"
    assert millis_mock.routes.duplicate_agent.call_count == 1
    assert voicy_mock.routes.duplicate_agent.calls.last.request.url.host == "api.voicy.co"
    assert len(millis_mock.agents) == 3
    assert len(voicy_mock.agents) == 4
    assert [e.operation for e in voicy_mock.requests] == ["duplicateAgent"]

def test_eu_region_too(millis_mock):
    response = httpx.get("https://api-eu-west.millis.ai/agents", headers={"authorization": "k"})
    assert response.status_code == 200
    assert millis_mock.routes.list_agents.called
""",
    )
    result.assert_outcomes(passed=2)


def test_other_hosts_are_left_to_the_users_own_respx_routes(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_combined(respx_mock, voicy_mock):
    respx_mock.get("https://hooks.example.com/ping").respond(204)
    assert httpx.get("https://hooks.example.com/ping").status_code == 204
    listed = httpx.get(
        "https://api.voicy.co/v1/list-agents",
        headers={"Authorization": f"Bearer {voicy_mock.api_key}"},
    )
    assert listed.status_code == 200
    with pytest.raises(respx.models.AllMockedAssertionError):
        httpx.get("https://not-mocked.example.com/")  # the user's router stays strict

def test_unknown_vendor_paths_are_answered_not_sent(millis_mock):
    response = httpx.get("https://api-west.millis.ai/v2/agents", headers={"authorization": "k"})
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})
    assert millis_mock.requests[-1].path == "/v2/agents"
""",
    )
    result.assert_outcomes(passed=2)


def test_without_other_routers_other_hosts_reach_the_network(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_pass_through(voicy_mock, agentmock_server):
    # agentmock_server is a real server on loopback: reaching it proves requests pass through.
    response = httpx.get(f"{agentmock_server.url}/__admin/faults")
    assert response.status_code == 200
""",
    )
    result.assert_outcomes(passed=1)


def test_vendor_mock_agents_routes_and_reset(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_handle(voicy_mock):
    added = voicy_mock.agents.add(agent_name="Night shift", language="he")
    assert added["version"] == 1
    assert voicy_mock.agents.get(added["agent_id"]) == added
    assert voicy_mock.agents.get("missing") is None
    assert added["agent_id"] in voicy_mock.agents
    assert len(voicy_mock.agents.list()) == 4
    with pytest.raises(AttributeError, match="has no operation 'clone'.*duplicate_agent"):
        voicy_mock.routes.clone
    httpx.get("https://api.voicy.co/v1/list-agents", headers={"Authorization": f"Bearer {voicy_mock.api_key}"})
    voicy_mock.reset()
    assert len(voicy_mock.agents) == 3
    assert voicy_mock.requests == []
    assert voicy_mock.routes.list_agents.call_count == 0
""",
    )
    result.assert_outcomes(passed=1)


def test_faults(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
URL = "https://api.voicy.co/v1/duplicate-agent/550e8400-e29b-41d4-a716-446655440001"

def post(mock, **kw):
    return httpx.post(URL, headers={"Authorization": f"Bearer {mock.api_key}"}, **kw)

def test_fail(voicy_mock):
    voicy_mock.fail("duplicate_agent", status=429, headers={"Retry-After": "1"}, times=2)
    first = post(voicy_mock)
    assert (first.status_code, first.headers["retry-after"]) == (429, "1")
    assert first.json() == {"error": "Rate limit exceeded. Please retry after 30 seconds."}
    assert post(voicy_mock).status_code == 429
    assert post(voicy_mock).status_code == 200

def test_drop_and_commit_then_drop(voicy_mock):
    voicy_mock.drop("duplicateAgent")
    with pytest.raises(httpx.RemoteProtocolError):
        post(voicy_mock)
    assert len(voicy_mock.agents) == 3
    voicy_mock.commit_then_drop("duplicate_agent")
    with pytest.raises(httpx.RemoteProtocolError):
        post(voicy_mock)
    assert len(voicy_mock.agents) == 4

def test_delay_and_timeouts(voicy_mock):
    voicy_mock.delay("duplicate_agent", 0.5)
    with pytest.raises(httpx.ReadTimeout):
        post(voicy_mock, timeout=0.05)
    assert len(voicy_mock.agents) == 4  # the server did the work; the client gave up

def test_malformed(millis_mock):
    millis_mock.malformed("list_agents")
    response = httpx.get("https://api-west.millis.ai/agents", headers={"authorization": "k"})
    with pytest.raises(ValueError):
        response.json()
""",
    )
    result.assert_outcomes(passed=4)


def test_marker_options(pytester: pytest.Pytester) -> None:
    seed_file = pytester.path / "agents.yaml"
    seed_file.write_text("millis:\n  agents:\n    - name: From a file\n", encoding="utf-8")
    result = run(
        pytester,
        """
@pytest.mark.agentmock(seed={"voicy": {"agents": [{"agent_name": "Only"}]}}, api_keys={"voicy": ["voicy_sk_test_mine"]})
def test_seed_and_keys(voicy_mock):
    assert [a["agent_name"] for a in voicy_mock.agents] == ["Only"]
    assert voicy_mock.api_key == "voicy_sk_test_mine"
    other = httpx.get("https://api.voicy.co/v1/list-agents", headers={"Authorization": "Bearer voicy_sk_live_xxx"})
    assert other.status_code == 401

@pytest.mark.agentmock(seed="agents.yaml", random_seed=3, now=1700000000)
def test_file_and_determinism(millis_mock):
    (agent,) = millis_mock.agents.list()
    assert agent["name"] == "From a file"
    assert agent["created_at"] == 1700000000
    assert agent["id"] == DETERMINISTIC_ID

@pytest.mark.agentmock(rate_limit=1)
def test_rate_limit(voicy_mock):
    headers = {"Authorization": f"Bearer {voicy_mock.api_key}"}
    assert httpx.get("https://api.voicy.co/v1/list-agents", headers=headers).status_code == 200
    assert httpx.get("https://api.voicy.co/v1/list-agents", headers=headers).status_code == 429

@pytest.mark.agentmock(strict=False)
class TestClassMarker:
    @pytest.mark.agentmock(seed={})
    def test_closest_wins_and_merges(self, millis_mock):
        assert len(millis_mock.agents) == 0
        assert millis_mock.fake.strict is False
""".replace("DETERMINISTIC_ID", repr(_deterministic_id())),
    )
    result.assert_outcomes(passed=4)


def _deterministic_id() -> str:
    from agentmock.mockserver.model.ids import IdMinter

    return IdMinter(3).push_id(1_700_000_000)


def test_marker_typos_are_type_errors_naming_the_test(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
@pytest.mark.agentmock(sed={})
def test_typo(millis_mock):
    pass

@pytest.mark.agentmock({})
def test_positional(voicy_mock):
    pass

@pytest.mark.agentmock(strict="yes")
def test_wrong_type(agentmock_app):
    pass
""",
    )
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines(
        [
            "*TypeError: agentmock: invalid @pytest.mark.agentmock(...) on "
            "test_marker_typos_are_type_errors_naming_the_test.py::test_typo: "
            "got an unexpected keyword argument 'sed' (did you mean 'seed'?). "
            "Valid options: seed, api_keys, strict, *",
            "*TypeError: agentmock: @pytest.mark.agentmock takes keyword arguments only*",
            "*strict must be True or False, not 'yes'*",
        ]
    )


def test_assert_all_called(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_fault_never_hit(voicy_mock):
    voicy_mock.fail("duplicate_agent", status=503)

@pytest.mark.agentmock(assert_all_called=False)
def test_switched_off(voicy_mock):
    voicy_mock.fail("duplicate_agent", status=503)
""",
    )
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*agentmock: faults were set up but no request reached them:",
            "*  - voicy duplicateAgent: status (times=1), never hit",
            "*To switch this check off: @pytest.mark.agentmock(assert_all_called=False)",
        ],
        consecutive=True,
    )


def test_strict_mode_violations_reach_the_test(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
from agentmock.mockserver.model.errors import ContractViolation

def test_broken_fake(millis_mock, monkeypatch):
    monkeypatch.setitem(millis_mock.fake.handlers["millis"], "list_agents", lambda s, c: [{"id": 1}])
    with pytest.raises(ContractViolation, match="strict mode.*schema path"):
        httpx.get("https://api-west.millis.ai/agents", headers={"authorization": "k"})
""",
    )
    result.assert_outcomes(passed=1)


def test_agentmock_app_for_asgi(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_app(agentmock_app):
    async def go():
        transport = httpx.ASGITransport(app=agentmock_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://fake") as client:
            return await client.get("/v1/list-agents", headers={"Authorization": "Bearer voicy_sk_1"})
    assert len(asyncio.run(go()).json()) == 3
    assert agentmock_app.state.fake.journal.entries()[0].operation == "listAgents"
""",
    )
    result.assert_outcomes(passed=1)


def test_live_server_is_reset_between_tests(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
import urllib.request, json

def duplicate(server):
    request = urllib.request.Request(
        f"{server.url}/agents/-OKdqbqetEcM4ak369ym/duplicate", method="POST",
        headers={"authorization": server.millis.api_key},
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)

def test_first(agentmock_server):
    duplicate(agentmock_server)  # a client that is not httpx
    assert len(agentmock_server.millis.agents) == 3
    assert agentmock_server.millis.requests[-1].status == 200

@pytest.mark.agentmock(seed={})
def test_second_starts_clean(agentmock_server):
    assert len(agentmock_server.millis.agents) == 0
    agentmock_server.voicy.fail("list_agents", status=500)
    with pytest.raises(Exception):
        urllib.request.urlopen(urllib.request.Request(
            f"{agentmock_server.voicy.base_url}/v1/list-agents",
            headers={"Authorization": "Bearer voicy_sk_1"},
        ))
""",
    )
    result.assert_outcomes(passed=2)


def test_contract_coverage_report_and_threshold(pytester: pytest.Pytester) -> None:
    source = """
def test_one(voicy_mock):
    httpx.get("https://api.voicy.co/v1/list-agents", headers={"Authorization": "Bearer voicy_sk_1"})
    httpx.get("https://api.voicy.co/v1/list-agents")
"""
    report = run(pytester, source, "--agentmock-coverage")
    assert report.ret == 0
    report.stdout.fnmatch_lines(
        [
            "agentmock contract coverage (operation: statuses exercised / declared)",
            "*voicy listAgents*2/8*200 401 (403)*",
            f"*total: 2/{DECLARED} = {200 / DECLARED:.1f}%*",
        ]
    )
    failing = run(pytester, source, "--agentmock-coverage-fail-under=50")
    assert failing.ret == pytest.ExitCode.TESTS_FAILED
    failing.stdout.fnmatch_lines(
        [
            f"*agentmock: contract coverage {200 / DECLARED:.1f}% is below the required 50% (--agentmock-coverage-fail-under)*"
        ]
    )


def test_one_vendor_fixture_per_registered_vendor(pytester: pytest.Pytester) -> None:
    """`<vendor>_mock` fixtures come from the registry, not from a hand-written list."""
    from agentmock.mockserver import vendors

    pytester.makepyfile("def test_nothing():\n    pass\n")
    listed = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--fixtures").stdout.str()
    for vendor in vendors.names():
        assert f"{vendor}_mock -- " in listed
    assert "agentmock_mock -- " in listed


def test_agentmock_mock_reaches_a_vendor_registered_at_run_time(pytester: pytest.Pytester) -> None:
    for name in ("acme_vendor.py", "acme.openapi.yaml"):
        (pytester.path / name).write_bytes((FICTIONAL / name).read_bytes())
    result = run(
        pytester,
        """
from agentmock.mockserver import vendors


@pytest.fixture(autouse=True)
def acme():
    vendors.register("acme_vendor")
    yield
    vendors.unregister("acme")


@pytest.mark.agentmock(seed={"acme": {"agents": [{"agent_id": "a-1", "title": "Desk"}]}})
def test_copy(agentmock_mock):
    answer = httpx.post(
        "https://api.acme.test/acme/v1/agents/a-1/copy", headers={"x-acme-key": "k"}
    )
    assert answer.status_code == 201
    assert agentmock_mock.acme.routes.duplicate_agent.call_count == 1
    assert agentmock_mock.mock("acme") is agentmock_mock.acme
    with pytest.raises(AttributeError, match="unknown vendor 'nope'"):
        agentmock_mock.nope
""",
    )
    result.assert_outcomes(passed=1)
