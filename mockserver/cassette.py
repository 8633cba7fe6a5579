"""Cassettes: recorded exchanges with a vendor API, redacted, one JSON object a line.

`agentmock record` writes them (a reverse proxy in front of the real API, a staging server or
`agentmock serve`); `agentmock verify` checks them against the contract offline; `agentmock
serve --seed` and the marker's `seed=` load the agents they saw.

One line per exchange, appended and flushed as it happens (a proxy killed mid-session leaves
every finished exchange readable)::

    {"vendor": "acme", "operation": "duplicateAgent", "method": "POST",
     "path": "/v1/agents/a-1/copy", "query": "", "status": 201, "ms": 12.5,
     "request_headers": {"authorization": "<key-1>", ...}, "request_body": {...},
     "response_headers": {...}, "response_body": {...}}

Redaction happens before anything touches disk: every header that can carry a key (each
vendor's auth header, `authorization`, cookies) and, in bodies and headers alike, strings that
look like e-mail addresses or phone numbers are replaced by placeholders. The same value always
gets the same placeholder within a session, so a duplicate's source id and later reads of it
still line up.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from agentmock.mockserver import jsonio

if TYPE_CHECKING:
    from pathlib import Path

    from agentmock.mockserver.types import JSON

__all__ = ["Exchange", "Redactor", "Writer", "agents_seen", "read", "seed_from"]

_KEY_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Not inside a word or an id: a UUID's last group or a date is no phone number.
_PHONE = re.compile(r"(?<![\w-])\+?\d[\d\s().-]{5,}\d(?![\w-])")


@dataclass
class Exchange:
    """One request and its answer, as a cassette line holds it."""

    vendor: str
    operation: str | None
    method: str
    path: str
    query: str
    status: int
    request_headers: dict[str, str]
    request_body: JSON
    response_headers: dict[str, str]
    response_body: JSON
    ms: float = 0.0
    line: int = field(default=0, compare=False)

    def as_json(self) -> bytes:
        data = {k: v for k, v in self.__dict__.items() if k != "line"}
        return orjson.dumps(data)


class Redactor:
    """Stable placeholders for keys, e-mail addresses and phone numbers."""

    def __init__(self, key_headers: frozenset[str] = frozenset()) -> None:
        self.key_headers = _KEY_HEADERS | {h.lower() for h in key_headers}
        self._seen: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def placeholder(self, kind: str, value: str) -> str:
        with self._lock:
            found = self._seen.get((kind, value))
            if found is None:
                count = sum(1 for k, _ in self._seen if k == kind) + 1
                found = self._seen[(kind, value)] = f"<{kind}-{count}>"
            return found

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {
            name: self.placeholder("key", value) if name in self.key_headers else self.text(value)
            for name, value in headers.items()
        }

    def text(self, value: str) -> str:
        value = _EMAIL.sub(lambda m: self.placeholder("email", m.group()), value)
        return _PHONE.sub(self._phone, value)

    def _phone(self, match: re.Match[str]) -> str:
        digits = sum(c.isdigit() for c in match.group())
        return self.placeholder("phone", match.group()) if digits >= 7 else match.group()

    def body(self, value: JSON) -> JSON:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.body(item) for item in value]
        if isinstance(value, dict):
            return {key: self.body(item) for key, item in value.items()}
        return value


class Writer:
    """Appends exchanges to a cassette file, one flushed line each."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("ab")

    def write(self, exchange: Exchange) -> None:
        with self._lock:
            self._file.write(exchange.as_json() + b"\n")
            self._file.flush()

    def close(self) -> None:
        with self._lock:
            self._file.close()


class CassetteError(ValueError):
    """A cassette that cannot be read (exit 2 in `verify`)."""


def read(path: Path) -> list[Exchange]:
    """Every exchange of a cassette; a torn last line (a killed proxy) is skipped."""
    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise CassetteError(f"agentmock: cannot read {path}: {exc.strerror}") from None
    exchanges: list[Exchange] = []
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            data: Any = jsonio.parse_json(raw)
            exchange = Exchange(**data, line=number)
        except (jsonio.JSONRefused, TypeError) as exc:
            if number == len(lines):  # written while the proxy was killed: the rest stands
                break
            raise CassetteError(f"agentmock: {path}:{number}: not a cassette line: {exc}") from None
        exchanges.append(exchange)
    return exchanges


def agents_seen(exchanges: list[Exchange]) -> dict[str, dict[str, Any]]:
    """The agents a cassette observed, per vendor: every successful `getAgent` answer, the last
    one of each id winning."""
    from agentmock.mockserver.vendors import profile

    found: dict[str, dict[str, Any]] = {}
    for exchange in exchanges:
        body = exchange.response_body
        if exchange.operation != "getAgent" or exchange.status != 200:
            continue
        if not isinstance(body, dict):
            continue
        rules = profile(exchange.vendor)
        agent = rules.canonical_agent(body)
        found.setdefault(exchange.vendor, {})[str(agent.get(rules.id_field))] = agent
    return found


def seed_from(path: Path) -> dict[str, Any]:
    """A seed (the `--seed` format) made of the agents a cassette observed."""
    return {
        vendor: {"agents": list(agents.values())}
        for vendor, agents in agents_seen(read(path)).items()
    }


def looks_like_cassette(path: Path) -> bool:
    return path.suffix in (".jsonl", ".cassette")
