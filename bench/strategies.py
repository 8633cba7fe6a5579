"""Examples per second: agentmock's `millis_agent_configs()` against schemathesis's generator.

Run by hand (not in CI):  python bench/strategies.py [--examples 300] [--rounds 5]

Both generate the same schema, the Millis `AgentConfig` from the contract: agentmock through its
strategy, schemathesis as the request body of a one-operation API through `as_strategy()`. Each
round runs both under the same hypothesis settings (generate phase only, no database), one
after the other; the medians are compared. Target (issue 5): >= 5x.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from agentmock import contracts
from agentmock.pytest_plugin.strategies import millis_agent_configs


def rate(strategy: st.SearchStrategy[Any], examples: int, body: bool) -> float:
    seen = 0

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(value: Any) -> None:
        nonlocal seen
        if body:
            value = value.body
        seen += 1

    started = time.perf_counter()
    run()
    return seen / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    document = {
        "openapi": "3.1.0",
        "info": {"title": "AgentConfig", "version": "1"},
        "paths": {
            "/config": {
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": contracts.schema("millis", "AgentConfig")
                            }
                        },
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    theirs_strategy = schemathesis.openapi.from_dict(document)["/config"]["POST"].as_strategy()
    ours_strategy = millis_agent_configs()
    ours, theirs = [], []
    for _ in range(args.rounds):
        theirs.append(rate(theirs_strategy, args.examples, body=True))
        ours.append(rate(ours_strategy, args.examples, body=False))
    mine, other = statistics.median(ours), statistics.median(theirs)
    print(
        f"millis_agent_configs(): {mine:.0f} examples/s; schemathesis as_strategy() on the same "
        f"schema: {other:.0f} examples/s; ratio {mine / other:.1f}x (target >= 5x)"
    )
    rounds = f"ours {[round(r) for r in ours]}; schemathesis {[round(r) for r in theirs]}"
    print(f"  per round: {rounds}")


if __name__ == "__main__":
    main()
