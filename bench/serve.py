"""`make bench`, the service part: `wildcli serve` under a fixed load on loopback.

    python bench/serve.py [--requests 6000] [--rate 500] [--batches 300] [--batch-size 100]

Starts the real server (one worker) on a free loopback port and sends it, over keep-alive
connections:

1. single-query requests at a fixed rate (open loop: each request is due at its own time,
   whatever the answers to earlier ones), reporting the server time (the `server-timing`
   header: time inside the application) and the client time (first byte written to last byte
   read) as p50, p90 and p99, and how late the client sent them (a late start means the
   client, not the server, fell behind the rate);
2. batches of `--batch-size` queries back to back on two connections, reporting queries per
   second;
3. as references in the same run: the same queries through `check_queries` in this process
   (the matcher alone), and through `wildcli check --file` (a process, start-up included).

The queries are those of the labelled set tests/data/queries/dev.tsv, half of them wildlife
searches: heavier than real search traffic, where nearly every query is allowed. The counts are
fixed and the port is loopback only; the run stops by itself. Results go to
bench/out/serve.json. Targets: p50 <= 1 ms and p99 <= 5 ms of server time at 500 requests/s,
and >= 20,000 queries/s in batches on one worker.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUERIES = ROOT / "tests" / "data" / "queries" / "dev.tsv"
HOST = "127.0.0.1"


@dataclass
class Sample:
    client: list[float] = field(default_factory=list)
    server: list[float] = field(default_factory=list)
    lag: list[float] = field(default_factory=list)
    failed: int = 0


def percentiles(values: list[float]) -> dict[str, float]:
    """p50, p90, p99 and max, in milliseconds."""
    if not values:
        return {}
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {"p50": at(0.50), "p90": at(0.90), "p99": at(0.99), "max": ordered[-1] * 1000}


def load_queries() -> list[str]:
    lines = QUERIES.read_text("utf-8").splitlines()[1:]
    return [line.split("\t")[0] for line in lines if line]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def request(body: bytes) -> bytes:
    head = (f"POST /v1/check HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")  # fmt: skip
    return head.encode() + body


Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, payload: bytes
                   ) -> tuple[int, float]:  # fmt: skip
    """Send one request on a kept-alive connection; its status and server time (seconds)."""
    writer.write(payload)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, server = 0, float("nan")
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "server-timing":
            server = float(value.split("dur=", 1)[1]) / 1000
    await reader.readexactly(length)
    return status, server


async def open_loop(port: int, payloads: list[bytes], rate: float, connections: int) -> tuple[Sample, float]:
    """Each request due at start + i / rate, sent on the first free connection."""
    pool: asyncio.Queue[Stream] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(await asyncio.open_connection(HOST, port))
    sample = Sample()

    async def one(payload: bytes, due: float) -> None:
        reader, writer = await pool.get()
        sent = time.perf_counter()
        try:
            status, server = await exchange(reader, writer, payload)
        finally:
            pool.put_nowait((reader, writer))
        sample.client.append(time.perf_counter() - sent)
        sample.lag.append(sent - due)
        sample.server.append(server)
        if status != 200:
            sample.failed += 1

    tasks = []
    started = time.perf_counter()
    for i, payload in enumerate(payloads):
        due = started + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(one(payload, due)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    while not pool.empty():
        pool.get_nowait()[1].close()
    return sample, elapsed


async def closed_loop(port: int, payloads: list[bytes], connections: int) -> tuple[Sample, float]:
    """Requests back to back, `connections` at a time: throughput."""
    sample = Sample()
    work = iter(payloads)

    async def client() -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        for payload in work:
            sent = time.perf_counter()
            status, server = await exchange(reader, writer, payload)
            sample.client.append(time.perf_counter() - sent)
            sample.server.append(server)
            sample.failed += status != 200
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    return sample, time.perf_counter() - started


def start_server(port: int, log: Path, stack: str) -> subprocess.Popen[bytes]:
    """`wildcli serve`, or with `stack` ("h11/asyncio", say) the same application on uvicorn
    with another HTTP parser and event loop, to measure what the optional speed-ups bring."""
    command = [sys.executable, "-m", "wildcli", "serve", "--host", HOST, "--port", str(port), "--watch", "0"]
    if stack:
        from wildcli.server.logs import logging_config

        http, loop = stack.split("/")
        config = log.with_suffix(".logging.json")
        config.write_text(json.dumps(logging_config()), "utf-8")
        command = [sys.executable, "-m", "uvicorn", "wildcli.server.app:create_app", "--factory",
                   "--host", HOST, "--port", str(port), "--http", http, "--loop", loop, "--no-access-log",
                   "--log-config", str(config)]  # fmt: skip
    with log.open("wb") as handle:
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=handle, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bench: the server exited with {server.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/readyz", timeout=1) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("bench: the server did not become ready within 60 s")


def library_rate(queries: list[str], batch: int) -> float:
    """Queries per second of the matcher alone, batch by batch, in this process."""
    from wildcli.match.cache import load_matcher
    from wildcli.match.matcher import MatchOptions

    matcher = load_matcher(options=MatchOptions())
    matcher.warm_up()
    started = time.perf_counter()
    for i in range(0, len(queries), batch):
        for found in matcher.find_many(queries[i:i + batch]):
            [f.to_dict() for f in found]
    return len(queries) / (time.perf_counter() - started)


def check_file_rate(queries: list[str]) -> float:
    """Queries per second of `wildcli check --file --json`, start-up included."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as handle:
        handle.write("\n".join(queries) + "\n")
    try:
        started = time.perf_counter()
        command = [sys.executable, "-m", "wildcli", "check", "--file", handle.name, "--json"]
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=ROOT)
        return len(queries) / (time.perf_counter() - started)
    finally:
        os.unlink(handle.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--requests", type=int, default=6000, help="single-query requests, after a warm-up")
    parser.add_argument("--rate", type=float, default=500.0, help="single-query requests a second")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--batches", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--stack", default="", metavar="HTTP/LOOP",
                        help="run the application on uvicorn with this parser and loop (h11/asyncio) instead")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    queries = load_queries()

    def cycle(n: int, size: int = 1) -> list[list[str]]:
        return [[queries[(i * size + j) % len(queries)] for j in range(size)] for i in range(n)]

    singles = [request(json.dumps({"query": q[0]}).encode()) for q in cycle(args.requests)]
    warm = [request(json.dumps({"query": q[0]}).encode()) for q in cycle(1000)]
    batches = [request(json.dumps({"queries": b}).encode()) for b in cycle(args.batches, args.batch_size)]
    port = free_port()
    server = start_server(port, args.out / "serve.log", args.stack)
    try:
        asyncio.run(open_loop(port, warm, args.rate * 2, args.connections))
        single, single_s = asyncio.run(open_loop(port, singles, args.rate, args.connections))
        batch, batch_s = asyncio.run(closed_loop(port, batches, 2))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            code = server.wait()
    batched = [q for b in cycle(args.batches, args.batch_size) for q in b]
    results = {
        "queries": str(QUERIES.relative_to(ROOT)),
        "stack": args.stack or "wildcli serve (uvicorn: httptools, uvloop when installed)",
        "single": {
            "requests": args.requests, "rate_asked": args.rate, "rate_sent": args.requests / single_s,
            "failed": single.failed, "server_ms": percentiles(single.server),
            "client_ms": percentiles(single.client), "send_lag_ms": percentiles(single.lag),
        },
        "batch": {
            "requests": args.batches, "size": args.batch_size, "failed": batch.failed,
            "queries_per_s": args.batches * args.batch_size / batch_s,
            "server_ms": percentiles(batch.server), "client_ms": percentiles(batch.client),
            "server_queries_per_s": args.batch_size / statistics.mean(batch.server),
        },
        "reference": {
            "library_queries_per_s": library_rate(batched, args.batch_size),
            "check_file_queries_per_s": check_file_rate(batched),
        },
        "server_exit_code": code,
    }
    report(results)
    (args.out / "serve.json").write_text(json.dumps(results, indent=2), "utf-8")
    print(f"results written to {args.out / 'serve.json'}")


