"""The `agentmock` pytest11 entry point: fixtures, the marker and contract coverage.

Kept thin and cheap to import: it loads only pytest here; the fake, respx and uvicorn are
imported when a test first asks for one of the fixtures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytest_plugin.coverage import ContractCoverage
    from pytest_plugin.fixtures import LiveServer, RespxSession
    from pytest_plugin.handles import VendorMock

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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "agentmock(seed=None, strict=True, assert_all_called=True, api_keys=None, "
        "rate_limit=None, random_seed=None, now=None): configure agentmock's fixtures",
    )
    wanted = config.getoption("--agentmock-coverage", default=False) or (
        config.getoption("--agentmock-coverage-fail-under", default=None) is not None
    )
    if wanted:
        from pytest_plugin.coverage import ContractCoverage

        config.stash[_COVERAGE] = ContractCoverage()
    else:
        config.stash[_COVERAGE] = None


def _listener(config: pytest.Config) -> Any:
    coverage = config.stash.get(_COVERAGE, None)
    return coverage.observe if coverage is not None else None


@pytest.fixture
def _agentmock(request: pytest.FixtureRequest) -> Iterator[RespxSession]:
    from pytest_plugin.fixtures import RespxSession, build_fake, check_faults_hit
    from pytest_plugin.options import AgentmockOptions

    options = AgentmockOptions.for_node(request.node)
    session = RespxSession(build_fake(options, _listener(request.config)))
    try:
        yield session
    finally:
        session.close()
    check_faults_hit(session.fake, options)


@pytest.fixture
def millis_mock(_agentmock: RespxSession) -> VendorMock:
    """Millis AI's API, faked in-process for httpx (sync and async), already active.

    Both regions' hosts are intercepted; other hosts are left alone.

    >>> def test_copy(millis_mock):  # doctest: +SKIP
    ...     agent = millis_mock.agents.add(name="Support line")
    ...     copy = my_client.duplicate(agent["id"])  # your code, calling httpx
    ...     assert millis_mock.routes.duplicate_agent.call_count == 1
    """
    return _agentmock.mock("millis")


@pytest.fixture
def voicy_mock(_agentmock: RespxSession) -> VendorMock:
    """Voicy's API (api.voicy.co), faked in-process for httpx (sync and async), already active."""
    return _agentmock.mock("voicy")


@pytest.fixture
def agentmock_app(request: pytest.FixtureRequest) -> Any:
    """The Starlette app over a fresh fake, for `httpx.ASGITransport` or schemathesis's
    `schemathesis.openapi.from_asgi`. Its fake is `agentmock_app.state.fake`."""
    from mockserver.app import create_app
    from pytest_plugin.fixtures import build_fake
    from pytest_plugin.options import AgentmockOptions

    options = AgentmockOptions.for_node(request.node)
    return create_app(build_fake(options, _listener(request.config)))


@pytest.fixture(scope="session")
def _agentmock_live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    from mockserver.core import Fake
    from mockserver.state import State
    from pytest_plugin.fixtures import LiveServer

    fake = Fake(State({}))
    listener = _listener(request.config)
    if listener is not None:
        fake.listeners.append(listener)
    server = LiveServer(fake)
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
    from pytest_plugin.fixtures import check_faults_hit, configure
    from pytest_plugin.options import AgentmockOptions

    options = AgentmockOptions.for_node(request.node)
    configure(_agentmock_live_server.fake, options)
    yield _agentmock_live_server
    check_faults_hit(_agentmock_live_server.fake, options)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    coverage = session.config.stash.get(_COVERAGE, None)
    threshold = session.config.getoption("--agentmock-coverage-fail-under", default=None)
    below = coverage is not None and threshold is not None and coverage.percent < threshold
    if below and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    coverage = config.stash.get(_COVERAGE, None)
    if coverage is None:
        return
    for line in coverage.lines():
        terminalreporter.write_line(line)
    threshold = config.getoption("--agentmock-coverage-fail-under", default=None)
    if threshold is not None and coverage.percent < threshold:
        terminalreporter.write_line(
            f"agentmock: contract coverage {coverage.percent:.1f}% is below the required "
            f"{threshold:g}% (--agentmock-coverage-fail-under); exercise the statuses in "
            "parentheses above, or lower the threshold",
            red=True,
        )
