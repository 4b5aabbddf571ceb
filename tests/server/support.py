"""Starting the real service as a process on a free loopback port, and always stopping it."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import ROOT

HOST = "127.0.0.1"
START_TIMEOUT = 60.0


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path
    token: str | None = None

    def client(self, **kwargs: Any) -> httpx.Client:
        headers = {"authorization": f"Bearer {self.token}"} if self.token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, **kwargs)

    def log_lines(self) -> list[dict[str, Any]]:
        """The log so far, every line parsed: a line that is not JSON fails the test."""
        return [json.loads(line) for line in self.log.read_text("utf-8").splitlines() if line]

    def stop(self, sig: int = signal.SIGINT, timeout: float = 20.0) -> int:
        """Signal the server and wait for it; killed if it does not stop in time."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"the server did not stop within {timeout} s of signal {sig}") from None
        return self.process.returncode


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def running(folder: Path, *args: str, token: str | None = None) -> Iterator[Server]:
    """`python -m wildcli serve ARGS` on a free port, ready (its /readyz answered); stopped and
    waited for on the way out, whatever happened."""
    port = free_port()
    log = folder / f"serve-{port}.log"
    command = [sys.executable, "-m", "wildcli", "serve", "--host", HOST, "--port", str(port), *args]
    with log.open("wb") as handle:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=handle, cwd=ROOT,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})  # fmt: skip
    server = Server(process, f"http://{HOST}:{port}", log, token)
    try:
        wait_ready(server)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_ready(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"the server exited with {server.process.returncode}:\n"
                                 + server.log.read_text("utf-8", "replace"))  # fmt: skip
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{server.url}/readyz", timeout=2).status_code == 200:
                return
        time.sleep(0.05)
    raise AssertionError(f"the server was not ready within {START_TIMEOUT} s")


def wait_for(condition: Any, timeout: float = 30.0, what: str = "the condition") -> Any:
    """Poll `condition()` until it returns something true; its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {timeout} s")
