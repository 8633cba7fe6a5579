"""`agentmock verify CASSETTE...`: recorded traffic checked against the contracts, offline.

For every exchange: an operation of the contract serves it, its status is declared, its body
matches the status's schema (documented variants included), and, where the answer was a
success, the request itself was one the contract accepts. Duplicate pairs (a duplicate, and
reads of its source and of the copy anywhere in the cassettes) must obey the contract's
`x-agentmock-duplicate` table. Every exchange also feeds the assumption ledger.

Exit status: 0 clean, 1 drift or a contradicted assumption, 2 an unreadable cassette. Nothing
printed comes from a header, so no key can appear (cassettes are redacted anyway).
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any, TextIO

import orjson

from agentmock.mockserver import vendors
from agentmock.mockserver.cassette import CassetteError, Exchange, read
from agentmock.mockserver.ci.ledger import Ledger
from agentmock.mockserver.conformance import (
    NO_BODY,
    ResponseProblem,
    response_problems,
    validate_request,
)
from agentmock.mockserver.model.duplication import Mismatch, mismatches, rules
from agentmock.mockserver.model.messages import Request
from agentmock.mockserver.routing import Match, default_router
from agentmock.mockserver.vendors import profile

if TYPE_CHECKING:
    from pathlib import Path

    from agentmock.mockserver.routing import Router

__all__ = ["run"]


def _raw(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    return orjson.dumps(body)


def check_exchange(router: Router, exchange: Exchange) -> list[ResponseProblem]:
    """Every way one exchange breaks its contract: the answer (by the one checker strict mode
    uses, documented variants allowed) and, for a success, the request that got it."""
    match = router.match(exchange.method, exchange.path, exchange.vendor)
    if not isinstance(match, Match):
        detail = f"no operation of the contract serves {exchange.method} {exchange.path}"
        return [ResponseProblem("route", detail)]
    op = match.operation
    body = NO_BODY if exchange.response_body is None else exchange.response_body
    problems = response_problems(op, exchange.status, body, headers=exchange.response_headers)
    if problems and problems[0].kind == "status":
        return problems
    if 200 <= exchange.status < 300:
        request = Request(
            exchange.method,
            exchange.path,
            dict(exchange.request_headers),
            _raw(exchange.request_body),
            exchange.query,
        )
        violations, _, _ = validate_request(op, match.path_params, request)
        for violation in violations:
            where = ".".join(str(p) for p in violation.loc)
            detail = f"the contract refuses this request ({where}: {violation.msg})"
            problems.append(ResponseProblem("request", detail))
    return problems


def duplicate_pairs(exchanges: list[Exchange]) -> list[tuple[Exchange, Mismatch]]:
    """Each successful duplicate whose source and copy were both read, checked by the table."""
    reads: dict[tuple[str, str], Any] = {}
    for exchange in exchanges:
        if exchange.operation == "getAgent" and exchange.status == 200:
            body = exchange.response_body
            if isinstance(body, dict):
                vendor_rules = profile(exchange.vendor)
                agent = vendor_rules.canonical_agent(body)
                reads.setdefault((exchange.vendor, str(agent.get(vendor_rules.id_field))), agent)
    found: list[tuple[Exchange, Mismatch]] = []
    router = default_router()
    for exchange in exchanges:
        if exchange.operation != "duplicateAgent" or not 200 <= exchange.status < 300:
            continue
        vendor_rules = profile(exchange.vendor)
        match = router.match(exchange.method, exchange.path, exchange.vendor)
        body = exchange.response_body
        if not isinstance(match, Match) or not isinstance(body, dict):
            continue
        source = reads.get((exchange.vendor, match.path_params.get("agent_id", "")))
        copy_id = str(body.get(vendor_rules.id_field))
        copy = reads.get((exchange.vendor, copy_id))
        if copy is None and set(body) != {vendor_rules.id_field}:
            copy = vendor_rules.canonical_agent(body)
        if source is None or copy is None:
            continue  # the cassette never read them back: nothing to compare
        table, _ = rules(vendors.contract(exchange.vendor))
        override = next((r["override"] for r in table.values() if r.get("override")), None)
        asked = (
            exchange.request_body.get(override)
            if override and isinstance(exchange.request_body, dict)
            else None
        )
        found += [
            (exchange, p)
            for p in mismatches(vendors.contract(exchange.vendor), source, copy, agent_name=asked)
        ]
    return found


def run(paths: list[Path], *, junit_xml: str | None = None, out: TextIO = sys.stdout) -> int:
    """Verify the cassettes; 0 clean, 1 drift, 2 unreadable input."""
    write = _Printable(out).write
    try:
        cassettes = {path: read(path) for path in paths}
    except CassetteError as exc:
        write(f"{exc}\n")
        return 2
    for path, cassette in cassettes.items():
        if cassette.torn:
            lines = ", ".join(str(n) for n in cassette.torn)
            write(f"{path}: skipped {len(cassette.torn)} torn line(s) (not JSON): {lines}\n")
        for line, lost, reason in cassette.unrecorded:
            write(
                f"{path}:{line}: {lost} exchange(s) passed the proxy but were not recorded "
                f"({reason})\n"
            )
    unknown = {e.vendor for exs in cassettes.values() for e in exs} - set(vendors.registry)
    if unknown:
        reason = vendors.unknown_vendor(sorted(unknown)[0]).reason
        write(f"agentmock verify: {reason} (in the cassettes)\n")
        return 2
    router = default_router()
    ledgers: dict[str, Ledger] = {}
    drift = 0
    suites = ET.Element("testsuites")
    for path, exchanges in cassettes.items():
        suite = ET.SubElement(suites, "testsuite", name=f"agentmock verify: {path.name}")
        for exchange in exchanges:
            ledger = ledgers.setdefault(exchange.vendor, Ledger(exchange.vendor, router))
            ledger.observe(
                exchange.method, exchange.path, exchange.status, _raw(exchange.response_body)
            )
            problems = check_exchange(router, exchange)
            name = f"{path.name}:{exchange.line} {exchange.method} {exchange.path}"
            case = ET.SubElement(suite, "testcase", classname=exchange.vendor, name=name)
            for problem in problems:
                drift += 1
                write(
                    f"{path}:{exchange.line}: {exchange.vendor} {exchange.operation or '-'} "
                    f"{exchange.status}: {problem}\n"
                )
                ET.SubElement(case, "failure", message=str(problem))
        for exchange, mismatch in duplicate_pairs(exchanges):
            drift += 1
            write(
                f"{path}:{exchange.line}: {exchange.vendor} duplicateAgent {exchange.status}: "
                f"the copy breaks the duplicate table: {mismatch}\n"
            )
            ledgers[exchange.vendor].contradict_property(mismatch.field, str(mismatch))
            case = ET.SubElement(suite, "testcase", classname=exchange.vendor, name="duplicate")
            ET.SubElement(case, "failure", message=str(mismatch))
        suite.set("tests", str(len(suite)))
        suite.set("failures", str(sum(1 for c in suite if len(c))))
    contradicted = 0
    for ledger in ledgers.values():
        write("\n".join(ledger.lines()) + "\n")
        contradicted += len(ledger.contradicted)
        suites.append(ledger.junit())
    count = sum(len(e) for e in cassettes.values())
    write(
        f"agentmock verify: {count} exchange(s) in {len(cassettes)} cassette(s): "
        f"{drift} drift(s), {contradicted} contradicted assumption(s)\n"
    )
    if junit_xml:
        for element in suites.iter():
            for name, value in element.attrib.items():
                element.set(name, printable(value))  # XML 1.0 has no control characters
        ET.ElementTree(suites).write(junit_xml, encoding="utf-8", xml_declaration=True)
    if count == 0:
        write("agentmock verify: no exchange to verify: a recording that saw nothing\n")
        return 1
    return 1 if drift or contradicted else 0


_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F) if c not in (0x0A,)}
_CONTROL.update({c: f"\\x{c:02x}" for c in range(0x80, 0xA0)})


def printable(text: str) -> str:
    """`text` with control characters (a terminal's escape sequences, NULs) written as `\\xNN`:
    a cassette's contents never reach the terminal or the XML report raw."""
    return text.translate(_CONTROL)


class _Printable:
    """`out`, writing every text through `printable` (new lines kept)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(printable(text))

    def flush(self) -> None:
        self._out.flush()


def _shape(value: Any) -> Any:
    """A value's structure: object keys and their shapes, a list's first item, scalar types."""
    if isinstance(value, dict):
        return tuple(sorted((key, _shape(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("list", _shape(value[0]) if value else None)
    return type(value).__name__


def promote(paths: list[Path]) -> str:
    """YAML to paste into the contracts: each response shape the cassettes saw that no example of
    that response has yet, under the response's `examples` (valid answers only)."""
    import yaml

    from agentmock import contracts

    router = default_router()
    blocks: list[str] = []
    seen: set[tuple[str, str, int, Any]] = set()
    for path in paths:
        for exchange in read(path):
            match = router.match(exchange.method, exchange.path, exchange.vendor)
            if not isinstance(match, Match) or exchange.status not in match.operation.responses:
                continue
            op, body = match.operation, exchange.response_body
            check = op.responses[exchange.status]
            if check is None or body is None or not check.is_valid(body):
                continue
            document = contracts.load(vendors.contract(exchange.vendor))
            item = contracts.resolve(document, document["paths"][op.path])
            media = item[op.method.lower()]["responses"][str(exchange.status)]
            media = media.get("content", {}).get("application/json", {})
            known = {_shape(e.get("value")) for e in media.get("examples", {}).values()}
            key = (exchange.vendor, op.operation_id, exchange.status, _shape(body))
            if _shape(body) in known or key in seen:
                continue
            seen.add(key)
            name = f"recorded_{op.operation_id}_{exchange.status}_{len(seen)}"
            where = (
                f"# {exchange.vendor}: paths.{op.path}.{op.method.lower()}.responses."
                f"{exchange.status}.content.application/json.examples"
            )
            example = {name: {"summary": f"Recorded ({path.name}:{exchange.line})", "value": body}}
            blocks.append(
                where + "\n" + yaml.safe_dump(example, sort_keys=False, allow_unicode=True)
            )
    return "\n".join(blocks) if blocks else "# no response shape the contracts' examples lack\n"
