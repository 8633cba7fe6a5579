"""Contract violations become FastAPI-style errors that name the offending field."""

from __future__ import annotations

from agentmock import contracts
from agentmock.mockserver.model.errors import Violation
from agentmock.mockserver.model.validation import SchemaCheck

CONFIG = SchemaCheck(contracts.schema("millis", "AgentConfig"))
BASE = {"prompt": "p", "voice": {"provider": "elevenlabs"}}


def test_missing_fields_are_located_at_the_field() -> None:
    assert CONFIG.violations({"voice": {}}, loc=("body",)) == [
        Violation(("body", "prompt"), "Field required", "missing"),
        Violation(("body", "voice", "provider"), "Field required", "missing"),
    ]


def test_wrong_types_and_enums() -> None:
    found = CONFIG.violations({**BASE, "vad_threshold": "high", "language": "xx"})
    assert Violation(("vad_threshold",), "Input should be a valid number", "float_type") in found
    assert [v.loc for v in found] == [("vad_threshold",), ("language",)]
    assert found[1].type == "enum"
    assert found[1].msg.startswith("Input should be 'ln' or 'cy'")


def test_errors_inside_a_nullable_object_point_inside_it() -> None:
    found = CONFIG.violations({**BASE, "flow": {"voicemail": {"action": "sing"}}})
    assert [v.loc for v in found] == [("flow", "voicemail", "action")]


def test_custom_messages_from_the_contract() -> None:
    check = SchemaCheck(contracts.schema("voicy", "DuplicateAgentRequest"))
    (blank,) = check.violations({"agent_name": " "}, loc=("body",))
    assert blank.sentence() == "agent_name: must not be empty or blank"
    (wrong_type,) = check.violations({"agent_name": 1}, loc=("body",))
    assert wrong_type.msg == "Input should be a valid string"
    (extra,) = check.violations({"name": "x"}, loc=("body",))
    assert extra == Violation(("body", "name"), "Extra inputs are not permitted", "extra_forbidden")


def test_first_error_names_the_schema_path() -> None:
    check = SchemaCheck(contracts.schema("voicy", "Agent"))
    message = check.first_error({"agent_id": "x"})
    assert message is not None
    assert "schema path: " in message
    assert (
        check.first_error(contracts.load("voicy")["components"]["examples"]["SourceAgent"]["value"])
        is None
    )


def test_sentences() -> None:
    assert Violation(("body",), "Input should be a valid dictionary", "dict_type").sentence() == (
        "request body: Input should be a valid dictionary"
    )
    assert Violation(("path", "agent_id"), "must be a UUID", "value_error").sentence() == (
        "agent_id: must be a UUID"
    )
