"""robots.txt refuses every request it disallows, however many wait for it at once (crawler/downloader/robots.py).

Scrapy 2.19's own RobotsTxtMiddleware lets all but the first waiter through; the
test marked xfail runs it too, and fails (XPASS) once Scrapy gets it right: then
crawler/downloader/robots.py can go.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.downloader.failures import ForbiddenByRobots, failure_reason
from crawler.downloader.robots import WaitSafeRobotsTxtMiddleware
from crawler.tools.mirror import ROBOTS_TXT, Mirror, RunningMirror
from tests.crawler.commands.test_crawl import live, probe_spiders
from tests.crawler.tools.test_mirror import probe
from tests.crawling import CrawlResult

PRIVATE = [f"https://see.news/private/page-{number}" for number in range(10)]
PUBLIC = "https://see.news/rss"

SCRAPYS_BUG = pytest.mark.xfail(
    strict=True,
    reason="Scrapy 2.19 lets all but the first waiter through; XPASS: fixed, drop crawler/downloader/robots.py",
)


# -- a real crawl through the mirror -----------------------------------------------------------------------


class RecordingMirror(Mirror):
    """The mirror, keeping the real URL of every request it is sent (from the server's threads)."""

    def __init__(self) -> None:
        super().__init__(extra=self._record)
        self.requested: list[str] = []

    def _record(self, url: str) -> None:
        self.requested.append(url)  # list.append is atomic; the stored page is answered as usual


@pytest.fixture(scope="module")
def recording_mirror() -> Iterator[tuple[str, RecordingMirror]]:
    mirror = RecordingMirror()
    with RunningMirror(mirror) as base_url:
        yield base_url, mirror


def test_every_request_waiting_for_robots_txt_obeys_it(
    recording_mirror: tuple[str, RecordingMirror], tmp_path: Path
) -> None:
    """Eleven start requests to one site at once: all wait for its robots.txt, ten under its /private/."""
    base_url, mirror = recording_mirror
    mirror.requested.clear()
    result = probe(base_url, tmp_path, [*PRIVATE, PUBLIC])
    crawl = CrawlResult(items=[], log=result.stderr, stats=result.stats())
    assert crawl.stat("robotstxt/request_count") == 1
    assert crawl.stat("robotstxt/forbidden") == len(PRIVATE)
    assert crawl.stat("probe/parsed") == 1  # the allowed page, downloaded after the same wait
    assert crawl.stat("downloader/request_count") == 2  # robots.txt and the allowed page
    assert sorted(mirror.requested) == ["https://see.news/robots.txt", PUBLIC]  # nothing under /private/


# -- the middleware, with requests waiting on a robots.txt download the test holds -------------------------


class HeldEngine:
    """Stands in for the crawl's engine: robots.txt downloads wait until :meth:`release`."""

    def __init__(self, body: bytes | None) -> None:
        self.body = body  # None: the download fails
        self.robots_requests: list[Request] = []
        self._released = asyncio.Event()

    def release(self) -> None:
        self._released.set()

    async def download_async(self, request: Request) -> Response:
        self.robots_requests.append(request)
        await self._released.wait()
        if self.body is None:
            raise ConnectionRefusedError(f"{request.url}: connection refused")
        return Response(request.url, body=self.body, request=request)


async def checked_while_waiting(
    middleware_class: type[RobotsTxtMiddleware], engine: HeldEngine, urls: list[str]
) -> tuple[list[BaseException | None], dict[str, object]]:
    """Each request's outcome (None: allowed) once robots.txt arrives, and the crawl's stats."""
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True})
    crawler.stats.open_spider()
    crawler.engine = engine  # type: ignore[assignment]
    middleware = middleware_class.from_crawler(crawler)
    checks = [asyncio.ensure_future(middleware.process_request(Request(url))) for url in urls]
    await asyncio.sleep(0)  # every check has started: the first downloads robots.txt, the others wait for it
    assert len(engine.robots_requests) == 1
    engine.release()
    outcomes = await asyncio.gather(*checks, return_exceptions=True)
    return list(outcomes), crawler.stats.get_stats()


