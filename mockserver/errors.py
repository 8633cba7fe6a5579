"""Typed errors the core raises, and one renderer per vendor that turns them into its envelope.

No handler writes an error body by hand: it raises one of these, and `render` produces Millis's
FastAPI shape (`{"detail": ...}`) or Voicy's (`{"error": "..."}`).
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, ClassVar

from agentmock.mockserver.messages import Response, json_body

if TYPE_CHECKING:
    from agentmock.mockserver.types import JSON, Loc, Vendor

__all__ = [
    "AccessDenied",
    "AgentNotFound",
    "ApiError",
    "ContractViolation",
    "Injected",
    "InvalidApiKey",
    "MethodNotAllowed",
    "MissingAuthorization",
    "PayloadTooLarge",
    "RateLimited",
    "RequestInvalid",
    "RouteNotFound",
    "Violation",
    "render",
]

RATE_LIMIT_MESSAGE = "Rate limit exceeded. Please retry after 30 seconds."

# Voicy's documented messages for the statuses it lists; others fall back to the reason phrase.
_VOICY_STATUS_MESSAGES = {
    403: "Access denied",
    429: RATE_LIMIT_MESSAGE,
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
}


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
    """An error response. `status` and `message` are the same for both vendors unless noted."""

    status: ClassVar[int] = 500
    message: ClassVar[str] = "Internal server error"

    def __init__(self, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(self.message)
        self.headers = dict(headers or {})


class AccessDenied(ApiError):
    """Voicy's documented 403."""

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
    """Voicy: no Authorization header. (Millis answers a missing header with a 422.)"""

    status = 401
    message = "Missing authorization"


class InvalidApiKey(ApiError):
    status = 401
    message = "Invalid API key"


class PayloadTooLarge(ApiError):
    status = 413
    message = "Request body too large"


class RateLimited(ApiError):
    status = 429
    message = RATE_LIMIT_MESSAGE


class RequestInvalid(ApiError):
    """The request breaks the contract: Millis 422 with the list, Voicy 400 naming each field."""

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
        self.injected_status = status
        self.body = body


class ContractViolation(AssertionError):
    """The fake produced a response its contract does not allow: a bug in agentmock."""


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def render(vendor: Vendor, error: ApiError) -> Response:
    """`error` as `vendor` would send it."""
    status = error.status
    body: JSON
    if isinstance(error, Injected):
        status = error.injected_status
        if error.body is not None:
            body = error.body
        elif vendor == "voicy":
            body = {"error": _VOICY_STATUS_MESSAGES.get(status, _reason(status))}
        else:
            body = {"detail": _reason(status)}
    elif vendor == "millis":
        if isinstance(error, RequestInvalid):
            body = {"detail": [v.as_fastapi() for v in error.violations]}
        else:
            body = {"detail": error.message}
    else:
        if isinstance(error, RequestInvalid):
            status = 400
            body = {"error": f"Invalid request: {error}"}
        elif isinstance(error, RouteNotFound | MethodNotAllowed):
            body = {"error": error.message.capitalize()}
        else:
            body = {"error": error.message}
    headers = {"content-type": "application/json"}
    headers.update((name.lower(), value) for name, value in error.headers.items())
    return Response(status=status, headers=headers, body=json_body(body), data=body)
