from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockserver.clock import FixedClock
from mockserver.core import Fake
from mockserver.state import State
from tests.scenarios.drivers import AsgiDriver, CoreDriver, Driver, LiveDriver, live_server

ADAPTERS = ["core", "asgi", "live"]


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
    else:
        shared, url = request.getfixturevalue("_live")
        shared.reset()
        shared.rate_limiter = None
        shared.strict = True
        shared.state.rollback(fake.state.snapshot())
        live = LiveDriver(shared, url)
        yield live
        live.client.close()
