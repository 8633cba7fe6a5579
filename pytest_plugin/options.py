"""`@pytest.mark.agentmock(...)`: validated options for the fixtures.

A typo is a `TypeError` that names the test and the marker, not a silently ignored keyword.
Markers on a class or module apply to its tests; the closest marker wins per option.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import contracts

if TYPE_CHECKING:
    import pytest

    from mockserver.seed import SeedData

__all__ = ["AgentmockOptions"]


@dataclass(frozen=True, kw_only=True)
class AgentmockOptions:
    """Everything `@pytest.mark.agentmock(...)` accepts.

    - `seed`: a seed mapping (the `agentmock serve --seed` format), a path to a seed file, or
      None for the embedded seed; `{}` starts empty.
    - `strict`: check every response the fake produces against the contract (default True).
    - `assert_all_called`: fail at teardown if a fault the test set up was never hit (default True).
    - `api_keys`: `{"voicy": ["voicy_sk_test_1"]}`: accept only these keys for that vendor.
    - `rate_limit`: emulate Voicy's rate limit, N requests a minute per key.
    - `random_seed`: make minted ids repeat from run to run.
    - `now`: fix the clock at this Unix time (e.g. for `created_at`).
    """

    seed: SeedData | str | os.PathLike[str] | None = None
    strict: bool = True
    assert_all_called: bool = True
    api_keys: dict[str, list[str]] = field(default_factory=dict)
    rate_limit: int | None = None
    random_seed: int | None = None
    now: float | None = None

    def __post_init__(self) -> None:
        if self.seed is not None and not isinstance(self.seed, dict | str | os.PathLike):
            raise TypeError(f"seed must be a mapping, a file path or None, not {self.seed!r}")
        for name in ("strict", "assert_all_called"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be True or False, not {getattr(self, name)!r}")
        if not isinstance(self.api_keys, dict) or not all(
            vendor in contracts.VENDORS and isinstance(keys, list | tuple)
            for vendor, keys in self.api_keys.items()
        ):
            raise TypeError(
                f"api_keys must map a vendor ({', '.join(contracts.VENDORS)}) to a list of keys, "
                f"not {self.api_keys!r}"
            )
        if self.rate_limit is not None and (
            not isinstance(self.rate_limit, int) or self.rate_limit < 1
        ):
            raise TypeError(f"rate_limit must be a whole number >= 1, not {self.rate_limit!r}")

    @classmethod
    def for_node(cls, node: pytest.Item) -> AgentmockOptions:
        """The options of the `agentmock` markers on `node`, closest last."""
        __tracebackhide__ = True
        merged: dict[str, Any] = {}
        for marker in reversed(list(node.iter_markers("agentmock"))):
            if marker.args:
                raise TypeError(
                    f"agentmock: @pytest.mark.agentmock takes keyword arguments only, got "
                    f"{marker.args!r} on {node.nodeid}"
                )
            merged.update(marker.kwargs)
        try:
            return cls(**merged)
        except TypeError as exc:
            names = ", ".join(f.name for f in dataclasses.fields(cls))
            message = str(exc).replace("AgentmockOptions.__init__() ", "")
            raise TypeError(
                f"agentmock: invalid @pytest.mark.agentmock(...) on {node.nodeid}: {message}. "
                f"Valid options: {names}."
            ) from None
