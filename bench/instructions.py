"""Instructions per Voicy duplicate through the ASGI app, counted by callgrind.

Run by hand (not in CI):  python bench/instructions.py [--python OTHER_VENV/bin/python]

Timings on this shared machine swing 2x from one minute to the next; valgrind's instruction
count does not. Each interpreter runs the same script under `valgrind --tool=callgrind` twice,
for 1,000 and for 3,000 requests through `create_app()` (an in-process ASGI call with a
trivial send, no network); the difference over 2,000 is the cost of one request, start-up and
imports cancelled out. `--python` adds another interpreter with an agentmock installed (an
older checkout's venv; before the single `agentmock` package, the app was `mockserver.app`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SCRIPT = """
import asyncio, sys
try:
    from agentmock.mockserver.server.app import create_app
    from agentmock.mockserver.core import Fake
except ImportError:
    try:  # 0.2 and 0.3: one flat mockserver package
        from agentmock.mockserver.app import create_app
        from agentmock.mockserver.core import Fake
    except ImportError:  # before 0.2: top-level packages
        from mockserver.app import create_app
        from mockserver.core import Fake

fake = Fake(rate_limit=1_000_000_000)
app = create_app(fake)
PATH = "/v1/duplicate-agent/550e8400-e29b-41d4-a716-446655440001"
BODY = b'{"agent_name": "My Agent Copy"}'
HEADERS = [
    (b"host", b"127.0.0.1:8080"),
    (b"content-length", str(len(BODY)).encode()),
    (b"authorization", b"Bearer voicy_sk_live_xxx"),
    (b"content-type", b"application/json"),
]


def scope():
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "POST", "scheme": "http", "path": PATH, "raw_path": PATH.encode(),
            "query_string": b"", "root_path": "", "headers": HEADERS,
            "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8080)}


async def receive():
    return {"type": "http.request", "body": BODY, "more_body": False}


async def send(message):
    pass


async def main(count):
    for i in range(count):
        await app(scope(), receive, send)
        if i % 1000 == 0:
            fake.state.reset()


asyncio.run(main(200))  # warm: first-use caches
asyncio.run(main(int(sys.argv[1])))
"""


def instructions(python: str, script: Path, count: int) -> int:
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    done = subprocess.run(
        [*command, python, str(script), str(count)],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no count from callgrind:\n{done.stderr}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", default=[], help="another interpreter")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "duplicates.py"
        script.write_text(SCRIPT, encoding="utf-8")
        for python in [sys.executable, *args.python]:
            few, many = instructions(python, script, 1000), instructions(python, script, 3000)
            print(f"{python}: {(many - few) // 2000:,} instructions per Voicy duplicate")


if __name__ == "__main__":
    main()
