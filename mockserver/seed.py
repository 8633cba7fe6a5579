"""Seed data: the agents (and accounts and keys) the fake starts with.

A mapping of vendor to its section, in JSON or YAML (`agentmock serve --seed FILE`). Every
section may have `agents` (missing fields get the vendor's realistic defaults) and `api_keys`
(when given, only these keys are accepted); which other keys a section may have is its vendor
profile's `seed_sections` (accounts, say). `seed.yaml` beside this module is the embedded seed
and a full example; the README documents each vendor's section.
"""

from __future__ import annotations

import copy
import functools
import importlib.resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import orjson
import yaml

from agentmock.mockserver.model import jsonio
from agentmock.mockserver.vendors import unknown_vendor

if TYPE_CHECKING:
    from collections.abc import Iterable

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = ["SeedData", "embedded_seed", "load_seed", "parse_seed", "with_api_keys"]

SeedData: TypeAlias = dict[str, Any]


def parse_seed(data: Any, *, source: str = "seed") -> SeedData:
    """Check the seed's outline (agents themselves are checked against the contract on load)."""
    if data is None:
        return {}
    from agentmock.mockserver.vendors import all_profiles

    try:  # the rules every input path shares: 64-bit integers, bounded depth and size
        jsonio.check_value(data)
    except jsonio.JSONRefused as exc:
        raise ValueError(f"agentmock: {source}: {exc}") from None

    if not isinstance(data, dict):
        raise ValueError(f"agentmock: {source}: expected a mapping of vendor to data")
    sections = {profile.name: profile.seed_sections for profile in all_profiles()}
    for vendor, section in data.items():
        if vendor not in sections:
            raise ValueError(f"agentmock: {source}: {unknown_vendor(vendor).reason}")
        if not isinstance(section, dict):
            raise ValueError(f"agentmock: {source}: {vendor} must be a mapping")
        unknown = set(section) - sections[vendor]
        if unknown:
            allowed = ", ".join(sorted(sections[vendor]))
            raise ValueError(
                f"agentmock: {source}: unknown {vendor} key(s) {sorted(unknown)}; "
                f"expected {allowed}"
            )
        for key in ("agents", "api_keys", "accounts"):
            if key in section and not isinstance(section[key], list):
                raise ValueError(f"agentmock: {source}: {vendor}.{key} must be a list")
    return data


def load_seed(path: str | Path) -> SeedData:
    """Read a seed file: JSON (`.json`), a cassette (`.jsonl`: the agents it observed), or YAML
    (anything else)."""
    path = Path(path)
    from agentmock.mockserver import cassette

    if cassette.looks_like_cassette(path):  # the agents a recording observed
        return parse_seed(cassette.seed_from(path), source=str(path))
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix == ".json":
            data = jsonio.parse_json(text)
        else:
            data = yaml.load(text, Loader=_Loader)
    except (ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"agentmock: {path}: not valid {path.suffix or 'YAML'}: {exc}") from None
    return parse_seed(data, source=str(path))


@functools.cache
def _embedded_json() -> bytes:
    text = importlib.resources.files(__package__).joinpath("seed.yaml").read_text("utf-8")
    return orjson.dumps(parse_seed(yaml.load(text, Loader=_Loader), source="embedded seed"))


def embedded_seed() -> SeedData:
    """The seed `agentmock serve` starts with (`seed.yaml` beside this module).

    Parsed from YAML once per process; each call returns a fresh copy (a fixture per test asks).
    """
    data: SeedData = orjson.loads(_embedded_json())
    return data


def with_api_keys(seed: SeedData, keys: Iterable[tuple[str, str]]) -> SeedData:
    """A copy of `seed` that also configures `keys` (`(vendor, key)` pairs).

    Keys written into the seed survive a reset; where the vendor has accounts, they belong to
    the default account.
    """
    data: SeedData = copy.deepcopy(seed)
    for vendor, key in keys:
        data.setdefault(vendor, {}).setdefault("api_keys", []).append(key)
    return data
