"""`@pytest.mark.agentmock(...)` and `agentmock.mock(...)`: validated options for the fake.

A typo is a `TypeError` that names the test and the marker, not a silently ignored keyword.
Markers on a class or module apply to its tests; the closest marker wins per option.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentmock.mockserver.config import FakeConfig

if TYPE_CHECKING:
    import pytest

__all__ = ["AgentmockOptions"]


@dataclass(frozen=True, kw_only=True)
class AgentmockOptions(FakeConfig):
    """Everything `@pytest.mark.agentmock(...)` and `agentmock.mock(...)` accept.

    The fake's own options are `FakeConfig`'s (`seed`, `api_keys`, `strict`, `rate_limit`,
    `random_seed`, `now`, `journal_size`); these two say how the test is held to account:

    - `assert_all_called`: fail at the end if a fault that was set up was never hit (default True).
    - `allow_network`: let requests to hosts agentmock does not fake through to the network
      (default True). False makes any such request an error, as respx's `assert_all_mocked` does.
      Hosts under a vendor's domain that are not one of its API hosts (`api.millis.ai`) are an
      error either way.
    """

    assert_all_called: bool = True
    allow_network: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("assert_all_called", "allow_network"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be True or False, not {getattr(self, name)!r}")

    @classmethod
    def from_kwargs(cls, kwargs: dict[str, Any], *, where: str) -> AgentmockOptions:
        """`cls(**kwargs)`, with an error that says where the options came from."""
        __tracebackhide__ = True
        try:
            return cls(**kwargs)
        except TypeError as exc:
            fields = [f.name for f in dataclasses.fields(cls)]
            names = ", ".join(fields)
            message = str(exc).replace("AgentmockOptions.__init__() ", "")
            # Python 3.13 adds its own ". Did you mean 'seed'?": say it one way on every version
            message = re.sub(r"\. Did you mean '[^']*'\?$", "", message)
            typo = re.search(r"unexpected keyword argument '([^']*)'", message)
            close = difflib.get_close_matches(typo.group(1), fields, n=1) if typo else []
            if close:
                message += f" (did you mean {close[0]!r}?)"
            raise TypeError(
                f"agentmock: invalid {where}: {message}. Valid options: {names}."
            ) from None

    @classmethod
    def for_node(cls, node: pytest.Item) -> AgentmockOptions:
        """The options of the `agentmock` markers on `node`, closest last.

        A relative `seed` path is read from the directory of the test file.
        """
        __tracebackhide__ = True
        merged: dict[str, Any] = {}
        for marker in reversed(list(node.iter_markers("agentmock"))):
            if marker.args:
                raise TypeError(
                    f"agentmock: @pytest.mark.agentmock takes keyword arguments only, got "
                    f"{marker.args!r} on {node.nodeid}"
                )
            merged.update(marker.kwargs)
        seed = merged.get("seed")
        if isinstance(seed, str | os.PathLike):
            path = Path(seed) if Path(seed).is_absolute() else Path(node.path).parent / seed
            if not path.is_file():
                raise FileNotFoundError(
                    f"agentmock: no seed file {str(seed)!r} (looked for {path}) in "
                    f"@pytest.mark.agentmock(seed=...) on {node.nodeid}"
                )
            merged["seed"] = path
        return cls.from_kwargs(merged, where=f"@pytest.mark.agentmock(...) on {node.nodeid}")
