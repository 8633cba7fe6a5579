"""ElevenLabs Agents Platform: its profile and its handlers.

FastAPI underneath: the key travels in `xi-api-key`; errors are the errors page's
(elevenlabs.io/docs/eleven-api/resources/errors) `{"detail": {"type", "code", "message",
"status", "request_id", "param"?}}`, with the page's type and code for each case; request
validation stays FastAPI's list (the SDK's `HTTPValidationError`). A duplicate answers only
`{"agent_id"}`; read the copy back with `getAgent`. `listAgents` pages with an opaque cursor and
hides archived agents (`platform_settings.archived`) unless asked for them.

The fake does not model: branches, versions and drafts (one version per agent: `version_id` and
`branch_id` are accepted and ignored), workflow nodes other than start, end and tool (stored as
sent, without the fields the SDK's response models add), subagents (`force` is
accepted), conversations, knowledge bases, tools, or `call_count_7d` (sorting by it keeps the
newest first).
"""

from __future__ import annotations

import functools
import secrets
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agentmock import contracts
from agentmock.mockserver.model.completion import complete
from agentmock.mockserver.model.errors import (
    AgentNotFound,
    ApiError,
    InvalidApiKey,
    MethodNotAllowed,
    MissingAuthorization,
    PayloadTooLarge,
    RateLimited,
    RequestInvalid,
    RouteNotFound,
)
from agentmock.mockserver.model.paging import InvalidCursor as BadCursor
from agentmock.mockserver.model.paging import page
from agentmock.mockserver.vendors._profile import VendorProfile

if TYPE_CHECKING:
    from agentmock.mockserver.model.call import Call
    from agentmock.mockserver.model.store import VendorStore
    from agentmock.mockserver.model.types import JSON, JSONObject

NAME = "elevenlabs"
ID_PREFIX, ID_LENGTH = "agent_", 28


class InvalidCursor(ApiError):
    """A `cursor` the API did not hand out: the errors page's `invalid_cursor`, a 400."""

    status = 400
    message = "The pagination cursor is invalid or expired."


class InvalidAuthorizationHeader(ApiError):
    """An `Authorization` header that is not `Bearer <token>` (and no `xi-api-key`)."""

    status = 401
    message = "The Authorization header format is invalid."


# The errors page's (code, type) of each error the fake raises, and for a status fault
# (`fail(status=...)`) the page's type of that status with one of the page's codes of that
# type. Ours to choose: which code (404: agent_not_found, since every operation here reads one
# agent) and, for a status the page does not table (502, 504), internal_error.
_CODES: dict[type[ApiError], tuple[str, str]] = {
    MissingAuthorization: ("missing_api_key", "authentication_error"),
    InvalidApiKey: ("invalid_api_key", "authentication_error"),
    InvalidAuthorizationHeader: ("invalid_authorization_header", "authentication_error"),
    AgentNotFound: ("agent_not_found", "not_found"),
    PayloadTooLarge: ("request_too_large", "invalid_request"),
    RateLimited: ("rate_limit_exceeded", "rate_limit_error"),
    InvalidCursor: ("invalid_cursor", "validation_error"),
}
_BY_STATUS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "invalid_request"),
    401: ("unauthorized", "authentication_error"),
    402: ("insufficient_credits", "payment_required"),
    403: ("forbidden", "authorization_error"),
    404: ("agent_not_found", "not_found"),  # every operation here reads one agent
    409: ("conflict", "conflict"),
    413: ("request_too_large", "invalid_request"),
    429: ("rate_limit_exceeded", "rate_limit_error"),
    503: ("service_unavailable", "service_unavailable"),
}
_PARAMS: dict[type[ApiError], str] = {InvalidCursor: "cursor"}
_MESSAGES: dict[type[ApiError], str] = {
    # Observed in live captures in public code, not documented: the contract marks it.
    MissingAuthorization: (
        "Neither authorization header nor xi-api-key received, please provide one."
    ),
    PayloadTooLarge: "The request body exceeds the maximum allowed size.",
    RateLimited: "Too many requests. Wait before retrying.",
}


def _code_and_type(error: ApiError) -> tuple[str, str]:
    known = _CODES.get(type(error)) or _BY_STATUS.get(error.status)
    if known is not None:
        return known
    if error.status >= 500:
        return "internal_error", "internal_error"
    return "bad_request", "invalid_request"


