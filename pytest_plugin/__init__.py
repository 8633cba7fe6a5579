"""agentmock's pytest plugin: fixtures, assertions (and strategies) for Millis AI and Voicy.

The fixtures (`millis_mock`, `voicy_mock`, `agentmock_app`, `agentmock_server`) register
themselves through the `agentmock` pytest11 entry point. This package's names are imported
lazily, so loading the plugin costs a pytest run almost nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_plugin.assertions import assert_duplicate_of
    from pytest_plugin.fixtures import LiveServer
    from pytest_plugin.handles import LiveVendor, VendorMock
    from pytest_plugin.options import AgentmockOptions

__all__ = ["AgentmockOptions", "LiveServer", "LiveVendor", "VendorMock", "assert_duplicate_of"]

_WHERE = {
    "assert_duplicate_of": "pytest_plugin.assertions",
    "LiveServer": "pytest_plugin.fixtures",
    "LiveVendor": "pytest_plugin.handles",
    "VendorMock": "pytest_plugin.handles",
    "AgentmockOptions": "pytest_plugin.options",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'pytest_plugin' has no attribute {name!r}")
