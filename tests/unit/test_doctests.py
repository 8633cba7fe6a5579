"""The examples in docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "agentmock.contracts",
    "agentmock.mockserver.model.clock",
    "agentmock.mockserver.core",
    "agentmock.mockserver.model.jsonio",
    "agentmock.mockserver.model.paging",
    "agentmock.mockserver.state",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
