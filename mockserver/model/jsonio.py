"""One strict JSON reader for every way data gets in: vendor bodies, the admin API, fault specs,
seed files and the journal.

What it refuses, it refuses everywhere, so nothing is accepted on one path and then breaks
another (an integer past 64 bits stored through one door used to turn every later read and
even `reset` into a 500):

- text that is not JSON (NaN, Infinity, lone surrogates, invalid UTF-8: orjson's rules), and
  numbers past the range of a double (orjson reads an integer literal past 64 bits as a
  double, as JavaScript does, so what is stored reads back the same);
- nesting deeper than `MAX_DEPTH` (orjson writes at most 254 levels);
- more than `MAX_NODES` values (a YAML seed whose aliases expand into gigabytes);
- in values built elsewhere (YAML, Python): integers outside 64 bits, which orjson cannot
  write, non-string keys and anything that is not a JSON type.

>>> parse_json(b'{"a": [1, 2.5, "x"]}')
{'a': [1, 2.5, 'x']}
>>> parse_json(b'[1e400]')
Traceback (most recent call last):
...
agentmock.mockserver.model.jsonio.JSONRefused: number is infinity when parsed as double
"""

from __future__ import annotations

import math
import pickle
from typing import TYPE_CHECKING, Any, Final

import orjson

if TYPE_CHECKING:
    from agentmock.mockserver.model.types import JSON

__all__ = [
    "MAX_DEPTH",
    "MAX_NODES",
    "JSONRefused",
    "check_value",
    "decode_body",
    "json_copy",
    "parse_json",
]

MAX_DEPTH: Final = 64
MAX_NODES: Final = 1_000_000
_LOWEST, _HIGHEST = -(2**63), 2**64 - 1  # what orjson reads and writes as an integer


class JSONRefused(ValueError):
    """The input is not JSON agentmock can store and send back unchanged."""


def parse_json(raw: bytes | str) -> JSON:
    """`raw` as a JSON value, or `JSONRefused` saying why not."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        message = str(exc.msg)
        if "depth" in message or "recursion" in message:
            raise JSONRefused(f"nested deeper than {MAX_DEPTH} levels") from None
        raise JSONRefused(message) from None
    # What orjson reads is within 64 bits and finite; only depth and size are left to check, and
    # neither can be exceeded by a text with few brackets and fewer bytes than the size limit
    # (counted in C: most bodies are small and flat, and this is on every request's path).
    brackets = raw.count(b"[") + raw.count(b"{") if isinstance(raw, bytes) else _brackets(raw)
    if brackets > MAX_DEPTH or len(raw) >= MAX_NODES:
        _walk(value)
    return value


def _brackets(text: str) -> int:
    return text.count("[") + text.count("{")


def decode_body(raw: bytes) -> JSON:
    """An HTTP body for display or a record: its JSON value if it is JSON this reader accepts
    (so it can be sent back), else its text; None when empty."""
    if not raw:
        return None
    try:
        return parse_json(raw)
    except JSONRefused:
        return raw.decode("utf-8", "replace")


def check_value(value: Any) -> None:
    """A value built elsewhere (a YAML seed, a Python mapping) meets the same rules."""
    _walk(value, strict_types=True)


def _walk(value: Any, *, strict_types: bool = False) -> None:
    """Check depth, size and (`strict_types`) types, without recursion."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise JSONRefused(f"more than {MAX_NODES:,} values")
        if isinstance(node, dict):
            if depth > MAX_DEPTH:
                raise JSONRefused(f"nested deeper than {MAX_DEPTH} levels")
            for key, item in node.items():
                if strict_types and not isinstance(key, str):
                    raise JSONRefused(f"an object key that is not a string: {key!r}")
                stack.append((item, depth + 1))
        elif isinstance(node, list):
            if depth > MAX_DEPTH:
                raise JSONRefused(f"nested deeper than {MAX_DEPTH} levels")
            stack.extend((item, depth + 1) for item in node)
        elif isinstance(node, bool) or node is None or isinstance(node, str):
            continue
        elif isinstance(node, int):
            if not _LOWEST <= node <= _HIGHEST:
                raise JSONRefused(f"an integer outside 64 bits: {node}")
        elif isinstance(node, float):
            if not math.isfinite(node):
                raise JSONRefused(f"a number JSON cannot carry: {node}")
        elif strict_types:
            raise JSONRefused(f"a value JSON cannot carry: {type(node).__name__}")


_ATOMS = frozenset({str, int, float, bool, type(None)})


def json_copy(value: JSON) -> JSON:
    """A deep copy of a JSON value.

    An orjson round trip runs in C: about 5x faster than `copy.deepcopy` on a full agent,
    and this is on every duplicate's path. Values orjson cannot write (integers past 64 bits)
    fall back to pickle.
    """
    if not isinstance(value, dict | list):
        return value
    if type(value) is dict and all(type(v) in _ATOMS for v in value.values()):
        return dict(value)  # a flat object (an account): a shallow copy is a deep one
    try:
        return orjson.loads(orjson.dumps(value))
    except orjson.JSONEncodeError:
        return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
