"""robots.txt obeyed by every request that waits for it, not only the first.

Drop this when Scrapy fixes it.  In Scrapy 2.19.0
(``scrapy/downloadermiddlewares/robotstxt.py``), the requests to a site that
arrive while its robots.txt is still downloading all await one shared
Deferred, each through ``maybe_deferred_to_future()``.  Under the asyncio
reactor that is ``Deferred.asFuture()``, whose callback returns ``None`` (and
under another reactor ``await`` consumes the result the same way): the first
waiter gets the parser, every later one gets ``None``, which
``process_request_2()`` reads as "no robots.txt: allowed".  Ten requests under
``Disallow: /private/`` issued at once had as few as two of them refused and
the rest downloaded.  It came with the refactor to ``async def``
(scrapy/scrapy#6802), which replaced a per-waiter Deferred like the one below
with the shared await and noted that path as untested.

Here each waiter gets a Deferred of its own, fired from the shared one by a
callback that passes the parser on to the next.  Everything else is Scrapy's:
the robots.txt request, a robots.txt that cannot be fetched allowing
everything, the ``robotstxt/*`` stats and the ``robots_parsed`` signal.  A
refused request is a :class:`~crawler.downloader.failures.ForbiddenByRobots`
(an ``IgnoreRequest``), so the crawl tells it apart by its type.  tests/crawler/downloader/test_robots.py fails once Scrapy's own middleware
gets it right: then delete this module and its two lines in settings/base.py
(and lose the one-line warning below).

A robots.txt that cannot be fetched at all (DNS lookup failed, connection
refused, timed out) is one WARNING line here, naming the host, the reason and
what follows: the site is crawled as if it allowed everything, Scrapy's rule
(its requests will most likely fail the same way, each counted in the
report).  Scrapy logs it as an ERROR with a 40-line traceback, which reads
like a crash for what is a network condition.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, TypeVar

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import error as twisted_errors
from twisted.internet.defer import Deferred

from crawler.downloader.failures import ForbiddenByRobots

if TYPE_CHECKING:
    from scrapy.robotstxt import RobotParser

_T = TypeVar("_T")
logger = logging.getLogger(__name__)

#: How a failed robots.txt download is named in its warning, by the exception's class.
#: Scrapy 2.19 raises its own exceptions; Twisted's and Python's are there for other download handlers.
_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (CannotResolveHostError, "DNS lookup failed"),
    (twisted_errors.DNSLookupError, "DNS lookup failed"),
    (DownloadConnectionRefusedError, "connection refused"),
    (twisted_errors.ConnectionRefusedError, "connection refused"),
    (ConnectionRefusedError, "connection refused"),
    (DownloadTimeoutError, "timed out"),
    (twisted_errors.TimeoutError, "timed out"),
    (TimeoutError, "timed out"),
)


class WaitSafeRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware, with every request that waits for robots.txt checked against it."""

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        # Scrapy's only IgnoreRequest here is the refusal: raised again as a type the crawl can tell apart.
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as refused:
            raise ForbiddenByRobots(str(refused)) from None

    async def robot_parser(self, request: Request) -> RobotParser | None:
        # Scrapy keeps a Deferred in _parsers while the site's robots.txt downloads, then the parser (None if
        # it could not be fetched).  Only the waiting is done differently; the first request still fetches.
        netloc = urlparse_cached(request).netloc
        pending = self._parsers.get(netloc)
        if isinstance(pending, Deferred):
            return await maybe_deferred_to_future(_result_of(pending))
        if netloc not in self._parsers:
            await self._fetch_robots(request, netloc)
        return await super().robot_parser(request)

    async def _fetch_robots(self, request: Request, netloc: str) -> None:
        """Download and parse the host's robots.txt, as Scrapy does, with a failure logged as one line.

        Scrapy's own first-fetch path logs a failed download with its
        traceback; this one fills ``_parsers`` the same way (the parser, or
        ``None`` for "allow everything"), so Scrapy's ``robot_parser`` then
        only reads it, and counts the same ``robotstxt/*`` stats.
        """
        self._parsers[netloc] = Deferred()
        scheme = urlparse_cached(request).scheme
        robots_request = Request(
            f"{scheme}://{netloc}/robots.txt",
            priority=self.DOWNLOAD_PRIORITY,
            meta={"dont_obey_robotstxt": True},
            callback=NO_CALLBACK,
        )
        try:
            assert self.crawler.engine is not None
            response = await self.crawler.engine.download_async(robots_request)
            await self._parse_robots(response, netloc, request)
        except Exception as error:
            if not isinstance(error, IgnoreRequest):
                logger.warning(
                    "robots.txt of %s not fetched (%s); crawling %s as if it allowed everything",
                    netloc,
                    robots_failure(error),
                    netloc,
                    extra={"spider": self.crawler.spider},
                )
            self._robots_error(error, netloc)
        self._stats.inc_value("robotstxt/request_count")


def _result_of(shared: Deferred[_T]) -> Deferred[_T]:
    """A Deferred of one waiter's own that fires with ``shared``'s result.

    Awaiting ``shared`` itself would consume its result, leaving ``None`` to
    every later waiter; this callback hands the result on instead.  A waiter
    cancelled meanwhile (its request dropped) cancels only its own Deferred,
    which then ignores the callback, not the robots.txt everyone waits for.
    """
    own: Deferred[_T] = Deferred()

    def resume(result: _T) -> _T:
        own.callback(result)
        return result

    shared.addCallback(resume)
    return own


def robots_failure(error: BaseException) -> str:
    """A failed robots.txt download in a few words: "DNS lookup failed", "connection refused", ..."""
    for error_class, reason in _REASONS:
        if isinstance(error, error_class):
            return reason
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
