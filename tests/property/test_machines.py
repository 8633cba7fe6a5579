"""The stateful machines run against the fake (and would catch a fake that broke a duplicate)."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import settings

from agentmock.mockserver import vendors
from agentmock.pytest_plugin import machines
from agentmock.pytest_plugin.machines import AgentMachine, machine_for

from ..helpers import fictional_vendor

RUN = settings(max_examples=25, stateful_step_count=15, deadline=None)


@pytest.mark.parametrize("vendor", vendors.names())
def test_every_vendors_machine_holds_its_invariants(vendor: str) -> None:
    """One machine per registered vendor, from its contract and profile alone."""
    case = machine_for(vendor).TestCase
    case.settings = RUN
    case().runTest()


def test_a_vendor_registered_at_run_time_gets_a_machine() -> None:
    """The fictional vendor (list, get and duplicate only; no create, update or delete) gets
    a machine that seeds, duplicates, reads and lists, with no edit to the plugin."""
    with fictional_vendor() as acme:
        machine = machine_for(acme)
        assert machine.vendor == acme
        case = machine.TestCase
        case.settings = settings(max_examples=10, stateful_step_count=8, deadline=None)
        case().runTest()
    machine_for.cache_clear()


def test_machines_by_name_are_the_registry_s_classes() -> None:
    assert machines.VoicyAgentMachine is machine_for("voicy")
    assert machines.ElevenLabsAgentMachine.vendor == "elevenlabs"
    with pytest.raises(AttributeError, match="NoSuchAgentMachine"):
        _ = machines.NoSuchAgentMachine


def test_a_subclass_names_its_vendor_and_an_unknown_one_is_refused() -> None:
    class Mine(AgentMachine, vendor="voicy"):
        pass

    assert Mine.vendor == "voicy"
    with pytest.raises(ValueError, match="unknown vendor 'vapi'"):

        class Wrong(AgentMachine, vendor="vapi"):
            pass


class DuplicatesByCreating(AgentMachine, vendor="millis"):
    """A client bug the invariants must catch: 'duplicating' by creating a renamed agent."""

    def duplicate(self, agent_id: str, agent_name: str | None) -> httpx.Response:
        got = self.client.get(f"/agents/{agent_id}")
        if got.status_code != 200:
            return got
        source = got.json()
        return self.client.post(
            "/agents", json={"name": source["name"] + " (copy)", "config": source["config"]}
        )


def test_the_invariants_catch_a_client_that_does_not_duplicate() -> None:
    broken = DuplicatesByCreating.TestCase
    broken.settings = settings(max_examples=25, stateful_step_count=10, deadline=None)
    with pytest.raises(AssertionError, match=r"name: should be .*, got .* \(copy\)"):
        broken().runTest()
