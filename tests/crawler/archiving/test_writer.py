"""The archive writer: numbered files rotated by size, and a failing disk that never stops the crawl."""

from __future__ import annotations

import errno
import logging
from pathlib import Path

import pytest

from crawler.archiving.reader import ArchiveReading
from crawler.archiving.records import FetchedPage
from crawler.archiving.writer import ArchiveWriter


def page(number: int, size: int = 5000) -> FetchedPage:
    body = b"<html><body>" + (f"<p>paragraph {number} ".encode() * (size // 20)) + b"</body></html>"
    return FetchedPage(f"https://news.example/news/{number}", "GET", [("Accept", "text/html")], 200,
                       [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")], body)  # fmt: skip


def test_a_file_past_the_limit_is_followed_by_the_next_number(tmp_path: Path) -> None:
    writer = ArchiveWriter(tmp_path, "crawl", max_bytes=1)  # every page past it
    for number in range(5):
        assert writer.write(page(number))
    writer.close()
    assert [path.name for path in writer.paths] == [f"crawl-{n:05d}.warc.gz" for n in range(5)]
    pages = list(ArchiveReading([tmp_path]).pages())
    assert [p.url for p in pages] == [f"https://news.example/news/{n}" for n in range(5)]
    assert pages[0].header("X-Archive-Orig-Content-Encoding") == "gzip" and pages[0].header("Content-Encoding") is None


def test_a_second_crawl_of_the_same_name_never_appends(tmp_path: Path) -> None:
    for _ in range(2):
        writer = ArchiveWriter(tmp_path, "crawl")
        writer.write(page(1))
        writer.close()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["crawl-00000.warc.gz", "crawl-00001.warc.gz"]


class FullDisk:
    def __init__(self) -> None:
        self.closed = False

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def tell(self) -> int:
        return 0

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def test_a_full_disk_is_one_error_line_and_the_next_page_starts_a_new_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = ArchiveWriter(tmp_path, "crawl")
    writer.write(page(0))
    monkeypatch.setattr(writer, "file", FullDisk())
    with caplog.at_level(logging.ERROR):
        assert not writer.write(page(1))
        monkeypatch.setattr(writer, "_next_file", lambda: setattr(writer, "file", FullDisk()))
        assert not writer.write(page(2))
    assert writer.failed == 2 and writer.written == 1
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1 and "No space left on device" in errors[0].getMessage()
    monkeypatch.undo()
    assert writer.write(page(3))
    writer.close()
    assert [p.url.rsplit("/", 1)[1] for p in ArchiveReading([tmp_path]).pages()] == ["0", "3"]
