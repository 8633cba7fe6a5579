"""Handlers: plain functions `(store, call) -> body`, one per contract operation, bound by name.

`duplicateAgent` in a contract is served by `duplicate_agent` in `vendors/<vendor>.py`. The
pipeline resolves the vendor's store (`model.store.VendorStore`, which reaches the id minter and
the clock) and the validated `Call` before it calls one. A handler returns the success body (the
status comes from the contract) or raises a typed error from `model.errors`; it never writes an
error body itself. Reading an agent from the store gives a fresh copy; a handler changes an
agent by storing it back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from types import ModuleType

    from agentmock.mockserver.model.store import VendorStore
    from agentmock.mockserver.model.types import JSON, JSONObject

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

    @property
    def agent_id(self) -> str:
        """The `{agent_id}` of the operation's path."""
        return self.path_params["agent_id"]


Handler: TypeAlias = Callable[["VendorStore", Call], "JSON"]


def handler_names(module: ModuleType) -> set[str]:
    """The names of the handlers a vendor module defines (its `__all__`)."""
    return set(module.__all__)


def handlers_for(vendor: str, module: ModuleType, names: list[str]) -> dict[str, Handler]:
    """Bind each snake-case operation name to its handler; a missing one is an error at start."""
    missing = [name for name in names if name not in module.__all__]
    if missing:
        raise LookupError(f"agentmock: {vendor} operations without a handler: {missing}")
    return {name: getattr(module, name) for name in names}
