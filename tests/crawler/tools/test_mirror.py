"""The mirror as an HTTP server on 127.0.0.1, and every site crawled through it (in the test process)."""

from __future__ import annotations

import gzip
import http.client
import json
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.tools.mirror import Answer, Mirror, RunningMirror, mirror_path, real_url
from tests.crawling import expected_output
from tests.inprocess import ScrapyRun, run_scrapy

# The articles each site's replay crawl finds: a mirrored crawl must find the same, and nothing else.
SITES = {
    "almayadeen": ("russia-suspends-nato-office", "lavrov-us-army-central-asia"),
    "aljazeera": ("ajn-russia-ends-nato-mission", "old-layout-russia-ends-nato-mission"),
    "sadaelbalad": ("lavrov-russia-never-join-nato", "no-json-ld", "json-ld-date-disagrees"),
    "persian_aggregator": ("lavrov-nato-buried-consultation", "lavrov-nato-persian-digits", "impossible-date"),
}
# Fast and deterministic against loopback: no AutoThrottle, no per-site delays.
MIRROR_SETTINGS = ("-s", "AUTOTHROTTLE_ENABLED=0", "-s", "NEWS_SITE_POLITENESS=0", "-a", "date=2021-10-18")


@pytest.fixture(scope="module")
def mirror() -> Iterator[str]:
    with RunningMirror() as base_url:
        yield base_url


def fetch(url: str, gzip_ok: bool = False) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_paths_map_both_ways() -> None:
    url = "https://www.aljazeera.net/sitemap.xml?yyyy=2021&mm=10&dd=18"
    assert real_url(mirror_path(url)) == url
    assert real_url("/nothing") is None


def test_stored_pages_with_their_content_type_and_gzip(mirror: str) -> None:
    status, headers, body = fetch(f"{mirror}/https/www.parsinews.ir/rss", gzip_ok=True)
    assert status == 200 and headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body).startswith(b"<?xml")


def test_robots_redirects_and_not_found(mirror: str) -> None:
    status, _, body = fetch(f"{mirror}/https/see.news/robots.txt")
    assert status == 200 and b"Disallow: /private/" in body
    status, headers, _ = fetch(f"{mirror}/http/see.news/category/world")
    assert (status, headers["Location"]) == (301, "https://see.news/category/world")
    status, headers, _ = fetch(f"{mirror}/https/see.news/category/world/page/2")
    assert (status, headers["Location"]) == (301, "https://see.news/category/world/page/2/")
    assert fetch(f"{mirror}/https/see.news/not-stored")[0] == 404


def test_errors_and_slow_answers_on_request(mirror: str) -> None:
    assert fetch(f"{mirror}/https/see.news/rss?_mirror_status=500")[0] == 500
    assert fetch(f"{mirror}/https/see.news/rss?_mirror_status=429")[0] == 429


def test_faults_on_request(mirror: str) -> None:
    flaky = f"{mirror}/https/see.news/rss?_mirror_status=503&_mirror_times=2"
    assert [fetch(flaky)[0] for _ in range(3)] == [503, 503, 200]  # a server that comes back
    status, headers, _ = fetch(f"{mirror}/https/see.news/rss?_mirror_redirect=loop")
    assert (status, headers["Location"]) == (302, "https://see.news/rss?_mirror_redirect=loop&_mirror_hop=1")
    status, headers, _ = fetch(f"{mirror}/https/see.news/rss?_mirror_redirect=loop&_mirror_hop=1")
    assert (status, headers["Location"]) == (302, "https://see.news/rss?_mirror_redirect=loop")
    status, headers, _ = fetch(f"{mirror}/https/see.news/rss?_mirror_redirect=self")
    assert (status, headers["Location"]) == (302, "https://see.news/rss?_mirror_redirect=self")
    status, _, body = fetch(f"{mirror}/https/see.news/rss?_mirror_size=100000")
    assert status == 200 and len(body) == 100_000 and body.startswith(b"<?xml")


@pytest.mark.parametrize("fault", ["reset", "truncate"])
def test_connection_faults_hang_up_without_a_whole_answer(mirror: str, fault: str) -> None:
    with pytest.raises((ConnectionError, http.client.IncompleteRead)):
        fetch(f"{mirror}/https/see.news/rss?_mirror_fault={fault}")


def test_extra_pages_answer_what_the_snapshots_do_not_hold() -> None:
    def extra(url: str) -> Answer | None:
        return (200, {"Content-Type": "text/plain"}, b"made up") if url.endswith("/made-up") else None

    with RunningMirror(Mirror(extra=extra)) as base_url:
        assert fetch(f"{base_url}/https/see.news/made-up")[2] == b"made up"
        assert fetch(f"{base_url}/https/see.news/rss")[0] == 200


def crawl_through_mirror(mirror: str, tmp_path: Path, *command: str) -> ScrapyRun:
    """``scrapy *command`` with the live settings (no SCRAPY_PROJECT), through the mirror."""
    return run_scrapy(*command, "-s", f"NEWS_MIRROR_URL={mirror}", "-s", f"NEWS_STORE_PATH={tmp_path / 'articles.sqlite'}",
                      *MIRROR_SETTINGS)  # fmt: skip


