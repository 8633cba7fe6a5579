"""The two contract stages of the pipeline: request validation and strict response checking.

    validate_request(op, path_params, request) -> (violations, query, body)
    check_response(op, response)               -> raises ContractViolation (strict mode)

Path, header and query parameters are checked against their schemas the same way. Query
values arrive as text, so before the check they are read the way FastAPI reads them: an
`integer`, `number` or `boolean` schema gets the value converted when it parses as one, an
`array` schema gets every occurrence (`?tags=a&tags=b`), any other the last occurrence.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import orjson

from agentmock.mockserver import jsonio
from agentmock.mockserver.errors import ContractViolation, Violation
from agentmock.mockserver.messages import NO_DATA

if TYPE_CHECKING:
    from agentmock.mockserver.messages import Request, Response
    from agentmock.mockserver.routing import Operation, Param
    from agentmock.mockserver.types import JSON, JSONObject

__all__ = ["check_response", "query_value", "validate_request"]

_INTEGER = re.compile(r"[+-]?\d+")
_BOOLEANS = {"true": True, "1": True, "yes": True, "on": True}
_BOOLEANS |= {"false": False, "0": False, "no": False, "off": False}


def validate_request(
    op: Operation, path_params: dict[str, str], request: Request
) -> tuple[list[Violation], dict[str, JSON], JSONObject | None]:
    """Every way `request` breaks `op`'s contract, its declared query parameters (converted)
    and its parsed body (None if the contract declares none or none was sent)."""
    found: list[Violation] = []
    query: dict[str, JSON] = {}
    given = parse_qs(request.query, keep_blank_values=True) if request.query else {}
    for param in op.params:
        value: JSON
        if param.location == "path":
            value = path_params.get(param.name)
        elif param.location == "query":
            value = query_value(param, given[param.name]) if param.name in given else None
        else:
            value = request.headers.get(param.name.lower())
        loc = (param.location, param.name)
        if value is None:
            if param.required:
                found.append(Violation(loc, "Field required", "missing"))
            continue
        if not param.any_string and not param.check.is_valid(value):
            found.extend(param.check.violations(value, loc=loc))
        elif param.location == "query":
            query[param.name] = value
    if op.body is None:  # no body in the contract: whatever was sent is ignored
        return found, query, None
    if not request.body.strip():
        if op.body_required:
            found.append(Violation(("body",), "Field required", "missing"))
        return found, query, None
    try:
        parsed = jsonio.parse_json(request.body)
    except ValueError as exc:
        found.append(Violation(("body",), f"JSON decode error: {exc}", "json_invalid"))
        return found, query, None
    if not op.body.is_valid(parsed):
        found.extend(op.body.violations(parsed, loc=("body",)))
    return found, query, parsed


def query_value(param: Param, values: list[str]) -> JSON:
    """A query parameter's text as its schema's type, where it parses as one (FastAPI's way);
    left as text otherwise, so the schema check names the problem."""
    schema: dict[str, Any] = param.check.schema
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items", {})
        return [_scalar(items.get("type") if isinstance(items, dict) else None, v) for v in values]
    return _scalar(kind, values[-1])


def _scalar(kind: object, text: str) -> JSON:
    # int() refuses more digits than Python's limit (4,300): such a value stays text, and the
    # schema check names the problem (a 422), never a 500.
    if kind == "integer" and _INTEGER.fullmatch(text.strip()):
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "number":
        try:
            return float(text) if not _INTEGER.fullmatch(text.strip()) else int(text)
        except ValueError:
            return text
    if kind == "boolean" and text.lower() in _BOOLEANS:
        return _BOOLEANS[text.lower()]
    return text


def check_response(op: Operation, response: Response) -> Response:
    """Strict mode: the response must be one the contract allows, or agentmock has a bug."""
    where = f"{op.vendor} {op.operation_id} {response.status}"
    if response.status not in op.responses:
        declared = ", ".join(str(s) for s in sorted(op.responses))
        _violation(f"{where}: status not declared (declared: {declared})")
    check = op.pinned[response.status]  # the canonical form: no documented variant
    if check is None:
        if response.body:
            _violation(f"{where}: the contract declares no body, the fake sent one")
        return response
    data = response.data if response.data is not NO_DATA else orjson.loads(response.body)
    if not check.is_valid(data):
        _violation(f"{where}: response {check.first_error(data)}")
    return response


def _violation(detail: str) -> None:
    raise ContractViolation(
        f"agentmock: strict mode: the fake's {detail}. This is a bug in agentmock's fake, "
        "not in your code; to get the response anyway, turn strict mode off "
        "(Fake(strict=False), agentmock serve --no-strict)."
    )
