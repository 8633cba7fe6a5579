"""agentmock's pytest plugin: fixtures, strategies and assertions for Millis AI and Voicy."""

from __future__ import annotations

__all__: list[str] = []
