"""Type aliases shared by the core and its adapters."""

from __future__ import annotations

from typing import Any, TypeAlias

from agentmock.contracts import Vendor

__all__ = ["JSON", "JSONObject", "Loc", "Vendor"]

JSON: TypeAlias = Any
"""A decoded JSON value (dict, list, str, int, float, bool or None)."""
JSONObject: TypeAlias = dict[str, Any]
Loc: TypeAlias = tuple[str | int, ...]
"""Where in a request a problem is, FastAPI style: ("body", "config", "prompt")."""
