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
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: every copy of the terminal side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    reader.join(timeout)
    return TerminalRun(process.wait(timeout), "".join(stdout), b"".join(chunks).decode("utf-8", "replace"))
