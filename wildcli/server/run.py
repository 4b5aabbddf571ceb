"""Running the service on uvicorn: in this process, or in N worker processes sharing one socket.

Each worker holds its own lexicon and reloads it itself (on its own watch of the files, and on
SIGHUP, which the parent passes on to every worker instead of restarting them). Metrics are
added up across workers through files in a shared folder (see `wildcli.server.metrics`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from types import FrameType

import uvicorn
from uvicorn.supervisors.multiprocess import Multiprocess

from wildcli.server.app import create_app
from wildcli.server.lexicon import Loaded
from wildcli.server.logs import logging_config
from wildcli.server.metrics import MULTIPROCESS
from wildcli.server.options import ENVIRONMENT, ServeOptions

log = logging.getLogger("wildcli.server")


class Supervisor(Multiprocess):
    """uvicorn's worker supervisor, except that SIGHUP reloads the lexicon in every worker
    (each swaps it in without dropping a request) rather than replacing the workers."""

    def handle_hup(self) -> None:
        log.info("SIGHUP: reloading the lexicon in every worker")
        for process in self.processes:
            if process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGHUP)


def serve(
    options: ServeOptions, *, host: str = "127.0.0.1", port: int = 8080, workers: int = 1,
    loaded: Loaded | None = None, log_level: str = "info",
) -> None:
    """Answer on host:port until SIGINT or SIGTERM, then finish the requests in flight and
    return. `loaded`: the lexicon, already loaded and vetted (with one worker, it is used as is;
    with several, each worker loads it again from the compiled cache)."""
    settings = {
        "host": host, "port": port, "log_config": logging_config(log_level), "access_log": False,
        "server_header": False, "timeout_graceful_shutdown": int(options.timeout) + 5,
    }
    with _quiet_stop():
        if workers == 1:
            uvicorn.Server(uvicorn.Config(create_app(options, loaded), **settings)).run()  # type: ignore[arg-type]
            return
        with _shared_metrics():
            os.environ[ENVIRONMENT] = options.to_environment()
            config = uvicorn.Config("wildcli.server.app:create_app", factory=True, workers=workers,
                                    **settings)  # type: ignore[arg-type]  # fmt: skip
            Supervisor(config, sockets=[config.bind_socket()]).run()


@contextlib.contextmanager
def _quiet_stop() -> Iterator[None]:
    """A stop by signal is the normal end of a service: once uvicorn has shut down cleanly it
    raises the signal again, and it must then end `serve`, not the process. SIGHUP is ignored
    until a lexicon holder listens for it, so an early reload request cannot kill the service."""
    def stopped(signum: int, frame: FrameType | None) -> None:
        pass

    previous = {sig: signal.signal(sig, stopped) for sig in (signal.SIGINT, signal.SIGTERM)}
    previous[signal.SIGHUP] = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _shared_metrics() -> Iterator[None]:
    """A fresh folder for the workers' metric files, unless one was given; removed at the end."""
    if os.environ.get(MULTIPROCESS):
        yield
        return
    folder = tempfile.mkdtemp(prefix="wildcli-metrics-")
    os.environ[MULTIPROCESS] = folder
    try:
        yield
    finally:
        os.environ.pop(MULTIPROCESS, None)
        shutil.rmtree(folder, ignore_errors=True)
