"""The stand-in server: the ASGI adapter, the admin API, the dashboard and its assets, and
`agentmock serve` (uvicorn, with its protocol tweaks). It sits on the pipeline (`core`)."""

from __future__ import annotations

__all__: list[str] = []
