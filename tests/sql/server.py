"""A throwaway PostgreSQL server, for the sql export's tests and bench/sql_agreement.py.

Debian's binaries (initdb, pg_ctl: on PATH or under /usr/lib/postgresql/*/bin) on a temporary
data directory with its Unix socket there, a free loopback port, C.UTF-8 and UTF8. initdb
refuses to run as root: as root, the server runs as `nobody`, which then owns the directory.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SECONDS = 60
MISSING = "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl, or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Server:
    bin: Path
    socket_dir: Path
    port: int

    def connect(self, dbname: str = "postgres") -> Any:
        import psycopg

        return psycopg.connect(host=str(self.socket_dir), port=self.port, user="postgres", dbname=dbname,
                               autocommit=True)

    def psql(self, *args: str) -> subprocess.CompletedProcess[str]:
        """psql as a user runs it, against this server."""
        return subprocess.run(
            [str(self.bin / "psql"), "-X", "-q", "-h", str(self.socket_dir), "-p", str(self.port),
             "-U", "postgres", "-d", "postgres", *args],
            capture_output=True, text=True, timeout=SECONDS, check=False,
        )


@contextmanager
def running_server(folder: Path) -> Iterator[Server]:
    """A server started from the binaries in `folder`; stopped and its directory removed on
    leaving, however the caller left. RuntimeError, with the server's log, if it will not start."""
    root = Path(tempfile.mkdtemp(prefix="wildcli-pg-"))
    as_user: dict[str, Any] = {}
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(root, nobody.pw_uid, nobody.pw_gid)
        as_user = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    data, log, port = root / "data", root / "server.log", _free_port()

    def run(*cmd: str) -> None:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=SECONDS, check=False, cwd=root,
                              env={**os.environ, "LC_ALL": "C.UTF-8"}, **as_user)
        if done.returncode:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"{cmd[0]} failed:\n{done.stdout}{done.stderr}{server_log}")

    started = False
    try:
        run(str(folder / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync",
            "--locale=C.UTF-8", "--encoding=UTF8")
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        run(str(folder / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", str(SECONDS),
            "start")
        started = True
        yield Server(folder, root, port)
    finally:
        if started:
            run(str(folder / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
