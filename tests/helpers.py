"""Helpers shared by the test layers (one module, never imported from another test module)."""

from __future__ import annotations

import pytest

HEADER = """
import asyncio
import httpx
import pytest
import respx
"""


def run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    """`source` as a consumer's test file (httpx, pytest, respx imported), run in a subprocess."""
    pytester.makepyfile(HEADER + source)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", *args)
