"""The `agentmock` command line: `serve` (the stand-in server) and `check` (the contract check)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from agentmock import contracts
from agentmock.mockserver import vendors
from agentmock.mockserver.cli.environment import apply_environment, document
from agentmock.mockserver.cli.values import (
    not_negative,
    port,
    positive,
    report,
    seconds,
    token,
    vendor_key,
)
from agentmock.mockserver.vendors import profile

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def _join_dash_values(argv: list[str]) -> list[str]:
    """`--agent-id -OKdq...` as `--agent-id=-OKdq...`: push ids may start with a dash, which
    argparse would take for an option."""
    joined: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] == "--agent-id" and i + 1 < len(argv) and argv[i + 1].startswith("-"):
            joined.append(f"--agent-id={argv[i + 1]}")
            i += 2
            continue
        joined.append(argv[i])
        i += 1
    return joined


def _spoken(items: list[str]) -> str:
    """`a, b and c`."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _parser() -> argparse.ArgumentParser:
    # Every vendor named here comes from the registry: a vendor added there shows up in the
    # choices, the help texts and the examples with no edit to this module.
    profiles = list(vendors.registry.values())
    titles, first = _spoken([p.title for p in profiles]), profiles[0]
    limits = [f"{p.title} {p.default_rate_limit}" for p in profiles if p.default_rate_limit]
    target = contracts.base_urls(first.contract)[0]
    parser = argparse.ArgumentParser(
        prog="agentmock",
        description=f"Contract-testing kit for the {titles} duplicate-agent endpoints.",
    )
    parser.add_argument("--version", action="version", version=f"agentmock {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        allow_abbrev=False,  # a flag on the command line must be recognisable to beat its variable
        help="run the stand-in server for every vendor on one port",
        description=(
            f"Serve fakes of the {titles} agent APIs on one port, with an admin API and a "
            "dashboard under /__admin/. "
            f"Example: agentmock serve --port 8080 --api-key {first.name}={first.default_api_key}"
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=port, default=8080, help="port (default 8080; 0 picks one)")
    data = serve.add_mutually_exclusive_group()
    data.add_argument("--seed", metavar="FILE", help="start from this JSON or YAML seed file")
    data.add_argument("--empty", action="store_true", help="start with no agents")
    serve.add_argument(
        "--api-key",
        metavar="VENDOR=KEY",
        type=vendor_key,
        action="append",
        default=[],
        help="accept only these keys for VENDOR (repeatable); default: any well-formed key",
    )
    serve.add_argument(
        "--rate-limit",
        metavar="N",
        type=not_negative,
        help="requests a minute per key for the rate-limited vendors (default: each vendor's "
        f"own, {', '.join([*limits, 'others none'])}); 0 switches limits and rate-limit headers "
        "off",
    )
    serve.add_argument(
        "--log-requests",
        action="store_true",
        help="print one line per request: method, path, status, operation, ms (never keys)",
    )
    serve.add_argument(
        "--head-timeout",
        metavar="SECONDS",
        type=seconds,
        default=10.0,
        help="close a connection whose request head is not complete within SECONDS (10)",
    )
    serve.add_argument(
        "--admin-token",
        metavar="TOKEN",
        type=token,
        help="require this token in the X-Agentmock-Admin-Token header of every admin request "
        "(default: none; needed on a --host other than loopback, unless --admin-open)",
    )
    serve.add_argument(
        "--admin-open",
        action="store_true",
        help="on a --host other than loopback, serve the admin API without a token (a private "
        "network only: anyone who reaches the port can reset the fake)",
    )
    serve.add_argument(
        "--no-strict",
        action="store_true",
        help="do not check the fake's own responses against the contracts",
    )
    document(serve)
    parser.set_defaults(_serve_parser=serve)
    check = commands.add_parser(
        "check",
        help="check a server (default: the in-process fake) against the contracts",
        description=(
            "Run schemathesis's checks (all of them, every phase) against the in-process fake, "
            "or against --url. Exit 0: all passed; 1: contract failures; 2: usage or connection "
            f"errors. Example: agentmock check --vendor {first.name} --url http://127.0.0.1:8080"
        ),
    )
    check.add_argument(
        "--vendor", choices=[*vendors.names(), "all"], default="all", help="default: all"
    )
    check.add_argument(
        "--url",
        help="base URL of the server to check (default: the in-process fake). The check creates, "
        "changes and deletes agents there; against an agentmock server it accepts only the "
        "check's key for the run and restores the server as it found it afterwards",
    )
    env_keys = ", ".join(f"${profile(v).env_key} ({v})" for v in vendors.names())
    check.add_argument("--api-key", help=f"key for --url (default: {env_keys}); never printed")
    check.add_argument("--agent-id", help="with --live: the agent to duplicate (and clean up)")
    check.add_argument(
        "--max-examples", type=positive, default=25, help="test cases per operation (25)"
    )
    check.add_argument("--seed", type=int, help="random seed, for a reproducible run")
    check.add_argument(
        "--junit-xml", metavar="FILE", type=report, help="also write a JUnit XML report"
    )
    check.add_argument(
        "--live",
        action="store_true",
        help="allow a non-loopback --url: reads, plus bounded duplicates that are deleted",
    )
    record = commands.add_parser(
        "record",
        help="a reverse proxy that records the traffic to a vendor API into a cassette",
        description=(
            "Point your client's base URL at this proxy; it forwards every request to --target, "
            "answers as the target answered, and appends each exchange, keys, e-mail addresses "
            "and phone numbers redacted, to --out. Only loopback targets unless --live. "
            f"Example: agentmock record --vendor {first.name} --target {target} --live "
            f"--out {first.name}.jsonl"
        ),
    )
    record.add_argument("--vendor", choices=list(vendors.names()), required=True)
    record.add_argument("--target", required=True, help="base URL to forward to")
    record.add_argument("--out", required=True, metavar="CASSETTE", help="file to append to")
    record.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    record.add_argument("--port", type=port, default=8081, help="port (8081; 0: any free one)")
    record.add_argument(
        "--live", action="store_true", help="allow a target that is not a loopback address"
    )
    verify = commands.add_parser(
        "verify",
        help="check recorded cassettes against the contracts, offline",
        description=(
            "Check every recorded exchange against the contract: operation, status, response "
            "schema, request, duplicate table; then the assumption ledger. Exit 0: clean; 1: "
            "drift; 2: unreadable input."
        ),
    )
    verify.add_argument("cassettes", nargs="+", metavar="CASSETTE")
    verify.add_argument(
        "--junit-xml", metavar="FILE", type=report, help="also write a JUnit XML report"
    )
    verify.add_argument(
        "--promote",
        action="store_true",
        help="also print, as YAML to paste into the contracts, every valid response shape the "
        "cassettes saw that no example has yet",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `agentmock` console script."""
    parser = _parser()
    given = _join_dash_values(list(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(given)
    if args.command == "serve":
        apply_environment(args._serve_parser, args, given, os.environ, name="serve")
        return _serve(parser, args)
    if args.command == "check":
        return _check(args)
    if args.command == "record":
        return _record(parser, args)
    if args.command == "verify":
        from agentmock.mockserver.ci.verify import promote
        from agentmock.mockserver.ci.verify import run as verify

        cassettes = [Path(p) for p in args.cassettes]
        code = verify(cassettes, junit_xml=args.junit_xml)
        if args.promote and code != 2:
            print("\n# agentmock verify --promote: examples to add to the contracts\n")
            print(promote(cassettes))
        return code
    parser.print_help(sys.stderr)
    return 2


def _version() -> str:
    from agentmock import __version__

    return __version__


def _serve(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from agentmock.mockserver.config import FakeConfig
    from agentmock.mockserver.server.hosts import allowed_host
    from agentmock.mockserver.server.serve import run

    loopback = allowed_host(args.host.strip().lower(), frozenset())
    if not loopback and not args.admin_token and not args.admin_open:
        parser.exit(
            2,
            f"agentmock serve: --host {args.host} makes the admin API reachable from the network: "
            "give --admin-token TOKEN (AGENTMOCK_ADMIN_TOKEN), or --admin-open "
            "(AGENTMOCK_ADMIN_OPEN=1) on a private network\n",
        )
    api_keys: dict[str, list[str]] = {}
    for vendor, key in args.api_key:
        api_keys.setdefault(vendor, []).append(key)
    try:
        fake = FakeConfig(
            seed={} if args.empty else args.seed,
            api_keys=api_keys,
            rate_limit=args.rate_limit,
            strict=not args.no_strict,
        ).build()
    except (OSError, ValueError) as exc:
        parser.exit(2, f"agentmock serve: {exc}\n".replace("agentmock: ", ""))
    try:
        run(
            fake,
            host=args.host,
            port=args.port,
            log_requests=args.log_requests,
            admin_token=args.admin_token,
            head_timeout=args.head_timeout,
        )
    except OSError as exc:
        parser.exit(2, f"agentmock serve: cannot listen on {args.host}:{args.port}: {exc}\n")
    except KeyboardInterrupt:
        pass
    return 0


def _record(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    import socket

    import uvicorn

    from agentmock.mockserver.ci.check import _is_loopback
    from agentmock.mockserver.ci.record import RecordingProxy

    target = args.target.rstrip("/")
    if not target.startswith(("http://", "https://")):
        parser.exit(2, f"agentmock record: --target must be http:// or https://, got {target!r}\n")
    if not _is_loopback(target) and not args.live:
        parser.exit(
            2,
            f"agentmock record: {target} is not a loopback address: recording there sends "
            "your requests to a real API; pass --live to do it\n",
        )
    try:
        proxy = RecordingProxy(
            args.vendor, target, Path(args.out), hosts=frozenset({args.host.lower()})
        )
    except OSError as exc:
        parser.exit(2, f"agentmock record: cannot open {args.out}: {exc.strerror or exc}\n")
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        parser.exit(2, f"agentmock record: cannot listen on {args.host}:{args.port}: {exc}\n")
    port = sock.getsockname()[1]
    print(
        f"agentmock recording {args.vendor} at http://{args.host}:{port} -> {target}, "
        f"into {args.out}",
        flush=True,
    )
    from agentmock.mockserver.server._protocol import with_deadline
    from agentmock.mockserver.server.serve import GRACE_SECONDS, HEAD_SECONDS

    config = uvicorn.Config(
        proxy,
        log_level="warning",
        access_log=False,
        lifespan="off",
        # The server's own: SIGTERM stops it within 2 s even while an upstream hangs, and a
        # request head must arrive within 10 s.
        timeout_graceful_shutdown=GRACE_SECONDS,
        http=with_deadline(HEAD_SECONDS),
        proxy_headers=False,
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        proxy.writer.close()
    if proxy.unrecorded:
        print(
            f"agentmock record: {proxy.unrecorded} exchange(s) passed through but could not be "
            f"written to {args.out} (each was reported as it happened)",
            file=sys.stderr,
        )
        return 1
    return 0


def _check(args: argparse.Namespace) -> int:
    from agentmock.mockserver.ci.check import CheckError, CheckRequest, require_schemathesis, run

    try:
        require_schemathesis()
    except CheckError as exc:
        print(f"agentmock check: {exc}", file=sys.stderr)
        return 2
    chosen = tuple(vendors.names()) if args.vendor == "all" else (args.vendor,)
    request = CheckRequest(
        vendors=chosen,
        url=args.url.rstrip("/") if args.url else None,
        api_key=args.api_key,
        agent_id=args.agent_id,
        max_examples=args.max_examples,
        seed=args.seed,
        junit_xml=args.junit_xml,
        live=args.live,
    )
    try:
        return run(request)
    except CheckError as exc:
        print(f"agentmock check: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
