"""The contracts are valid OpenAPI 3.1, self-consistent, and say what VENDORS.md says."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jsonschema_rs
import pytest
from openapi_spec_validator import validate

from agentmock import contracts
from agentmock.mockserver import vendors

if TYPE_CHECKING:
    from collections.abc import Iterator

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# operationId -> (method, path, statuses): every status each operation can return.
_VOICY_ERRORS = {"401", "403", "413", "429", "500", "502", "503"}
_ELEVENLABS_ERRORS = {"400", "401", "422", "429"}
EXPECTED_OPERATIONS: dict[str, dict[str, tuple[str, str, set[str]]]] = {
    "millis": {
        "duplicateAgent": (
            "post",
            "/agents/{agent_id}/duplicate",
            {"200", "401", "404", "413", "422"},
        ),
        "createAgent": ("post", "/agents", {"200", "401", "413", "422"}),
        "listAgents": ("get", "/agents", {"200", "401", "413", "422"}),
        "getAgent": ("get", "/agents/{agent_id}", {"200", "401", "404", "413", "422"}),
        "updateAgent": ("put", "/agents/{agent_id}", {"200", "401", "404", "413", "422"}),
        "deleteAgent": ("delete", "/agents/{agent_id}", {"200", "401", "404", "413", "422"}),
    },
    "voicy": {
        "duplicateAgent": (
            "post",
            "/v1/duplicate-agent/{agent_id}",
            {"200", "400", "404", "413"} | _VOICY_ERRORS,
        ),
        "listAgents": ("get", "/v1/list-agents", {"200"} | _VOICY_ERRORS),
        "getAgent": ("get", "/v1/get-agent/{agent_id}", {"200", "400", "404"} | _VOICY_ERRORS),
        "updateAgent": (
            "patch",
            "/v1/update-agent/{agent_id}",
            {"200", "400", "404", "413", "422"} | _VOICY_ERRORS,
        ),
        "deleteAgent": (
            "delete",
            "/v1/delete-agent/{agent_id}",
            {"200", "204", "400", "404", "409"} | _VOICY_ERRORS,
        ),
    },
    "elevenlabs": {
        "duplicateAgent": (
            "post",
            "/v1/convai/agents/{agent_id}/duplicate",
            {"200", "404"} | _ELEVENLABS_ERRORS,
        ),
        "createAgent": ("post", "/v1/convai/agents/create", {"200"} | _ELEVENLABS_ERRORS),
        "listAgents": ("get", "/v1/convai/agents", {"200"} | _ELEVENLABS_ERRORS),
        "getAgent": ("get", "/v1/convai/agents/{agent_id}", {"200", "404"} | _ELEVENLABS_ERRORS),
        "updateAgent": (
            "patch",
            "/v1/convai/agents/{agent_id}",
            {"200", "404"} | _ELEVENLABS_ERRORS,
        ),
        "deleteAgent": (
            "delete",
            "/v1/convai/agents/{agent_id}",
            {"200", "204", "404"} | _ELEVENLABS_ERRORS,
        ),
    },
}

DUPLICATE_ACTION_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {
            "type": "object",
            "properties": {"action": {"const": "copy"}},
            "required": ["action"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {
                "action": {"const": "regenerate"},
                "generator": {
                    "enum": ["firebase_push_id", "uuid4", "epoch_seconds", "caller_account"]
                },
                "fields": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            },
            "required": ["action", "generator"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {
                "action": {"const": "regenerate"},
                "generator": {"const": "prefixed_base32"},
                "prefix": {"type": "string"},
                "length": {"type": "integer", "minimum": 8},
            },
            "required": ["action", "generator", "prefix", "length"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {
                "action": {"const": "rename"},
                "template": {"type": "string"},
                "override": {"type": "string"},
            },
            "required": ["action", "template"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {"action": {"const": "reset"}, "value": {}},
            "required": ["action", "value"],
            "additionalProperties": False,
        },
    ]
}


def operations(vendor: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for route, item in contracts.load(vendor)["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method, route, item[method]


def examples_with_schemas(vendor: str) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Every (where, resolved schema, example value) the contract states."""
    document = contracts.load(vendor)
    for method, route, operation in operations(vendor):
        op = contracts.resolve(document, operation)
        bodies = [("request", op.get("requestBody", {}))]
        bodies += [(status, r) for status, r in op["responses"].items()]
        for label, holder in bodies:
            for media_type, media in holder.get("content", {}).items():
                where = f"{method.upper()} {route} {label} {media_type}"
                if "example" in media:
                    yield where, media["schema"], media["example"]
                for name, example in media.get("examples", {}).items():
                    yield f"{where} example {name}", media["schema"], example["value"]
        item = document["paths"][route]
        for param in contracts.resolve(document, [*item.get("parameters", [])]):
            if "example" in param:
                yield f"{route} parameter {param['name']}", param["schema"], param["example"]


