"""Stateful property tests of the duplicate endpoints: one `RuleBasedStateMachine` per vendor,
built from its contract and profile (`machine_for(vendor)`, or by name: `VoicyAgentMachine`).

Rules create agents (or, where the contract has no create operation, seed them through the
fake), duplicate, get, list (page by page, where the list has a cursor), rename and delete them
through the in-process fixtures' machinery, with httpx. After every step the machine checks:

- each duplicate adds exactly one agent;
- the source is unchanged, byte for byte;
- the copy satisfies `assert_duplicate_of` (the contract's duplicate table);
- ids never repeat;
- duplicating (or reading) a deleted agent is a 404;
- the list shows exactly the stored agents the vendor's list shows (its profile's `listed`);
- a rename either applies or is refused with a status the contract declares, changing nothing.

Run one as a test:  `TestMillis = machine_for("millis").TestCase`.

To drive your own client code, subclass `AgentMachine` naming the vendor and override
`duplicate` (and, if you like, `get` and `delete`); the invariants then hold your client to the
contract:

    class MyClientMachine(AgentMachine, vendor="voicy"):
        def duplicate(self, agent_id, agent_name):
            return my_client.duplicate(agent_id, name=agent_name)  # returns the httpx.Response

(`VoicyAgentMachine` and the like, `<vendor>AgentMachine` by name, are the same classes as
`machine_for`'s, for code that does not need a type checker to follow them.)
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, ClassVar

import httpx

try:
    from hypothesis import strategies as st
    from hypothesis.stateful import (
        Bundle,
        RuleBasedStateMachine,
        invariant,
        multiple,
        precondition,
        rule,
    )
except ModuleNotFoundError as missing:  # hypothesis is an extra: say which
    raise ModuleNotFoundError(
        "agentmock: the state machines need hypothesis: pip install 'agentmock[strategies]'"
    ) from missing

from agentmock.mockserver import vendors
from agentmock.mockserver.config import FakeConfig
from agentmock.mockserver.core import auth_headers
from agentmock.mockserver.model.duplication import rules
from agentmock.pytest_plugin._fixtures import RespxSession
from agentmock.pytest_plugin.assertions import assert_duplicate_of
from agentmock.pytest_plugin.strategies import agents, request_bodies

if TYPE_CHECKING:
    from agentmock.mockserver.routing import Operation

__all__ = ["AgentMachine", "machine_for"]

_NAMES = st.sampled_from(["Renamed", "Support line (EU)", "שם חדש"])


class AgentMachine(RuleBasedStateMachine):
    """The rules and invariants every vendor's machine shares. A subclass names its vendor:

    class MyClientMachine(AgentMachine, vendor="voicy"): ...
    """

    vendor: ClassVar[str]
    agents = Bundle("agents")

    def __init_subclass__(cls, *, vendor: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if vendor is not None:
            cls.vendor = vendors.check(vendor)

    def __init__(self) -> None:
        super().__init__()
        self.session = RespxSession(FakeConfig(seed={}).build())
        self.mock = self.session.mock(self.vendor)
        fake = self.mock.fake
        self.store = fake.state.vendor(self.vendor).agents
        self.client = httpx.Client(
            base_url=self.mock.base_url, headers=auth_headers(self.vendor, self.mock.api_key)
        )
        self.seen_ids: set[str] = set()
        self.deleted: set[str] = set()
        self.expected_count = 0
        self.profile = fake.profiles[self.vendor]
        self.ops: dict[str, Operation] = {
            op.operation_id: op for op in fake.router.operations[self.vendor]
        }
        self.duplicated_status = self.ops["duplicateAgent"].success_status
        self.store_id_field = self.profile.id_field
        table = rules(self.profile.contract)[0]
        self.rename_field = next((r["override"] for r in table.values() if "override" in r), None)
        """The duplicate request's field that names the copy (None: the vendor takes none)."""
        self.own_fields = {k for k, r in table.items() if r.get("generator") == "caller_account"}
        """Fields the caller's key decides (its account): left out of seeded agents."""

    def teardown(self) -> None:
        self.client.close()
        self.session.close()

    def _call(self, operation: str, agent_id: str | None = None, **kwargs: Any) -> httpx.Response:
        op = self.ops[operation]
        path = op.path if agent_id is None else op.path.format(agent_id=agent_id)
        return self.client.request(op.method, path, **kwargs)

    # -- the calls; override these to drive your own client ----------------------------------

    def duplicate(self, agent_id: str, agent_name: str | None) -> httpx.Response:
        if self.ops["duplicateAgent"].body is None:
            return self._call("duplicateAgent", agent_id)
        named = agent_name is not None and self.rename_field is not None
        body = {self.rename_field: agent_name} if named else {}
        return self._call("duplicateAgent", agent_id, json=body)

    def get(self, agent_id: str) -> httpx.Response:
        return self._call("getAgent", agent_id)

    def delete(self, agent_id: str) -> httpx.Response:
        return self._call("deleteAgent", agent_id)

    # -- bookkeeping ---------------------------------------------------------------------------

    def _remember(self, agent_id: str) -> str:
        assert agent_id not in self.seen_ids, f"agentmock: id {agent_id!r} was minted twice"
        self.seen_ids.add(agent_id)
        self.expected_count += 1
        return agent_id

    def _duplicate(self, source_id: str, agent_name: str | None) -> Any:
        if source_id in self.deleted:
            response = self.duplicate(source_id, agent_name)
            assert response.status_code == 404, response.text
            assert len(self.store) == self.expected_count
            return multiple()
        before = self.store.raw()[source_id]
        source = self.store[source_id]
        response = self.duplicate(source_id, agent_name)
        assert response.status_code == self.duplicated_status, response.text
        copy = response.json()
        if set(copy) == {self.store_id_field}:  # the vendor answers the id alone: read it back
            copy = self.store[copy[self.store_id_field]]
        assert self.store.raw()[source_id] == before, "agentmock: the source changed"
        assert_duplicate_of(source, copy, vendor=self.vendor, agent_name=agent_name)
        copy_id = self._remember(copy[self.store_id_field])
        assert len(self.store) == self.expected_count, "a duplicate must add exactly one agent"
        return copy_id

    # -- rules ---------------------------------------------------------------------------------

    @precondition(lambda self: "createAgent" in self.ops)
    @rule(target=agents, data=st.data())
    def create(self, data: st.DataObject) -> str:
        body = data.draw(request_bodies(self.vendor, "createAgent"), label="body")
        response = self._call("createAgent", json=body)
        assert response.status_code == self.ops["createAgent"].success_status, response.text
        created: str = response.json()[self.store_id_field]
        name = body.get(self.profile.name_field)
        if name is not None:
            assert self.store[created][self.profile.name_field] == name
        return self._remember(created)

    @precondition(lambda self: "createAgent" not in self.ops)
    @rule(target=agents, data=st.data())
    def seed(self, data: st.DataObject) -> Any:
        """Where the vendor documents no create endpoint: an agent added through the fake."""
        agent = data.draw(agents(self.vendor), label="agent")
        if agent[self.store_id_field] in self.seen_ids:
            return multiple()
        agent = {k: v for k, v in agent.items() if k not in self.own_fields}
        return self._remember(self.mock.agents.add(**agent)[self.store_id_field])

    @rule(target=agents, source=agents, data=st.data())
    def copy(self, source: str, data: st.DataObject) -> Any:
        name = None
        if self.ops["duplicateAgent"].body is not None:
            body = data.draw(request_bodies(self.vendor, "duplicateAgent"), label="body")
            name = body.get(self.rename_field) if self.rename_field else None
        return self._duplicate(source, name)

    @precondition(lambda self: "getAgent" in self.ops)
    @rule(agent_id=agents)
    def read(self, agent_id: str) -> None:
        response = self.get(agent_id)
        if agent_id in self.deleted:
            assert response.status_code == 404
        else:
            assert response.status_code == 200
            assert response.json() == self.store[agent_id]

    @precondition(lambda self: "listAgents" in self.ops)
    @rule(data=st.data())
    def listed(self, data: st.DataObject) -> None:
        """Every agent the vendor's list shows (its profile's `listed`), each exactly once, the
        list walked page by page where it has a cursor; boolean filters drawn."""
        op = self.ops["listAgents"]
        query: dict[str, Any] = {}
        for param in op.params:
            schema = param.check.schema
            if param.location != "query":
                continue
            if schema.get("type") == "boolean":
                query[param.name] = data.draw(st.booleans(), label=param.name)
            elif schema.get("type") == "integer" and "maximum" in schema:  # a page size
                low = schema.get("minimum", 1)
                query[param.name] = data.draw(st.integers(low, low + 3), label=param.name)
        cursor = next((p.name for p in op.params if f"next_{p.name}" in _fields(op)), None)
        params = {k: str(v).lower() if isinstance(v, bool) else v for k, v in query.items()}
        seen: list[str] = []
        while True:
            response = self._call("listAgents", params=params)
            assert response.status_code == 200, response.text
            page = response.json()
            items = page if isinstance(page, list) else _items(page)
            seen += [item[self.store_id_field] for item in items]
            if cursor is None or not page.get(f"next_{cursor}"):
                break
            params[cursor] = page[f"next_{cursor}"]
        wanted = [i for i, agent in self.store.items() if self.profile.listed(agent, query)]
        assert sorted(seen) == sorted(wanted), "every listed agent exactly once"

    @precondition(lambda self: "updateAgent" in self.ops)
    @rule(agent_id=agents, name=_NAMES)
    def rename(self, agent_id: str, name: str) -> None:
        before = self.store.raw().get(agent_id)
        response = self._call("updateAgent", agent_id, json={self.profile.name_field: name})
        if agent_id in self.deleted:
            assert response.status_code == 404
        elif 200 <= response.status_code < 300:
            assert self.store[agent_id][self.profile.name_field] == name
        else:  # refused (a read-only agent, say): a declared answer, and nothing changed
            assert response.status_code in self.ops["updateAgent"].responses, response.text
            assert self.store.raw()[agent_id] == before

    @precondition(lambda self: "deleteAgent" in self.ops)
    @rule(agent_id=agents)
    def remove(self, agent_id: str) -> None:
        response = self.delete(agent_id)
        if agent_id in self.deleted:
            assert response.status_code == 404
            return
        assert response.status_code in (200, 204)
        self.deleted.add(agent_id)
        self.expected_count -= 1

    @invariant()
    def store_matches_bookkeeping(self) -> None:
        assert len(self.store) == self.expected_count
        assert set(self.store) == self.seen_ids - self.deleted


