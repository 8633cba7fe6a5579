"""Issue 9's promises to a consumer: no escapes to the network, xdist coverage, repeatable ids,
seed paths next to the test, resets that reset, and delays under trio."""

from __future__ import annotations

import pytest

from agentmock.pytest_plugin._coverage import declared_pairs
from tests.helpers import run

DECLARED = len(declared_pairs())  # every (vendor, operation, status) of the contracts


def test_a_typo_host_under_a_vendor_domain_never_reaches_the_network(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
from agentmock.pytest_plugin._respx import UnknownVendorHost

def test_typo(millis_mock):
    with pytest.raises(UnknownVendorHost) as info:
        httpx.get("https://api.millis.ai/agents", headers={"authorization": "k"})
    assert "api-west.millis.ai, api-eu-west.millis.ai" in str(info.value)
    assert "api.millis.ai is not a millis API host" in str(info.value)

def test_typo_under_another_vendor_fixture(voicy_mock):
    with pytest.raises(UnknownVendorHost, match="api.voicy.co"):
        httpx.get("https://www.voicy.co/v1/list-agents")
""",
    )
    result.assert_outcomes(passed=2)


def test_allow_network_false_makes_any_unmocked_request_an_error(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
@pytest.mark.agentmock(allow_network=False)
def test_closed(voicy_mock):
    with pytest.raises(AssertionError, match="allow_network=False"):
        httpx.get("http://127.0.0.1:9/anything")

@pytest.mark.agentmock(allow_network=False)
def test_the_tests_own_router_still_answers(voicy_mock, respx_mock):
    respx_mock.get("https://example.com/").respond(204)
    assert httpx.get("https://example.com/").status_code == 204

def test_default_lets_other_hosts_through(voicy_mock):
    with pytest.raises(httpx.ConnectError):  # it really tried the network: nothing listens
        httpx.get("http://127.0.0.1:9/anything")
""",
    )
    result.assert_outcomes(passed=3)


@pytest.mark.slow
def test_coverage_under_xdist_is_the_union_of_all_workers(pytester: pytest.Pytester) -> None:
    source = "\n".join(
        f"""
def test_{i}(voicy_mock):
    httpx.get("https://api.voicy.co/v1/list-agents", headers=HEADERS[{i}])
"""
        for i in range(2)
    )
    source = 'HEADERS = [{"Authorization": "Bearer voicy_sk_1"}, {}]\n' + source
    report = run(pytester, source, "-n", "2", "--agentmock-coverage")
    assert report.ret == 0
    report.stdout.fnmatch_lines(
        ["*voicy listAgents*2/8*200 401 (403)*", f"*total: 2/{DECLARED} = {200 / DECLARED:.1f}%*"]
    )
    passing = run(pytester, source, "-n", "2", "--agentmock-coverage-fail-under=1.5")
    assert passing.ret == 0
    failing = run(pytester, source, "-n", "2", "--agentmock-coverage-fail-under=2")
    assert failing.ret == pytest.ExitCode.TESTS_FAILED


def test_random_seed_alone_repeats_every_id_from_run_to_run(pytester: pytest.Pytester) -> None:
    source = """
import time

@pytest.mark.agentmock(random_seed=42, seed={})
def test_ids(millis_mock, voicy_mock):
    made = httpx.post(
        "https://api-west.millis.ai/agents",
        json={"name": "n", "config": {"prompt": "p", "voice": {"provider": "openai"}}},
        headers={"authorization": "k"},
    ).json()["id"]
    voicy = voicy_mock.agents.add()["agent_id"]
    print("IDS", made, voicy)
"""
    first = run(pytester, source, "-s")
    second = run(pytester, source, "-s")
    ids = [next(line for line in r.stdout.lines if line.startswith("IDS")) for r in (first, second)]
    assert ids[0] == ids[1], ids
    assert len(ids[0].split()[1]) == 20


def test_a_relative_seed_path_is_read_next_to_the_test_file(pytester: pytest.Pytester) -> None:
    sub = pytester.mkdir("suite")
    (sub / "agents.yaml").write_text("voicy:\n  agents:\n    - agent_name: From the file\n")
    (sub / "test_seeded.py").write_text(
        """
import pytest

@pytest.mark.agentmock(seed="agents.yaml")
def test_seeded(voicy_mock):
    assert [a["agent_name"] for a in voicy_mock.agents] == ["From the file"]
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", "--rootdir", ".")
    result.assert_outcomes(passed=1)


def test_reset_clears_route_overrides(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_reset(voicy_mock):
    voicy_mock.routes.list_agents.respond(503)
    url = "https://api.voicy.co/v1/list-agents"
    auth = {"Authorization": "Bearer voicy_sk_1"}
    assert httpx.get(url, headers=auth).status_code == 503
    voicy_mock.reset()
    assert voicy_mock.routes.list_agents.call_count == 0
    assert httpx.get(url, headers=auth).status_code == 200
    voicy_mock.routes.get_agent.pass_through()
    voicy_mock.reset()
    assert not voicy_mock.routes.get_agent.is_pass_through  # a pass-through is an override too
""",
    )
    result.assert_outcomes(passed=1)


def test_delay_faults_work_under_trio(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
import time
import trio

def test_trio(voicy_mock):
    voicy_mock.delay("list_agents", 0.2)
    voicy_mock.delay("list_agents", 5)

    async def main():
        async with httpx.AsyncClient(base_url=voicy_mock.base_url) as client:
            auth = {"Authorization": "Bearer voicy_sk_1"}
            started = time.monotonic()
            ok = await client.get("/v1/list-agents", headers=auth)
            assert ok.status_code == 200 and time.monotonic() - started >= 0.2
            with pytest.raises(httpx.ReadTimeout):
                await client.get("/v1/list-agents", headers=auth, timeout=0.1)

    trio.run(main)
""",
    )
    result.assert_outcomes(passed=1)
