"""The stateful machines run against the fake (and would catch a fake that broke a duplicate)."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import settings

from agentmock.pytest_plugin.machines import (
    ElevenLabsAgentMachine,
    MillisAgentMachine,
    VoicyAgentMachine,
)

RUN = settings(max_examples=25, stateful_step_count=15, deadline=None)

TestMillisMachine = MillisAgentMachine.TestCase
TestMillisMachine.settings = RUN
TestVoicyMachine = VoicyAgentMachine.TestCase
TestVoicyMachine.settings = RUN
TestElevenLabsMachine = ElevenLabsAgentMachine.TestCase
TestElevenLabsMachine.settings = RUN


class DuplicatesByCreating(MillisAgentMachine):
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