def _fields(op: Operation) -> set[str]:
    check = op.responses.get(op.success_status)
    return set(check.schema.get("properties", {})) if check is not None else set()


def _items(page: dict[str, Any]) -> list[dict[str, Any]]:
    """The agents of a list page that is an object (`{"agents": [...], "next_cursor": ...}`)."""
    found = [v for v in page.values() if isinstance(v, list)]
    assert len(found) == 1, f"agentmock: cannot tell the items of {sorted(page)}"
    return list(found[0])


@functools.cache
def machine_for(vendor: str) -> type[AgentMachine]:
    """The state machine of a registered vendor (one class per vendor, so it can be
    subclassed)."""
    profile = vendors.profile(vendor)
    name = f"{''.join(ch for ch in profile.title if ch.isalnum())}AgentMachine"
    doc = f"{profile.title}: the shared rules over its contract."
    made = type(name, (AgentMachine,), {"__doc__": doc}, vendor=vendor)
    return made


def __getattr__(name: str) -> type[AgentMachine]:
    # `VoicyAgentMachine`, `ElevenLabsAgentMachine`: `<vendor>AgentMachine`, any capitalisation.
    if (
        name.endswith("AgentMachine")
        and name.removesuffix("AgentMachine").lower() in vendors.registry
    ):
        return machine_for(name.removesuffix("AgentMachine").lower())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
