"""The two contract stages of the pipeline: request validation and strict response checking.

    validate_request(op, path_params, request)   -> (violations, query, body)
    response_problems(op, status, body, headers) -> [ResponseProblem]
    check_response(op, response)                 -> raises ContractViolation (strict mode)

`response_problems` is the one response-against-contract checker: strict mode asks it about the
fake's canonical form, `agentmock verify` and the live check about recorded or live answers
(documented variants allowed), and each finding is a `ResponseProblem`, never a string to parse.

Path, header and query parameters are checked against their schemas the same way. Query
values arrive as text, so before the check they are read the way FastAPI reads them: an
`integer`, `number` or `boolean` schema gets the value converted when it parses as one, an
`array` schema gets every occurrence (`?tags=a&tags=b`), any other the last occurrence.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import orjson

from agentmock import contracts
from agentmock.mockserver import vendors
from agentmock.mockserver.model import jsonio
from agentmock.mockserver.model.errors import ContractViolation, Violation
from agentmock.mockserver.model.messages import NO_DATA

if TYPE_CHECKING:
    from collections.abc import Iterable

    from agentmock.mockserver.model.messages import Request, Response
    from agentmock.mockserver.model.types import JSON, JSONObject
    from agentmock.mockserver.routing import Operation, Param

__all__ = [
    "NO_BODY",
    "ResponseProblem",
    "check_response",
    "query_value",
    "response_problems",
    "validate_request",
]

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


@dataclass(frozen=True, slots=True)
class ResponseProblem:
    """One way a response breaks its operation's contract. `kind` says which part: `status`
    (not declared), `header` (a required one missing), `body` (present, absent or invalid)."""

    kind: str
    detail: str

    def __str__(self) -> str:
        return self.detail


NO_BODY: Any = object()
"""`response_problems`'s body when the answer had none (distinct from a JSON `null`)."""


def response_problems(
    op: Operation,
    status: int,
    body: Any,
    *,
    headers: Iterable[str] | None = None,
    canonical: bool = False,
) -> list[ResponseProblem]:
    """Every way an answer (`status`, parsed `body` or `NO_BODY`, and, when given, the names of
    its `headers`) breaks `op`'s contract; `canonical`: only the one form the fake sends."""
    if status not in op.responses:
        declared = ", ".join(str(s) for s in sorted(op.responses))
        return [
            ResponseProblem("status", f"status {status} is not declared (declared: {declared})")
        ]
    found: list[ResponseProblem] = []
    if headers is not None:
        got = {name.lower() for name in headers}
        for name in _required_headers(op.vendor, op.path, op.method, status):
            if name.lower() not in got:
                detail = f"the contract requires response header {name}; it was missing"
                found.append(ResponseProblem("header", detail))
    check = (op.pinned if canonical else op.responses)[status]
    if check is None:
        if body is not NO_BODY and body not in (None, ""):
            detail = "the contract declares no body for this status; one was sent"
            found.append(ResponseProblem("body", detail))
    elif body is NO_BODY:
        found.append(ResponseProblem("body", "the contract declares a JSON body; none was sent"))
    elif not check.is_valid(body):
        found.append(ResponseProblem("body", f"response {check.first_error(body)}"))
    return found


@functools.cache
def _required_headers(vendor: str, path: str, method: str, status: int) -> tuple[str, ...]:
    """The response headers the contract marks `required: true` for this answer."""
    document = contracts.load(vendors.contract(vendor))
    item = contracts.resolve(document, document["paths"][path])
    response = item[method.lower()]["responses"].get(str(status), {})
    headers = response.get("headers", {})
    return tuple(name for name, spec in headers.items() if spec.get("required") is True)


def check_response(op: Operation, response: Response) -> Response:
    """Strict mode: the response must be one the contract allows, or agentmock has a bug."""
    if response.status in op.pinned and not response.body and op.pinned[response.status] is None:
        return response  # the common bodiless answer (a 204): nothing to decode or check
    if not response.body:
        body = NO_BODY
    else:
        body = response.data if response.data is not NO_DATA else orjson.loads(response.body)
    problems = response_problems(op, response.status, body, canonical=True)
    if problems:
        _violation(f"{op.vendor} {op.operation_id} {response.status}: {problems[0]}")
    return response


def _violation(detail: str) -> None:
    raise ContractViolation(
        f"agentmock: strict mode: the fake's {detail}. This is a bug in agentmock's fake, "
        "not in your code; to get the response anyway, turn strict mode off "
        "(Fake(strict=False), agentmock serve --no-strict)."
    )
