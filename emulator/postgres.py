"""A throwaway PostgreSQL, the local stand-in for a managed one (Azure Database for PostgreSQL)
in the tests and the benchmark: Debian's server binaries, ``initdb`` into a temp directory, a
free port on 127.0.0.1 (run as the ``postgres`` user when run as root, since PostgreSQL refuses
to run as root)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

from indexer.pg.migrations import migrate

DATABASE = "search"


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """One PostgreSQL cluster in a temp directory; it can be stopped and started again."""

    def __init__(self) -> None:
        bin_dir = _bin_dir()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed: run `make test` (it installs "
                               "Debian's postgresql package) or `apt-get install postgresql`")
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="pg-test-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as_user = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if self._as_user:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8")
        self.start()
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        with psycopg.connect(self.url(DATABASE)) as conn:
            migrate(conn)

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self._as_user, str(self.bin / program), *args], check=True,
                       capture_output=True, cwd=self.root)

    def url(self, database: str) -> str:
        """The URL of one database of this cluster."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        """Start the server (again) on its port, and wait until it accepts connections."""
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-w", "-l",
                  str(self.root / "log"), "start")

    def stop(self) -> None:
        """Stop the server at once (open connections are cut)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def empty_database(self) -> str:
        """The URL of the session's search database, emptied (faster than a new one)."""
        with psycopg.connect(self.url(DATABASE), autocommit=True) as conn:
            conn.execute("TRUNCATE documents, checkpoints, terms, vocabulary")
            conn.execute("UPDATE generation SET number = 1, documents = 0, title_len = 1, "
                         "description_len = 1, body_len = 1")
        return self.url(DATABASE)

    def new_database(self, name: str) -> str:
        """A new database with the current schema; its URL."""
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        with psycopg.connect(self.url(name)) as conn:
            migrate(conn)
        return self.url(name)

    def remove(self) -> None:
        """Stop the server and delete its files."""
        subprocess.run([*self._as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m",
                        "immediate", "stop"], capture_output=True, check=False)
        shutil.rmtree(self.root, ignore_errors=True)

