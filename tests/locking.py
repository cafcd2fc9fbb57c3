"""Another process holding the SQLite store's write lock, the way a ``sqlite3`` shell or a backup does."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()  # until told to let go
connection.execute("ROLLBACK")
"""


class LockHolder:
    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None and self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("go\n")
            self.process.stdin.close()
            self.process.wait(timeout=10)


@contextmanager
def store_locked(path: Path) -> Iterator[LockHolder]:
    """``BEGIN EXCLUSIVE`` on ``path`` in another process until ``release()`` or the end of the block."""
    holder = LockHolder(path)
    try:
        yield holder
    finally:
        holder.release()