@pytest.mark.parametrize(
    "middleware_class",
    [WaitSafeRobotsTxtMiddleware, pytest.param(RobotsTxtMiddleware, marks=SCRAPYS_BUG, id="scrapy")],
)
def test_every_waiter_is_checked_against_the_parsed_robots_txt(middleware_class: type[RobotsTxtMiddleware]) -> None:
    outcomes, stats = asyncio.run(checked_while_waiting(middleware_class, HeldEngine(ROBOTS_TXT), [*PRIVATE, PUBLIC]))
    refused, allowed = outcomes[: len(PRIVATE)], outcomes[len(PRIVATE) :]
    assert all(isinstance(error, IgnoreRequest) for error in refused) and len(refused) == len(PRIVATE)
    assert allowed == [None]
    assert stats["robotstxt/forbidden"] == len(PRIVATE)
    assert stats["robotstxt/request_count"] == stats["robotstxt/response_status_count/200"] == 1


def test_a_robots_txt_that_cannot_be_fetched_allows_every_waiter_as_scrapy_does() -> None:
    outcomes, stats = asyncio.run(checked_while_waiting(WaitSafeRobotsTxtMiddleware, HeldEngine(None), PRIVATE))
    assert outcomes == [None] * len(PRIVATE)
    assert stats["robotstxt/request_count"] == 1 and "robotstxt/forbidden" not in stats
    assert stats["robotstxt/exception_count/<class 'ConnectionRefusedError'>"] == 1


def test_a_robots_txt_that_cannot_be_fetched_is_one_warning_line(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("DEBUG", logger="crawler.downloader.robots"), caplog.at_level("DEBUG", logger="scrapy"):
        asyncio.run(checked_while_waiting(WaitSafeRobotsTxtMiddleware, HeldEngine(None), PRIVATE))
    robots = [record for record in caplog.records if "robots.txt" in record.getMessage()]
    assert [(record.levelname, record.getMessage(), record.exc_info) for record in robots] == [
        ("WARNING", "robots.txt of see.news not fetched (connection refused); crawling see.news as if it allowed"
                    " everything", None),
    ]  # fmt: skip


UNRESOLVABLE = """
from dataclasses import replace

from spiders.sadaelbalad import SadaElBaladSpider


class NoSuchHostSpider(SadaElBaladSpider):
    name = "no_such_host"
    rules = replace(SadaElBaladSpider.rules, site="no_such_host")
    allowed_domains = ["news.invalid"]
    start_urls = ["https://news.invalid/rss"]
"""


def test_a_host_that_does_not_resolve_gives_one_robots_line_not_a_traceback(tmp_path: Path) -> None:
    """A live crawl (robots.txt obeyed) of a host no DNS knows: ``.invalid`` never resolves (RFC 2606)."""
    path, settings = probe_spiders(tmp_path, UNRESOLVABLE)
    result = live(tmp_path, "crawl", "no_such_host", *settings, python_path=path)
    assert "Traceback" not in result.stderr
    robots = [line for line in result.stderr.splitlines() if "[crawler.downloader.robots]" in line]
    assert [line.split("] ", 1)[1] for line in robots] == [
        "WARNING: robots.txt of news.invalid not fetched (DNS lookup failed); crawling news.invalid as if it allowed"
        " everything"
    ]
    assert result.returncode == 1  # and nothing else could be fetched either: the crawl failed


def test_once_parsed_robots_txt_is_not_fetched_again() -> None:
    async def twice() -> tuple[list[BaseException | None], int]:
        engine = HeldEngine(ROBOTS_TXT)
        crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True})
        crawler.stats.open_spider()
        crawler.engine = engine  # type: ignore[assignment]
        middleware = WaitSafeRobotsTxtMiddleware.from_crawler(crawler)
        engine.release()
        first = await asyncio.gather(middleware.process_request(Request(PUBLIC)), return_exceptions=True)
        later = await asyncio.gather(
            *(middleware.process_request(Request(url)) for url in PRIVATE), return_exceptions=True
        )
        return [*first, *later], len(engine.robots_requests)

    outcomes, downloads = asyncio.run(twice())
    assert downloads == 1
    assert outcomes[0] is None and all(isinstance(error, IgnoreRequest) for error in outcomes[1:])


def test_a_refusal_is_told_apart_by_its_type_not_its_message() -> None:
    outcomes, _ = asyncio.run(checked_while_waiting(WaitSafeRobotsTxtMiddleware, HeldEngine(ROBOTS_TXT), PRIVATE))
    assert all(isinstance(error, ForbiddenByRobots) for error in outcomes)
    # A skip on purpose, not a download failure: nothing counted under news/download_failed.
    assert {failure_reason(Failure(error), None, Settings()) for error in outcomes} == {None}
