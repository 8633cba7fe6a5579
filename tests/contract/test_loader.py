"""The contracts package's loader: paths, caching, $ref resolution and its errors."""

from __future__ import annotations

import json

import jsonschema_rs
import pytest

from agentmock import contracts
from agentmock.mockserver import vendors


def test_vendors_and_paths() -> None:
    assert contracts.packaged() == ("elevenlabs", "millis", "voicy")
    for vendor in vendors.names():
        assert contracts.path(vendor).name == f"{vendor}.openapi.yaml"
        assert contracts.path(vendor).is_file()


def test_load_is_cached() -> None:
    assert contracts.load("millis") is contracts.load("millis")


@pytest.mark.parametrize("vendor", vendors.names())
def test_every_schema_resolves_completely_and_compiles(vendor: str) -> None:
    for name in contracts.load(vendor)["components"]["schemas"]:
        resolved = contracts.schema(vendor, name)
        assert '"$ref"' not in json.dumps(resolved), name
        jsonschema_rs.Draft202012Validator(resolved)


def test_schema_returns_a_fresh_copy() -> None:
    first = contracts.schema("millis", "Agent")
    first["properties"].clear()
    assert contracts.schema("millis", "Agent")["properties"]


def test_ref_siblings_keep_their_meaning() -> None:
    document = {"components": {"schemas": {"S": {"type": "string"}}}}
    annotated = contracts.resolve(document, {"$ref": "#/components/schemas/S", "x-a": 1})
    assert annotated == {"type": "string", "x-a": 1}
    constrained = contracts.resolve(document, {"$ref": "#/components/schemas/S", "minLength": 2})
    assert constrained == {"allOf": [{"type": "string"}], "minLength": 2}


def test_unknown_vendor_names_the_choices() -> None:
    with pytest.raises(
        ValueError, match=r"no packaged contract 'vapi'; expected one of elevenlabs, millis, voicy"
    ):
        contracts.load("vapi")
    with pytest.raises(ValueError, match="no packaged contract"):
        contracts.schema("vapi", "Agent")


def test_unknown_schema_names_the_choices() -> None:
    with pytest.raises(KeyError, match=r"no schema 'Agnet'.*Agent, AgentConfig"):
        contracts.schema("millis", "Agnet")


def test_bad_refs_are_clear() -> None:
    with pytest.raises(ValueError, match="points nowhere"):
        contracts.resolve({}, {"$ref": "#/components/schemas/Nope"})
    with pytest.raises(ValueError, match="only local"):
        contracts.resolve({}, {"$ref": "other.yaml#/X"})
    loop = {"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}}
    with pytest.raises(ValueError, match="circular"):
        contracts.resolve(loop, {"$ref": "#/a"})
