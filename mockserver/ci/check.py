"""`agentmock check`: the contract check for CI, on schemathesis, against the fake or any URL.

Without `--url` it checks the in-process fake (no network, no server): the contract is loaded
from `contracts/`, and schemathesis's requests go to the ASGI app through an `after_load_schema`
hook. With `--url` the same checks run against a server. Against a URL that is not loopback it
refuses unless `--live` is given. With `--live` (any URL) it runs only the read operations, plus
a bounded number of duplicates of `--agent-id`, each checked against the contract and deleted
again.

Schemathesis prints the report (per phase, operation and check, each failure with the curl that
reproduces it, keys filtered). Exit status: 0 all passed, 1 contract failures, 2 usage or
connection errors (one line saying why).
"""

from __future__ import annotations

import ipaddress
import os
import sys
import tempfile
import tomllib
import xml.etree.ElementTree as ET
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from agentmock.mockserver import vendors
from agentmock.mockserver.ci.ledger import Ledger
from agentmock.mockserver.ci.live import live_duplicates, stand_in_kept, under
from agentmock.mockserver.core import auth_headers
from agentmock.mockserver.vendors import profile

if TYPE_CHECKING:
    from collections.abc import Iterator

    from agentmock.mockserver.core import Fake
    from agentmock.mockserver.model.types import Vendor

__all__ = ["CheckError", "CheckRequest", "disabled_checks", "require_schemathesis", "run"]

IN_PROCESS_URL = "http://agentmock.invalid"
_NOT_READS = ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "QUERY", "HEAD")


class CheckError(Exception):
    """A usage or connection problem: exit 2 with this one-line reason."""


@dataclass(frozen=True, kw_only=True)
class CheckRequest:
    vendors: tuple[Vendor, ...]
    url: str | None = None
    api_key: str | None = None
    agent_id: str | None = None
    max_examples: int = 25
    seed: int | None = None
    junit_xml: str | None = None
    live: bool = False


CHECK_RATE_LIMIT = 1_000_000  # requests a minute: the in-process check is never throttled


