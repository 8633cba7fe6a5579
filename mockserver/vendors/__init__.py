"""The vendor registry: one module per vendor, each holding its profile and its handlers.

The core names no vendor. Everything a vendor does differently (how a key is read and checked,
the order of auth, rate limit and validation, the error envelope, id and name rules, seed
defaults and sections, visibility, the client's auth header, its key's environment variable)
is a method or field of its `VendorProfile`, and its handlers are functions in its module,
bound to the contract's operationIds by name.

Adding a vendor is one contract (`contracts/<name>.openapi.yaml`), one module here and one line
in `_MODULES`; `register` adds one at run time (a test does, with a fictional vendor).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from agentmock.mockserver.vendors._profile import VendorProfile

__all__ = ["VendorProfile", "all_profiles", "names", "profile", "register", "unregister"]

_MODULES: dict[str, str] = {
    "millis": "agentmock.mockserver.vendors.millis",
    "voicy": "agentmock.mockserver.vendors.voicy",
    "elevenlabs": "agentmock.mockserver.vendors.elevenlabs",
}
_LOADED: dict[str, VendorProfile] = {}


def __getattr__(name: str) -> Any:
    # Lazy, so the pytest plugin can read `names()` at start without importing the core.
    if name == "VendorProfile":
        from agentmock.mockserver.vendors._profile import VendorProfile

        return VendorProfile
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def names() -> list[str]:
    """The registered vendors' names, in registration order (imports no vendor module)."""
    return list(_MODULES)


def profile(vendor: str) -> VendorProfile:
    """The profile of `vendor`, its module imported on first use."""
    found = _LOADED.get(vendor)
    if found is not None:
        return found
    if vendor not in _MODULES:
        names = ", ".join(_MODULES)
        raise ValueError(f"agentmock: unknown vendor {vendor!r}; expected one of {names}")
    module = importlib.import_module(_MODULES[vendor])
    loaded: VendorProfile = module.PROFILE
    _LOADED[vendor] = loaded
    return loaded


def all_profiles() -> Iterator[VendorProfile]:
    """Every registered vendor's profile, in registration order."""
    for vendor in list(_MODULES):
        yield profile(vendor)


def register(module: str) -> VendorProfile:
    """Register the vendor defined by `module` (its `PROFILE`); its contract must be loadable."""
    from agentmock import contracts
    from agentmock.mockserver.core import default_router

    loaded: VendorProfile = importlib.import_module(module).PROFILE
    _MODULES[loaded.name] = module
    _LOADED[loaded.name] = loaded
    contracts.register(loaded.name, loaded.contract_path)
    default_router.cache_clear()
    return loaded


def unregister(vendor: str) -> None:
    """Forget a vendor `register` added (tests use it to clean up)."""
    from agentmock import contracts
    from agentmock.mockserver.core import default_router

    _MODULES.pop(vendor, None)
    _LOADED.pop(vendor, None)
    contracts.unregister(vendor)
    default_router.cache_clear()