def validator(schema: dict[str, Any]) -> Any:
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


@pytest.mark.parametrize("vendor", vendors.names())
def test_contract_is_valid_openapi_31(vendor: str) -> None:
    document = contracts.load(vendor)
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_servers_are_the_real_hosts() -> None:
    millis = [s["url"] for s in contracts.load("millis")["servers"]]
    voicy = [s["url"] for s in contracts.load("voicy")["servers"]]
    assert millis == ["https://api-west.millis.ai", "https://api-eu-west.millis.ai"]
    assert voicy == ["https://api.voicy.co"]


@pytest.mark.parametrize("vendor", vendors.names())
def test_operations_ids_methods_paths_and_statuses(vendor: str) -> None:
    found = {
        op["operationId"]: (method, route, set(op["responses"]))
        for method, route, op in operations(vendor)
    }
    assert found == EXPECTED_OPERATIONS[vendor]


@pytest.mark.parametrize("vendor", vendors.names())
def test_every_response_has_a_schema_and_an_example(vendor: str) -> None:
    document = contracts.load(vendor)
    for method, route, operation in operations(vendor):
        for status, response in contracts.resolve(document, operation["responses"]).items():
            bodiless_variant = "content" not in response and response.get("x-agentmock-variant")
            if status == "204" or bodiless_variant:
                assert "content" not in response  # 204, or a documented body-less variant
                continue
            media = response["content"]["application/json"]
            assert "schema" in media, f"{method} {route} {status}"
            assert media.get("examples"), f"{method} {route} {status} has no example"


@pytest.mark.parametrize("vendor", vendors.names())
def test_every_example_validates_against_its_schema(vendor: str) -> None:
    checked = 0
    for where, schema, value in examples_with_schemas(vendor):
        errors = [e.message for e in validator(schema).iter_errors(value)]
        assert not errors, f"{vendor}: {where}: {errors}"
        checked += 1
    assert checked >= 15


def test_examples_are_checked_for_real() -> None:
    """The example walk above finds a broken example (so its green means something)."""
    schema = contracts.schema("voicy", "Agent")
    bad = dict(contracts.load("voicy")["components"]["examples"]["DuplicatedAgent"]["value"])
    bad["begin_message_mode"] = "shouting"
    assert not validator(schema).is_valid(bad)


def test_vendor_page_examples_are_in_the_contracts() -> None:
    millis = contracts.load("millis")["components"]["examples"]["VendorPageAgent"]["value"]
    assert millis["config"]["flow"]["interruption"]["first_messsage"] is True
    assert millis["config"]["language"] == "ln"
    voicy = contracts.load("voicy")["components"]["examples"]["DuplicatedAgent"]["value"]
    assert voicy["agent_id"] == "660e8400-e29b-41d4-a716-446655440002"
    assert voicy["agent_name"] == "My Agent Copy"
    assert voicy["version"] == 1
    assert voicy["deployed_at"] is None


@pytest.mark.parametrize("vendor", vendors.names())
def test_every_agent_property_says_what_a_duplicate_does(vendor: str) -> None:
    agent = contracts.schema(vendor, "Agent")
    assert agent["x-agentmock-duplicate-additional"] == "copy"
    check = validator(DUPLICATE_ACTION_SCHEMA)
    for name, prop in agent["properties"].items():
        rule = prop.get("x-agentmock-duplicate")
        assert rule is not None, f"{vendor} Agent.{name} has no x-agentmock-duplicate"
        assert check.is_valid(rule), f"{vendor} Agent.{name}: {rule!r}"
        if rule["action"] == "reset":
            assert validator(prop).is_valid(rule["value"]), f"{vendor} Agent.{name}"


