"""Typed errors the core and the handlers raise.

No handler writes an error body by hand: it raises one of these, and the vendor's profile
(`VendorProfile.render`) turns it into the vendor's envelope.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentmock.mockserver.model.types import JSON, Loc

__all__ = [
    "AccessDenied",
    "AgentNotFound",
    "ApiError",
    "ContractViolation",
    "HeadersTooLarge",
    "Injected",
    "InvalidApiKey",
    "MethodNotAllowed",
    "MissingAuthorization",
    "PayloadTooLarge",
    "RateLimited",
    "RequestInvalid",
    "RouteNotFound",
    "Violation",
    "reason",
]


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a request breaks the contract, FastAPI style."""

    loc: Loc
    msg: str
    type: str

    def as_fastapi(self) -> dict[str, JSON]:
        return {"type": self.type, "loc": list(self.loc), "msg": self.msg}

    def sentence(self) -> str:
        """`agent_name: must not be empty or blank` (the source, `body`/`path`, left out)."""
        where = ".".join(str(part) for part in self.loc[1:])
        if not where:
            where = {"body": "request body"}.get(str(self.loc[0]), str(self.loc[0]))
        return f"{where}: {self.msg}"


class ApiError(Exception):
    """An error response: a status, a message for the vendor's envelope, extra headers, and
    (for status faults only) a body given in full."""

    status: int = 500
    message: str = "Internal server error"
    body: JSON = None
    request_id: str | None = None
    """Set by the core as it renders the error (for vendors whose errors name their request)."""

    def __init__(self, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(self.message)
        self.headers = dict(headers or {})


class AccessDenied(ApiError):
    """A key that may read an agent but not change it."""

    status = 403
    message = "Access denied"


class AgentNotFound(ApiError):
    status = 404
    message = "Agent not found"


class RouteNotFound(ApiError):
    status = 404
    message = "Not Found"


class MethodNotAllowed(ApiError):
    status = 405
    message = "Method Not Allowed"


class MissingAuthorization(ApiError):
    """No key at all (a vendor that models its key as a required header answers 422 first)."""

    status = 401
    message = "Missing authorization"


class InvalidApiKey(ApiError):
    status = 401
    message = "Invalid API key"


class PayloadTooLarge(ApiError):
    status = 413
    message = "Request body too large"


class HeadersTooLarge(ApiError):
    """The request's headers together are over the fake's limit (an HTTP-level refusal)."""

    status = 431
    message = "Request header fields too large"


class RateLimited(ApiError):
    status = 429
    message = "Rate limit exceeded"


class RequestInvalid(ApiError):
    """The request breaks the contract; each vendor phrases the list (and picks 400 or 422)."""

    status = 422

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__()
        self.violations = violations

    def __str__(self) -> str:
        return "; ".join(v.sentence() for v in self.violations)


class Injected(ApiError):
    """A status fault: any status, with the vendor's body for it unless `body` is given."""

    def __init__(
        self, status: int, *, body: JSON = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(headers=headers)
        self.status = status
        self.message = reason(status)
        self.body = body


class ContractViolation(AssertionError):
    """The fake produced a response its contract does not allow: a bug in agentmock."""


def reason(status: int) -> str:
    """HTTP's reason phrase for `status` (`Service Unavailable`), or `Error`."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
