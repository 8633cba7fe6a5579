"""`agentmock serve`'s flags from the environment, as container users expect: each flag has a
variable named after it with the `AGENTMOCK_` prefix (`--port` -> `AGENTMOCK_PORT`,
`--api-key` -> `AGENTMOCK_API_KEY`, `--no-strict` -> `AGENTMOCK_NO_STRICT`).

A flag given on the command line wins over its variable. A variable set to the empty string
counts as unset (compose and CI systems pass empty secrets). Switches take `1`, `true`, `yes`,
`on` or `0`, `false`, `no`, `off`; a repeatable flag takes a comma-separated list. A value its
flag would refuse is refused the same way: one line naming the variable, exit 2.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["PREFIX", "apply_environment", "variable"]

PREFIX = "AGENTMOCK_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def variable(action: argparse.Action) -> str:
    """The environment variable of a flag: `AGENTMOCK_` and its destination, upper case."""
    return PREFIX + action.dest.upper()


def _flags(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [
        action
        for action in parser._actions
        if action.option_strings and action.dest not in ("help", "version")
    ]


def document(parser: argparse.ArgumentParser) -> None:
    """Name each flag's variable in its help line."""
    for action in _flags(parser):
        action.help = f"{action.help or ''} [env: {variable(action)}]".strip()


def apply_environment(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    argv: Sequence[str],
    environ: Mapping[str, str],
    *,
    name: str,
) -> None:
    """Fill `args` from the environment for each flag `argv` does not give."""
    given = {token.split("=", 1)[0] for token in argv if token.startswith("--")}
    from_env: list[str] = []
    for action in _flags(parser):
        env = variable(action)
        raw = environ.get(env, "")
        if not raw or given & set(action.option_strings):
            continue
        try:
            value = _convert(action, raw)
        except (argparse.ArgumentTypeError, ValueError) as exc:
            parser.exit(2, f"agentmock {name}: {env}={raw!r}: {exc}\n")
        setattr(args, action.dest, value)
        from_env.append(env)
    _check_exclusive(parser, args, from_env, argv, name)


def _convert(action: argparse.Action, raw: str) -> Any:
    if isinstance(action, argparse._StoreTrueAction):
        word = raw.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(sorted(_TRUE | _FALSE))}")
    convert = action.type if callable(action.type) else str
    if isinstance(action, argparse._AppendAction):
        return [convert(part.strip()) for part in raw.split(",") if part.strip()]
    if action.choices is not None and raw not in action.choices:
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(map(str, action.choices))}")
    return convert(raw)


def _check_exclusive(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    from_env: list[str],
    argv: Sequence[str],
    name: str,
) -> None:
    """Flags argparse keeps mutually exclusive stay so when a variable gives one of them."""
    for group in parser._mutually_exclusive_groups:
        chosen = [
            action
            for action in group._group_actions
            if getattr(args, action.dest) not in (None, False, action.default)
        ]
        if len(chosen) > 1 and any(variable(a) in from_env for a in chosen):
            said = " and ".join(
                variable(a) if variable(a) in from_env else a.option_strings[0] for a in chosen
            )
            parser.exit(2, f"agentmock {name}: {said} cannot be used together\n")
