"""The command line's argument types: each turns a flag's text into a value or refuses it with
one line saying what was expected (argparse prints it and exits 2)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from agentmock.mockserver import vendors

__all__ = [
    "not_negative",
    "port",
    "positive",
    "report",
    "seconds",
    "token",
    "vendor_key",
]


def vendor_key(text: str) -> tuple[str, str]:
    vendor, sep, key = text.partition("=")
    if not sep or not key or vendor not in vendors.registry:
        raise argparse.ArgumentTypeError(
            f"expected VENDOR=KEY with VENDOR one of {', '.join(vendors.names())}, got {text!r}"
        )
    return vendor, key


def port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            f"expected a port 1-65535 (0 picks a free one), got {text!r}"
        )
    return value


def positive(text: str) -> int:
    return _at_least(text, 1)


def not_negative(text: str) -> int:
    return _at_least(text, 0)


def report(value: str) -> str:
    """Where a report goes, checked before a run that may take minutes, not after it."""
    folder = Path(value).resolve().parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"cannot write {value}: no folder {folder}")
    if not os.access(folder, os.W_OK) or Path(value).is_dir():
        raise argparse.ArgumentTypeError(f"cannot write {value}")
    return value


def token(value: str) -> str:
    """An admin token: an empty one would be no token at all, so it is a usage error."""
    if not value.strip():
        raise argparse.ArgumentTypeError("must not be empty (leave the option out for no token)")
    return value


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:  # NaN fails too
        raise argparse.ArgumentTypeError(f"expected seconds between 0 and 3600, got {text!r}")
    return value


def _at_least(text: str, lowest: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = lowest - 1
    if value < lowest:
        raise argparse.ArgumentTypeError(f"expected a whole number >= {lowest}, got {text!r}")
    return value
