"""The consumer's own tests, written against agentmock's fixtures (no real API is called)."""

from __future__ import annotations

import httpx
import pytest
from agent_cloner import MILLIS, VOICY, CloneError, clone_agent

from agentmock.pytest_plugin import assert_duplicate_of

MILLIS_AGENT = "-OKdqbqetEcM4ak369ym"
VOICY_AGENT = "550e8400-e29b-41d4-a716-446655440001"


def no_sleep(seconds: float) -> None:
    pass


def test_millis_clone(millis_mock):
    source = millis_mock.agents.get(MILLIS_AGENT)
    copy = clone_agent(MILLIS, millis_mock.api_key, MILLIS_AGENT)
    assert_duplicate_of(source, copy, vendor="millis")
    assert len(millis_mock.agents) == 3


def test_voicy_clone_with_a_name(voicy_mock):
    source = voicy_mock.agents.get(VOICY_AGENT)
    copy = clone_agent(VOICY, voicy_mock.api_key, VOICY_AGENT, name="Night shift")
    assert_duplicate_of(source, copy, vendor="voicy", agent_name="Night shift")


def test_rate_limit_is_retried_after_the_servers_delay(voicy_mock):
    voicy_mock.fail("duplicate_agent", status=429, headers={"Retry-After": "2"})
    waits: list[float] = []
    clone_agent(VOICY, voicy_mock.api_key, VOICY_AGENT, sleep=waits.append)
    assert waits == [2.0]
    assert voicy_mock.routes.duplicate_agent.call_count == 2
    assert len(voicy_mock.agents) == 4


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried(millis_mock, status):
    millis_mock.fail("duplicate_agent", status=status, times=2)
    clone_agent(MILLIS, millis_mock.api_key, MILLIS_AGENT, sleep=no_sleep)
    assert millis_mock.routes.duplicate_agent.call_count == 3
    assert len(millis_mock.agents) == 3


@pytest.mark.parametrize(
    ("mock_name", "vendor", "agent"),
    [("millis_mock", MILLIS, MILLIS_AGENT), ("voicy_mock", VOICY, VOICY_AGENT)],
)
def test_a_lost_response_does_not_make_a_second_copy(request, mock_name, vendor, agent):
    mock = request.getfixturevalue(mock_name)
    mock.commit_then_drop("duplicate_agent")
    copy = clone_agent(vendor, mock.api_key, agent, sleep=no_sleep)
    assert mock.routes.duplicate_agent.call_count == 1  # no blind retry
    assert len(mock.agents) == (3 if vendor is MILLIS else 4)  # exactly one copy
    assert copy == mock.agents.get(copy[vendor.id_field])


def test_a_request_dropped_before_it_was_served_is_retried(voicy_mock):
    voicy_mock.drop("duplicate_agent")
    clone_agent(VOICY, voicy_mock.api_key, VOICY_AGENT, sleep=no_sleep)
    assert voicy_mock.routes.duplicate_agent.call_count == 2
    assert len(voicy_mock.agents) == 4


def test_a_slow_answer_that_times_out_is_found_not_repeated(voicy_mock):
    voicy_mock.delay("duplicate_agent", 5)
    with httpx.Client(base_url=VOICY.base_url, timeout=0.05) as client:
        clone_agent(VOICY, voicy_mock.api_key, VOICY_AGENT, client=client, sleep=no_sleep)
    assert len(voicy_mock.agents) == 4


def test_gives_up_after_repeated_failures(millis_mock):
    millis_mock.fail("duplicate_agent", status=503, times=4)
    with pytest.raises(CloneError, match="millis answered 503"):
        clone_agent(MILLIS, millis_mock.api_key, MILLIS_AGENT, sleep=no_sleep)
    assert len(millis_mock.agents) == 2


def test_a_missing_agent_is_not_retried(voicy_mock):
    with pytest.raises(CloneError, match="404"):
        clone_agent(VOICY, voicy_mock.api_key, "660e8400-e29b-41d4-a716-000000000000")
    assert voicy_mock.routes.duplicate_agent.call_count == 1
