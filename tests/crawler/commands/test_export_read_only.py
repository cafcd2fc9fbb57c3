"""``scrapy export`` only reads the store: a store it may not write to is exported, and nothing is written to any.

Tests run as root here, where file modes do not stop a write; the export
then runs without ``CAP_DAC_OVERRIDE`` (``setpriv``), so that a file's
modes apply to it as to any user.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from crawler.storage.store import ArticleStore
from tests.crawler.storage.test_store import article
from tests.crawling import ROOT
from tests.needs import unless

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
#: Root bound by file modes: no capability to override them (needs util-linux's setpriv).
BOUND_BY_MODES = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if AS_ROOT else []
needs_modes = unless(not AS_ROOT or shutil.which("setpriv") is not None, "root, and no setpriv (util-linux)")


def export(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*BOUND_BY_MODES, sys.executable, "-m", "scrapy", "export", *args],
        cwd=ROOT, env={**os.environ, "SCRAPY_PROJECT": "replay"}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def make_store(path: Path) -> None:
    with ArticleStore(path) as store:
        store.save(article("https://see.news/a", date_published="2021-09-23T13:19:00+02:00"), None)
        store.save(article("https://see.news/b", date_published="2021-10-01T09:00:00+02:00"), None)


def exported_urls(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "export: 2 articles", result.stderr
    return [line.split('"url": "', 1)[1].split('"', 1)[0] for line in result.stdout.splitlines()]


@needs_modes
def test_a_store_file_no_one_may_write_is_exported(tmp_path: Path) -> None:
    path = tmp_path / "articles.sqlite"
    make_store(path)
    path.chmod(0o444)
    assert exported_urls(export("--store", str(path))) == ["https://see.news/a", "https://see.news/b"]


@needs_modes
def test_a_store_in_a_folder_no_one_may_write_is_exported(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    path = folder / "articles.sqlite"
    make_store(path)
    path.chmod(0o444)
    folder.chmod(0o555)  # not even SQLite's -shm file can be made beside it
    try:
        assert exported_urls(export("--store", str(path))) == ["https://see.news/a", "https://see.news/b"]
        assert os.listdir(folder) == ["articles.sqlite"]
    finally:
        folder.chmod(0o755)


def test_an_export_writes_nothing_to_the_store(tmp_path: Path) -> None:
    """Not the schema, not the journal mode: the file is byte for byte what it was (whoever runs the export)."""
    path = tmp_path / "articles.sqlite"
    make_store(path)
    with sqlite3.connect(path, isolation_level=None) as connection:  # a store as an older version made it
        connection.execute("DROP TABLE simhash_bands")
        connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert exported_urls(export("--store", str(path))) == ["https://see.news/a", "https://see.news/b"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(os.listdir(tmp_path)) == ["articles.sqlite"]


def test_a_file_that_is_no_store_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "articles.sqlite"
    path.write_text("these are not the articles you are looking for\n" * 100)
    result = export("--store", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"export: cannot read the store {path}: file is not a database"]
    assert result.stdout == ""
