"""How long one list request holds the stand-in server when a vendor has tens of thousands of
agents, and how long a small request waits behind it, on a real `agentmock serve`.

Run by hand (not in CI):  python bench/large_list.py [--agents 30000]

The server answers one request at a time per event loop: a list built synchronously delays
every other client by its own duration. Target (issue 13): not seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import httpx
from _serve import agentmock_serve

VOICY = {"Authorization": "Bearer voicy_sk_test_1"}


async def measure(url: str) -> tuple[float, float]:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        started = time.perf_counter()
        big = asyncio.ensure_future(client.get("/v1/list-agents", headers=VOICY))
        await asyncio.sleep(0.005)  # the list is being built now
        small_started = time.perf_counter()
        small = await client.get("/agents/-OKdqbqetEcM4ak369ym", headers={"authorization": "k"})
        waited = time.perf_counter() - small_started
        answer = await big
        assert answer.status_code == 200
        assert small.status_code == 200
        return time.perf_counter() - started, waited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=30_000)
    args = parser.parse_args()
    with agentmock_serve("--rate-limit", "0") as url:
        batch = [{"agent_name": f"Agent {n}"} for n in range(1000)]
        for _ in range(args.agents // 1000):
            added = httpx.post(f"{url}/__admin/voicy/agents", content=json.dumps(batch), timeout=60)
            assert added.status_code == 201, added.text
        total, waited = asyncio.run(measure(url))
        print(
            f"list of {args.agents:,} Voicy agents: {total:.2f} s; a small request sent "
            f"meanwhile waited {waited:.2f} s (target: not seconds)"
        )


if __name__ == "__main__":
    main()
