"""Routes come from the contracts and every operation is bound to exactly one handler."""

from __future__ import annotations

import pytest

from agentmock.mockserver import vendors
from agentmock.mockserver.model.call import handler_names, handlers_for
from agentmock.mockserver.routing import Match, NoMatch, default_router, snake_case
from agentmock.mockserver.vendors import profile


@pytest.mark.parametrize("vendor", vendors.names())
def test_every_operation_has_a_handler_and_every_handler_an_operation(vendor: str) -> None:
    operations = {op.name for op in default_router().operations[vendor]}
    assert operations == handler_names(profile(vendor).handlers)


def test_a_missing_handler_fails_at_start() -> None:
    with pytest.raises(
        LookupError, match=r"millis operations without a handler: \['clone_agent'\]"
    ):
        handlers_for("millis", profile("millis").handlers, ["duplicate_agent", "clone_agent"])


def test_snake_case_links_the_layers() -> None:
    assert snake_case("duplicateAgent") == "duplicate_agent"
    assert snake_case("listAgents") == "list_agents"


def test_matching() -> None:
    router = default_router()
    found = router.match("POST", "/agents/-OKd/duplicate")
    assert isinstance(found, Match)
    assert found.operation.operation_id == "duplicateAgent"
    assert found.path_params == {"agent_id": "-OKd"}
    wrong = router.match("DELETE", "/v1/duplicate-agent/x")
    assert wrong == NoMatch("voicy", ("POST",))
    assert router.match("GET", "/agents/a/duplicate/extra") == NoMatch("millis", ())
    assert router.match("GET", "/agents//duplicate") == NoMatch("millis", ())


def test_vendor_hint_keeps_hosts_apart() -> None:
    # A Voicy path sent to a Millis host is not a Voicy route.
    assert router_match_vendor("/v1/list-agents", "millis") == NoMatch("millis", ())


def router_match_vendor(path: str, vendor: str) -> object:
    return default_router().match("GET", path, vendor)


def test_success_status_comes_from_the_contract() -> None:
    router = default_router()
    assert router.operation("voicy", "duplicate_agent").success_status == 200
    assert router.operation("millis", "duplicateAgent").success_status == 200
    assert router.operation("voicy", "deleteAgent").success_has_body is False


def test_unknown_operation_names_the_choices() -> None:
    with pytest.raises(ValueError, match=r"voicy has no operation 'clone'.*duplicate_agent"):
        default_router().operation("voicy", "clone")


def test_a_literal_segment_outranks_a_parameter_in_allow() -> None:
    """`/v1/convai/agents/create` also fits `/v1/convai/agents/{agent_id}`; the methods a 405
    lists are the literal path's only (schemathesis's Allow check found the mix)."""
    from agentmock.mockserver.routing import NoMatch, default_router

    router = default_router()
    found = router.match("OPTIONS", "/v1/convai/agents/create")
    assert isinstance(found, NoMatch)
    assert found.allowed == ("POST",)
    by_id = router.match("OPTIONS", "/v1/convai/agents/agent_x")
    assert isinstance(by_id, NoMatch)
    assert sorted(by_id.allowed) == ["DELETE", "GET", "PATCH"]
