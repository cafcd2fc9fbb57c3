"""A real ``redis-server`` for the distributed tests, on a free loopback port, in a temporary folder.

Nothing is persisted (``--save ''``, no AOF).  Where no ``redis-server``
binary exists the tests that need it are skipped, with the reason; in CI
(``CI=true``) that is a failure instead, since CI installs it (``.ci/run``).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.needs import missing

SKIP_REASON = "no redis-server binary on PATH (apt-get install redis-server); the distributed tests need a real Redis"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_server_binary() -> str:
    """The binary's path, or skip (fail in CI) the test that asked."""
    binary = shutil.which("redis-server")
    if binary is None:
        missing(SKIP_REASON)
    return binary


@contextmanager
def running_redis(binary: str) -> Iterator[str]:
    """``with running_redis(binary) as url:`` a redis-server of its own, stopped on exit."""
    import redis

    with tempfile.TemporaryDirectory(prefix="newsframe-redis-") as folder:
        port = free_port()
        server = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"redis://127.0.0.1:{port}/0"
        try:
            client = redis.Redis.from_url(url)
            deadline = time.monotonic() + 10
            while True:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"redis-server did not start on port {port}") from None
                    time.sleep(0.05)
            client.close()
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)
