"""Handlers: plain functions `(state, call) -> body`, one per contract operation, bound by name.

`duplicateAgent` in a contract is served by `duplicate_agent` in `handlers/<vendor>.py`. A handler
returns the success body (the status comes from the contract) or raises a typed error from
`mockserver.errors`; it never writes an error body itself. Reading an agent from the state gives a
fresh copy; a handler changes an agent by storing it back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from agentmock.mockserver.handlers import millis, voicy

if TYPE_CHECKING:
    from types import ModuleType

    from agentmock.mockserver.state import State
    from agentmock.mockserver.types import JSON, JSONObject, Vendor

__all__ = ["Call", "Handler", "handler_names", "handlers_for"]


@dataclass(slots=True)  # per request: not frozen, which would be 5x slower to build
class Call:
    """A validated request as a handler sees it."""

    path_params: dict[str, str] = field(default_factory=dict)
    body: JSONObject | None = None
    account: str | None = None  # Voicy: the account the key belongs to


Handler: TypeAlias = Callable[["State", Call], "JSON"]

_MODULES: dict[str, ModuleType] = {"millis": millis, "voicy": voicy}


def handler_names(vendor: Vendor) -> set[str]:
    """The names of the handlers a vendor module defines (its `__all__`)."""
    return set(_MODULES[vendor].__all__)


def handlers_for(vendor: Vendor, names: list[str]) -> dict[str, Handler]:
    """Bind each snake-case operation name to its handler; a missing one is an error at start."""
    module = _MODULES[vendor]
    missing = [name for name in names if name not in module.__all__]
    if missing:
        raise LookupError(f"agentmock: {vendor} operations without a handler: {missing}")
    return {name: getattr(module, name) for name in names}
