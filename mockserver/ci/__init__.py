"""The CI tools: `agentmock check` (schemathesis, its switched-off checks in `check.toml`),
the coverage ledger, `record` (a proxy that writes cassettes) and `verify` (cassettes against
the contracts). They sit on the pipeline and the server."""

from __future__ import annotations

__all__: list[str] = []
