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

import contextlib
import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

import orjson

from agentmock.mockserver.model import jsonio

if TYPE_CHECKING:
    from pathlib import Path

    from agentmock.mockserver.model.types import JSON

__all__ = ["Exchange", "Redactor", "Writer", "agents_seen", "read", "seed_from"]

_KEY_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
# Names that say a header or query parameter carries a credential: api-key, x-auth-token,
# xi-api-key, access_token, client-secret, password, session ...
_KEY_NAME = re.compile(r"key|token|secret|passw|auth|session|credential|signature")
_SHORTEST_KEY = 8  # a shorter "key" would redact ordinary words wherever they appear
# Bounded runs that start only where a run starts (the lookbehinds): linear time on any
# input. Unbounded, a 200 KB run of letters and digits with no "@" took minutes.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}"
    r"@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)
# Not inside a word or an id: a UUID's last group or a date is no phone number.
_PHONE = re.compile(r"(?<![\w-])\+?\d[\d\s().-]{5,30}\d(?![\w-])")


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
    """Stable placeholders for keys, e-mail addresses and phone numbers.

    Keys are redacted by name and by value: every header whose name says it carries a
    credential (`authorization`, `api-key`, `x-auth-token`, each vendor's own, ...), every query
    parameter so named (`?xi-api-key=...`), and, once a key has been seen in a credential
    header, that value wherever else it appears (another header, a body, the query).
    """

    def __init__(self, key_headers: frozenset[str] = frozenset()) -> None:
        self.key_headers = _KEY_HEADERS | {h.lower() for h in key_headers}
        self._seen: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}
        self._keys: set[str] = set()
        self._lock = threading.Lock()

    def placeholder(self, kind: str, value: str) -> str:
        with self._lock:
            found = self._seen.get((kind, value))
            if found is None:
                count = self._counts[kind] = self._counts.get(kind, 0) + 1
                found = self._seen[(kind, value)] = f"<{kind}-{count}>"
            return found

    def is_key_name(self, name: str) -> bool:
        name = name.lower()
        return name in self.key_headers or bool(_KEY_NAME.search(name))

    def learn_keys(self, headers: dict[str, str]) -> None:
        """Remember the credentials of a request, to redact them wherever they show up."""
        for name, value in headers.items():
            if self.is_key_name(name):
                for part in (value.strip(), value.strip().partition(" ")[2].strip()):
                    if len(part) >= _SHORTEST_KEY:
                        with self._lock:
                            self._keys.add(part)

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {
            name: self.placeholder("key", value) if self.is_key_name(name) else self.text(value)
            for name, value in headers.items()
        }

    def query(self, query: str) -> str:
        """A raw query string with credential parameters' values replaced."""
        parts = []
        for pair in query.split("&") if query else ():
            name, equals, value = pair.partition("=")
            if equals and self.is_key_name(unquote_plus(name)):
                value = self.placeholder("key", unquote_plus(value))
            parts.append(f"{name}{equals}{self.text(value)}")
        return "&".join(parts)

    def text(self, value: str) -> str:
        for key in self._keys:
            if key in value:
                value = value.replace(key, self.placeholder("key", key))
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
    """Appends exchanges to a cassette file, one flushed line each.

    A cassette cut in the middle of a line (a killed proxy) is continued on a new line, so the
    first new exchange is never glued to the fragment.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("ab")
        if self._file.tell() > 0:
            with path.open("rb") as existing:
                existing.seek(-1, 2)
                torn = existing.read(1) != b"\n"
            if torn:
                self._file.write(b"\n")
                self._file.flush()

    def write(self, exchange: Exchange) -> None:
        """Append one exchange; an `OSError` (a full disk) leaves no partial line behind that
        a later line could be glued to."""
        self._append(exchange.as_json() + b"\n")

    def note_unrecorded(self, count: int, reason: str) -> None:
        """A marker line: `count` exchanges passed through but could not be written."""
        marker = {"agentmock": "unrecorded", "count": count, "reason": reason}
        self._append(orjson.dumps(marker) + b"\n")

    def _append(self, line: bytes) -> None:
        with self._lock:
            start = self._file.tell()
            try:
                self._file.write(line)
                self._file.flush()
            except OSError:
                with contextlib.suppress(OSError):  # drop what part of the line reached the file
                    self._file.truncate(start)
                    self._file.seek(start)
                raise

    def close(self) -> None:
        # a full disk: what could not be flushed was reported when it happened
        with self._lock, contextlib.suppress(OSError):
            self._file.close()


class CassetteError(ValueError):
    """A cassette that cannot be read (exit 2 in `verify`)."""


class Cassette(list["Exchange"]):
    """The exchanges of one cassette, and what reading it passed over."""

    def __init__(self) -> None:
        super().__init__()
        self.torn: list[int] = []
        """Lines cut short by a killed proxy (not JSON), skipped."""
        self.unrecorded: list[tuple[int, int, str]] = []
        """(line, count, reason) of each marker: exchanges the proxy served but could not write."""


_FIELDS: dict[str, tuple[type, ...]] = {
    "vendor": (str,),
    "operation": (str, type(None)),
    "method": (str,),
    "path": (str,),
    "query": (str,),
    "status": (int,),
    "request_headers": (dict,),
    "response_headers": (dict,),
    "ms": (int, float),
}
_REQUIRED = frozenset(_FIELDS) - {"ms"} | {"request_body", "response_body"}


def read(path: Path) -> Cassette:
    """Every exchange of a cassette. A line that is not JSON (cut short by a killed proxy) is
    skipped and counted in `torn`; a complete line that is not an exchange, or whose fields have
    the wrong types, is a `CassetteError` naming the file and line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CassetteError(f"agentmock: cannot read {path}: {exc.strerror}") from None
    cassette = Cassette()
    for number, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            value: Any = jsonio.parse_json(raw)
        except jsonio.JSONRefused:
            cassette.torn.append(number)
            continue
        if isinstance(value, dict) and value.get("agentmock") == "unrecorded":
            count, reason = value.get("count"), value.get("reason")
            if isinstance(count, int) and not isinstance(count, bool):
                cassette.unrecorded.append((number, count, str(reason)))
                continue
        cassette.append(_exchange(path, number, value))
    return cassette


def _exchange(path: Path, number: int, value: Any) -> Exchange:
    where = f"agentmock: {path}:{number}"
    if not isinstance(value, dict):
        raise CassetteError(f"{where}: not a cassette line (a JSON {type(value).__name__})")
    missing = sorted(_REQUIRED - set(value))
    unknown = sorted(set(value) - _REQUIRED - {"ms"})
    if missing or unknown:
        said = f"missing {', '.join(missing)}" if missing else f"unknown {', '.join(unknown)}"
        raise CassetteError(f"{where}: not a cassette line ({said})")
    for name, kinds in _FIELDS.items():
        if name in value and (not isinstance(value[name], kinds) or isinstance(value[name], bool)):
            wanted = " or ".join("null" if k is type(None) else k.__name__ for k in kinds)
            got = "null" if value[name] is None else type(value[name]).__name__
            raise CassetteError(f"{where}: {name} must be {wanted}, not {got}")
    for name in ("request_headers", "response_headers"):
        if not all(isinstance(v, str) for v in value[name].values()):
            raise CassetteError(f"{where}: {name} must map names to strings")
    return Exchange(**value, line=number)


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
