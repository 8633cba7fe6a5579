"""The `agentmock` pytest11 entry point: fixtures, the marker and contract coverage.

Kept thin and cheap to import: it loads only pytest here; the fake, respx and uvicorn are
imported when a test first asks for one of the fixtures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from agentmock.mockserver.core import Fake
    from agentmock.mockserver.journal import Entry
    from agentmock.pytest_plugin._coverage import ContractCoverage
    from agentmock.pytest_plugin._fixtures import LiveServer, RespxSession, SessionPool
    from agentmock.pytest_plugin._options import AgentmockOptions
    from agentmock.pytest_plugin.handles import VendorMock


def _registered_vendors() -> list[str]:
    from agentmock.mockserver.vendors import names

    return names()


_COVERAGE: pytest.StashKey[ContractCoverage | None] = pytest.StashKey()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("agentmock", "agentmock contract coverage")
    group.addoption(
        "--agentmock-coverage",
        action="store_true",
        help="report which operation x status pairs of the contracts the tests exercised",
    )
    group.addoption(
        "--agentmock-coverage-fail-under",
        metavar="PCT",
        type=float,
        default=None,
        help="fail the run if agentmock contract coverage is below PCT percent",
    )


def marker_help() -> str:
    """The marker's line in `pytest --markers`, from `AgentmockOptions`' own fields."""
    import dataclasses

    from agentmock.pytest_plugin._options import AgentmockOptions

    def default(option: dataclasses.Field[Any]) -> str:
        if option.default_factory is not dataclasses.MISSING:
            return repr(option.default_factory())
        return repr(option.default)

    shown = ", ".join(f"{f.name}={default(f)}" for f in dataclasses.fields(AgentmockOptions))
    return f"agentmock({shown}): configure agentmock's fixtures"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", marker_help())
    wanted = config.getoption("--agentmock-coverage", default=False) or (
        config.getoption("--agentmock-coverage-fail-under", default=None) is not None
    )
    config.stash[_COVERAGE] = None
    if wanted:  # the report's hooks exist only in runs that ask for it
        from agentmock.pytest_plugin._coverage import ContractCoverage, CoverageReport

        coverage = ContractCoverage()
        config.stash[_COVERAGE] = coverage
        config.pluginmanager.register(CoverageReport(coverage), "agentmock-coverage")


def _listeners(config: pytest.Config) -> list[Callable[[Entry], None]]:
    coverage = config.stash.get(_COVERAGE, None)
    return [coverage.observe] if coverage is not None else []


def _check_faults_hit(fake: Fake, options: AgentmockOptions) -> None:
    from agentmock.pytest_plugin._fixtures import idle_faults_message

    switch_off = "@pytest.mark.agentmock(assert_all_called=False)"
    message = idle_faults_message(fake, options, how_to_switch_off=switch_off)
    if message:
        pytest.fail(message, pytrace=False)


_POOL: pytest.StashKey[SessionPool] = pytest.StashKey()


@pytest.fixture
def _agentmock(request: pytest.FixtureRequest) -> Iterator[RespxSession]:
    from agentmock.pytest_plugin._fixtures import SessionPool
    from agentmock.pytest_plugin._options import AgentmockOptions

    options = AgentmockOptions.for_node(request.node)
    pool = request.config.stash.setdefault(_POOL, SessionPool())
    session, give_back = pool.take(options, _listeners(request.config))
    try:
        yield session
        _check_faults_hit(session.fake, options)
    finally:
        give_back()


def _vendor_fixture(vendor: str) -> Callable[..., VendorMock]:
    def fixture(_agentmock: RespxSession) -> VendorMock:
        return _agentmock.mock(vendor)

    fixture.__name__ = fixture.__qualname__ = f"{vendor}_mock"
    fixture.__doc__ = (
        f"The {vendor!r} vendor's API (its contract: `agentmock.contracts.load({vendor!r})`), "
        "faked in-process for httpx, sync and async, already active.\n\n"
        "Every one of its hosts is intercepted; other hosts are left alone. It seeds, inspects "
        "and injects faults: `.agents`, `.requests`, `.routes.<operation>`, `.fail(...)`."
    )
    return pytest.fixture(fixture)


# One `<vendor>_mock` fixture per registered vendor (`millis_mock`, `voicy_mock`, ...), read
# from the registry without importing any vendor's module.
for _vendor in _registered_vendors():
    globals()[f"{_vendor}_mock"] = _vendor_fixture(_vendor)


@pytest.fixture
def agentmock_mock(_agentmock: RespxSession) -> RespxSession:
    """Every vendor at once, including vendors registered at run time: `agentmock_mock.mock(name)`
    (or `agentmock_mock.<name>`) is the handle `<name>_mock` would give, on the same fake. Every
    vendor's hosts are intercepted from the start, as with `agentmock.mock()`."""
    for vendor in _agentmock.fake.router.operations:
        _agentmock.mock(vendor)
    return _agentmock


@pytest.fixture
def agentmock_app(request: pytest.FixtureRequest) -> Any:
    """The Starlette app over a fresh fake, for `httpx.ASGITransport` or schemathesis's
    `schemathesis.openapi.from_asgi`. Its fake is `agentmock_app.state.fake`."""
    from agentmock.mockserver.server.app import create_app
    from agentmock.pytest_plugin._options import AgentmockOptions

    options = AgentmockOptions.for_node(request.node)
    return create_app(options.build(listeners=_listeners(request.config)))


@pytest.fixture(scope="session")
def _agentmock_live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    from agentmock.mockserver.config import FakeConfig
    from agentmock.pytest_plugin._fixtures import LiveServer

    server = LiveServer(FakeConfig(seed={}).build(listeners=_listeners(request.config)))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def agentmock_server(
    request: pytest.FixtureRequest, _agentmock_live_server: LiveServer
) -> Iterator[LiveServer]:
    """A real uvicorn server on a loopback port, shared by the session and reset for each test.

    For clients that do not use httpx (requests, aiohttp, another language): point them at
    `agentmock_server.url`; `agentmock_server.millis` and `.voicy` seed, inspect and inject
    faults like the respx fixtures.
    """
    from agentmock.pytest_plugin._options import AgentmockOptions

    options = AgentmockOptions.for_node(request.node)
    options.apply(_agentmock_live_server.fake)
    yield _agentmock_live_server
    _check_faults_hit(_agentmock_live_server.fake, options)
