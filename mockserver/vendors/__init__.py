"""The vendor registry: one module per vendor, each holding its profile and its handlers.

The registry is the one answer to "which vendors exist": a read-only mapping of name -> profile
(`registry`), in registration order. It sits below everything that uses it: it imports no part
of the pipeline, the server or the CI tools, and a vendor module imports only `model` and
`contracts`.

Everything a vendor does differently (how a key is read and checked, the order of auth, rate
limit and validation, the error envelope, id and name rules, seed defaults and sections,
visibility, the client's auth header, its key's environment variable, its contract's file) is a
method or field of its `VendorProfile`, and its handlers are functions `(store, call) -> body` in
its module, bound to the contract's operationIds by name.

Adding a vendor is one contract (`contracts/<name>.openapi.yaml`), one module here and one line
in `_MODULES`; `register` adds one at run time (a test does, with a fictional vendor).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from agentmock.mockserver.vendors._profile import VendorProfile

__all__ = [
    "UnknownVendor",
    "VendorProfile",
    "all_profiles",
    "check",
    "contract",
    "generation",
    "names",
    "profile",
    "register",
    "registry",
    "unknown_vendor",
    "unregister",
]

_MODULES: dict[str, str] = {
    "millis": "agentmock.mockserver.vendors.millis",
    "voicy": "agentmock.mockserver.vendors.voicy",
    "elevenlabs": "agentmock.mockserver.vendors.elevenlabs",
}
_LOADED: dict[str, VendorProfile] = {}
_GENERATION = [0]  # bumped by `register` and `unregister`: caches over the registry key on it


def __getattr__(name: str) -> Any:
    # Lazy, so the pytest plugin can read `names()` at start without importing a vendor module.
    if name == "VendorProfile":
        from agentmock.mockserver.vendors._profile import VendorProfile

        return VendorProfile
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class UnknownVendor(KeyError, ValueError):
    """A vendor name the registry does not know (a `KeyError` for mappings, a `ValueError` for
    the callers that validate arguments). `reason` is the message without the `agentmock:`
    prefix, for envelopes and CLI lines that add their own."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"agentmock: {reason}")
        self.reason = reason

    def __str__(self) -> str:
        return str(self.args[0])


def unknown_vendor(vendor: object) -> UnknownVendor:
    """The one error for a vendor name nobody registered, worded once for every caller."""
    return UnknownVendor(f"unknown vendor {vendor!r}; expected one of {', '.join(_MODULES)}")


def check(vendor: object) -> str:
    """`vendor` if it is a registered vendor's name; `unknown_vendor` otherwise."""
    if not isinstance(vendor, str) or vendor not in _MODULES:
        raise unknown_vendor(vendor)
    return vendor


def names() -> list[str]:
    """The registered vendors' names, in registration order (imports no vendor module)."""
    return list(_MODULES)


def generation() -> int:
    """How many times the registry has changed (a cache key for what is built over it)."""
    return _GENERATION[0]


def profile(vendor: str) -> VendorProfile:
    """The profile of `vendor`, its module imported on first use."""
    found = _LOADED.get(vendor)
    if found is not None:
        return found
    module = importlib.import_module(_MODULES[check(vendor)])
    loaded: VendorProfile = module.PROFILE
    _LOADED[vendor] = loaded
    return loaded


def contract(vendor: str) -> Path:
    """The file of `vendor`'s contract (give it to `agentmock.contracts`' functions)."""
    return profile(vendor).contract


def all_profiles() -> Iterator[VendorProfile]:
    """Every registered vendor's profile, in registration order."""
    for vendor in list(_MODULES):
        yield profile(vendor)


class _Registry(Mapping[str, "VendorProfile"]):
    """name -> profile, read-only, in registration order; vendor modules load on first use."""

    def __getitem__(self, vendor: str) -> VendorProfile:
        return profile(vendor)

    def __iter__(self) -> Iterator[str]:
        return iter(list(_MODULES))

    def __len__(self) -> int:
        return len(_MODULES)

    def __contains__(self, vendor: object) -> bool:
        return vendor in _MODULES

    def __repr__(self) -> str:
        return f"<agentmock vendor registry: {', '.join(_MODULES)}>"


registry: Mapping[str, VendorProfile] = _Registry()


def register(module: str) -> VendorProfile:
    """Register the vendor defined by `module` (its `PROFILE`); its contract must be loadable."""
    loaded: VendorProfile = importlib.import_module(module).PROFILE
    _MODULES[loaded.name] = module
    _LOADED[loaded.name] = loaded
    _GENERATION[0] += 1
    return loaded


def unregister(vendor: str) -> None:
    """Forget a vendor `register` added (tests use it to clean up)."""
    _MODULES.pop(vendor, None)
    _LOADED.pop(vendor, None)
    _GENERATION[0] += 1
