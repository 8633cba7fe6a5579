"""What `agentmock serve` prints on start, and the curl lines the dashboard shows too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentmock import contracts
from agentmock.mockserver import vendors

if TYPE_CHECKING:
    from agentmock.mockserver.core import Fake

__all__ = ["banner", "example_curls"]


def banner(fake: Fake, base_url: str, *, admin_token: str | None = None) -> str:
    """What `serve` prints on start: URLs, seeded agents and a curl for each vendor. With an
    admin token, the dashboard's address says where the token goes but never prints it (the
    banner ends up in logs; the token is for a shared machine)."""
    profiles = list(fake.profiles.values())
    width = max(len(p.title) for p in profiles) + len(" base URL:")
    lines = [
        f"agentmock serving {', '.join(p.title for p in profiles)} at {base_url}",
        *(
            f"  {p.title + ' base URL:':<{width}} {base_url}   "
            f"(stands in for {contracts.base_urls(vendors.contract(p.name))[0]})"
            for p in profiles
        ),
        f"  {'Admin API:':<{width}} {base_url}/__admin/",
        f"  {'Dashboard:':<{width}} {base_url}/__admin/"
        + ("?token=<your --admin-token>" if admin_token else "")
        + "   (open it in a browser)",
        f"  strict mode: {'on' if fake.strict else 'off'}; rate limit: "
        + (
            ", ".join(
                f"{fake.profiles[v].title} {limiter.per_minute}/min per key"
                for v, limiter in fake.rate_limiters.items()
            )
            or "off"
        ),
        "",
    ]
    for p in profiles:
        agents = list(fake.state.vendor(p.name).agents.values())
        lines += [f"Seeded {p.title} agents:", *(f"  {p.banner_agent(a)}" for a in agents)]
    lines += ["", "Try:", *example_curls(fake, base_url), "", "Press Ctrl+C to stop.", ""]
    return "\n".join(lines)


def example_curls(fake: Fake, base_url: str) -> list[str]:
    """The banner's (and the dashboard's) curl lines: each vendor's duplicate of its first agent."""
    lines: list[str] = []
    for p in fake.profiles.values():
        store = fake.state.vendor(p.name)
        key = "<your --api-key key>" if store.api_keys else p.default_api_key
        lines += p.example_curl(base_url, next(iter(store.agents), "AGENT_ID"), key)
    return lines
