"""A crawl through the mirror keeps its article pages as WARC records; ``scrapy reextract`` reads them back.

The rule change is made in this process (the spider class's ``rules``
replaced), which both the in-process crawl command and ``reextract`` see.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.archiving.reader import ArchiveReading
from crawler.archiving.reextract import content, reextract
from crawler.crawling.sites import rules_for, spider_for
from crawler.tools.mirror import RunningMirror
from tests.crawler.tools.test_mirror import crawl_through_mirror
from tests.inprocess import run_scrapy

SITE = "almayadeen"
#: A drop selector that matches in one stored article's body only (its subheading).
CHANGED_PAGE = "russia-suspends-work-of-nato-information-office-in-moscow"
EXTRA_DROP = "article div.p-content h3"


@dataclasses.dataclass(frozen=True)
class Crawled:
    folder: Path
    archive: Path
    store: Path
    feed: list[dict[str, object]]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    folder = tmp_path_factory.mktemp("archived-crawl")
    with RunningMirror() as base_url:
        result = crawl_through_mirror(base_url, folder, "crawl", SITE, "-O", str(folder / "items.jsonl"),
                                      "-s", f"NEWS_ARCHIVE_DIR={folder / 'archive'}")  # fmt: skip
    assert result.returncode == 0, result.stderr
    feed = [json.loads(line) for line in (folder / "items.jsonl").read_text().splitlines()]
    assert feed and result.stat("archive/pages") == len(feed)
    yield Crawled(folder, folder / "archive", folder / "articles.sqlite", feed)


def reextract_command(crawled: Crawled, store: Path, *options: str) -> tuple[int, str, str]:
    result = run_scrapy("reextract", str(crawled.archive), *options, "-s", f"NEWS_STORE_PATH={store}")
    return result.returncode, result.stdout, result.stderr


def copy_of_store(crawled: Crawled, tmp_path: Path) -> Path:
    store = tmp_path / "articles.sqlite"
    shutil.copy(crawled.store, store)
    return store


def versions(store: Path) -> dict[str, int]:
    with sqlite3.connect(store) as connection:
        return dict(connection.execute("SELECT url, version FROM articles").fetchall())


@pytest.fixture
def changed_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    spider = spider_for(SITE)
    rules = spider.rules
    monkeypatch.setattr(spider, "rules", dataclasses.replace(rules, drop=(*rules.drop, EXTRA_DROP)))


def test_the_archive_holds_each_article_page_as_request_and_response(crawled: Crawled) -> None:
    files = sorted(crawled.archive.iterdir())
    assert len(files) == 1 and files[0].name.endswith(f"-{SITE}-00000.warc.gz")
    with files[0].open("rb") as stream:
        records = [(r.rec_type, r.rec_headers, r.http_headers) for r in ArchiveIterator(stream)]
    responses = [record for record in records if record[0] == "response"]
    requests = [record for record in records if record[0] == "request"]
    assert len(responses) == len(requests) == len(crawled.feed)
    for _, warc, http in responses:
        assert warc.get_header("WARC-Target-URI").startswith("https://english.almayadeen.net/")  # the real URL
        assert warc.get_header("WARC-Newsframe-Kind") == "article"
        assert http.get_statuscode() == "200" and "text/html" in http.get_header("Content-Type")
        assert http.get_header("Content-Encoding") is None  # the payload is decoded: no header says otherwise
    ids = {warc.get_header("WARC-Record-ID") for _, warc, _ in responses}
    for _, warc, http in requests:
        assert warc.get_header("WARC-Concurrent-To") in ids
        assert (http.protocol, http.statusline[:1]) == ("GET", "/")
        assert http.get_header("Host") == "english.almayadeen.net" and http.get_header("User-Agent")


def test_reading_back_gives_the_feeds_articles(crawled: Crawled) -> None:
    pages = list(ArchiveReading([crawled.archive]).pages())
    by_url = {article["url"]: article for article in crawled.feed}
    assert sorted(page.url for page in pages) == sorted(by_url)
    for page in pages:
        assert content(reextract(page, rules_for(SITE))) == content(by_url[page.url])


def test_unchanged_rules_change_nothing(crawled: Crawled, tmp_path: Path) -> None:
    status, out, err = reextract_command(crawled, copy_of_store(crawled, tmp_path), "--diff")
    assert status == 0, err
    assert f"{SITE}: {len(crawled.feed)} pages read, 0 would change, 0 not in the store" in out


def test_a_rule_change_shows_on_exactly_the_pages_and_fields_it_touches(
    crawled: Crawled, tmp_path: Path, changed_rule: None
) -> None:
    store = copy_of_store(crawled, tmp_path)
    status, out, err = reextract_command(crawled, store, "--diff")
    assert status == 0, err
    assert f"{SITE}: {len(crawled.feed)} pages read, 1 would change" in out
    assert "  body: 1 page\n" in out and out.count(": 1 page\n") == 1  # the body, and no other field
    changed = [article["url"] for article in crawled.feed if CHANGED_PAGE in str(article["url"])]
    assert f"  {changed[0]}\n    - body: differs" in out
    assert versions(store) == versions(crawled.store)  # --diff writes nothing


def test_store_updates_exactly_the_changed_articles(crawled: Crawled, tmp_path: Path, changed_rule: None) -> None:
    store = copy_of_store(crawled, tmp_path)
    before = versions(store)
    status, out, err = reextract_command(crawled, store, "--store")
    assert status == 0, err
    assert f"store: 1 updated, {len(crawled.feed) - 1} unchanged, 0 new" in out
    after = versions(store)
    assert {url for url in after if after[url] != before[url]} == {url for url in after if CHANGED_PAGE in url}
    assert all(after[url] == before[url] + 1 for url in after if CHANGED_PAGE in url)
    status, out, _ = reextract_command(crawled, store, "--diff")  # now the store holds today's extraction
    assert " 0 would change" in out


def test_a_torn_last_record_is_skipped_with_a_warning(crawled: Crawled, tmp_path: Path) -> None:
    archive = tmp_path / "torn.warc.gz"
    data = next(crawled.archive.iterdir()).read_bytes()
    archive.write_bytes(data[: len(data) - 2000])  # inside the last response record's payload... or its request
    reading = ArchiveReading([archive])
    pages = list(reading.pages())
    assert len(pages) == len(crawled.feed) - 1 and reading.torn == [archive]
    result = run_scrapy("reextract", str(archive), "-s", f"NEWS_STORE_PATH={crawled.store}")
    assert result.returncode == 0
    assert "skipped a torn last record" in result.stderr and "1 torn records skipped" in result.stdout


@pytest.mark.parametrize(
    ("argument", "message"),
    [("missing.warc.gz", "reextract: no such file or folder: "), ("scrapy.cfg", "not a WARC file")],
)
def test_bad_archives_are_one_line_and_exit_2(argument: str, message: str) -> None:
    result = run_scrapy("reextract", argument)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0]


def test_an_unknown_site_is_one_line() -> None:
    result = run_scrapy("reextract", "scrapy.cfg", "--site", "nosuchsite")
    assert result.returncode == 2 and "No news spider named 'nosuchsite'" in result.stderr


def test_store_needs_a_store_and_says_so_in_one_line(crawled: Crawled) -> None:
    result = run_scrapy("reextract", str(crawled.archive), "--store", "-s", "NEWS_STORE_PATH=")
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["reextract: --store needs a store: NEWS_STORE_PATH is not set"]


def test_a_shared_store_that_cannot_be_reached_is_one_line_without_its_password(crawled: Crawled) -> None:
    url = "postgresql://newsframe:s3cret@127.0.0.1:9/articles"  # the discard port: nothing listens
    result = run_scrapy("reextract", str(crawled.archive), "-s", f"NEWS_STORE_URL={url}")
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("reextract: store: cannot connect to postgresql://newsframe:***@127.0.0.1:9/articles")
    assert "s3cret" not in result.stderr + result.stdout


def test_the_shared_postgresql_store_is_compared_and_updated_too(
    crawled: Crawled, tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reextract reads and writes the store the crawl wrote, whichever backend (NEWS_STORE_URL first)."""
    shared = ("-s", f"NEWS_STORE_URL={postgres_url}", "-s", f"NEWS_STORE_JOURNAL_PATH={tmp_path / 'journal'}")
    with RunningMirror() as base_url:
        result = crawl_through_mirror(base_url, tmp_path, "crawl", SITE, "-O", str(tmp_path / "items.jsonl"),
                                      "-s", f"NEWS_ARCHIVE_DIR={tmp_path / 'archive'}", *shared)  # fmt: skip
    assert result.returncode == 0, result.stderr
    unchanged = run_scrapy("reextract", str(tmp_path / "archive"), *shared)
    assert unchanged.returncode == 0, unchanged.stderr
    assert f"{SITE}: {len(crawled.feed)} pages read, 0 would change, 0 not in the store" in unchanged.stdout
    spider = spider_for(SITE)
    monkeypatch.setattr(spider, "rules", dataclasses.replace(spider.rules, drop=(*spider.rules.drop, EXTRA_DROP)))
    stored = run_scrapy("reextract", str(tmp_path / "archive"), "--store", *shared)
    assert stored.returncode == 0, stored.stderr
    assert f"store: 1 updated, {len(crawled.feed) - 1} unchanged, 0 new" in stored.stdout
