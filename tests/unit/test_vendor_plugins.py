"""A vendor is a plug-in: the core names none, and a new one needs no edit outside its module."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import agentmock
from agentmock.mockserver import vendors
from agentmock.mockserver.config import FakeConfig
from agentmock.mockserver.model.messages import Request
from agentmock.mockserver.server.app import create_app
from agentmock.mockserver.server.banner import banner
from tests.helpers import fictional_vendor

ROOT = Path(__file__).resolve().parents[2]
SEED = {"acme": {"agents": [{"agent_id": "a-1", "title": "Reception"}]}}


def _code_words(path: Path) -> Iterator[tuple[int, str]]:
    """The names and string values of a module's code (docstrings and comments left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings:
                yield node.lineno, node.value
        elif isinstance(node, ast.Name):
            yield node.lineno, node.id
        elif isinstance(node, ast.Attribute):
            yield node.lineno, node.attr
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            yield node.lineno, node.name


def test_no_code_outside_the_vendor_modules_names_a_vendor() -> None:
    """No vendor's name in the code of mockserver/ (outside mockserver/vendors/) or of
    pytest_plugin/: the CLI's choices, help texts and examples, the fixtures, strategies and
    machines all read the registry. (Docstrings may show examples; data files may name
    vendors: the embedded seed and the check's per-vendor adjustments.)"""
    names = re.compile(r"\b(millis|voicy|elevenlabs)\b|millis_|voicy_|elevenlabs_", re.IGNORECASE)
    found = [
        f"{path.relative_to(ROOT)}:{number}: {word!r}"
        for folder in ("mockserver", "pytest_plugin")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "vendors" not in path.relative_to(ROOT / folder).parts
        for number, word in _code_words(path)
        if names.search(word)
    ]
    assert found == []


@pytest.fixture
def acme() -> Iterator[str]:
    with fictional_vendor() as name:
        yield name


def test_a_registered_vendor_is_served_through_the_core(acme: str) -> None:
    assert acme in vendors.names()
    fake = FakeConfig(seed=SEED).build()
    key = {"x-acme-key": "any"}
    copy = fake.handle(Request("POST", "/acme/v1/agents/a-1/copy", key))
    assert copy.response is not None
    assert copy.response.status == 201  # the contract's success status
    assert copy.response.json()["title"] == "Reception (2)"  # the contract's duplicate table
    missing = fake.handle(Request("GET", "/acme/v1/agents/nope", key)).response
    assert missing is not None
    assert (missing.status, missing.json()) == (404, {"detail": "Agent not found"})
    no_key = fake.handle(Request("GET", "/acme/v1/agents")).response
    assert no_key is not None
    assert no_key.status == 401
    assert [e.operation for e in fake.journal.entries("acme")] == [
        "duplicateAgent",
        "getAgent",
        "listAgents",
    ]
    assert "Acme Voice base URL" in banner(fake, "http://127.0.0.1:1")


def test_a_registered_vendor_gets_respx_interception_and_the_admin_api(acme: str) -> None:
    with agentmock.mock(seed=SEED) as fake:
        answer = httpx.post(
            "https://api.acme.test/acme/v1/agents/a-1/copy", headers={"x-acme-key": "k"}
        )
        assert answer.status_code == 201
        assert fake.acme.routes.duplicate_agent.call_count == 1
        assert len(fake.acme.agents) == 2
        with pytest.raises(AssertionError, match=r"api\.acme\.test"):
            httpx.get("https://www.acme.test/")  # a typo host under its domain

    async def admin() -> list[object]:
        transport = httpx.ASGITransport(app=create_app(FakeConfig(seed=SEED).build()))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            added = await client.post("/__admin/acme/agents", json={"title": "Night"})
            assert added.status_code == 201
            listed = await client.get("/acme/v1/agents", headers={"x-acme-key": "k"})
            return [a["title"] for a in listed.json()]

    import asyncio

    assert asyncio.run(admin()) == ["Reception", "Night"]


@pytest.mark.parametrize(
    ("query", "status", "titles"),
    [
        ("", 200, ["Reception", "Sales", "Night"]),
        ("limit=2", 200, ["Reception", "Sales"]),
        ("limit=+2&x=ignored", 200, ["Reception", "Sales"]),
        ("limit=9&limit=1", 200, ["Reception"]),  # the last occurrence, as FastAPI reads it
        ("tags=a&tags=b", 200, ["Sales"]),  # an array parameter collects every occurrence
        ("limit=0", 422, None),
        ("limit=two", 422, None),
        ("limit=", 422, None),
    ],
)
def test_query_parameters_are_validated_and_typed_like_path_and_header_ones(
    acme: str, query: str, status: int, titles: list[str] | None
) -> None:
    seed = {
        "acme": {
            "agents": [
                {"agent_id": "a-1", "title": "Reception", "tags": ["a"]},
                {"agent_id": "a-2", "title": "Sales", "tags": ["a", "b"]},
                {"agent_id": "a-3", "title": "Night"},
            ]
        }
    }
    fake = FakeConfig(seed=seed).build()
    request = Request("GET", "/acme/v1/agents", {"x-acme-key": "k"}, b"", query)
    response = fake.handle(request).response
    assert response is not None
    assert response.status == status
    if titles is not None:
        assert [a["title"] for a in response.json()] == titles
    else:
        assert fake.state.vendor("acme").agents.raw().keys() == {"a-1", "a-2", "a-3"}