def report(results: dict[str, dict[str, object]]) -> None:
    single, batch, ref = results["single"], results["batch"], results["reference"]
    print(f"single queries: {single['requests']} requests at {single['rate_sent']:.0f}/s, "
          f"{single['failed']} failed")
    for name in ("server_ms", "client_ms", "send_lag_ms"):
        p = single[name]
        assert isinstance(p, dict)
        print(f"  {name[:-3]:8} p50 {p['p50']:.3f} ms  p90 {p['p90']:.3f} ms  p99 {p['p99']:.3f} ms  "
              f"max {p['max']:.3f} ms")  # fmt: skip
    p = batch["server_ms"]
    assert isinstance(p, dict)
    print(f"batches of {batch['size']}: {batch['requests']} requests, {batch['failed']} failed, "
          f"{batch['queries_per_s']:.0f} queries/s over HTTP "
          f"({batch['server_queries_per_s']:.0f} in server time); "
          f"server p50 {p['p50']:.2f} ms, p99 {p['p99']:.2f} ms")  # fmt: skip
    print(f"reference: matcher alone {ref['library_queries_per_s']:.0f} queries/s, "
          f"`wildcli check --file --json` {ref['check_file_queries_per_s']:.0f} queries/s "
          "(start-up included)")
    print(f"server exit code after SIGINT: {results['server_exit_code']}")


if __name__ == "__main__":
    main()
