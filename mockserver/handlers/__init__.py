"""Handlers: plain functions `(state, call) -> body`, one per contract operation, bound by name.

`duplicateAgent` in a contract is served by `duplicate_agent` in `vendors/<vendor>.py`. A handler
returns the success body (the status comes from the contract) or raises a typed error from
`mockserver.errors`; it never writes an error body itself. Reading an agent from the state gives a
fresh copy; a handler changes an agent by storing it back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from agentmock.mockserver.state import State
    from agentmock.mockserver.types import JSON, JSONObject
    from agentmock.mockserver.vendors import VendorProfile

__all__ = ["Call", "Handler", "handler_names", "handlers_for"]


@dataclass(slots=True)  # per request: not frozen, which would be 5x slower to build
class Call:
    """A validated request as a handler sees it."""

    path_params: dict[str, str] = field(default_factory=dict)
    body: JSONObject | None = None
    account: str | None = None  # the account the key belongs to, where the vendor has them
    query: dict[str, JSON] = field(default_factory=dict)  # declared query parameters, typed
    answer_headers: dict[str, str] = field(default_factory=dict)
    """Headers every answer to this call carries, success or error (rate-limit headers)."""


Handler: TypeAlias = Callable[["State", Call], "JSON"]


def handler_names(profile: VendorProfile) -> set[str]:
    """The names of the handlers a vendor module defines (its `__all__`)."""
    return set(profile.handlers.__all__)


def handlers_for(profile: VendorProfile, names: list[str]) -> dict[str, Handler]:
    """Bind each snake-case operation name to its handler; a missing one is an error at start."""
    module = profile.handlers
    missing = [name for name in names if name not in module.__all__]
    if missing:
        raise LookupError(f"agentmock: {profile.name} operations without a handler: {missing}")
    return {name: getattr(module, name) for name in names}