def urls_of(site: str) -> set[str]:
    return {expected_output(site, case)["url"] for case in SITES[site]}


@pytest.mark.parametrize("site", sorted(SITES))
def test_each_site_crawls_over_http_to_its_stored_articles(mirror: str, tmp_path: Path, site: str) -> None:
    feed = tmp_path / "items.jsonl"
    result = crawl_through_mirror(mirror, tmp_path, "crawl", site, "-O", str(feed))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    items = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    assert {item["url"] for item in items} == urls_of(site)
    with sqlite3.connect(tmp_path / "articles.sqlite") as store:
        assert {row[0] for row in store.execute("SELECT url FROM articles")} == urls_of(site)
    assert result.stat("robotstxt/response_status_count/200") == 1  # live settings: robots.txt read


def test_all_sites_in_one_process(mirror: str, tmp_path: Path) -> None:
    result = crawl_through_mirror(mirror, tmp_path, "crawlall", "--output-dir", str(tmp_path / "feeds"))
    assert result.returncode == 0, result.stderr
    for site in SITES:
        feed = tmp_path / "feeds" / f"{site}.jsonl"
        assert {json.loads(line)["url"] for line in feed.read_text(encoding="utf-8").splitlines()} == urls_of(site)
    with sqlite3.connect(tmp_path / "articles.sqlite") as store:
        assert store.execute("SELECT count(*) FROM articles").fetchone()[0] == sum(map(len, SITES.values()))


def test_a_mirror_crawl_writes_the_same_items_every_time(mirror: str, tmp_path: Path) -> None:
    """The mirror serves the same stored pages every time: a second crawl on the same store skips none of them.

    The README's mirror block runs once (its crawl delays cost a second a request); this is its second run.
    """
    runs = []
    for name in ("first", "again"):
        feed = tmp_path / f"{name}.jsonl"
        result = crawl_through_mirror(mirror, tmp_path, "crawl", "sadaelbalad", "-O", str(feed))
        assert result.returncode == 0, result.stderr
        runs.append((result, sorted(line for line in feed.read_text(encoding="utf-8").splitlines())))
    (first, first_items), (again, again_items) = runs
    assert {json.loads(line)["url"] for line in first_items} == urls_of("sadaelbalad")
    assert [json.loads(line)["url"] for line in again_items] == [json.loads(line)["url"] for line in first_items]
    assert again.stat("store/unchanged") == len(urls_of("sadaelbalad"))
    assert again.stat("news/skipped/already_stored") is None


PROBE = """
import scrapy

class Probe(scrapy.Spider):
    name = "probe"
    start_urls = {urls!r}

    def parse(self, response):
        self.crawler.stats.inc_value("probe/parsed")
"""


def probe(mirror: str, tmp_path: Path, urls: list[str], *settings: str) -> ScrapyRun:
    """A one-page spider through the mirror with the project's live settings."""
    (tmp_path / "probe.py").write_text(PROBE.format(urls=urls))
    arguments = ["-s", f"NEWS_MIRROR_URL={mirror}", "-s", "NEWS_STORE_PATH=", "-s", "AUTOTHROTTLE_ENABLED=0"]
    result = run_scrapy("runspider", str(tmp_path / "probe.py"), *arguments, *settings)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def test_server_errors_are_retried_with_backoff_then_given_up(mirror: str, tmp_path: Path) -> None:
    result = probe(mirror, tmp_path, ["https://see.news/rss?_mirror_status=503"],
                   "-s", "RETRY_TIMES=2", "-s", "RETRY_BACKOFF_BASE=0.2")  # fmt: skip
    assert result.stat("retry/count") == 2 and result.stat("retry/max_reached") == 1


SLOW_SITE = """
from spiders.sadaelbalad import SadaElBaladSpider

class SlowFeed(SadaElBaladSpider):
    start_urls = ["https://see.news/rss?_mirror_delay=3", "https://see.news/rss"]
"""


def test_a_slow_page_times_out_is_retried_and_the_crawl_goes_on(mirror: str, tmp_path: Path) -> None:
    (tmp_path / "slow.py").write_text(SLOW_SITE)
    result = run_scrapy(
        "runspider", str(tmp_path / "slow.py"), "-s", f"NEWS_MIRROR_URL={mirror}",
        "-s", "NEWS_STORE_PATH=", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "NEWS_SITE_POLITENESS=0",
        "-s", "DOWNLOAD_TIMEOUT=1", "-s", "RETRY_TIMES=1", "-s", "RETRY_BACKOFF_BASE=0.1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stat("news/download_failed/DownloadTimeoutError") == 1 and result.stat("retry/max_reached") == 1
    assert result.stat("item_scraped_count") == 1  # the feed's stored article, all the same


def test_robots_txt_is_obeyed(mirror: str, tmp_path: Path) -> None:
    result = probe(mirror, tmp_path, ["https://see.news/private/page", "https://see.news/rss"])
    assert result.stat("robotstxt/forbidden") == 1 and result.stat("probe/parsed") == 1
