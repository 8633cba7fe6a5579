"""The scenarios every vendor must pass, written once against the registry, run over every
registered vendor (and a fictional one registered at run time) through every adapter.

Nothing here names a vendor's paths, statuses, headers or envelopes: they come from its
contract (`Fake.router`) and its profile (`Fake.profiles`). A vendor added to the registry is
covered with no edit; `acme` proves it (tests/unit/fictional: one contract, one module).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from agentmock.mockserver import vendors
from agentmock.mockserver.core import Fake
from agentmock.mockserver.model.clock import FixedClock
from agentmock.mockserver.model.duplication import mismatches
from agentmock.mockserver.model.errors import AgentNotFound, Injected, RouteNotFound
from agentmock.mockserver.state import State
from agentmock.mockserver.vendors._profile import VendorProfile
from tests.helpers import fictional_vendor
from tests.scenarios.drivers import Driver, Result


@pytest.fixture(params=[*vendors.names(), "acme"])
def vendor(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param != "acme":
        yield request.param
        return
    with fictional_vendor() as name:
        yield name


@pytest.fixture
def fake(vendor: str) -> Fake:
    """The conftest's fake, built after `vendor` is registered."""
    return Fake(State(random_seed=1, clock=FixedClock(1_763_776_800)))


class Vendor:
    """What a scenario needs of one vendor, read from its contract and profile."""

    def __init__(self, driver: Driver, name: str) -> None:
        self.driver = driver
        self.name = name
        self.fake = driver.fake
        self.profile: VendorProfile = self.fake.profiles[name]
        self.store = self.fake.state.vendor(name).agents
        self.headers = self.profile.client_headers(self.profile.default_api_key)

    def path(self, operation: str, agent_id: str) -> str:
        return self.fake.router.operation(self.name, operation).path.format(agent_id=agent_id)

    def success(self, operation: str) -> int:
        return self.fake.router.operation(self.name, operation).success_status

    def send(self, method: str, path: str, **kwargs: Any) -> Result:
        kwargs.setdefault("headers", self.headers)
        return self.driver.send(self.name, method, path, **kwargs)

    def duplicate(self, agent_id: str, **kwargs: Any) -> Result:
        return self.send("POST", self.path("duplicateAgent", agent_id), **kwargs)

    def error(self, error: Any) -> tuple[int, Any]:
        rendered = self.profile.render(error)
        return rendered.status, _without_request_id(rendered.json())

    def new_agent(self) -> dict[str, Any]:
        return self.fake.add_agent(self.name, {})

    def missing_id(self) -> str:
        """A well-formed id of the vendor's shape that names no agent."""
        agent_id: str = self.new_agent()[self.profile.id_field]
        del self.store[agent_id]
        return agent_id


@pytest.fixture
def api(driver: Driver, vendor: str) -> Vendor:
    return Vendor(driver, vendor)


def test_a_duplicate_is_a_new_agent_by_the_contracts_table(api: Vendor) -> None:
    source = api.new_agent()
    source_id = source[api.profile.id_field]
    before = dict(api.store.raw())
    answer = api.duplicate(source_id)
    assert answer.status == api.success("duplicateAgent"), answer.raw
    copy_id = answer.json()[api.profile.id_field]
    assert copy_id != source_id
    assert len(api.store) == len(before) + 1
    assert api.store.raw()[source_id] == before[source_id]  # the source, byte for byte
    read = api.send("GET", api.path("getAgent", copy_id))
    assert read.status == 200
    assert mismatches(vendors.contract(api.name), source, read.json()) == []


def test_duplicating_twice_makes_two_agents(api: Vendor) -> None:
    source_id = api.new_agent()[api.profile.id_field]
    first, second = api.duplicate(source_id), api.duplicate(source_id)
    ids = {first.json()[api.profile.id_field], second.json()[api.profile.id_field]}
    assert len(ids) == 2


def test_a_missing_agent_is_the_vendors_404(api: Vendor) -> None:
    missing = api.missing_id()
    count = len(api.store)
    for answer in (api.duplicate(missing), api.send("GET", api.path("getAgent", missing))):
        assert (answer.status, _without_request_id(answer.json())) == api.error(AgentNotFound())
    assert len(api.store) == count


def test_without_a_key_nothing_happens_and_the_answer_is_declared(api: Vendor) -> None:
    source_id = api.new_agent()[api.profile.id_field]
    count = len(api.store)
    answer = api.duplicate(source_id, headers={})
    declared = api.fake.router.operation(api.name, "duplicateAgent").responses
    assert answer.status in declared
    assert answer.status in (401, 403, 422)
    assert len(api.store) == count
    (entry,) = api.fake.journal.entries(api.name)
    assert (entry.operation, entry.status) == ("duplicateAgent", answer.status)


def test_a_status_fault_answers_in_the_vendors_envelope_and_changes_nothing(
    api: Vendor,
) -> None:
    source_id = api.new_agent()[api.profile.id_field]
    count = len(api.store)
    api.fake.faults.add(
        {"vendor": api.name, "operation": "duplicateAgent", "kind": "status", "status": 503}
    )
    answer = api.duplicate(source_id)
    assert (answer.status, _without_request_id(answer.json())) == api.error(Injected(503))
    assert len(api.store) == count
    assert api.duplicate(source_id).status == api.success("duplicateAgent")  # spent


@pytest.mark.parametrize(("kind", "added"), [("drop", 0), ("commit_then_drop", 1)])
def test_dropped_answers_lose_the_reply_and_keep_the_promise(
    api: Vendor, kind: str, added: int
) -> None:
    source_id = api.new_agent()[api.profile.id_field]
    count = len(api.store)
    api.fake.faults.add({"vendor": api.name, "operation": "duplicateAgent", "kind": kind})
    assert api.duplicate(source_id).dropped
    assert len(api.store) == count + added


def test_an_unknown_route_under_the_vendors_paths_is_its_404(api: Vendor) -> None:
    path = api.path("duplicateAgent", "x") + "/no-such-thing"
    answer = api.send("GET", path)
    assert (answer.status, _without_request_id(answer.json())) == api.error(RouteNotFound())


def test_every_listed_agent_was_stored(api: Vendor) -> None:
    api.new_agent()
    answer = api.send("GET", api.fake.router.operation(api.name, "listAgents").path)
    assert answer.status == 200
    body = answer.json()
    if not isinstance(body, list):  # a page: the list is its one array field
        body = next(value for value in body.values() if isinstance(value, list))
    items = body
    assert {item[api.profile.id_field] for item in items} <= set(api.store)
    assert items


def _without_request_id(body: Any) -> Any:
    """`body` less the id a vendor's error gives each request (fresh on every answer)."""
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, dict) and "request_id" in detail:
        assert isinstance(detail["request_id"], str)
        assert detail["request_id"]
        return {**body, "detail": {k: v for k, v in detail.items() if k != "request_id"}}
    return body
