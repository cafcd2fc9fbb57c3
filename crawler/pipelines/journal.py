"""The store stage's journal: articles the store refused, on disk until it takes them.

One file per crawl (``<store>.pending.<time>-<pid>.jsonl``), fsynced on
every append and held with an exclusive ``flock`` while its crawl runs, so
that a later crawl takes up only journals whose crawl has ended.  A file is
made under a name no crawl looks for and renamed once locked: a journal is
never seen half made.  Lines that cannot be read are kept aside as they were
(``<store>.pending.damaged.jsonl``), never dropped and never in the way.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import stat
import time
from pathlib import Path
from typing import Any

from crawler.storage.backend import Store

logger = logging.getLogger(__name__)


def pending_path(store: Store) -> Path:
    """The single pending file earlier versions left; still taken up first, like any journal."""
    return store.path.with_name(store.path.name + ".pending.jsonl")


def damaged_path(store: Store) -> Path:
    """Where journal lines that cannot be read are kept aside, as they were."""
    return store.path.with_name(store.path.name + ".pending.damaged.jsonl")


def journal_paths(store: Store) -> list[Path]:
    """Every journal beside the store, oldest first (the legacy ``.pending.jsonl``, then by creation time)."""
    prefix = store.path.name + ".pending."
    damaged = damaged_path(store).name
    try:
        names = os.listdir(store.path.parent)
    except FileNotFoundError:
        return []
    found = [
        name for name in names
        if name.startswith(prefix) and name.endswith(".jsonl") and name != damaged
    ]  # fmt: skip
    legacy = pending_path(store).name
    return [store.path.with_name(name) for name in sorted(found, key=lambda name: (name != legacy, name))]


def _fsync_folder(folder: Path) -> None:
    """Make a file's creation or renaming durable (its directory entry)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def append_fsynced(descriptor: int, data: bytes) -> None:
    """Append ``data`` and fsync; on failure the file is cut back to where it was, never left with half a line."""
    size = os.fstat(descriptor).st_size
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    except OSError:
        with contextlib.suppress(OSError):
            os.ftruncate(descriptor, size)
        raise


def _lines(articles: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(article, ensure_ascii=False, sort_keys=True) + "\n" for article in articles).encode()


class Journal:
    """One journal file, held with an exclusive ``flock`` for as long as it is open."""

    def __init__(self, path: Path, descriptor: int) -> None:
        self.path = path
        self.descriptor = descriptor
        #: Set when lines of it could not be quarantined: then it stays even once its articles are committed.
        self.keep = False

    @classmethod
    def create(cls, store: Store) -> Journal:
        """A new, empty journal for this crawl, locked before any other crawl can see it under a journal name."""
        now = time.time_ns()  # names sort by creation time: the order a later crawl writes them in
        stamp = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime(now // 10**9))}.{now % 10**9:09d}Z-{os.getpid()}"
        path = store.path.with_name(f"{store.path.name}.pending.{stamp}.jsonl")
        making = path.with_name(path.name + ".making")  # no journal name: nobody takes it up half made
        descriptor = os.open(making, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.rename(making, path)
            _fsync_folder(path.parent)
        except OSError:
            os.close(descriptor)
            making.unlink(missing_ok=True)
            raise
        return cls(path, descriptor)

    @classmethod
    def take_up(cls, path: Path) -> Journal | None:
        """An earlier crawl's journal, locked; ``None`` if a running crawl holds it or it is gone."""
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        except OSError as error:
            logger.error("Cannot read the journal %s (%s); it is left for a later crawl", path, error)
            return None
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise IsADirectoryError(path)  # no journal of ours: left alone
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.stat(path).st_ino != os.fstat(descriptor).st_ino:  # removed (and maybe remade) meanwhile
                raise FileNotFoundError(path)
        except OSError:  # BlockingIOError: a running crawl's own journal
            os.close(descriptor)
            return None
        return cls(path, descriptor)

    def read(self) -> bytes:
        chunks, offset = [], 0
        while chunk := os.pread(self.descriptor, 1 << 20, offset):
            chunks.append(chunk)
            offset += len(chunk)
        return b"".join(chunks)

    def append(self, articles: list[dict[str, Any]]) -> None:
        append_fsynced(self.descriptor, _lines(articles))

    def remove(self) -> None:
        """Only once every article in it is committed.  Unlinked while still locked, so nobody takes it up."""
        if not self.keep:
            self.path.unlink(missing_ok=True)
        self.close()

    def close(self) -> None:
        if self.descriptor >= 0:
            os.close(self.descriptor)  # lets go of the lock
            self.descriptor = -1


def parse_journal(data: bytes) -> tuple[list[dict[str, Any]], list[bytes]]:
    """The articles in a journal, and its lines that are not one (cut short, garbled)."""
    articles, damaged = [], []
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        try:
            article = json.loads(line.decode("utf-8"))
        except ValueError:  # JSONDecodeError, UnicodeDecodeError
            damaged.append(line)
            continue
        if isinstance(article, dict) and all(isinstance(article.get(name), str) for name in ("url", "canonical_url")):
            articles.append(article)
        else:
            damaged.append(line)
    return articles, damaged


def keep_aside(store: Store, lines: list[bytes]) -> Path:
    """Append damaged journal lines, as they were, to the store's damaged-lines file (fsynced); its path."""
    path = damaged_path(store)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        append_fsynced(descriptor, b"".join(line + b"\n" for line in lines))
    finally:
        os.close(descriptor)
    return path
