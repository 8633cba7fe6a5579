"""Voicy: its profile and its handlers.

`Authorization: Bearer <key>`; keys belong to accounts and see their own account's agents and
global ones (`account: null`). Global agents can be read and duplicated (the copy is the
caller's) but not changed (403). The key is checked first (401), then the rate limit (429),
then the request (400). Errors are `{"error": "<message>"}`.

The fake does not model: deployments (updates keep `version` and `deployed_at`), operating-hours
behaviour, calls, or any create endpoint (Voicy documents none; seed through the admin API).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agentmock.mockserver.model.errors import (
    AccessDenied,
    ApiError,
    Injected,
    InvalidApiKey,
    MethodNotAllowed,
    MissingAuthorization,
    RateLimited,
    RequestInvalid,
    RouteNotFound,
)
from agentmock.mockserver.vendors._profile import VendorProfile

if TYPE_CHECKING:
    from agentmock.mockserver.model.call import Call
    from agentmock.mockserver.model.messages import Response
    from agentmock.mockserver.model.store import VendorStore
    from agentmock.mockserver.model.types import JSON, JSONObject

NAME = "voicy"
KEY_PREFIX = "voicy_sk_"
DEFAULT_ACCOUNT: JSONObject = {"id": "550e8400-e29b-41d4-a716-446655440099", "name": "Acme Corp"}
RETRY_AFTER_SECONDS = 30
RATE_LIMIT_MESSAGE = f"Rate limit exceeded. Please retry after {RETRY_AFTER_SECONDS} seconds."
PHONES = "assigned_phone_numbers"  # agentmock's own bookkeeping: never in a vendor response
VARIABLES = ("vars_provided", "vars_extracted")  # what list items leave out
# Voicy's documented messages for the statuses it lists; others fall back to the reason phrase.
STATUS_MESSAGES = {
    403: "Access denied",
    429: RATE_LIMIT_MESSAGE,
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
}


@dataclass(frozen=True, kw_only=True)
class VoicyProfile(VendorProfile):
    def client_headers(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}

    def authenticate(self, store: VendorStore, headers: dict[str, str]) -> str | None:
        header = headers.get(self.auth_header)
        if header is None:
            raise MissingAuthorization
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise InvalidApiKey
        if store.api_keys:
            if token not in store.api_keys:
                raise InvalidApiKey
            return store.api_keys[token]
        if not token.startswith(KEY_PREFIX) or len(token) == len(KEY_PREFIX):
            raise InvalidApiKey
        return store.default_account

    def rate_limit_key(self, headers: dict[str, str]) -> str:
        # The key, not the header's spelling: `bearer k` and `Bearer  k` are one key.
        scheme, _, token = headers.get(self.auth_header, "").strip().partition(" ")
        return f"{scheme.lower()} {token.strip()}"

    def render(self, error: ApiError) -> Response:
        response = super().render(error)
        if isinstance(error, RateLimited):  # the body says "retry after 30 seconds": so does this
            response.headers["retry-after"] = str(RETRY_AFTER_SECONDS)
        return response

    def error_status(self, error: ApiError) -> int:
        return 400 if isinstance(error, RequestInvalid) else error.status

    def error_body(self, error: ApiError) -> JSON:
        if isinstance(error, Injected):
            return {"error": STATUS_MESSAGES.get(error.status, error.message)}
        if isinstance(error, RequestInvalid):
            return {"error": f"Invalid request: {error}"}
        if isinstance(error, RouteNotFound | MethodNotAllowed):
            return {"error": error.message.capitalize()}
        if isinstance(error, RateLimited):
            return {"error": RATE_LIMIT_MESSAGE}
        return {"error": error.message}

    def new_agent(self, store: VendorStore, fields: JSONObject) -> JSONObject:
        agent = {**self.agent_defaults, **fields}
        agent.setdefault("agent_id", store.minter.uuid4())
        if "account" not in agent:
            agent["account"] = dict(store.accounts[store.default_account or ""])
        return agent

    def adopt(self, store: VendorStore, agent: JSONObject) -> None:
        owner = agent.get("account")
        if owner is not None and owner["id"] not in store.accounts:
            store.add_account(owner)

    def canonical_agent(self, agent: JSONObject) -> JSONObject:
        """The get-agent page's flat `account_id`/`account_name` as the `account` object."""
        if "account" in agent or "account_id" not in agent:
            return agent
        flat = dict(agent)
        account_id, account_name = flat.pop("account_id"), flat.pop("account_name", None)
        flat["account"] = None if account_id is None else {"id": account_id, "name": account_name}
        return flat

    def visible(self, agent: JSONObject, account: str | None) -> bool:
        owner = agent.get("account")
        return owner is None or owner.get("id") == account

    def apply_seed(self, store: VendorStore, section: JSONObject) -> None:
        default = section.get("default_account", DEFAULT_ACCOUNT)
        store.add_account(default, api_keys=section.get("api_keys", ()))
        store.default_account = default["id"]
        for account in section.get("accounts", ()):
            fields = {k: v for k, v in account.items() if k != "api_keys"}
            store.add_account(fields, api_keys=account.get("api_keys", ()))

    def key_owner(self, store: VendorStore, account: str | None) -> str | None:
        return account or store.default_account

    def banner_agent(self, agent: JSONObject) -> str:
        owner = (agent.get("account") or {}).get("name", "global")
        return f"{agent['agent_id']}  {agent['agent_name']}  ({owner})"

    def example_curl(self, base_url: str, agent_id: str, key: str) -> list[str]:
        return [
            f"  curl -X POST {base_url}{self.duplicate_path(agent_id)} \\",
            f'    -H "Authorization: Bearer {key}" \\',
            '    -H "Content-Type: application/json" \\',
            """    -d '{"agent_name": "My Agent Copy"}'""",
        ]

    def live_duplicate_body(self, attempt: int) -> tuple[JSONObject | None, str | None]:
        name = f"agentmock check {attempt + 1}"
        return {"agent_name": name}, name


