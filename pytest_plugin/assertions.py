"""`assert_duplicate_of`: check a copy against the contract's `x-agentmock-duplicate` table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentmock.mockserver.model.duplication import mismatches

if TYPE_CHECKING:
    from agentmock.mockserver.model.types import JSONObject, Vendor

__all__ = ["assert_duplicate_of"]


def assert_duplicate_of(
    source: JSONObject,
    copy: JSONObject,
    *,
    vendor: Vendor,
    agent_name: str | None = None,
    account: JSONObject | None = None,
) -> None:
    """Check `copy` against `source` by the vendor contract's table; report every mismatch.

    `agent_name` is the name the duplicate request asked for (Voicy), `account` the account of
    the key that made it (default: the source's own account). Either may be in a documented
    variant (Voicy's flat `account_id`) and `source` may be a lightweight list item (Voicy's
    list leaves out the variable arrays): fields the source lacks are not compared.

    >>> assert_duplicate_of(source, copy, vendor="voicy", agent_name="Copy")  # doctest: +SKIP
    """
    from agentmock.mockserver.vendors import profile

    rules = profile(vendor)
    canonical = rules.canonical_agent
    problems = mismatches(
        rules.contract, canonical(source), canonical(copy), agent_name=agent_name, account=account
    )
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise AssertionError(
            f"agentmock: the copy is not a {vendor} duplicate of the source "
            f"(by the contract's x-agentmock-duplicate table):\n{listed}"
        )
