"""What every benchmark command shares: a bad data folder or a closed pipe is one line and exit 2."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


class DataError(Exception):
    """A data folder that cannot be read; :func:`run_command` turns it into one line on stderr and exit 2."""


def run_command(program: str, work: Callable[[], None]) -> int:
    """Run ``work``; exit 0, or 2 with one line on stderr for bad data or a reader that closed the pipe early."""
    try:
        work()
        sys.stdout.flush()
    except DataError as error:
        print(f"{program}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # stdout's reader (e.g. `| head -1`) is gone: point stdout at /dev/null so the flush at exit cannot
        # raise again, and say so once.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"{program}: output pipe closed early", file=sys.stderr)
        return 2
    return 0


def trafilatura_available() -> bool:
    """Whether the extractor compared against is installed (``pip install -e '.[benchmark]'``)."""
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        return False
    return True