__all__ = ["delete_agent", "duplicate_agent", "get_agent", "list_agents", "update_agent"]


class FlowAgentReadOnly(ApiError):
    """ "PATCH on a conversationalFlow agent returns 422" (the body is an assumption)."""

    status = 422
    message = "Flow agents cannot be modified through the API"


class AssignedToPhoneNumber(ApiError):
    """ "An agent cannot be deleted if it is currently assigned to any phone numbers"."""

    status = 409
    message = "Agent is assigned to a phone number"


def _public(agent: JSONObject) -> JSONObject:
    """The agent as the vendor sends it: agentmock's phone bookkeeping left out."""
    agent.pop(PHONES, None)
    return agent


def _find_own(store: VendorStore, call: Call) -> JSONObject:
    agent = store.find(call.agent_id, call.account)
    if agent.get("account") is None:
        raise AccessDenied
    return agent


def duplicate_agent(store: VendorStore, call: Call) -> JSON:
    """Fresh UUID, version 1, deployed_at null, "Copy of <name>" unless agent_name is given."""
    source = store.find(call.agent_id, call.account)
    caller = store.accounts.get(call.account or "")
    copy = store.duplicate(source, request=call.body, caller=caller)
    copy.pop(PHONES, None)  # the phone numbers stay with the source
    store.keep_copy(copy, source=call.agent_id)
    return copy


def list_agents(store: VendorStore, call: Call) -> JSON:
    """Lightweight items: "These omit vars_provided, vars_extracted ... Use Get Agent"."""
    return [
        {k: v for k, v in agent.items() if k not in VARIABLES and k != PHONES}
        for agent in store.agents_of(call.account)
    ]


def get_agent(store: VendorStore, call: Call) -> JSON:
    return _public(store.find(call.agent_id, call.account))


def update_agent(store: VendorStore, call: Call) -> JSON:
    """Any subset of the writable fields; variable arrays replace the stored ones.

    A flow agent is refused (422). A deployed version is frozen: the change makes a new working
    version (`version` + 1, `deployed_at` null) rather than editing it in place (an assumption).
    `general_prompt` is the update page's name for `agent_prompt`.
    """
    agent = _find_own(store, call)
    if agent.get("agent_type") == "conversationalFlow":
        raise FlowAgentReadOnly
    changes = dict(call.body or {})
    if "general_prompt" in changes:  # the contract refuses a body with both
        changes["agent_prompt"] = changes.pop("general_prompt")
    updated = {**agent, **changes}
    if agent.get("deployed_at") is not None:
        updated["version"] = int(agent.get("version", 1)) + 1
        updated["deployed_at"] = None
    return _public(store.put(updated))


def delete_agent(store: VendorStore, call: Call) -> JSON:
    agent = _find_own(store, call)
    if agent.get(PHONES):
        raise AssignedToPhoneNumber
    del store.agents[agent["agent_id"]]
    return None


PROFILE = VoicyProfile(
    name=NAME,
    title="Voicy",
    handlers=sys.modules[__name__],
    id_field="agent_id",
    name_field="agent_name",
    key_fields=("account.name", "agent_type", "version", "deployed_at"),
    auth_header="authorization",
    default_api_key="voicy_sk_test_agentmock",
    env_key="VOICY_API_KEY",
    api_key_pattern=r"voicy_sk_(live|test)_[A-Za-z0-9]{8,40}",
    rate_limited=True,
    default_rate_limit=600,  # "60 requests/minute (Standard) or 600 (Enterprise)"
    seed_sections=frozenset({"agents", "api_keys", "accounts", "default_account"}),
    agent_defaults={
        "agent_name": "Customer Support Agent",
        "voice_id": "openai:sage",
        "language": "en",
        "begin_message": "Hello! How can I help you today?",
        "agent_prompt": "You are a helpful customer support agent.",
        "begin_message_mode": "static",
        "prompt_text_direction": "ltr",
        "vars_provided": [],
        "vars_extracted": [],
        "version": 1,
        "deployed_at": None,
        "agent_type": "singlePrompt",
        "notification_emails": [],
    },
)
