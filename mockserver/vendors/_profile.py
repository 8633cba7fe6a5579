"""`VendorProfile`: everything the vendor-neutral core asks of a vendor.

A vendor module subclasses it, overrides what its API does differently, and exports one
instance as `PROFILE`. The defaults are those of a plain JSON API: any non-empty key in the
vendor's header, every agent visible to every key, errors as `{"detail": message}`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agentmock import contracts
from agentmock.mockserver.model.errors import ApiError, InvalidApiKey, MissingAuthorization
from agentmock.mockserver.model.messages import Response, json_body

if TYPE_CHECKING:
    from pathlib import Path
    from types import ModuleType

    from agentmock.mockserver.model.store import VendorStore
    from agentmock.mockserver.model.types import JSON, JSONObject

__all__ = ["VendorProfile"]

_JSON = {"content-type": "application/json"}


@dataclass(frozen=True, kw_only=True)
class VendorProfile:
    """One vendor's rules. Fields are facts; methods are behaviour a subclass may override."""

    name: str
    """The registry name, the contract's file name and the fixture's prefix (`<name>_mock`)."""
    title: str
    """How people write it: `Millis AI`."""
    handlers: ModuleType
    """The module whose functions serve the operations: `duplicateAgent` -> `duplicate_agent`."""
    id_field: str
    """The agent's id property: `id`, `agent_id`."""
    name_field: str = "name"
    """The agent's name property: `name`, `agent_name`."""
    key_fields: tuple[str, ...] = ()
    """What the dashboard shows of an agent beside its id and name (dotted: `account.name`)."""
    auth_header: str
    """The request header that carries the key (lower case)."""
    default_api_key: str
    """A key the fake accepts while none are configured (the fixtures' `api_key`)."""
    env_key: str
    """The environment variable its SDK and `agentmock check` read the key from."""
    api_key_pattern: str = r"[A-Za-z0-9]{8,40}"
    """A regular expression for keys of the vendor's format (keys that strategies generate)."""
    validate_before_auth: bool = False
    """FastAPI checks the request (422) before the key (401); other stacks the key first."""
    rate_limited: bool = False
    """Whether the fake's rate limit (`rate_limit=N`) applies to this vendor."""
    default_rate_limit: int | None = None
    """Requests a minute per key the fake enforces (and reports) when none is configured; None:
    no limit unless one is configured."""
    seed_sections: frozenset[str] = frozenset({"agents", "api_keys"})
    """The keys its section of a seed file may have."""
    agent_defaults: JSONObject = field(default_factory=dict)
    """Fields an agent added through the seed or admin API gets when it does not give them."""
    contract_path: Path | None = None
    """Where its contract is, for vendors registered at run time (None: the packaged one)."""

    @functools.cached_property
    def contract(self) -> Path:
        """The file of its contract, to give to `agentmock.contracts`' functions."""
        return self.contract_path or contracts.path(self.name)

    # -- the client side -------------------------------------------------------------------

    def client_headers(self, key: str) -> dict[str, str]:
        """How the vendor's own clients send `key`."""
        return {self.auth_header: key}

    # -- auth ------------------------------------------------------------------------------

    def authenticate(self, store: VendorStore, headers: dict[str, str]) -> str | None:
        """The account the request's key belongs to (None where the vendor has no accounts).

        Raises the vendor's 401 for a missing or refused key. While no keys are configured,
        any non-empty key is accepted.
        """
        key = headers.get(self.auth_header)
        if key is None:
            raise MissingAuthorization
        key = key.strip()
        if not key or (store.api_keys and key not in store.api_keys):
            raise InvalidApiKey
        return store.api_keys.get(key) if store.api_keys else store.default_account

    def rate_limit_key(self, headers: dict[str, str]) -> str:
        """Which bucket a request counts against."""
        return headers.get(self.auth_header, "").strip()

    # -- errors ----------------------------------------------------------------------------

    def error_body(self, error: ApiError) -> JSON:
        """The body of `error` (one that does not carry its own, as a status fault may)."""
        return {"detail": error.message}

    def render(self, error: ApiError) -> Response:
        """`error` as the vendor sends it: status, envelope and headers."""
        status = self.error_status(error)
        body = error.body if error.body is not None else self.error_body(error)
        headers = dict(_JSON)
        headers.update((name.lower(), value) for name, value in error.headers.items())
        return Response(status=status, headers=headers, body=json_body(body), data=body)

    def error_status(self, error: ApiError) -> int:
        """The status the vendor answers `error` with (a request it finds invalid: 400 or 422)."""
        return error.status

    # -- agents ----------------------------------------------------------------------------

    def new_agent(self, store: VendorStore, fields: JSONObject) -> JSONObject:
        """`fields` completed into a storable agent: defaults, a fresh id, owner, timestamps.

        `fields` is the caller's: build a new mapping rather than change it. The result may
        share values with `fields` and `agent_defaults`; `State.add_agent` copies it whole.
        """
        agent = {**self.agent_defaults, **fields}
        agent.setdefault(self.id_field, store.minter.uuid4())
        return agent

    def canonical_agent(self, agent: JSONObject) -> JSONObject:
        """`agent` as the fake sends it, from any documented variant the vendor may answer
        with (so a live check compares like with like). By default: as it is."""
        return agent

    def adopt(self, store: VendorStore, agent: JSONObject) -> None:
        """After a valid agent is stored: anything it brings along (its account, say)."""

    def visible(self, agent: JSONObject, account: str | None) -> bool:
        """Whether a key of `account` sees `agent` (by default every key sees every agent)."""
        return True

    def listed(self, agent: JSONObject, query: dict[str, JSON]) -> bool:
        """Whether the list operation, asked with `query` (its declared parameters, typed),
        shows a visible `agent` (by default: always). The vendor's list handler and the state
        machines both ask this."""
        return True

    # -- seeds -----------------------------------------------------------------------------

    def apply_seed(self, store: VendorStore, section: JSONObject) -> None:
        """Load the non-agent parts of this vendor's seed section (agents are added after)."""
        for key in section.get("api_keys", ()):
            store.api_keys[str(key)] = None

    def key_owner(self, store: VendorStore, account: str | None) -> str | None:
        """Who owns a key added with `add_api_key` (None where the vendor has no accounts)."""
        return None

    # -- presentation ----------------------------------------------------------------------

    def banner_agent(self, agent: JSONObject) -> str:
        """One line of `agentmock serve`'s banner for a seeded agent."""
        return f"{agent[self.id_field]}  {agent.get('name', '')}"

    def example_curl(self, base_url: str, agent_id: str, key: str) -> list[str]:
        """The banner's curl for this vendor's duplicate."""
        path = self.duplicate_path(agent_id)
        header = next(iter(self.client_headers(key).items()))
        return [f"  curl -X POST {base_url}{path} \\", f'    -H "{header[0]}: {header[1]}"']

    def duplicate_path(self, agent_id: str) -> str:
        """The path of the duplicate operation for `agent_id`, from the contract."""
        return contracts.operation_path(self.contract, "duplicateAgent").format(agent_id=agent_id)

    def live_duplicate_body(self, attempt: int) -> tuple[JSONObject | None, str | None]:
        """`agentmock check --live`: the body of its n-th duplicate, and the name it asks for."""
        return None, None
