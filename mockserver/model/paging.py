"""Cursor pagination, for any vendor whose list operation pages (`page_size` + `cursor`).

A cursor is opaque to clients: the position of the last item served, as its sort key and id,
so a page follows the previous one whatever was added or deleted in between (an offset would
repeat or skip items). Any text that is not one of these cursors is refused.

>>> items = [{"id": str(n), "n": n} for n in range(5)]
>>> first, cursor = page(items, sort_key=lambda a: a["n"], id_key="id", size=2)
>>> [a["n"] for a in first], cursor is not None
([0, 1], True)
>>> second, cursor = page(items, sort_key=lambda a: a["n"], id_key="id", size=2, cursor=cursor)
>>> [a["n"] for a in second]
[2, 3]
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

import orjson

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from agentmock.mockserver.model.types import JSON, JSONObject

__all__ = ["InvalidCursor", "page"]


class InvalidCursor(ValueError):
    """The cursor is not one this fake handed out."""


def page(
    items: Sequence[JSONObject],
    *,
    sort_key: Callable[[JSONObject], JSON],
    id_key: str,
    size: int,
    cursor: str | None = None,
    descending: bool = False,
) -> tuple[list[JSONObject], str | None]:
    """The page of `items` (sorted by `sort_key`, then id) after `cursor`, and the cursor of
    the next page (None on the last page)."""
    ordered = sorted(items, key=lambda a: _position(sort_key(a), a[id_key]), reverse=descending)
    if cursor is not None:
        after = _decode(cursor)

        def past(agent: JSONObject) -> bool:  # strictly beyond the cursor, in page order
            here = _position(sort_key(agent), agent[id_key])
            return here < after if descending else here > after

        ordered = [a for a in ordered if past(a)]
    served, rest = ordered[:size], ordered[size:]
    if not rest or not served:
        return served, None
    last = served[-1]
    return served, _encode(sort_key(last), last[id_key])


_Position = tuple[int, float, str, str]


def _position(value: JSON, agent_id: JSON) -> _Position:
    # Sorts mixed kinds without error: null and booleans, then numbers, then text.
    if isinstance(value, bool) or value is None:
        return (0, float(bool(value)), "", str(agent_id))
    if isinstance(value, int | float):
        return (1, float(value), "", str(agent_id))
    return (2, 0.0, str(value).casefold(), str(agent_id))


def _encode(value: JSON, agent_id: JSON) -> str:
    raw = orjson.dumps([value, agent_id])
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(cursor: str) -> _Position:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, agent_id = orjson.loads(raw)
    except (binascii.Error, ValueError, TypeError, orjson.JSONDecodeError):
        raise InvalidCursor(cursor) from None
    return _position(value, agent_id)
