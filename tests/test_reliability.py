"""Bad input and faults never crash a crawl and never lose an item.

Each test runs ``scrapy runspider`` with the project's live settings (in the
test process, tests/inprocess.py; a real subprocess where the test reads its
log while it runs) against the HTTP mirror on 127.0.0.1 (``crawler.tools.mirror``), made to
misbehave: pages over ``DOWNLOAD_MAXSIZE``, an endless calendar of listings,
redirect loops, malformed feeds and XML bombs, server errors, timeouts,
connection resets, a server that dies mid-crawl and comes back, a store
locked by another process, and a feed on a full disk.  After every crawl,
every article it yielded is in the SQLite store.  The README's
"Reliability" table is these tests.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from crawler.storage.store import ArticleStore
from crawler.tools.mirror import Answer, Mirror, RunningMirror
from tests.crawling import ROOT, CrawlResult, expected_output
from tests.inprocess import run_scrapy
from tests.locking import store_locked
from tests.needs import needs_dev_full

SITE = "sadaelbalad"
ARTICLES = ("lavrov-russia-never-join-nato", "no-json-ld", "json-ld-date-disagrees")
ARTICLE_URLS = {expected_output(SITE, case)["url"] for case in ARTICLES}
A = "https://see.news/lavrov-russia-never-plans-to-join-nato"

#: Fast, and small enough limits to hit: one retry with a short backoff, a 1 MB page limit, 1 s timeouts.
FAST = {
    "AUTOTHROTTLE_ENABLED": "0", "NEWS_SITE_POLITENESS": "0", "DOWNLOAD_TIMEOUT": "1", "RETRY_TIMES": "1",
    "RETRY_BACKOFF_BASE": "0.1", "DOWNLOAD_MAXSIZE": "1000000", "REDIRECT_MAX_TIMES": "5",
    "NEWS_MAX_LISTING_PAGES": "4", "TELNETCONSOLE_ENABLED": "0",
}  # fmt: skip


def spider_source(*start_urls: str) -> str:
    return (
        "from spiders.sadaelbalad import SadaElBaladSpider\n\n"
        "class Hardened(SadaElBaladSpider):\n"
        f"    start_urls = {list(start_urls)!r}\n"
    )


# -- hostile pages the mirror serves besides the snapshots --------------------------------------------------

LINKS = "".join(
    f'<article><h2 class="entry-title"><a href="{url}">story</a></h2></article>' for url in sorted(ARTICLE_URLS)
)


def calendar_page(day: date, page: int) -> bytes:
    """A listing page of an endless archive: links to the day before and to the next page, forever."""
    return (
        f"<html><body><main>{LINKS}</main>"
        f'<a class="next page-numbers" href="/calendar/{day - timedelta(days=1)}">previous day</a>'
        f'<a class="next page-numbers" href="/calendar/{day}?page={page + 1}">next page</a></body></html>'
    ).encode()


def rss(*urls: str) -> bytes:
    items = "".join(f"<item><title>t</title><link>{url}</link></item>" for url in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def gzip_bomb(megabytes: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    chunk = b" " * (1 << 20)
    return (
        packer.compress(b"<?xml version='1.0'?><urlset>")
        + b"".join(packer.compress(chunk) for _ in range(megabytes))
        + packer.flush()
    )


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (level, (b"&lol%d;" % (level - 1) if level > 1 else b"&lol;") * 10)
        for level in range(1, 10)
    )
    + b"]><rss><channel><item><link>https://see.news/&lol9;</link></item></channel></rss>"
)
XXE = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>
<rss><channel><item><link>https://see.news/&x;</link></item></channel></rss>"""
RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}
GZIP_TYPE = {"Content-Type": "application/x-gzip"}
HOSTILE: dict[str, Answer] = {
    "/feed/cut-off": (200, RSS_TYPE, rss(*sorted(ARTICLE_URLS))[:-60]),  # the last entry and the closing tags lost
    "/feed/laughs": (200, RSS_TYPE, LAUGHS),
    "/feed/xxe": (200, RSS_TYPE, XXE),
    "/sitemap-bomb.xml.gz": (200, GZIP_TYPE, gzip_bomb(64)),
    "/sitemap.xml.gz": (200, GZIP_TYPE, gzip.compress(
        f"<urlset>{''.join(f'<url><loc>{url}</loc></url>' for url in sorted(ARTICLE_URLS))}</urlset>".encode())),
    # 5 MB of HTML sent as 5 KB of gzip: over DOWNLOAD_MAXSIZE only once decompressed
    "/huge-page": (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                   gzip.compress(b"<html><body>" + b" " * 5_000_000 + b"</body></html>")),
}  # fmt: skip


