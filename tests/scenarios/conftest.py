from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentmock.mockserver.core import Fake
from agentmock.mockserver.model.clock import FixedClock
from agentmock.mockserver.state import State
from tests.scenarios.drivers import (
    ADAPTERS,
    AsgiDriver,
    CoreDriver,
    Driver,
    LiveDriver,
    RespxDriver,
    live_server,
)


@pytest.fixture
def fake() -> Fake:
    return Fake(State(random_seed=1, clock=FixedClock(1_763_776_800)))


@pytest.fixture(scope="session")
def _live() -> Iterator[tuple[Fake, str]]:
    shared = Fake(State(random_seed=1, clock=FixedClock(1_763_776_800)))
    with live_server(shared) as url:
        yield shared, url


@pytest.fixture(params=ADAPTERS)
def driver(request: pytest.FixtureRequest, fake: Fake) -> Iterator[Driver]:
    if request.param == "core":
        yield CoreDriver(fake)
    elif request.param == "asgi":
        yield AsgiDriver(fake)
    elif request.param.startswith("respx"):
        respx_driver = RespxDriver(fake, use_async=request.param == "respx-async")
        yield respx_driver
        respx_driver.close()
    else:
        shared, url = request.getfixturevalue("_live")
        shared.reset()
        # The server's fake becomes this test's: the same seed, ids, clock, faults and
        # vendors (one registered at run time included) as the other adapters get.
        vars(shared).update(vars(fake))
        live = LiveDriver(shared, url)
        yield live
        live.client.close()
