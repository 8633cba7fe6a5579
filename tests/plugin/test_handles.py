"""Handles read the fake under its lock: the live server's thread writes meanwhile."""

from __future__ import annotations

import threading
import time

from agentmock.mockserver.core import Fake
from agentmock.pytest_plugin.handles import LiveVendor


def test_reads_wait_for_a_writer_holding_the_state_lock() -> None:
    fake = Fake()
    handle = LiveVendor(fake, "millis", base_url="http://127.0.0.1:1")
    holding = threading.Event()
    released_at: list[float] = []
    read_at: list[float] = []

    def writer() -> None:
        with fake.state.lock:  # what Fake.handle does while it serves a request
            holding.set()
            time.sleep(0.2)
            released_at.append(time.monotonic())

    def reader() -> None:
        holding.wait()
        handle.agents.list()
        len(handle.agents)
        read_at.append(time.monotonic())

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert read_at[0] >= released_at[0]