def hostile_pages(url: str) -> Answer | None:
    parts = urlsplit(url)
    if parts.path.startswith("/redirect/"):
        return 302, {"Location": f"/redirect/{int(parts.path[10:]) + 1}"}, b"moved"
    if parts.path.startswith("/calendar/"):
        page = int(dict(parse_qsl(parts.query)).get("page", 1))
        return (
            200,
            {"Content-Type": "text/html; charset=utf-8"},
            calendar_page(date.fromisoformat(parts.path[10:]), page),
        )
    return HOSTILE.get(parts.path)


@pytest.fixture(scope="module")
def mirror() -> Iterator[str]:
    with RunningMirror(Mirror(extra=hostile_pages)) as base_url:
        yield base_url


# -- running a crawl and reading what it left -------------------------------------------------------------


@dataclass(kw_only=True)
class Crawl(CrawlResult):
    returncode: int
    stored: set[str]

    @property
    def yielded(self) -> set[str]:
        return {item["url"] for item in self.items}


def crawl_arguments(
    tmp_path: Path, mirror: str, source: str, settings: dict[str, str], feed: str | None = None
) -> list[str]:
    """``scrapy``'s arguments for a crawl of ``source``'s spider (written to ``tmp_path``) through ``mirror``."""
    (tmp_path / "hardened.py").write_text(source)
    options = {**FAST, "NEWS_MIRROR_URL": mirror, "NEWS_STORE_PATH": str(tmp_path / "articles.sqlite"), **settings}
    return ["runspider", str(tmp_path / "hardened.py"),
            "-o", feed or f"{tmp_path / 'items.jsonl'}:jsonl", *(f"-s{key}={value}" for key, value in options.items())]  # fmt: skip


def crawl_command(
    tmp_path: Path, mirror: str, source: str, settings: dict[str, str], feed: str | None = None
) -> list[str]:
    """The same crawl as a subprocess's command line: for a test that kills it, or reads its log as it goes."""
    return [sys.executable, "-m", "scrapy", *crawl_arguments(tmp_path, mirror, source, settings, feed)]


def live_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "SCRAPY_PROJECT"}


SCRAPED = "Scraped from <200 "


