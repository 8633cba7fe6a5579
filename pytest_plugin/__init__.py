"""agentmock's pytest plugin: fixtures, assertions (and strategies) for Millis AI and Voicy.

The fixtures (`millis_mock`, `voicy_mock`, `agentmock_app`, `agentmock_server`) register
themselves through the `agentmock` pytest11 entry point. This package's names are imported
lazily, so loading the plugin costs a pytest run almost nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentmock.pytest_plugin._fixtures import LiveServer
    from agentmock.pytest_plugin._options import AgentmockOptions
    from agentmock.pytest_plugin.assertions import assert_duplicate_of
    from agentmock.pytest_plugin.handles import LiveVendor, VendorMock

__all__ = ["AgentmockOptions", "LiveServer", "LiveVendor", "VendorMock", "assert_duplicate_of"]

_WHERE = {
    "assert_duplicate_of": "agentmock.pytest_plugin.assertions",
    "LiveServer": "agentmock.pytest_plugin._fixtures",
    "LiveVendor": "agentmock.pytest_plugin.handles",
    "VendorMock": "agentmock.pytest_plugin.handles",
    "AgentmockOptions": "agentmock.pytest_plugin._options",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'pytest_plugin' has no attribute {name!r}")
