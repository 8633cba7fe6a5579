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
    head_seconds = HEAD_SECONDS
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._head_timer is None and (self.cycle is None or self.cycle.response_complete):
            self._arm()  # the first bytes of the next request on a kept-alive connection
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.head_seconds, self._head_too_slow)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.close()


def with_deadline(seconds: float) -> type[HeadDeadlineProtocol]:
    """The protocol class with another deadline (`agentmock serve --head-timeout`)."""
    return type("HeadDeadlineProtocol", (HeadDeadlineProtocol,), {"head_seconds": seconds})
