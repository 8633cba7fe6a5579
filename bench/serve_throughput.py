"""Throughput of `agentmock serve` against a bare Starlette endpoint, and its start-up time.

Run by hand (not in CI):  python bench/serve_throughput.py [--seconds 3] [--rounds 5]

Both servers run on the same uvicorn stack (uvicorn[standard]: httptools + uvloop, one worker)
and are loaded by the same generator, one after the other: wrk when it is installed, else a
bounded asyncio load written here, in rounds that alternate the two servers. The median ratio
(fake / bare) is what matters; absolute numbers depend on the machine. Targets: ratio >= 0.55
(issue 24), start to first answered duplicate <= 0.3 s (issue 24, median of --starts).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _serve import AGENTMOCK, free_port

HERE = Path(__file__).resolve().parent
CASES = {
    "voicy duplicate": (
        "/v1/duplicate-agent/550e8400-e29b-41d4-a716-446655440001",
        {"Authorization": "Bearer voicy_sk_live_xxx", "Content-Type": "application/json"},
        b'{"agent_name": "My Agent Copy"}',
    ),
    "millis duplicate": ("/agents/-OKdqbqetEcM4ak369ym/duplicate", {"authorization": "k"}, b""),
}


def raw_request(port: int, path: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def wait_for(port: int, request: bytes, want: bytes, timeout: float = 10.0) -> float:
    """Poll until a request answers with status `want`; returns when (perf_counter)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(request)
                if sock.recv(64).startswith(b"HTTP/1.1 " + want):
                    return time.perf_counter()
        except OSError:
            time.sleep(0.002)
    raise RuntimeError(f"nothing answered {want!r} on port {port}")


def start_agentmock(port: int, exe: str = AGENTMOCK) -> subprocess.Popen[bytes]:
    # A limit no run reaches: Voicy's answers still count and carry their rate-limit headers,
    # as they do by default, but a 600-a-minute limit would turn the run into a 429 benchmark.
    command = [exe, "serve", "--port", str(port), "--rate-limit", "1000000000"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)


def start_bare(port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "bare_app:app", "--app-dir", str(HERE)]
    command += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)


def wrk(
    port: int, path: str, headers: dict[str, str], body: bytes, seconds: int, conns: int
) -> float:
    script = "wrk.method = 'POST'\n"
    script += f"wrk.body = {body.decode()!r}\n".replace('"', '\\"') if body else ""
    script = "wrk.method = 'POST'\n" + (f"wrk.body = [[{body.decode()}]]\n" if body else "")
    for name, value in headers.items():
        script += f"wrk.headers['{name}'] = '{value}'\n"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{conns}",
                f"-d{seconds}s",
                "-s",
                fh.name,
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(fh.name)
    if "Non-2xx" in out:
        raise RuntimeError(f"wrk saw errors:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


async def _python_load(port: int, request: bytes, seconds: float, conns: int) -> float:
    done = 0
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.perf_counter() < stop:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 2"):
                raise RuntimeError(head.decode())
            length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            done += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(conns)))
    return done / (time.perf_counter() - started)


def load(port: int, case: tuple[str, dict[str, str], bytes], seconds: int, conns: int) -> float:
    path, headers, body = case
    if shutil.which("wrk"):
        return wrk(port, path, headers, body, seconds, conns)
    return asyncio.run(_python_load(port, raw_request(port, path, headers, body), seconds, conns))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--starts", type=int, default=5, help="start-up measurements")
    parser.add_argument("--rounds", type=int, default=5, help="alternating bare/fake runs")
    parser.add_argument(
        "--baseline",
        metavar="AGENTMOCK",
        help="another agentmock executable (an older checkout's) measured side by side",
    )
    args = parser.parse_args()
    generator = "wrk" if shutil.which("wrk") else "python asyncio load"
    print(f"load generator: {generator}; {args.seconds}s x {args.connections} connections per run")

    starts = []
    path, headers, body = CASES["voicy duplicate"]
    for _ in range(args.starts):
        port = free_port()
        began = time.perf_counter()
        process = start_agentmock(port)
        try:
            ready = wait_for(port, raw_request(port, path, headers, body), b"200")
            starts.append(ready - began)
        finally:
            process.terminate()
            process.wait()
    starts.sort()
    print(
        f"start to first successful duplicate: median {starts[len(starts) // 2]:.3f}s "
        f"(min {starts[0]:.3f}s, max {starts[-1]:.3f}s; target <= 0.3s)"
    )

    servers = {"bare Starlette": start_bare, "agentmock": start_agentmock}
    if args.baseline:
        servers[f"baseline ({args.baseline})"] = functools.partial(
            start_agentmock, exe=args.baseline
        )
    ports = {name: free_port() for name in servers}
    processes = {name: start(ports[name]) for name, start in servers.items()}
    try:
        for port in ports.values():
            wait_for(port, raw_request(port, path, headers, body), b"200")
        for case_name, case in CASES.items():
            # Rounds alternate the servers, so a slow spell of a shared machine (seen here: 2x
            # swings from one minute to the next) falls on all; medians are kept. Beside req/s,
            # each server's own CPU time per request (user + system, from /proc), which the
            # load generator's share of the two cores does not move.
            rps: dict[str, list[float]] = {name: [] for name in servers}
            cpu: dict[str, list[float]] = {name: [] for name in servers}
            for _ in range(args.rounds):
                for name, port in ports.items():
                    before = cpu_seconds(processes[name].pid)
                    rate = load(port, case, args.seconds, args.connections)
                    after = cpu_seconds(processes[name].pid)
                    rps[name].append(rate)
                    if before is not None and after is not None:
                        cpu[name].append((after - before) / (rate * args.seconds) * 1e6)
            print(f"{case_name}, median of {args.rounds} rounds:")
            bare_name = "bare Starlette"
            for name in servers:
                line = f"  {name}: {statistics.median(rps[name]):,.0f} req/s"
                if cpu[name]:
                    line += f", {statistics.median(cpu[name]):.1f} us CPU per request"
                if name != bare_name:
                    ratios = [f / b for f, b in zip(rps[name], rps[bare_name], strict=True)]
                    each = ", ".join(f"{r:.2f}" for r in ratios)
                    line += f"; throughput ratio {statistics.median(ratios):.2f} ({each})"
                    if cpu[name]:
                        bare_cpu = statistics.median(cpu[bare_name])
                        line += f"; CPU ratio {bare_cpu / statistics.median(cpu[name]):.2f}"
                print(line)
            print("  target: ratio to bare Starlette >= 0.55")
    finally:
        for process in processes.values():
            process.terminate()
            process.wait()


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used (Linux), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    main()
