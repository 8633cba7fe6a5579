from __future__ import annotations

import re
import uuid

from agentmock.mockserver.model.clock import FixedClock, SteppingClock, SystemClock
from agentmock.mockserver.model.ids import IdMinter

PUSH_ID = re.compile(r"^-[-0-9A-Za-z_]{19}$")


def test_push_ids_look_like_millis_ids_and_never_repeat() -> None:
    minter = IdMinter(3)
    ids = [minter.push_id(1_763_776_800.0) for _ in range(20_000)]  # all in one millisecond
    assert all(PUSH_ID.match(i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert ids == sorted(
        ids,
        key=lambda i: [
            "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".index(c) for c in i
        ],
    )


def test_push_ids_carry_the_time() -> None:
    minter = IdMinter(3)
    assert minter.push_id(1_700_000_000)[:8] < minter.push_id(1_700_000_001)[:8]


def test_seeded_minters_repeat_themselves() -> None:
    a, b = IdMinter(42), IdMinter(42)
    assert [a.uuid4() for _ in range(3)] == [b.uuid4() for _ in range(3)]
    assert a.push_id(1.0) == b.push_id(1.0)
    assert IdMinter(1).uuid4() != IdMinter(2).uuid4()


def test_uuids_are_version_4() -> None:
    minter = IdMinter()
    assert all(uuid.UUID(minter.uuid4()).version == 4 for _ in range(100))


def test_clocks() -> None:
    fixed = FixedClock(10)
    assert fixed.now() == fixed.now() == 10.0
    fixed.advance(5)
    assert fixed.now() == 15.0
    stepping = SteppingClock(100, step=2)
    assert [stepping.now() for _ in range(3)] == [100.0, 102.0, 104.0]
    assert SystemClock().now() > 1_700_000_000


def test_uuid4_is_exactly_what_the_standard_library_would_make() -> None:
    """The fast path must not change a single seeded id."""
    import random
    import uuid

    from agentmock.mockserver.model.ids import IdMinter

    minter, reference = IdMinter(5), random.Random(5)
    for _ in range(2000):
        expected = str(uuid.UUID(int=reference.getrandbits(128), version=4))
        assert minter.uuid4() == expected
