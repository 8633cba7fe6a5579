"""The contracts' disk cache: parsed YAML and resolved paths kept as JSON by content hash."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from agentmock import contracts

CONTRACT = """
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/A"}}}
components:
  schemas:
    A: {type: object, properties: {when: {type: string, examples: [WHEN]}}}
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("AGENTMOCK_CACHE_DIR", str(folder))
    contracts._load.cache_clear()
    contracts.resolved_paths.cache_clear()
    yield folder
    contracts._load.cache_clear()
    contracts.resolved_paths.cache_clear()


def _contract(tmp_path: Path, when: str = '"2025-01-01"') -> Path:
    file = tmp_path / "t.openapi.yaml"
    file.write_text(CONTRACT.replace("WHEN", when))
    return file


def test_a_second_process_reads_the_json_not_the_yaml(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = _contract(tmp_path)
    first = contracts.load(file)
    paths = contracts.resolved_paths(file)
    assert sorted(p.name.split("-")[0] for p in cache.iterdir()) == ["contract", "paths"]
    contracts._load.cache_clear()  # as a new process would start
    contracts.resolved_paths.cache_clear()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the YAML was parsed again")

    monkeypatch.setattr(yaml, "load", refuse)
    assert contracts.load(file) == first
    assert contracts.resolved_paths(file) == paths
    schema = paths["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["properties"]["when"]["type"] == "string"  # resolved: no $ref left


def test_an_edited_contract_is_a_new_entry_and_a_damaged_one_is_rebuilt(
    cache: Path, tmp_path: Path
) -> None:
    file = _contract(tmp_path)
    contracts.load(file)
    for entry in cache.iterdir():
        entry.write_bytes(b"{not json")
    contracts._load.cache_clear()
    assert contracts.load(file)["info"]["title"] == "t"  # damaged: parsed again
    file.write_text(CONTRACT.replace("WHEN", '"edited"').replace("title: t", "title: u"))
    contracts._load.cache_clear()
    assert contracts.load(file)["info"]["title"] == "u"


def test_what_json_cannot_hold_is_not_cached(cache: Path, tmp_path: Path) -> None:
    file = _contract(tmp_path, when="2025-01-01")  # unquoted: YAML reads a date
    document = contracts.load(file)
    example = document["components"]["schemas"]["A"]["properties"]["when"]["examples"][0]
    assert not isinstance(example, str)
    assert not any(p.name.startswith("contract-") for p in cache.glob("*"))


def test_the_cache_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTMOCK_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    contracts._load.cache_clear()
    try:
        assert contracts.load(_contract(tmp_path))["info"]["title"] == "t"
    finally:
        contracts._load.cache_clear()
    assert not (tmp_path / "xdg").exists()
