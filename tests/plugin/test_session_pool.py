"""Fixtures reuse a kept fake and router between tests with the same options (the session
pool); every test must still start as if from a fresh build."""

from __future__ import annotations

import pytest

from tests.helpers import run

SOURCE = """
DUP = "https://api-west.millis.ai/agents/-OKdqbqetEcM4ak369ym/duplicate"
KEY = {"authorization": "k"}
SEEN = {}


@pytest.mark.agentmock(random_seed=3)
def test_1_leaves_a_mess(millis_mock, voicy_mock):
    SEEN["fake"] = millis_mock.fake
    SEEN["first"] = httpx.post(DUP, headers=KEY).json()["id"]
    millis_mock.agents.add(name="Left behind")
    voicy_mock.fail("duplicate_agent", status=503, times=5)
    millis_mock.routes.get_agent.respond(418)
    millis_mock.fake.strict = False
    millis_mock.fake.set_rate_limit(1)
    millis_mock.fake.state.reset(seed={})
    httpx.post("https://api.voicy.co/v1/duplicate-agent/550e8400-e29b-41d4-a716-446655440001",
               headers={"Authorization": "Bearer voicy_sk_test_1"})


@pytest.mark.agentmock(random_seed=3, assert_all_called=True)
def test_2_starts_clean(millis_mock, respx_mock):
    assert millis_mock.fake is SEEN["fake"]  # the kept fake, restored
    assert len(millis_mock.agents) == 2  # the seed again (the test's own reset(seed={}) undone)
    assert millis_mock.fake.faults.all() == []
    assert list(millis_mock.fake.journal.entries()) == []
    assert millis_mock.routes.duplicate_agent.call_count == 0
    assert millis_mock.fake.strict is True
    got = httpx.get("https://api-west.millis.ai/agents/-OKdqbqetEcM4ak369ym", headers=KEY)
    assert got.status_code == 200  # the respond(418) override is gone
    assert httpx.post(DUP, headers=KEY).json()["id"] == SEEN["first"]  # ids repeat, as fresh
    # Only the vendors this test asked for are intercepted: Voicy is the test's own respx_mock's.
    respx_mock.post(url__startswith="https://api.voicy.co").respond(299)
    voicy = httpx.post("https://api.voicy.co/v1/duplicate-agent/x")
    assert voicy.status_code == 299


@pytest.mark.agentmock(seed={})
def test_3_other_options_another_fake(millis_mock):
    assert millis_mock.fake is not SEEN["fake"]
    assert len(millis_mock.agents) == 0
"""


def test_a_kept_fake_starts_each_test_as_a_fresh_one(pytester: pytest.Pytester) -> None:
    result = run(pytester, SOURCE, "-p", "no:randomly")
    result.assert_outcomes(passed=3)


def test_a_kept_fake_repeats_a_fresh_builds_ids(pytester: pytest.Pytester) -> None:
    """With a random seed, a test's ids do not depend on whether its fake was kept."""
    source = """
IDS = []

@pytest.mark.parametrize("n", range(3))
@pytest.mark.agentmock(random_seed=9, seed={})
def test_ids(millis_mock, n):
    made = httpx.post("https://api-west.millis.ai/agents", headers={"authorization": "k"},
                      json={"name": "n", "config": {"prompt": "p", "voice": {"provider": "x"}}})
    IDS.append(made.json()["id"])
    assert len(set(IDS)) == 1, IDS
"""
    run(pytester, source, "-p", "no:randomly").assert_outcomes(passed=3)
