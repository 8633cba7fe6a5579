"""The `agentmock` pytest11 entry point. Kept thin: heavy imports happen when a fixture is used."""

from __future__ import annotations