@dataclass(frozen=True, kw_only=True)
class ElevenLabsProfile(VendorProfile):
    def error_body(self, error: ApiError) -> JSON:
        if isinstance(error, RequestInvalid):
            return {"detail": [v.as_fastapi() for v in error.violations]}
        if isinstance(error, RouteNotFound | MethodNotAllowed):
            return {"detail": error.message}  # FastAPI's own, for paths it does not serve
        code, kind = _code_and_type(error)
        detail: JSONObject = {
            "type": kind,
            "code": code,
            "message": _MESSAGES.get(type(error), error.message),
            "status": code,  # "a legacy field that is no longer used": the page's example has it
            "request_id": error.request_id or secrets.token_hex(16),
        }
        if type(error) in _PARAMS:
            detail["param"] = _PARAMS[type(error)]
        return {"detail": detail}

    def error_status(self, error: ApiError) -> int:
        """The page's 400 for a body over the limit (`request_too_large`)."""
        return 400 if isinstance(error, PayloadTooLarge) else error.status

    def authenticate(self, store: VendorStore, headers: dict[str, str]) -> str | None:
        """`xi-api-key`, or else `Authorization: Bearer <key>` (the contract marks the bearer
        form as an assumption); any other `Authorization` is `invalid_authorization_header`."""
        if self.auth_header not in headers and "authorization" in headers:
            scheme, _, token = headers["authorization"].strip().partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise InvalidAuthorizationHeader
            headers = {self.auth_header: token}
        return super().authenticate(store, headers)

    def rate_limit_key(self, headers: dict[str, str]) -> str:
        key = headers.get(self.auth_header)
        if key is None:
            key = headers.get("authorization", "").strip().partition(" ")[2]
        return key.strip()

    def new_agent(self, store: VendorStore, fields: JSONObject) -> JSONObject:
        agent = {**self.agent_defaults, **fields}
        agent.setdefault("agent_id", store.minter.prefixed_base32(ID_PREFIX, ID_LENGTH))
        now = int(store.clock.now())
        agent.setdefault("metadata", {"created_at_unix_secs": now, "updated_at_unix_secs": now})
        return _completed(agent)

    def listed(self, agent: JSONObject, query: dict[str, JSON]) -> bool:
        """`search` is a case-insensitive substring of the name; `tags` match any one; archived
        agents (`platform_settings.archived`) show only with `archived=true`, the others only
        without it (the list page: "Defaults to false")."""
        search = query.get("search")
        name = str(agent.get("name", "")).casefold()
        if isinstance(search, str) and search and search.casefold() not in name:
            return False
        tags = query.get("tags")
        if isinstance(tags, list) and tags and not set(tags) & set(agent.get("tags") or []):
            return False
        return _archived(agent) is (query.get("archived") is True)

    def banner_agent(self, agent: JSONObject) -> str:
        return f"{agent['agent_id']}  {agent.get('name', '')}"

    def live_duplicate_body(self, attempt: int) -> tuple[JSONObject | None, str | None]:
        name = f"agentmock check {attempt + 1}"
        return {"name": name}, name


@functools.cache
def _agent_schema() -> dict[str, Any]:
    return contracts.schema(NAME, "Agent")


def _completed(agent: JSONObject) -> JSONObject:
    """`agent` with what the SDK's response models require and the request left out (the
    contract's `default`s: a `workflow` sent as `{}` gains `nodes`, `edges`, ...)."""
    done = complete(_agent_schema(), agent)
    assert isinstance(done, dict)
    return done


def _archived(agent: JSONObject) -> bool:
    settings = agent.get("platform_settings")
    return isinstance(settings, dict) and settings.get("archived") is True


__all__ = [
    "create_agent",
    "delete_agent",
    "duplicate_agent",
    "get_agent",
    "list_agents",
    "update_agent",
]


def duplicate_agent(store: VendorStore, call: Call) -> JSON:
    """A fresh `agent_` id, the body's `name` or "<name> (copy)", fresh metadata times, the
    rest deep-copied; the answer is the copy's id alone."""
    source = store.find(call.agent_id, call.account)  # a fresh read: the copy is made in it
    copy = store.duplicate(source, request=call.body)
    store.keep_copy(copy, source=call.agent_id)
    return {"agent_id": copy["agent_id"]}


def create_agent(store: VendorStore, call: Call) -> JSON:
    """A fresh id and metadata; omitted or null fields get the defaults ("New agent")."""
    minted = ("agent_id", "metadata")  # the server's to set, whatever the body says
    body = {k: v for k, v in (call.body or {}).items() if v is not None and k not in minted}
    agent = store.put(store.wire_order(PROFILE.new_agent(store, body)))
    return {"agent_id": agent["agent_id"]}


def get_agent(store: VendorStore, call: Call) -> JSON:
    return store.find(call.agent_id, call.account)


