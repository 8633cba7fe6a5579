"""agentmock's fake of the vendors' agent APIs: one vendor-neutral core, thin adapters, and
one module per vendor under `vendors/`."""

from __future__ import annotations

__all__: list[str] = []
