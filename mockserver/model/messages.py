"""The neutral request and response every adapter translates to and from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import orjson

if TYPE_CHECKING:
    from agentmock.mockserver.model.types import JSON

__all__ = ["NO_DATA", "Outcome", "Request", "Response", "json_body"]


@dataclass(slots=True)  # not frozen: a frozen dataclass is 5x slower to build, per request
class Request:
    """An HTTP request as the core sees it. Header names are lower-case. Treat as read-only."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    query: str = ""


NO_DATA: Final = object()
"""`Response.data` when the body was not made from a Python value (e.g. a 204)."""


@dataclass(slots=True)
class Response:
    """An HTTP response the core produced. `data` is the value `body` was serialised from."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    data: object = field(default=NO_DATA, repr=False, compare=False)

    def json(self) -> JSON:
        return orjson.loads(self.body) if self.body else None


@dataclass(slots=True)
class Outcome:
    """What the adapter must do: wait `delay` seconds, then send `response` or drop the line.

    `drop` means the client sees a broken connection and no response. With a commit-then-drop
    fault `response` is still set (what the client would have got) so the journal can show it.
    """

    response: Response | None
    delay: float = 0.0
    drop: bool = False


def json_body(value: JSON) -> bytes:
    """Serialise a JSON value the way the fake sends it: UTF-8, compact."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:  # e.g. an integer past 64 bits, from a seed file
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