def test_duplicate_tables_match_vendors_md() -> None:
    def table(vendor: str) -> dict[str, Any]:
        props = contracts.schema(vendor, "Agent")["properties"]
        return {name: prop["x-agentmock-duplicate"] for name, prop in props.items()}

    millis = table("millis")
    assert millis == {
        "id": {"action": "regenerate", "generator": "firebase_push_id"},
        "name": {"action": "rename", "template": "{name}"},
        "config": {"action": "copy"},
        "created_at": {"action": "regenerate", "generator": "epoch_seconds"},
    }
    voicy = table("voicy")
    assert voicy.pop("agent_id") == {"action": "regenerate", "generator": "uuid4"}
    assert voicy.pop("agent_name") == {
        "action": "rename",
        "template": "Copy of {agent_name}",
        "override": "agent_name",
    }
    assert voicy.pop("account") == {"action": "regenerate", "generator": "caller_account"}
    assert voicy.pop("version") == {"action": "reset", "value": 1}
    assert voicy.pop("deployed_at") == {"action": "reset", "value": None}
    assert all(rule == {"action": "copy"} for rule in voicy.values())
    assert {"vars_provided", "vars_extracted", "agent_prompt", "voice_id"} <= set(voicy)
    assert "agent_name" in contracts.schema("voicy", "DuplicateAgentRequest")["properties"]
    elevenlabs = table("elevenlabs")
    assert elevenlabs.pop("agent_id") == {
        "action": "regenerate",
        "generator": "prefixed_base32",
        "prefix": "agent_",
        "length": 28,
    }
    assert elevenlabs.pop("name") == {
        "action": "rename",
        "template": "{name} (copy)",
        "override": "name",
    }
    assert elevenlabs.pop("metadata") == {
        "action": "regenerate",
        "generator": "epoch_seconds",
        "fields": ["created_at_unix_secs", "updated_at_unix_secs"],
    }
    assert elevenlabs.pop("phone_numbers") == {"action": "reset", "value": []}
    assert all(rule == {"action": "copy"} for rule in elevenlabs.values())
    assert "conversation_config" in elevenlabs
    assert "name" in contracts.schema("elevenlabs", "DuplicateAgentRequest")["properties"]


def test_millis_config_fields_spelling_nullability_and_enums() -> None:
    config = contracts.schema("millis", "AgentConfig")
    assert config["required"] == ["prompt", "voice"]
    optional = set(config["properties"]) - {"prompt", "voice"}
    assert optional == {
        "flow",
        "first_message",
        "tools",
        "millis_functions",
        "app_functions",
        "custom_llm_websocket",
        "language",
        "vad_threshold",
        "llm",
        "session_timeout",
        "session_data_webhook",
        "privacy_settings",
        "custom_vocabulary",
        "extra_prompt_webhook",
        "switch_language",
        "knowledge_base",
        "speech_to_text",
        "call_settings",
        "memory",
        "timezone",
    }
    check = validator(config)
    base = {"prompt": "p", "voice": {"provider": "elevenlabs"}}
    for field in optional:
        assert check.is_valid({**base, field: None}), f"{field} must accept null"
    assert not check.is_valid({**base, "prompt": None})
    assert not check.is_valid({"prompt": "p", "voice": {}})
    typo = {"flow": {"interruption": {"first_messsage": True}}}
    assert check.is_valid({**base, **typo})
    for delay in (1.5, {"generic_delay": 0.5, "number_input_delay": 2}):
        assert check.is_valid({**base, "flow": {"response_delay": delay}})
    assert not check.is_valid({**base, "flow": {"response_delay": "soon"}})
    assert not check.is_valid({**base, "flow": {"voicemail": {"action": "sing"}}})
    for webhook in ("https://x.test/hook", {"url": "https://x.test", "headers": {"a": "b"}}):
        assert check.is_valid({**base, "session_data_webhook": webhook})
        assert check.is_valid({**base, "extra_prompt_webhook": webhook})
    assert check.is_valid({**base, "voice": {"provider": "a-new-provider"}})
    assert check.is_valid({**base, "brand_new_field": {"x": 1}}), "unknown keys are accepted"


