"""The `agentmock` command line: `serve` (the stand-in server) and `check` (the contract check)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

import contracts

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def _vendor_key(text: str) -> tuple[str, str]:
    vendor, sep, key = text.partition("=")
    if not sep or not key or vendor not in contracts.VENDORS:
        raise argparse.ArgumentTypeError(
            f"expected VENDOR=KEY with VENDOR one of {', '.join(contracts.VENDORS)}, got {text!r}"
        )
    return vendor, key


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def _join_dash_values(argv: list[str]) -> list[str]:
    """`--agent-id -OKdq...` as `--agent-id=-OKdq...`: Millis ids start with a dash, which
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agentmock",
        description="Contract-testing kit for the Millis AI and Voicy duplicate-agent endpoints.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="run the stand-in server for both vendors on one port",
        description=(
            "Serve fakes of the Millis AI and Voicy agent APIs on one port, with an admin API "
            "under /__admin/. Example: agentmock serve --port 8080 --api-key voicy=voicy_sk_test_1"
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks one)")
    data = serve.add_mutually_exclusive_group()
    data.add_argument("--seed", metavar="FILE", help="start from this JSON or YAML seed file")
    data.add_argument("--empty", action="store_true", help="start with no agents")
    serve.add_argument(
        "--api-key",
        metavar="VENDOR=KEY",
        type=_vendor_key,
        action="append",
        default=[],
        help="accept only these keys for VENDOR (repeatable); default: any well-formed key",
    )
    serve.add_argument(
        "--rate-limit",
        metavar="N",
        type=_positive,
        help="emulate Voicy's rate limit: N requests a minute per key (default off)",
    )
    serve.add_argument(
        "--no-strict",
        action="store_true",
        help="do not check the fake's own responses against the contracts",
    )
    check = commands.add_parser(
        "check",
        help="check a server (default: the in-process fake) against the contracts",
        description=(
            "Run schemathesis's checks (all of them, every phase) against the in-process fake, "
            "or against --url. Exit 0: all passed; 1: contract failures; 2: usage or connection "
            "errors. Example: agentmock check --vendor voicy --url http://127.0.0.1:8080"
        ),
    )
    check.add_argument(
        "--vendor", choices=[*contracts.VENDORS, "all"], default="all", help="default: all"
    )
    check.add_argument("--url", help="base URL of the server to check (default: in-process fake)")
    check.add_argument(
        "--api-key",
        help="key for --url (default: $MILLIS_API_KEY / $VOICY_API_KEY); never printed",
    )
    check.add_argument("--agent-id", help="with --live: the agent to duplicate (and clean up)")
    check.add_argument(
        "--max-examples", type=_positive, default=25, help="test cases per operation (25)"
    )
    check.add_argument("--seed", type=int, help="random seed, for a reproducible run")
    check.add_argument("--junit-xml", metavar="FILE", help="also write a JUnit XML report")
    check.add_argument(
        "--live",
        action="store_true",
        help="allow a non-loopback --url: reads, plus bounded duplicates that are deleted",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `agentmock` console script."""
    parser = _parser()
    args = parser.parse_args(_join_dash_values(list(sys.argv[1:] if argv is None else argv)))
    if args.command == "serve":
        return _serve(parser, args)
    if args.command == "check":
        return _check(args)
    parser.print_help()
    return 0


def _serve(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from mockserver.seed import load_seed
    from mockserver.serve import build_fake, run

    try:
        seed = {} if args.empty else load_seed(args.seed) if args.seed else None
        fake = build_fake(
            seed=seed, api_keys=args.api_key, rate_limit=args.rate_limit, strict=not args.no_strict
        )
    except (OSError, ValueError) as exc:
        parser.exit(2, f"agentmock serve: {exc}\n".replace("agentmock: ", ""))
    try:
        run(fake, host=args.host, port=args.port)
    except OSError as exc:
        parser.exit(2, f"agentmock serve: cannot listen on {args.host}:{args.port}: {exc}\n")
    except KeyboardInterrupt:
        pass
    return 0


def _check(args: argparse.Namespace) -> int:
    from mockserver.check import CheckError, CheckRequest, run

    vendors = contracts.VENDORS if args.vendor == "all" else (args.vendor,)
    request = CheckRequest(
        vendors=vendors,
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
