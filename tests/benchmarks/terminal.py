"""Running a benchmark with its stderr on a real pseudo-terminal, as when a person runs it by hand."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass
class TerminalRun:
    returncode: int
    stdout: str
    #: Everything written to the terminal, raw: carriage returns and the pty's "\r\n" line ends included.
    stderr: str


def run_in_terminal(script: Path, *arguments: str, timeout: float = 300) -> TerminalRun:
    """Run ``script`` with stdout on a pipe and stderr on a pty (``isatty()`` is true there); read both to the end."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, str(script), *arguments], stdout=subprocess.PIPE,
                                   stderr=terminal, text=True)  # fmt: skip
    finally:
        os.close(terminal)  # the child holds its own copy: the read below ends when the child's is closed
    assert process.stdout is not None
    stdout: list[str] = []
    reader = threading.Thread(target=lambda: stdout.append(process.stdout.read()))  # type: ignore[union-attr]
    reader.start()  # a full stdout pipe must not stop the child before it closes the terminal
    written = read_to_end(controller)
    reader.join(timeout)
    return TerminalRun(process.wait(timeout), "".join(stdout), written.decode("utf-8", "replace"))


def read_to_end(controller: int) -> bytes:
    """All a pty's terminal side was sent, once every copy of it is closed; the controller is closed after.

    One read may return only part of what was written: read until EIO (Linux) or end of file.
    """
    chunks = []
    try:
        while chunk := os.read(controller, 65536):
            chunks.append(chunk)
    except OSError:  # EIO: every copy of the terminal side is closed
        pass
    finally:
        os.close(controller)
    return b"".join(chunks)
