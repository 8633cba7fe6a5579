"""The vendors' own words as test input: every literal example in `tests/vendor_examples/`.

One YAML file per example, as the vendor's page or SDK gives it (`text`, with `//` comment lines
as the pages write them), with where it comes from (`source`) and what it is: a request body
(`part: request`) or a response (`part: response`, `status`) of `operation`, or a value of a
component `schema`. Each must validate against the contract, or, with `expect: rejected` and a
`why`, must not (an older generation of a page the contract does not follow). Where an example
shows behaviour, its `replay` is sent to the fake, which must answer with that status and
those fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson
import pytest
import yaml

from agentmock import contracts
from agentmock.mockserver import vendors
from agentmock.mockserver.config import FakeConfig
from agentmock.mockserver.core import auth_headers
from agentmock.mockserver.model.messages import Request
from agentmock.mockserver.vendors import profile

FOLDER = Path(__file__).parent.parent / "vendor_examples"
EXAMPLES = sorted(FOLDER.glob("*/*.yaml"))
KEYS = {"source", "operation", "part", "status", "schema", "expect", "why", "note", "replay"}
KEYS |= {"text"}


def _load(path: Path) -> dict[str, Any]:
    example: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    example["vendor"] = path.parent.name
    return example


def _value(example: dict[str, Any]) -> Any:
    """The example's JSON, less the `//` comment lines some pages put above it."""
    lines = [line for line in example["text"].splitlines() if not line.lstrip().startswith("//")]
    return orjson.loads("\n".join(lines))


def _operation(vendor: str, operation_id: str) -> dict[str, Any]:
    for item in contracts.load(vendor)["paths"].values():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return {"method": method, **operation}
    raise AssertionError(f"{vendor} has no operation {operation_id}")


def _schema(example: dict[str, Any]) -> dict[str, Any]:
    vendor = example["vendor"]
    document = contracts.load(vendor)
    if "schema" in example:
        return contracts.schema(vendor, example["schema"])
    operation = _operation(vendor, example["operation"])
    if example["part"] == "request":
        body = contracts.resolve(document, operation["requestBody"])
        found: dict[str, Any] = body["content"]["application/json"]["schema"]
        return found
    response = contracts.resolve(document, operation["responses"][str(example["status"])])
    found = response["content"]["application/json"]["schema"]
    return found


def test_there_are_examples_of_every_vendor() -> None:
    covered = {path.parent.name for path in EXAMPLES}
    assert covered == set(vendors.names())
    assert len(EXAMPLES) >= 15


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_example_says_where_it_comes_from_and_what_it_is(path: Path) -> None:
    example = _load(path)
    assert set(example) - {"vendor"} <= KEYS, set(example) - KEYS
    assert example["source"].startswith("https://"), example["source"]
    assert ("schema" in example) != ("operation" in example)
    if "operation" in example:
        assert example["part"] in ("request", "response")
        assert (example["part"] == "response") == ("status" in example)
    if example.get("expect") == "rejected":
        assert example["why"].strip()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_example_validates_against_the_contract(path: Path) -> None:
    example = _load(path)
    errors = [
        e.message
        for e in jsonschema_rs.validator_for(_schema(example)).iter_errors(_value(example))
    ]
    if example.get("expect") == "rejected":
        assert errors, f"{path.name} is marked rejected but the contract accepts it"
    else:
        assert not errors, f"{path.name} ({example['source']}): {errors}"


REPLAYED = [p for p in EXAMPLES if "replay" in _load(p)]


@pytest.mark.parametrize("path", REPLAYED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_what_an_example_shows_the_fake_does(path: Path) -> None:
    example = _load(path)
    vendor, replay = example["vendor"], example["replay"]
    keys = replay.get("keys")
    fake = FakeConfig(
        api_keys={vendor: keys} if keys else {}, rate_limit=replay.get("rate_limit")
    ).build()
    headers = replay.get("headers")
    if headers is None:
        headers = auth_headers(vendor, profile(vendor).default_api_key)
    headers = {name.lower(): value for name, value in headers.items()}
    body = example["text"].encode() if example.get("part") == "request" else b""
    if body:
        headers = {**headers, "content-type": "application/json"}
    request = Request(replay["method"], replay["path"], headers, body, replay.get("query", ""))
    for _ in range(replay.get("repeat", 1)):
        response = fake.handle(request).response
    assert response is not None
    assert response.status == replay["status"], response.body
    answer: Any = response.json() if response.body else None
    if "body" in replay:
        assert answer == replay["body"]
        assert answer == _value(example)  # the page's own text, not only our copy of it
    for dotted, wanted in replay.get("fields", {}).items():
        value = answer
        for part in dotted.split("."):
            value = value[part]
        assert value == wanted, dotted
