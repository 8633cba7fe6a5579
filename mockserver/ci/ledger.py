"""The assumption ledger: what real traffic says about each `x-agentmock-assumption`.

Every assumption in a contract is a claim about the real API. `agentmock check --url` (and
`--live`) feeds each answer it gets to a `Ledger`, which marks each assumption it can observe:

- **response** assumptions (on a response, its own or a shared `components/responses` one:
  "201 for a duplicate", "404 with this envelope"): confirmed when the operation answers that
  status with a body its schema accepts; contradicted when the body breaks it, or when the
  operation succeeds with another 2xx than the assumed success status;
- **example** assumptions (on one example of a response): confirmed when an answer equals it;
- **property** assumptions (on a property of a component schema, e.g. `Agent.account`):
  checked in every answer whose body is that schema (or a list of it); contradicted when a
  value breaks the property's schema, or when a live duplicate's copy breaks its rule;
- anything else (a request body's rule, a parameter's, the order of checks) cannot be seen in
  an answer: it stays `not observed`.

A contradicted assumption fails the run like drift, naming the contract line to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from agentmock import contracts
from agentmock.mockserver import vendors
from agentmock.mockserver.conformance import response_problems
from agentmock.mockserver.model.validation import SchemaCheck

if TYPE_CHECKING:
    from agentmock.mockserver.routing import Router

__all__ = ["Assumption", "Ledger"]

_STATUS = re.compile(r"^/paths/(?P<path>[^/]+)/(?P<method>[a-z]+)/responses/(?P<status>\d{3})$")
_SHARED = re.compile(r"^/components/responses/(?P<name>[^/]+)$")
_EXAMPLE = re.compile(r"^(?P<response>.+)/content/application~1json/examples/(?P<example>[^/]+)$")
_PROPERTY = re.compile(r"^/components/schemas/(?P<schema>[^/]+)/properties/(?P<prop>[^/]+)$")


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


@dataclass
class Assumption:
    """One `x-agentmock-assumption`: where it is, what it says, and what traffic showed."""

    pointer: str
    note: str
    line: int
    kind: str  # response, example, property, or unobservable
    confirmed: int = 0
    contradictions: list[str] = field(default_factory=list)
    # Worked out once, when the ledger is made: the (operationId, status) answers it is about,
    # and for a property its name and compiled schema, for an example its value.
    targets: frozenset[tuple[str, int]] = field(default=frozenset(), repr=False)
    prop: str = field(default="", repr=False)
    check: SchemaCheck | None = field(default=None, repr=False)
    example: Any = field(default=None, repr=False)

    @property
    def verdict(self) -> str:
        if self.contradictions:
            return "contradicted"
        return "confirmed" if self.confirmed else "not observed"


class Ledger:
    """The assumptions of one vendor's contract, and the answers observed against them."""

    def __init__(self, vendor: str, router: Router) -> None:
        self.vendor = vendor
        self.router = router
        self.document = contracts.load(vendors.contract(vendor))
        self.file = vendors.contract(vendor)
        text = self.file.read_text(encoding="utf-8").splitlines()
        self.assumptions = [
            Assumption(pointer, note, _line_of(text, note), _kind(pointer))
            for pointer, note in _walk(self.document, "")
        ]
        # (operationId, status) -> how each response was written (its $ref, its schema's $ref)
        self._answers: dict[tuple[str, int], dict[str, Any]] = {}
        for route, item in self.document["paths"].items():
            for method, op in item.items():
                if not isinstance(op, dict) or "responses" not in op:
                    continue
                for status, raw in op["responses"].items():
                    pointer = f"/paths/{_escape(route)}/{method}/responses/{status}"
                    self._answers[(op["operationId"], int(status))] = {
                        "pointer": pointer,
                        "raw": raw,
                    }
        for assumption in self.assumptions:
            self._aim(assumption)

    def _aim(self, a: Assumption) -> None:
        """Which answers `a` is about, and what to hold them to."""
        if a.kind in ("response", "example"):
            found = _EXAMPLE.match(a.pointer) if a.kind == "example" else None
            response = found.group("response") if found else a.pointer
            a.targets = frozenset(
                k for k, answer in self._answers.items() if self._is(response, answer)
            )
            if found:
                a.example = contracts.resolve(self.document, {"$ref": "#" + a.pointer}).get("value")
        elif a.kind == "property":
            found = _PROPERTY.match(a.pointer)
            assert found is not None
            schema, a.prop = found.group("schema"), _unescape(found.group("prop"))
            a.targets = frozenset(
                k for k, answer in self._answers.items() if self._carries(answer["raw"], schema)
            )
            a.check = SchemaCheck(
                contracts.schema(vendors.contract(self.vendor), schema)["properties"][a.prop]
            )

    # -- observing ---------------------------------------------------------------------------

    def observe(self, method: str, path: str, status: int, body: bytes) -> None:
        """One answer of the real API (or of whatever `--url` points at)."""
        from agentmock.mockserver.routing import Match

        match = self.router.match(method.upper(), path, self.vendor)
        if not isinstance(match, Match):
            return
        operation = match.operation.operation_id
        try:
            data: Any = orjson.loads(body) if body else None
        except orjson.JSONDecodeError:
            data = None
        for assumption in self.assumptions:
            self._judge(assumption, match.operation, operation, status, data)

    def contradict_property(self, prop: str, saw: str) -> None:
        """A live duplicate's copy broke the duplicate rule of `Agent.<prop>`."""
        for assumption in self.assumptions:
            if assumption.pointer == f"/components/schemas/Agent/properties/{prop}":
                assumption.contradictions.append(saw)

    def _judge(self, a: Assumption, op: Any, operation: str, status: int, data: Any) -> None:
        if a.kind == "response":
            for name, declared in a.targets:
                if name != operation:
                    continue
                if declared == status:
                    problems = [] if data is None else response_problems(op, status, data)
                    if op.responses.get(status) is None or (data is not None and not problems):
                        a.confirmed += 1
                    elif problems:
                        a.contradictions.append(f"{operation} {status}: {problems[0]}")
                elif 200 <= declared < 300 and 200 <= status < 300 and status != declared:
                    a.contradictions.append(f"{operation} answered {status}, not {declared}")
        elif (operation, status) not in a.targets or data is None:
            return
        elif a.kind == "example":
            if data == a.example:
                a.confirmed += 1
        elif a.kind == "property" and a.check is not None:
            for item in data if isinstance(data, list) else [data]:
                if not isinstance(item, dict) or a.prop not in item:
                    continue
                if a.check.is_valid(item[a.prop]):
                    a.confirmed += 1
                else:
                    a.contradictions.append(f"{operation} {status}: {a.prop} = {item[a.prop]!r}")

    def _is(self, pointer: str, answer: dict[str, Any]) -> bool:
        """Whether the response at `pointer` is this answer (itself, or the shared one it uses)."""
        if answer["pointer"] == pointer:
            return True
        ref = answer["raw"].get("$ref") if isinstance(answer["raw"], dict) else None
        return isinstance(ref, str) and ref == "#" + pointer

    def _carries(self, raw: Any, schema: str) -> bool:
        """Whether a response's body is `schema` or a list of it."""
        ref = raw.get("$ref") if isinstance(raw, dict) else None
        if isinstance(ref, str):  # a shared response: look it up, its schema's $ref intact
            raw = self.document["components"]["responses"][ref.rsplit("/", 1)[-1]]
        media = raw.get("content", {}).get("application/json", {})
        body = media.get("schema", {})
        items = body.get("items", {}) if isinstance(body, dict) else {}
        target = f"#/components/schemas/{schema}"
        return target in (body.get("$ref"), items.get("$ref") if isinstance(items, dict) else None)

    # -- reporting ---------------------------------------------------------------------------

    @property
    def contradicted(self) -> list[Assumption]:
        return [a for a in self.assumptions if a.contradictions]

    def lines(self) -> list[str]:
        counts = {v: 0 for v in ("confirmed", "contradicted", "not observed")}
        for a in self.assumptions:
            counts[a.verdict] += 1
        lines = [
            f"    assumption ledger ({self.vendor}): {counts['confirmed']} confirmed, "
            f"{counts['contradicted']} contradicted, {counts['not observed']} not observed"
        ]
        order = {"contradicted": 0, "confirmed": 1, "not observed": 2}
        for a in sorted(self.assumptions, key=lambda a: order[a.verdict]):
            where = f"{self.file.name}:{a.line} {a.pointer}"
            if a.verdict == "contradicted":
                lines.append(
                    f"      contradicted (saw: {a.contradictions[0]}): {where}: {a.note} "
                    f"-> change line {a.line} of {self.file.name}"
                )
            else:
                lines.append(f"      {a.verdict}: {where}")
        return lines

    def junit(self) -> Any:
        """A JUnit `testsuite` element: one case per assumption."""
        import xml.etree.ElementTree as ET

        suite = ET.Element(
            "testsuite",
            name=f"agentmock assumptions: {self.vendor}",
            tests=str(len(self.assumptions)),
            failures=str(len(self.contradicted)),
            skipped=str(sum(a.verdict == "not observed" for a in self.assumptions)),
        )
        for a in self.assumptions:
            case = ET.SubElement(suite, "testcase", classname=self.vendor, name=a.pointer)
            if a.verdict == "contradicted":
                failure = ET.SubElement(case, "failure", message=f"contradicted: {a.note}")
                failure.text = "\n".join(a.contradictions[:5])
            elif a.verdict == "not observed":
                ET.SubElement(case, "skipped", message="not observed")
        return suite


def _walk(node: Any, pointer: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        note = node.get("x-agentmock-assumption")
        if isinstance(note, str):
            found.append((pointer, note.strip()))
        for key, value in node.items():
            found += _walk(value, f"{pointer}/{_escape(str(key))}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _walk(value, f"{pointer}/{index}")
    return found


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _kind(pointer: str) -> str:
    if _STATUS.match(pointer) or _SHARED.match(pointer):
        return "response"
    if _EXAMPLE.match(pointer):
        return "example"
    if _PROPERTY.match(pointer):
        return "property"
    return "unobservable"


def _line_of(lines: list[str], note: str) -> int:
    """The contract line that states `note` (1-based; 0 if it spans lines)."""
    head = note[:60]
    for number, line in enumerate(lines, 1):
        if "x-agentmock-assumption" in line and head in line:
            return number
    return 0
