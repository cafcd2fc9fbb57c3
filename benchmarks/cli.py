"""What every benchmark command shares: a mistake is one line and exit 2, and a long run shows how far it is.

- :class:`DataError`, :func:`run_command`: a bad data folder, a bad argument, a missing tool or a closed
  pipe is one line on stderr and exit status 2, never a traceback;
- :class:`ArgumentParser`, :func:`at_least`: argparse, but its errors go the same way (argparse's own print
  the usage first: three lines for one mistake);
- :class:`Progress`: a counter line on stderr, redrawn in place, only when a person watches (a terminal).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, NoReturn, Self, TextIO


class DataError(Exception):
    """Bad input (a data folder that cannot be read, an argument out of range, a tool that is missing).

    :func:`run_command` turns it into one line on stderr and exit 2.
    """


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser whose errors are :class:`DataError`: one line ("...; see --help"), not the usage too."""

    def error(self, message: str) -> NoReturn:
        raise DataError(f"{message}; see --help")


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse ``type``: an integer no smaller than ``minimum`` (``--repeat 0`` would divide by zero later)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is less than {minimum}")
        return value

    parse.__name__ = f"at least {minimum}"
    return parse


def run_command(program: str, work: Callable[[], int | None]) -> int:
    """Run ``work``: its exit status (0 when it returns None), or 2 with one line on stderr for bad input or a
    reader that closed the pipe early."""
    try:
        status = work()
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
    return status or 0


def trafilatura_available() -> bool:
    """Whether the extractor compared against is installed (``pip install -e '.[benchmark]'``)."""
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        return False
    return True


class Progress:
    """``label: 120/1000 pages, note`` on stderr, redrawn in place, for a person waiting on a long benchmark.

    Drawn only when stderr is a terminal: piped or redirected, stderr keeps only what went wrong, as the
    tests and scripts reading it expect.  Redrawn at most every ``every`` seconds (the first update at once),
    so a loop of fast steps spends its time on the steps, not the terminal; the line is wiped at the end, so
    the figures printed next are not mixed with it.  Use as a context manager.
    """

    def __init__(self, label: str, total: int | None = None, unit: str = "pages", *, stream: TextIO | None = None,
                 every: float = 0.2) -> None:  # fmt: skip
        self.stream = stream if stream is not None else sys.stderr
        self.shown = self.stream.isatty()
        self.label, self.total, self.unit, self.every = label, total, unit, every
        self.done = 0
        self.drawn_at: float | None = None
        self.width = 0

    def update(self, done: int, note: str = "") -> None:
        """``done`` steps so far (and a short note, e.g. a crash count); drawn if it is time to."""
        self.done = done
        if not self.shown:
            return
        now = time.monotonic()
        if self.drawn_at is not None and now - self.drawn_at < self.every:
            return
        self.drawn_at = now
        count = f"{done}/{self.total}" if self.total is not None else str(done)
        line = f"{self.label}: {count} {self.unit}" + (f", {note}" if note else "")
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def advance(self, step: int = 1, note: str = "") -> None:
        self.update(self.done + step, note)

    def clear(self) -> None:
        """Wipe the line, before printing something else (a crash, the figures); the next update draws again."""
        if self.shown and self.drawn_at is not None:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
        self.drawn_at, self.width = None, 0

    def close(self) -> None:
        self.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


class EngineCpuClock:
    """Process CPU seconds since a crawler's engine started: the crawl's cost, without Python's and Scrapy's start-up.

    Scrapy's signals hold a weak reference to a receiver, so the clock (and its bound method) must outlive the
    crawl: keep the object, as the benchmarks do, never a lambda.
    """

    def __init__(self, crawler: Any) -> None:
        from scrapy import signals

        self.started: float | None = None
        crawler.signals.connect(self._start, signal=signals.engine_started)

    def _start(self) -> None:
        self.started = time.process_time()

    def seconds(self) -> float:
        if self.started is None:
            raise DataError("the crawl's engine never started")
        return time.process_time() - self.started


def cpu_per_page(figures: dict[str, Any]) -> float:
    """A crawl's CPU seconds per page, from the figures its process printed (``cpu_seconds``, ``pages``)."""
    return float(figures["cpu_seconds"]) / figures["pages"]


def add_mirror_crawl_options(parser: ArgumentParser, rounds_help: str) -> None:
    """The options of a benchmark that crawls the mirror: ``--copies``, ``--rounds``, and the hidden ones its own
    crawl processes are started with (``--mirror``, ``--store``)."""
    parser.add_argument(
        "--copies", type=at_least(0), default=60, help="extra copies of each stored article (default 60)"
    )
    parser.add_argument("--rounds", type=at_least(1), default=3, help=f"{rounds_help} (default 3)")
    parser.add_argument("--mirror", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
