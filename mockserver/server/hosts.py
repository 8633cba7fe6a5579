"""Which `Host` a local server answers: the guard of the admin API and of `agentmock record`.

A DNS-rebinding page makes a name of its own (`127.0.0.1.rebind.attacker.example`) resolve to
127.0.0.1, and the browser then sends that name as `Host`. So a loopback server trusts only
literal loopback addresses, `localhost` and the host it was started on, never a name that merely
starts like an address.

>>> allowed_host(host_name("127.0.0.2:8080"), frozenset())
True
>>> allowed_host(host_name("127.0.0.1.rebind.attacker.example"), frozenset())
False
"""

from __future__ import annotations

import ipaddress

__all__ = ["LOOPBACK_NAMES", "allowed_host", "host_name"]

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def host_name(host: str) -> str:
    """A `Host` header's name, lower case, without the port (`[::1]:80` -> `[::1]`)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def allowed_host(name: str, known: frozenset[str]) -> bool:
    """`name` is one of `known`, `localhost`, or a literal loopback address (127.0.0.0/8, ::1)."""
    if name in known or name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False
