"""`agentmock serve`: every registered vendor's fake on one port, under uvicorn."""

from __future__ import annotations

import functools
import socket
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, TextIO

from agentmock.mockserver.server.app import AdminGuard, create_app
from agentmock.mockserver.server.banner import banner

if TYPE_CHECKING:
    from agentmock.mockserver.core import Fake
    from agentmock.mockserver.journal import Entry

__all__ = ["BackgroundServer", "run"]

HEAD_SECONDS = 10.0  # a request head (line and headers) must arrive within this
GRACE_SECONDS = 2  # how long a stop waits for requests in flight (a slow body, a delay)


def run(
    fake: Fake,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    out: TextIO = sys.stdout,
    log_requests: bool = False,
    admin_token: str | None = None,
    head_timeout: float = HEAD_SECONDS,
) -> None:
    """Serve `fake` until interrupted. Binds the socket first so `--port 0` can be reported.

    With `log_requests`, one line per vendor request goes to `out`: method, path, status,
    operation and milliseconds (`-` for a dropped connection). Headers, and so keys, never.
    """
    import uvicorn  # imported here: the fixtures and the check do not need it

    from agentmock.mockserver.server._protocol import with_deadline

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    everywhere = host in ("0.0.0.0", "::", "")
    if everywhere:
        protection = (
            "every request must carry the admin token"
            if admin_token
            else "anyone who can reach this port can reset it, read the journal and inject "
            "faults; give --admin-token TOKEN to require a token"
        )
        out.write(
            f"WARNING: listening on {host}: the admin API (/__admin/) is reachable from the "
            f"network; {protection}.\n"
        )
    # Admin requests must name a loopback host or the one bound (DNS rebinding), come from this
    # origin, and carry the token when there is one; bound to every interface, any host name.
    guard = AdminGuard(hosts=None if everywhere else frozenset({host}), token=admin_token)
    out.write(banner(fake, f"http://{shown}:{bound_port}", admin_token=admin_token))
    out.flush()
    if log_requests:
        fake.listeners.append(functools.partial(_log_line, out))
    config = uvicorn.Config(
        create_app(fake, guard=guard),
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=GRACE_SECONDS,  # SIGTERM ends it even mid-request
        http=with_deadline(head_timeout),  # a request head must arrive within this
        proxy_headers=False,  # nothing here reads the client's address: skip X-Forwarded-*
    )
    uvicorn.Server(config).run(sockets=[sock])


def _log_line(out: TextIO, entry: Entry) -> None:
    status = "-" if entry.status is None else str(entry.status)
    out.write(f"{entry.method} {entry.path} {status} {entry.operation or '-'} {entry.ms:.1f}ms\n")
    out.flush()


class BackgroundServer:
    """Any ASGI app under a real uvicorn server on a free loopback port, in a daemon thread.

    >>> server = BackgroundServer(create_app())  # doctest: +SKIP
    >>> server.url, server.stop()  # doctest: +SKIP
    """

    def __init__(self, app: Any, *, host: str = "127.0.0.1", timeout: float = 10.0) -> None:
        import uvicorn

        config = uvicorn.Config(
            app,
            host=host,
            port=0,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=GRACE_SECONDS,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, name="agentmock-server", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"agentmock: the server did not start within {timeout:g} s")
            time.sleep(0.005)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
