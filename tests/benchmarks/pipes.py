"""A benchmark command whose reader goes away: what every benchmark's tests check the same way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def closed_pipe_stderr(script: Path, *arguments: str) -> str:
    """Run the script with its stdout closed before the first row (as `| head -0` would); its stderr.

    The command must exit 2 with one line, never a traceback.
    """
    process = subprocess.Popen([sys.executable, str(script), *arguments],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 2
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    return stderr