def disabled_checks() -> dict[str, dict[str, dict[str, Any]]]:
    """The committed list of switched-off or adjusted checks (`mockserver/check.toml`)."""
    text = Path(__file__).with_name("check.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _key_for(vendor: Vendor, request: CheckRequest) -> str:
    env = profile(vendor).env_key
    key = request.api_key or os.environ.get(env)
    if key:
        return key
    if request.url is None or _is_loopback(request.url):
        return profile(vendor).default_api_key
    raise CheckError(f"a key is needed for {request.url}: pass --api-key or set {env}")


def _preflight(request: CheckRequest) -> None:
    """The server answers, and takes each vendor's key: a refused key would make every
    operation a 401/403, which schemathesis reports as a pass."""
    import httpx

    from agentmock.mockserver.routing import default_router

    url = request.url or ""
    try:
        httpx.get(url, timeout=10)
        for vendor in request.vendors:
            listing = default_router().operation(vendor, "listAgents")
            headers = auth_headers(vendor, _key_for(vendor, request))
            answer = httpx.get(url + listing.path, headers=headers, timeout=10)
            if answer.status_code in (401, 403):
                raise CheckError(
                    f"{url} refused the {vendor} key ({listing.method} {listing.path} answered "
                    f"{answer.status_code}): pass a key it accepts with --api-key or "
                    f"${profile(vendor).env_key}"
                )
    except httpx.HTTPError as exc:
        raise CheckError(f"cannot reach {url}: {exc.__class__.__name__}: {exc}") from None


def require_schemathesis() -> None:
    """schemathesis is an extra (`agentmock[check]`): say so, rather than fail on an import."""
    import importlib.util

    if importlib.util.find_spec("schemathesis") is None:
        raise CheckError(
            "schemathesis is not installed; the check needs it: pip install 'agentmock[check]'"
        )


def _adjustments(vendor: Vendor, live: bool) -> dict[str, dict[str, Any]]:
    """The committed adjustments that apply to this run: the vendor's, and `live`'s if live."""
    listed = disabled_checks()
    return {**listed.get(vendor, {}), **(listed.get("live", {}) if live else {})}


def _schemathesis_config(adjustments: dict[str, dict[str, Any]], folder: Path, name: str) -> Path:
    """The adjustments' settings as a schemathesis.toml (switching off is done on the CLI)."""
    lines: list[str] = []
    scoped: list[str] = []  # per-operation tables must follow every top-level one
    for check, options in adjustments.items():
        ignored = ("reason", "enabled", "operation")
        settings = {k: v for k, v in options.items() if k not in ignored}
        if settings and "operation" in options:
            scoped += ["[[operations]]", f"include-name = {_toml_value(options['operation'])}"]
            scoped += [f"checks.{check}.{k} = {_toml_value(v)}" for k, v in settings.items()]
        elif settings:
            lines.append(f"[checks.{check}]")
            lines += [f"{key} = {_toml_value(value)}" for key, value in settings.items()]
    lines += scoped
    path = folder / f"schemathesis-{name}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextmanager
def _routed_to(app: Any) -> Iterator[None]:
    """While active, every schema schemathesis loads sends its requests to `app` in-process."""
    import schemathesis
    from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

    def after_load_schema(context: Any, schema: Any) -> None:
        schema.app = app

    schemathesis.hook(after_load_schema)
    try:
        yield
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(after_load_schema)


@contextmanager
def _observed_by(ledger: Ledger, base_url: str) -> Iterator[None]:
    """While active, every answer schemathesis gets is shown to `ledger`."""
    import schemathesis
    from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

    def after_call(context: Any, case: Any, response: Any) -> None:
        path = under(base_url, urlsplit(str(response.request.url)).path)
        ledger.observe(str(response.request.method), path, response.status_code, response.content)

    schemathesis.hook(after_call)
    try:
        yield
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(after_call)


def _schemathesis(args: list[str]) -> int:
    from schemathesis.cli import schemathesis as cli

    try:
        cli.main(args=args, prog_name="schemathesis", standalone_mode=True)
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


def _check_vendor(
    vendor: Vendor, request: CheckRequest, folder: Path, out: TextIO
) -> tuple[int, list[Path]]:
    """Check one vendor: its exit code and the JUnit reports it wrote."""
    key = _key_for(vendor, request)
    target = request.url or IN_PROCESS_URL
    live = request.live and request.url is not None
    adjustments = _adjustments(vendor, live)
    junit = folder / f"junit-{vendor}.xml" if request.junit_xml else None
    args = ["--config-file", str(_schemathesis_config(adjustments, folder, vendor)), "run"]
    ((name, value),) = auth_headers(vendor, key).items()
    args += [str(vendors.contract(vendor)), "--url", target, "-H", f"{name}: {value}"]
    args += ["--checks", "all", "--max-examples", str(request.max_examples)]
    off = [c for c, o in adjustments.items() if o.get("enabled") is False]
    if off:  # `--checks all` outranks `enabled = false` in a config file
        args += ["--exclude-checks", ",".join(off)]
    args += ["--output-sanitize", "true"]
    if request.seed is not None:
        args += ["--seed", str(request.seed)]
    if junit is not None:
        args += ["--report", "junit", "--report-junit-path", str(junit)]
    if live:
        # Reads only; the duplicates are agentmock's own. Every other method is excluded rather
        # than GET included: schemathesis never sends an explicitly excluded method, not even as
        # an "unspecified method" probe (a DELETE of a real agent, where an agent's path also
        # serves DELETE).
        for method in _NOT_READS:
            args += ["--exclude-method", method]
    out.write(f"\n=== agentmock check: {vendor} against {request.url or 'the in-process fake'}\n")
    for check, options in adjustments.items():
        reason = " ".join(options["reason"].split())
        if options.get("enabled") is False:
            out.write(f"    switched off: {check}: {reason}\n")
        else:
            settings = ", ".join(f"{k}={v}" for k, v in options.items() if k != "reason")
            out.write(f"    adjusted: {check} ({settings}): {reason}\n")
    out.flush()
    ledger: Ledger | None = None
    with ExitStack() as stack:
        fake: Fake | None = None
        if request.url is not None:  # real traffic: it can confirm or refute our assumptions
            from agentmock.mockserver.routing import default_router

            ledger = Ledger(vendor, default_router())
            stack.enter_context(_observed_by(ledger, request.url))
            if not live:
                stack.enter_context(stand_in_kept(request.url, vendor, key, out))
        if request.url is None:
            from agentmock.mockserver.config import FakeConfig
            from agentmock.mockserver.server.app import create_app

            # The check's key is the only one the fake accepts, so refusing others is checked.
            # Its hundreds of requests a second are not throttled (the 429 path has its own
            # tests), but every answer still carries the rate-limit headers.
            config = FakeConfig(api_keys={vendor: [key]}, rate_limit=CHECK_RATE_LIMIT)
            app = create_app(config.build())
            fake = app.fake
            stack.enter_context(_routed_to(app))
        code = _schemathesis(args)
    if fake is not None:
        code = max(code, _duplicate_reached(vendor, fake, out))
    if live:
        code = max(code, live_duplicates(vendor, target, request.agent_id, key, out, ledger))
    if ledger is not None:
        out.write("\n".join(ledger.lines()) + "\n")
        if ledger.contradicted:
            out.write(
                f"agentmock check: {vendor}: {len(ledger.contradicted)} assumption(s) "
                "contradicted by the traffic; correct the contract lines named above\n"
            )
            code = max(code, 1)
        if junit is not None:
            part = folder / f"junit-{vendor}-assumptions.xml"
            ET.ElementTree(ledger.junit()).write(part, encoding="utf-8", xml_declaration=True)
            return code, [junit, part]
    return code, [junit] if junit is not None else []


def _duplicate_reached(vendor: Vendor, fake: Fake, out: TextIO) -> int:
    """The run must have made real copies, not only 404s: else the check proved little."""
    success = fake.router.operation(vendor, "duplicateAgent").success_status
    made = sum(
        1
        for e in fake.journal.entries(vendor)
        if e.operation == "duplicateAgent" and e.status == success
    )
    seen = len([e for e in fake.journal.entries(vendor) if e.operation == "duplicateAgent"])
    if made == 0:
        out.write(f"agentmock check: {vendor} duplicateAgent never succeeded ({seen} calls)\n")
        return 1
    out.write(f"    {vendor} duplicateAgent reached its success path {made} times\n")
    return 0


def _merge_junit(parts: list[Path], target: str) -> None:
    merged = ET.Element("testsuites")
    for part in parts:
        root = ET.parse(part).getroot()
        suites = [root] if root.tag == "testsuite" else list(root)
        merged.extend(suites)
    ET.ElementTree(merged).write(target, encoding="utf-8", xml_declaration=True)


def run(request: CheckRequest, *, out: TextIO = sys.stdout) -> int:
    """Check each vendor; 0 all passed, 1 contract failures, 2 usage or connection errors."""
    require_schemathesis()
    if request.url is not None:
        scheme = urlsplit(request.url).scheme
        if scheme not in ("http", "https"):
            raise CheckError(f"--url must be http:// or https://, got {request.url!r}")
        if not _is_loopback(request.url) and not request.live:
            raise CheckError(
                f"{request.url} is not a loopback address: duplicating there creates real "
                "agents; pass --live to run reads and a bounded, cleaned-up duplicate of "
                "--agent-id"
            )
        for vendor in request.vendors:
            _key_for(vendor, request)  # fail before any request when a key is missing
        _preflight(request)
    codes: list[int] = []
    reports: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="agentmock-check-") as tmp:
        for vendor in request.vendors:
            code, written = _check_vendor(vendor, request, Path(tmp), out)
            codes.append(code)
            reports += [report for report in written if report.exists()]
        if request.junit_xml and reports:
            _merge_junit(reports, request.junit_xml)
    if any(code not in (0, 1) for code in codes):
        return 2
    return max(codes, default=0)
