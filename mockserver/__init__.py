"""agentmock's fake of the Millis AI and Voicy agent APIs: one core, thin adapters."""

from __future__ import annotations

__all__: list[str] = []
