"""agentmock: contract-testing kit for voice-agent vendors' duplicate-agent endpoints.

The public surface, loaded lazily (importing `agentmock` imports nothing else)::

    import agentmock

    with agentmock.mock() as fake:            # the in-process fake for httpx, outside pytest
        ...                                   # your code calls https://api.voicy.co/... as usual
        assert len(fake.voicy.requests) == 1

- `mock`: a context manager and decorator that fakes every vendor's hosts for httpx;
- `assert_duplicate_of`: check a copy against the contract's duplicate table;
- `Fake`, `FakeConfig`: the fake itself, for adapters of your own;
- `ContractViolation`: what strict mode raises when the fake breaks its own contract;
- `AgentmockOptions`, `VendorMock`, `LiveServer`, `LiveVendor`: the pytest plugin's types;
- `strategies`: hypothesis strategies for agent payloads (`agentmock.strategies.voicy_agents()`);
- `contracts`: the OpenAPI contracts and their loader.

The packages behind it: `agentmock.contracts`, `agentmock.mockserver` (the fake, the server and
the CLI) and `agentmock.pytest_plugin` (fixtures, strategies, state machines, assertions).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentmock import contracts
    from agentmock.mockserver.config import FakeConfig
    from agentmock.mockserver.core import Fake
    from agentmock.mockserver.model.errors import ContractViolation
    from agentmock.pytest_plugin import strategies
    from agentmock.pytest_plugin._fixtures import LiveServer
    from agentmock.pytest_plugin._mock import Mock, mock
    from agentmock.pytest_plugin._options import AgentmockOptions
    from agentmock.pytest_plugin.assertions import assert_duplicate_of
    from agentmock.pytest_plugin.handles import LiveVendor, VendorMock

__version__ = "0.4.0"

__all__ = [
    "AgentmockOptions",
    "ContractViolation",
    "Fake",
    "FakeConfig",
    "LiveServer",
    "LiveVendor",
    "Mock",
    "VendorMock",
    "__version__",
    "assert_duplicate_of",
    "contracts",
    "mock",
    "strategies",
]

_WHERE = {
    "AgentmockOptions": "agentmock.pytest_plugin._options",
    "ContractViolation": "agentmock.mockserver.model.errors",
    "Fake": "agentmock.mockserver.core",
    "FakeConfig": "agentmock.mockserver.config",
    "LiveServer": "agentmock.pytest_plugin._fixtures",
    "LiveVendor": "agentmock.pytest_plugin.handles",
    "Mock": "agentmock.pytest_plugin._mock",
    "VendorMock": "agentmock.pytest_plugin.handles",
    "assert_duplicate_of": "agentmock.pytest_plugin.assertions",
    "mock": "agentmock.pytest_plugin._mock",
}
_MODULES = {
    "contracts": "agentmock.contracts",
    "strategies": "agentmock.pytest_plugin.strategies",
}


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return importlib.import_module(_MODULES[name])
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'agentmock' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