def kill_once_scraped(command: list[str], count: int) -> list[str]:
    """Run the crawl and SIGKILL it as soon as its log shows ``count`` items scraped (or it ends first).

    Returns the URLs it scraped: the items the pipelines had handed on when the process died.
    """
    process = subprocess.Popen(command, cwd=ROOT, env=live_env(), stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    scraped: list[str] = []
    try:
        for line in process.stderr:
            if SCRAPED in line:
                scraped.append(line.split(SCRAPED, 1)[1].split(">", 1)[0])
                if len(scraped) == count:
                    break
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    return scraped


def finished(
    tmp_path: Path, returncode: int, log: str, feed: bool = True, stats: dict[str, Any] | None = None
) -> Crawl:
    """What a crawl left: its feed, the store's URLs, and its stats (``None``: read from ``log``)."""
    feed_path = tmp_path / "items.jsonl"
    items = [json.loads(line) for line in feed_path.read_text(encoding="utf-8").splitlines()] if feed else []
    with sqlite3.connect(tmp_path / "articles.sqlite") as store:
        stored = {row[0] for row in store.execute("SELECT url FROM articles")}
    return Crawl(items=items, log=log, stats=stats, returncode=returncode, stored=stored)


def crawl(tmp_path: Path, mirror: str, *start_urls: str, feed: str | None = None, **settings: str) -> Crawl:
    """A crawl of ``start_urls`` with the live settings, in this process; ``feed``: another than items.jsonl."""
    result = run_scrapy(*crawl_arguments(tmp_path, mirror, spider_source(*start_urls), settings, feed))
    return finished(tmp_path, result.returncode, result.stderr, feed=feed is None, stats=result.stats())


def assert_nothing_lost(result: Crawl) -> None:
    """The crawl ended normally, without a traceback, and every article it yielded is in the store."""
    assert result.returncode == 0, result.log
    assert "Traceback" not in result.log, result.log
    assert "'finish_reason': 'finished'" in result.log
    assert result.yielded <= result.stored, "an article the crawl yielded is not in the store"
    assert result.stat("item_scraped_count") == len(result.items)


# -- the tests ------------------------------------------------------------------------------------------


def test_odd_pages_are_counted_failures_and_the_crawl_ends_with_every_article(mirror: str, tmp_path: Path) -> None:
    result = crawl(
        tmp_path, mirror,
        "https://see.news/rss?_mirror_size=2500000",  # over DOWNLOAD_MAXSIZE (1 MB) by Content-Length
        f"{A}?_mirror_size=2500000",  # an article page over it
        "https://see.news/huge-page",  # over it only once decompressed
        "https://see.news/category/world?_mirror_redirect=loop",  # A -> B -> A -> ...
        "https://see.news/rss?_mirror_redirect=self",  # A -> A
        "https://see.news/redirect/1",  # /redirect/1 -> /redirect/2 -> ..., never repeating
        "https://see.news/calendar/2021-10-18",  # previous day and next page, forever
        "https://see.news/calendar/2021-10-15",  # the same calendar, entered by a second chain
        "https://see.news/feed/cut-off", "https://see.news/feed/laughs", "https://see.news/feed/xxe",
        "https://see.news/sitemap-bomb.xml.gz", "https://see.news/sitemap.xml.gz",
        DOWNLOAD_TIMEOUT="10",  # big pages take the mirror a moment to make: no timeouts here
    )  # fmt: skip
    assert_nothing_lost(result)
    assert result.stored == result.yielded == ARTICLE_URLS
    assert result.stat("news/download_failed/too_large") == 3
    assert result.stat("news/download_failed/redirect_loop") == 2
    assert result.stat("news/download_failed/too_many_redirects") == 1
    assert result.stat("news/feed_refused/entities") == 2
    assert result.stat("news/feed_refused/too_large") == 1
    assert result.stat("news/feed_malformed") == 1
    # Every chain is at most NEWS_MAX_LISTING_PAGES (4) long and each page has 2 next links: at most 1+2+3+4
    # calendar pages per chain, 2 chains; the feeds and sitemaps that were read count as listings too.
    calendar_pages = result.stat("news/listing_pages") - 2  # the cut-off feed and the gzipped sitemap
    assert 10 <= calendar_pages <= 20, calendar_pages
    assert result.stat("news/listing_pages_over_limit")
    assert "hostname" not in json.dumps(result.items)  # no entity was expanded into an item


def test_server_errors_timeouts_and_resets_are_retried_or_counted(mirror: str, tmp_path: Path) -> None:
    result = crawl(
        tmp_path, mirror,
        f"{A}-2?_mirror_status=500&_mirror_times=1",  # a 500, then the page: retried, kept
        f"{A}?_mirror_status=500",  # always 500: counted
        f"{A}-3?_mirror_fault=reset&_mirror_times=1",  # a reset, then the page: retried, kept
        "https://see.news/category/world?_mirror_fault=reset",  # always reset: counted
        "https://see.news/category/world/page/2/?_mirror_fault=truncate&_mirror_times=1",  # cut short once
        "https://see.news/category/world?_mirror_delay=3",  # always too slow: counted
        "https://see.news/rss?_mirror_delay=3&_mirror_times=1",  # too slow once, then the feed
        LOG_LEVEL="DEBUG",
    )  # fmt: skip
    assert_nothing_lost(result)
    assert {urlsplit(url).path for url in result.stored} == {urlsplit(url).path for url in ARTICLE_URLS}
    assert result.stat("news/download_failed/http_500") == 1
    assert result.stat("news/download_failed/DownloadFailedError") == 1  # the reset, twice
    assert result.stat("news/download_failed/DownloadTimeoutError") == 1
    for reason in ("500 Internal Server Error", "DownloadFailedError", "ResponseDataLossError", "DownloadTimeoutError"):
        assert result.stat(f"retry/reason_count/{reason}") or result.stat(
            f"retry/reason_count/scrapy.exceptions.{reason}"
        )
    # Fetched after the retry.  Whether this copy or the listing's link to the same article is scraped first
    # is a race the dedupe stage settles either way; that the article is stored is checked above.
    assert f"Crawled (200) <GET {A}-2?_mirror_status=500&_mirror_times=1>" in result.log
    assert f"Crawled (200) <GET {A}-3?_mirror_fault=reset&_mirror_times=1>" in result.log


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_mirror(port: int) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-m", "crawler.tools.mirror", "--port", str(port)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    assert process.stdout is not None and process.stdout.readline().startswith("mirror: serving")
    return process


def read_until(lines: list[str], stream: Iterator[str], marker: str) -> None:
    for line in stream:
        lines.append(line)
        if marker in line:
            return
    raise AssertionError(f"the crawl ended before {marker!r}:\n{''.join(lines)}")


def test_a_server_that_dies_mid_crawl_and_comes_back(tmp_path: Path) -> None:
    port = free_port()
    server = start_mirror(port)
    settings = {"LOG_LEVEL": "DEBUG", "CONCURRENT_REQUESTS": "1", "DOWNLOAD_DELAY": "0.2", "RANDOMIZE_DOWNLOAD_DELAY": "0",
                "RETRY_TIMES": "8", "RETRY_BACKOFF_BASE": "0.25", "RETRY_BACKOFF_MAX": "1"}  # ~6 s of retries  # fmt: skip
    command = crawl_command(tmp_path, f"http://127.0.0.1:{port}", spider_source(*SITE_START_URLS), settings)
    process = subprocess.Popen(command, cwd=ROOT, env=live_env(), stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    lines: list[str] = []
    try:
        read_until(lines, process.stderr, "Crawled (200) <GET https://see.news/rss>")
        server.send_signal(signal.SIGKILL)  # the server dies, with requests still to come
        server.wait()
        read_until(lines, process.stderr, "Retrying <GET")
        server = start_mirror(port)  # and comes back on the same port
        lines.extend(process.stderr)
        process.wait(timeout=60)
    finally:
        process.kill()
        server.kill()
    result = finished(tmp_path, process.returncode, "".join(lines))
    assert_nothing_lost(result)
    assert result.stored == ARTICLE_URLS
    assert result.stat("retry/reason_count/scrapy.exceptions.DownloadConnectionRefusedError")
    # Nothing given up on but the feed's links to pages the mirror does not hold (404s, as in any mirrored crawl).
    assert [line.split("'")[1] for line in lines if "'news/download_failed/" in line] == [
        "news/download_failed/http_404"
    ]


SITE_START_URLS = ("https://see.news/rss", "https://see.news/category/world")


def test_a_store_locked_by_another_process_delays_items_and_loses_none(mirror: str, tmp_path: Path) -> None:
    store_path = tmp_path / "articles.sqlite"
    ArticleStore(store_path).close()
    settings = {"NEWS_STORE_BUSY_TIMEOUT": "0.2", "NEWS_STORE_RETRY_INTERVAL": "0.2"}
    # A slow last page keeps the crawl open after the lock is let go.
    source = spider_source(*SITE_START_URLS, "https://see.news/category/world/page/2/?_mirror_delay=2")
    with store_locked(store_path) as lock:
        process = subprocess.Popen(crawl_command(tmp_path, mirror, source, {**FAST, **settings, "DOWNLOAD_TIMEOUT": "10"}),
                                   cwd=ROOT, env=live_env(), stderr=subprocess.PIPE, text=True)  # fmt: skip
        assert process.stderr is not None
        lines: list[str] = []
        try:
            read_until(lines, process.stderr, "The store refused")
            lock.release()
            lines.extend(process.stderr)
            process.wait(timeout=60)
        finally:
            process.kill()
    result = finished(tmp_path, process.returncode, "".join(lines))
    assert_nothing_lost(result)
    assert result.stored == ARTICLE_URLS
    assert result.stat("store/deferred") and not result.stat("store/spilled")


@needs_dev_full
def test_a_feed_on_a_full_disk_is_a_counted_error_and_the_store_has_every_article(mirror: str, tmp_path: Path) -> None:
    stored = crawl(tmp_path, mirror, *SITE_START_URLS, feed="/dev/full:jsonl")
    log = stored.log
    assert stored.returncode == 0, log
    assert log.count("Traceback") <= 1 and "OSError: [Errno 28]" not in log  # only Scrapy's "Error storing" at the end
    assert "writing failed ([Errno 28] No space left on device)" in log
    assert (
        stored.stat("feedexport/write_failed") == 1
        and stored.stat("feedexport/failed_count/GuardedFileFeedStorage") == 1
    )
    assert stored.stored == ARTICLE_URLS and stored.stat("item_scraped_count") == len(ARTICLE_URLS)
