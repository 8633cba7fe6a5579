"""The request journal: what the fake was asked and what it answered, newest last.

Bounded (the oldest entries are dropped), with credentials redacted before they are stored.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from agentmock.mockserver.model import jsonio

if TYPE_CHECKING:
    from agentmock.mockserver.model.messages import Request, Response
    from agentmock.mockserver.model.types import JSON, JSONObject

__all__ = ["REDACTED", "Entry", "Journal"]

REDACTED = "[redacted]"
_SECRET_HEADERS = frozenset({"authorization", "x-api-key", "cookie", "proxy-authorization"})
_MAX_BODY = 64 * 1024  # bodies larger than this are summarised, not stored
_MAX_HEADER = 1024  # a header value longer than this is summarised: 1,000 entries stay small
_MAX_HEADERS = 64  # a request with more headers keeps the first ones and a count of the rest


@dataclass(slots=True)
class Entry:
    """One request and its answer. Bodies are decoded (JSON, else text) when read."""

    seq: int
    at: float
    vendor: str
    operation: str | None
    method: str
    path: str
    query: str
    status: int | None  # None: the connection was dropped before a response
    headers_raw: dict[str, str] = field(repr=False)  # as sent; read `request_headers`
    request_raw: bytes | str = field(repr=False)
    response_raw: bytes | str = field(repr=False)
    fault: str | None = None
    ms: float = 0.0  # how long the fake took to answer (a delay fault's wait not included)
    secrets: frozenset[str] = field(default=_SECRET_HEADERS, repr=False)  # headers to redact

    @property
    def request_headers(self) -> dict[str, str]:
        """The request's headers, credentials redacted."""
        return {
            name: REDACTED if name in self.secrets else value
            for name, value in self.headers_raw.items()
        }

    @property
    def request_body(self) -> JSON:
        return _decode(self.request_raw)

    @property
    def response_body(self) -> JSON:
        return _decode(self.response_raw)

    def as_dict(self) -> JSONObject:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.repr}
        data["request_headers"] = self.request_headers
        data["request_body"] = self.request_body
        data["response_body"] = self.response_body
        return data


def _bounded(headers: dict[str, str]) -> dict[str, str]:
    """The headers, any huge value summarised (200 journalled 1 MiB headers cost 250 MiB), and
    only the first `_MAX_HEADERS` of a request that sent thousands (60 refused requests with
    every header kept cost 271 MiB)."""
    kept = {
        name: value if len(value) <= _MAX_HEADER else f"<{len(value)} characters>"
        for name, value in list(headers.items())[:_MAX_HEADERS]
    }
    if len(headers) > _MAX_HEADERS:
        rest = sum(map(len, list(headers.values())[_MAX_HEADERS:]))
        kept["<more>"] = f"<{len(headers) - _MAX_HEADERS} more headers, {rest} characters>"
    return kept


def _keep(raw: bytes) -> bytes | str:
    """What an entry stores of a body: the bytes, or a summary of a large one."""
    return raw if len(raw) <= _MAX_BODY else f"<{len(raw)} bytes>"


def _decode(raw: bytes | str) -> JSON:
    return raw if isinstance(raw, str) else jsonio.decode_body(raw)  # str: a summary


class Journal:
    """Thread-safe ring of `Entry`, `maxlen` long."""

    def __init__(self, maxlen: int = 1000, *, secret_headers: frozenset[str] = frozenset()) -> None:
        self.secret_headers = _SECRET_HEADERS | {h.lower() for h in secret_headers}
        """Headers redacted when read: `authorization`, cookies, and each vendor's key header."""
        self._entries: deque[Entry] = deque(maxlen=maxlen)
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        self.epoch = 0
        """How many times the journal was emptied (a reader's cue to read it afresh)."""

    def record(
        self,
        *,
        at: float,
        vendor: str,
        operation: str | None,
        request: Request,
        response: Response | None,
        dropped: bool,
        fault: str | None,
        ms: float = 0.0,
    ) -> Entry:
        headers = request.headers  # redacted when read, not on the hot path
        if len(headers) > _MAX_HEADERS or max(map(len, headers.values()), default=0) > _MAX_HEADER:
            headers = _bounded(headers)  # rare: both checked in C
        entry = Entry(
            seq=next(self._seq),
            at=at,
            vendor=vendor,
            operation=operation,
            method=request.method,
            path=request.path,
            query=request.query,
            status=None if dropped or response is None else response.status,
            headers_raw=headers,
            secrets=self.secret_headers,
            request_raw=_keep(request.body),
            response_raw=b"" if response is None else _keep(response.body),
            fault=fault,
            ms=ms,
        )
        with self._lock:
            self._entries.append(entry)
        return entry

    def entries(self, vendor: str | None = None) -> list[Entry]:
        with self._lock:
            return [e for e in self._entries if vendor is None or e.vendor == vendor]

    @property
    def latest(self) -> int:
        """The newest entry's `seq`; 0 while the journal is empty."""
        with self._lock:
            return self._entries[-1].seq if self._entries else 0

    def clear(self, vendor: str | None = None) -> None:
        with self._lock:
            self.epoch += 1
            if vendor is None:
                self._entries.clear()
            else:
                kept = [e for e in self._entries if e.vendor != vendor]
                self._entries.clear()
                self._entries.extend(kept)

    def __len__(self) -> int:
        return len(self._entries)
