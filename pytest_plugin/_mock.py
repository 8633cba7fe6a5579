"""`agentmock.mock(...)`: the in-process fake for httpx outside pytest (moto's `mock_aws`).

A context manager and a decorator (sync and async functions alike), with the marker's options.
No pytest is imported: scripts, notebooks, unittest and other runners can use it.
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any, TypeVar

from agentmock.pytest_plugin._fixtures import RespxSession, idle_faults_message
from agentmock.pytest_plugin._options import AgentmockOptions

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

    from agentmock.mockserver.core import Fake
    from agentmock.pytest_plugin.handles import VendorMock

__all__ = ["Mock", "mock"]

F = TypeVar("F", bound="Callable[..., Any]")


class Mock:
    """Every vendor's hosts faked for httpx while active; one handle per vendor.

    >>> with mock(seed={}) as fake:  # doctest: +SKIP
    ...     agent = fake.voicy.agents.add(agent_name="Night shift")
    ...     httpx.post(f"https://api.voicy.co/v1/duplicate-agent/{agent['agent_id']}", ...)
    ...     assert fake.voicy.routes.duplicate_agent.call_count == 1

    Activating it again after it was left starts from the configured seed again.
    """

    def __init__(self, options: AgentmockOptions) -> None:
        self.options = options
        self._session: RespxSession | None = None
        self.vendors: dict[str, VendorMock] = {}

    @property
    def fake(self) -> Fake:
        if self._session is None:
            raise RuntimeError("agentmock: the mock is not active; use it in a `with` block")
        return self._session.fake

    def __getattr__(self, vendor: str) -> VendorMock:
        vendors: dict[str, VendorMock] = self.__dict__.get("vendors", {})
        if vendor in vendors:
            return vendors[vendor]
        if self.__dict__.get("_session") is None:
            raise AttributeError(f"agentmock: the mock is not active, so it has no {vendor!r}")
        from agentmock.mockserver.vendors import unknown_vendor

        raise AttributeError(str(unknown_vendor(vendor)))

    def start(self) -> Mock:
        if self._session is not None:
            raise RuntimeError("agentmock: this mock is already active")
        session = RespxSession(self.options.build(), allow_network=self.options.allow_network)
        self.vendors = {vendor: session.mock(vendor) for vendor in session.fake.router.operations}
        self._session = session
        return self

    def stop(self, *, check: bool = True) -> None:
        """Deactivate; with `check`, fail if a fault that was set up was never hit."""
        session, self._session = self._session, None
        if session is None:
            return
        session.close()
        self.vendors = {}
        if check:
            message = idle_faults_message(
                session.fake,
                self.options,
                how_to_switch_off="agentmock.mock(assert_all_called=False)",
            )
            if message:
                raise AssertionError(message)

    def __enter__(self) -> Mock:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop(check=exc_type is None)

    async def __aenter__(self) -> Mock:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop(check=exc_type is None)

    def __call__(self, func: F) -> F:
        """As a decorator: active for each call of `func` (a fresh fake each call)."""
        options = self.options
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                async with Mock(options):
                    return await func(*args, **kwargs)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with Mock(options):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def mock(**options: Any) -> Mock:
    """The in-process fake of every vendor for httpx, as a context manager or decorator.

    Takes the options of `@pytest.mark.agentmock(...)`: `seed`, `api_keys`, `strict`,
    `rate_limit`, `random_seed`, `now`, `journal_size`, `assert_all_called`, `allow_network`.
    """
    __tracebackhide__ = True
    return Mock(AgentmockOptions.from_kwargs(options, where="agentmock.mock(...)"))
