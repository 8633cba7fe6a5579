"""The vocabulary every layer above shares: JSON types, typed errors, the neutral request and
response, ids, the clock, schema checks, the per-vendor store, paging, duplication and the
contract's defaults. It imports nothing of agentmock but `contracts`."""

from __future__ import annotations

__all__: list[str] = []
