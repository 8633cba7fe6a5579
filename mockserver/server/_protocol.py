"""uvicorn's httptools protocol, with a deadline for each request head.

uvicorn times out idle keep-alive connections, but not one that connects and then sends its
request line and headers slowly, or never finishes them: a handful of such clients would hold
the stand-in server's connections forever. Here every request head must be complete within
`HEAD_SECONDS` of its first byte (or of the connection), or the connection is closed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

if TYPE_CHECKING:
    import asyncio

__all__ = ["HEAD_SECONDS", "HeadDeadlineProtocol", "with_deadline"]

HEAD_SECONDS = 10.0


class HeadDeadlineProtocol(HttpToolsProtocol):
    """Notes when each request head starts; one sweep per server closes the late ones.

    A timer per request (`call_later` armed on the first byte, cancelled when the headers are
    in) cost about 3 us of the ~45 us a duplicate takes; reading the loop's clock costs 0.07 us.
    So each connection only records when its current head began, and a single timer per server,
    firing every `head_seconds / 4` (at most every second) while connections are open, closes
    those whose head is overdue: a slow head is closed within 1.25 deadlines.
    """

    head_seconds = HEAD_SECONDS
    _head_began: float | None = None  # the loop time of the current head's first byte

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._head_began = self.loop.time()
        _Sweeper.watch(self)

    def data_received(self, data: bytes) -> None:
        if self._head_began is None and (self.cycle is None or self.cycle.response_complete):
            self._head_began = self.loop.time()  # the next request on a kept-alive connection
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._head_began = None
        super().on_headers_complete()

    def head_overdue(self, now: float) -> bool:
        began = self._head_began
        return began is not None and now - began > self.head_seconds


class _Sweeper:
    """The one timer of a server (its `server_state`): closes connections with an overdue head."""

    def __init__(self, protocol: HeadDeadlineProtocol) -> None:
        self.loop = protocol.loop
        self.connections: set[Any] = protocol.server_state.connections
        self.every = min(1.0, protocol.head_seconds / 4)
        self.timer: asyncio.TimerHandle | None = None

    @classmethod
    def watch(cls, protocol: HeadDeadlineProtocol) -> None:
        state = protocol.server_state
        sweeper: _Sweeper | None = getattr(state, "_agentmock_sweeper", None)
        if sweeper is None:
            sweeper = cls(protocol)
            state._agentmock_sweeper = sweeper  # type: ignore[attr-defined]
        if sweeper.timer is None:
            sweeper.timer = sweeper.loop.call_later(sweeper.every, sweeper.sweep)

    def sweep(self) -> None:
        self.timer = None
        now = self.loop.time()
        for connection in list(self.connections):
            if isinstance(connection, HeadDeadlineProtocol) and connection.head_overdue(now):
                connection._head_began = None
                if not connection.transport.is_closing():
                    connection.transport.close()
        if self.connections:  # nothing open: the next connection starts the timer again
            self.timer = self.loop.call_later(self.every, self.sweep)


def with_deadline(seconds: float) -> type[HeadDeadlineProtocol]:
    """The protocol class with another deadline (`agentmock serve --head-timeout`)."""
    return type("HeadDeadlineProtocol", (HeadDeadlineProtocol,), {"head_seconds": seconds})
