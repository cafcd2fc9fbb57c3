"""A real PostgreSQL server for the shared-store tests, on a free loopback port, in a temporary folder.

Debian's ``postgresql`` package puts the server binaries in
``/usr/lib/postgresql/<version>/bin`` (not on PATH).  PostgreSQL refuses to
run as root, and CI runs as root: then ``initdb`` and ``postgres`` run as the
package's ``postgres`` system user (``runuser``), in a data folder and a
socket folder it owns.  Where no server binaries exist the tests that need
them are skipped, with the reason; in CI (``CI=true``) that is a failure
instead, since CI installs them (``.ci/run``).  Each pytest-xdist worker has
its own session, so its own server, port and folder.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.needs import missing
from tests.redis_server import free_port

SKIP_REASON = "no PostgreSQL server binaries (apt-get install postgresql); the shared store's tests need a real server"
USER = "newsframe"
PASSWORD = "s3cret-pw"


def postgres_bin_dir() -> Path:
    """The newest installed server's ``bin`` folder, or skip (fail in CI) the test that asked."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda path: int(path.split("/")[4]))
    on_path = shutil.which("postgres")
    if not found and on_path is None:
        missing(SKIP_REASON)
    return Path(found[-1] if found else str(on_path)).parent


def _as_server_user(folder: Path) -> list[str]:
    """The command prefix that runs the server's binaries: as ``postgres`` when we are root, who may not."""
    if os.geteuid() != 0:
        return []
    shutil.chown(folder, "postgres", "postgres")
    return ["runuser", "-u", "postgres", "--"]


@contextmanager
def running_postgres(bin_dir: Path) -> Iterator[str]:
    """``with running_postgres(bin_dir) as url:`` a server of its own (password login), stopped on exit."""
    import psycopg

    with tempfile.TemporaryDirectory(prefix="newsframe-pg-") as name:
        folder = Path(name)
        folder.chmod(0o755)
        data = folder / "data"
        data.mkdir()
        data.chmod(0o700)
        prefix = _as_server_user(folder)
        if prefix:
            shutil.chown(data, "postgres", "postgres")
        password_file = folder / "password"
        password_file.write_text(PASSWORD)
        if prefix:
            shutil.chown(password_file, "postgres", "postgres")
        subprocess.run(
            [*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", USER, "--pwfile", str(password_file),
             "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        port = free_port()
        server = subprocess.Popen(
            [*prefix, str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), "-h", "127.0.0.1",
             "-k", str(folder), "-c", "fsync=on", "-c", "max_connections=50"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{port}/postgres"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    psycopg.connect(url, connect_timeout=2).close()
                    break
                except psycopg.OperationalError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"postgres did not start on port {port}") from None
                    time.sleep(0.1)
            yield url
        finally:
            server.terminate()  # SIGTERM: "smart" shutdown; the tests' connections are closed by then
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


_numbers = itertools.count(1)


def fresh_database(server_url: str) -> str:
    """A new, empty database on the server; its URL."""
    import psycopg

    name = f"test_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name