def update_agent(store: VendorStore, call: Call) -> JSON:
    """Objects merge into the stored ones key by key, deeply; other values replace; a null
    leaves the field alone (the contract marks this as an assumption). `procedures` replaces
    the agent's map, less its null entries."""
    agent = store.find(call.agent_id, call.account)
    for key, value in (call.body or {}).items():
        if value is None:
            continue
        if key == "procedures" and isinstance(value, dict):  # SDK: "this map replaces"
            agent[key] = {name: ref for name, ref in value.items() if ref is not None}
            continue
        old = agent.get(key)
        agent[key] = _merged(old, value) if isinstance(old, dict) else value
    agent["metadata"] = {**agent["metadata"], "updated_at_unix_secs": int(store.clock.now())}
    return store.put(_completed(agent))


def delete_agent(store: VendorStore, call: Call) -> JSON:
    del store.agents[store.find(call.agent_id, call.account)["agent_id"]]
    return None


_SORT_KEYS: dict[str, Any] = {
    "name": lambda a: a.get("name", ""),
    "created_at": lambda a: a["metadata"]["created_at_unix_secs"],
    "updated_at": lambda a: a["metadata"]["updated_at_unix_secs"],
    "call_count_7d": lambda a: a["metadata"]["created_at_unix_secs"],  # not modelled
}


def list_agents(store: VendorStore, call: Call) -> JSON:
    """One page, newest first unless `sort_by`/`sort_direction` say otherwise; `search` is a
    case-insensitive substring of the name; `tags` match any one; archived agents
    (`platform_settings.archived`) show only with `archived=true`, the others only without it."""
    query = call.query
    agents = [a for a in store.agents.values() if PROFILE.listed(a, query)]
    sort_by = str(query.get("sort_by", "created_at"))
    descending = query.get("sort_direction", "desc") == "desc"
    cursor = query.get("cursor") or None  # `?cursor=` is the first page, as `if cursor:` reads it
    try:
        served, next_cursor = page(
            agents,
            sort_key=_SORT_KEYS[sort_by],
            id_key="agent_id",
            size=query.get("page_size", 30),
            cursor=cursor if isinstance(cursor, str) else None,
            descending=descending,
        )
    except BadCursor:
        raise InvalidCursor from None
    return {
        "agents": [_summary(a) for a in served],
        "has_more": next_cursor is not None,
        "next_cursor": next_cursor,
    }


def _summary(agent: JSONObject) -> JSONObject:
    tts = (agent.get("conversation_config") or {}).get("tts") or {}
    return {
        "agent_id": agent["agent_id"],
        "name": agent.get("name", ""),
        "voice_id": tts.get("voice_id", ""),
        "tags": list(agent.get("tags") or []),
        "created_at_unix_secs": agent["metadata"]["created_at_unix_secs"],
        "updated_at_unix_secs": agent["metadata"]["updated_at_unix_secs"],
        "access_info": agent.get("access_info") or PROFILE.agent_defaults["access_info"],
        "last_call_time_unix_secs": None,
        "archived": _archived(agent),
    }


def _merged(old: JSONObject, new: JSON) -> JSON:
    if not isinstance(new, dict):
        return new
    merged = dict(old)
    for key, value in new.items():
        inner = merged.get(key)
        merged[key] = _merged(inner, value) if isinstance(inner, dict) else value
    return merged


PROFILE = ElevenLabsProfile(
    name=NAME,
    title="ElevenLabs",
    handlers=sys.modules[__name__],
    id_field="agent_id",
    key_fields=(
        "conversation_config.agent.language",
        "conversation_config.agent.prompt.llm",
        "tags",
        "metadata.created_at_unix_secs",
    ),
    auth_header="xi-api-key",
    default_api_key="sk_agentmock_test",
    env_key="ELEVENLABS_API_KEY",
    api_key_pattern=r"sk_[0-9a-f]{48}",
    rate_limited=True,
    agent_defaults={
        "name": "New agent",
        "conversation_config": {
            "agent": {
                "first_message": "Hi! How can I help you today?",
                "language": "en",
                "prompt": {"prompt": "You are a helpful voice assistant. Keep answers short."},
            },
            "tts": {"voice_id": "21m00Tcm4TlvDq8ikWAM", "model_id": "eleven_turbo_v2_5"},
        },
        "platform_settings": {},
        "phone_numbers": [],
        "access_info": {
            "is_creator": True,
            "creator_name": "agentmock",
            "creator_email": "agentmock@example.com",
            "role": "admin",
        },
        "tags": [],
    },
)