def test_millis_language_is_the_vendors_list_in_order() -> None:
    languages = contracts.schema("millis", "Language")["enum"]
    assert len(languages) == len(set(languages)) == 128
    assert languages[:5] == ["ln", "cy", "wo", "cs", "hy"]
    assert languages[-3:] == ["am", "te", "is"]
    assert "no" in languages  # a YAML 1.1 boolean if left unquoted


def test_millis_known_values_are_listed_not_enforced() -> None:
    props = contracts.schema("millis", "AgentConfig")["properties"]
    provider = props["voice"]["properties"]["provider"]
    assert "enum" not in provider
    assert provider["x-agentmock-known-values"][0] == "elevenlabs"
    assert len(provider["x-agentmock-known-values"]) == 12
    llm = props["llm"]["anyOf"][0]["properties"]["model"]
    assert "deepseek-v3" in llm["x-agentmock-known-values"]


def test_millis_auth_is_a_required_header_parameter_and_an_api_key_scheme() -> None:
    """The vendor models its key as a required header (a missing one is FastAPI's 422); OpenAPI
    tools ignore a header parameter named Authorization, so a security scheme says it too."""
    document = contracts.load("millis")
    assert document["security"] == [{"apiKeyAuth": []}]
    scheme = document["components"]["securitySchemes"]["apiKeyAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "authorization")
    for method, route, operation in operations("millis"):
        params = contracts.resolve(document, operation["parameters"])
        auth = [p for p in params if p["in"] == "header" and p["name"] == "authorization"]
        assert len(auth) == 1, f"{method} {route}"
        assert auth[0]["required"] is True, f"{method} {route}"


def test_voicy_auth_is_bearer() -> None:
    document = contracts.load("voicy")
    assert document["security"] == [{"bearerAuth": []}]
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")


def test_voicy_request_bodies_refuse_blank_names_and_unknown_keys() -> None:
    check = validator(contracts.schema("voicy", "DuplicateAgentRequest"))
    assert check.is_valid({})
    assert check.is_valid({"agent_name": "Copy ✓ עותק"})
    for bad in ({"agent_name": ""}, {"agent_name": "  \t"}, {"agent_name": 3}, {"name": "x"}):
        assert not check.is_valid(bad), bad
    update = validator(contracts.schema("voicy", "UpdateAgentRequest"))
    assert update.is_valid({"agent_prompt": "p", "vars_provided": []})
    assert not update.is_valid({"version": 2})


def test_voicy_agent_accepts_unknown_keys_and_checks_known_ones() -> None:
    agent = dict(contracts.load("voicy")["components"]["examples"]["SourceAgent"]["value"])
    check = validator(contracts.schema("voicy", "Agent"))
    assert check.is_valid({**agent, "a_field_added_later": [1]})
    assert not check.is_valid({**agent, "version": 0})
    assert not check.is_valid({**agent, "agent_id": "not-a-uuid"})
    assert not check.is_valid({**agent, "voice_id": ""})


@pytest.mark.parametrize(
    "voice", ["openai:cedar", "gl:Puck", "he-IL-Chirp3-HD-Kore", "pNInz6obpgDQGcFmaJgB"]
)
def test_voicy_voice_id_takes_every_documented_format(voice: str) -> None:
    """Agent model page: "Format depends on provider: OpenAI: `openai:cedar` ... Google:
    `he-IL-Chirp3-HD-Kore`; Gemini Live: `gl:Puck`" (and generation A's ElevenLabs ids)."""
    agent = dict(contracts.load("voicy")["components"]["examples"]["SourceAgent"]["value"])
    assert validator(contracts.schema("voicy", "Agent")).is_valid({**agent, "voice_id": voice})
    update = validator(contracts.schema("voicy", "UpdateAgentRequest"))
    assert update.is_valid({"voice_id": voice})


# Every "assumption" of VENDORS.md, as (vendor, JSON pointer) of the place that must say so.
ASSUMPTIONS = [
    ("millis", "/components/responses/InvalidApiKey"),
    ("millis", "/components/responses/AgentNotFound"),
    ("millis", "/paths/~1agents~1{agent_id}~1duplicate/post/responses/200"),
    ("millis", "/components/schemas/Agent/properties/created_at"),
    ("millis", "/components/schemas/Agent/properties/name"),
    ("millis", "/paths/~1agents/post/requestBody"),
    ("millis", "/paths/~1agents~1{agent_id}/delete/responses/200"),
    ("millis", "/components/schemas/UpdateAgentRequest"),
    ("voicy", "/paths/~1v1~1duplicate-agent~1{agent_id}/post/responses/200"),
    ("voicy", "/components/responses/AgentNotFound"),
    ("voicy", "/components/responses/BadRequest"),
    ("voicy", "/components/parameters/AgentId"),
    ("voicy", "/components/schemas/DuplicateAgentRequest"),
    ("voicy", "/components/schemas/Agent/properties/account"),
    ("elevenlabs", "/info"),  # the key is checked before the request
    ("elevenlabs", "/components/responses/Unauthorized/content/application~1json/examples/missing"),
    (
        "elevenlabs",
        "/components/responses/AgentNotFound/content/application~1json/examples/missing",
    ),
    ("elevenlabs", "/components/responses/BadRequest"),  # no documented size limit
    ("elevenlabs", "/components/securitySchemes/bearerAuth"),  # Authorization: Bearer <key>
    ("elevenlabs", "/components/schemas/Workflow"),  # what fills in an omitted key
    ("elevenlabs", "/components/schemas/Agent/properties/name"),
    ("elevenlabs", "/components/schemas/Agent/properties/phone_numbers"),
    ("elevenlabs", "/components/schemas/CreateAgentRequest/properties/name"),
    ("elevenlabs", "/paths/~1v1~1convai~1agents~1{agent_id}/patch"),
    ("elevenlabs", "/paths/~1v1~1convai~1agents~1{agent_id}/delete/responses/204"),
]


@pytest.mark.parametrize(("vendor", "pointer"), ASSUMPTIONS)
def test_assumptions_are_marked(vendor: str, pointer: str) -> None:
    node = contracts.resolve(contracts.load(vendor), {"$ref": "#" + pointer})
    note = node.get("x-agentmock-assumption")
    assert isinstance(note, str), f"{vendor} {pointer} has no x-agentmock-assumption"
    assert note.strip()
    assert "\n" not in note.strip()


@pytest.mark.parametrize("vendor", vendors.names())
def test_every_assumption_is_one_line(vendor: str) -> None:
    def walk(node: Any) -> Iterator[Any]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "x-agentmock-assumption":
                    yield value
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    notes = list(walk(contracts.load(vendor)))
    assert len(notes) >= 5
    for note in notes:
        assert isinstance(note, str)
        assert note.strip()
        assert "\n" not in note.strip()


def test_voicy_update_fields_are_the_agents_own() -> None:
    """UpdateAgentRequest spells its fields out (generators cannot follow a $ref into another
    schema's properties); they stay the Agent's, less what a duplicate does with them."""
    agent = contracts.schema("voicy", "Agent")["properties"]
    update = contracts.schema("voicy", "UpdateAgentRequest")["properties"]
    for name in ("voice_id", "vars_provided", "vars_extracted", "response_delay_ms"):
        own = {k: v for k, v in agent[name].items() if k != "x-agentmock-duplicate"}
        assert update[name] == own, name
    notification = {k: v for k, v in agent["notification_emails"].items() if k == "items"}
    assert update["notification_emails"]["items"] == notification["items"]


def test_millis_update_config_has_every_config_field() -> None:
    config = contracts.schema("millis", "AgentConfig")
    update = contracts.schema("millis", "AgentConfigUpdate")
    assert update["properties"] == config["properties"]
    assert "required" not in update
