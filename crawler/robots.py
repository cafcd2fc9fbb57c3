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
everything, the ``robotstxt/*`` stats, the ``robots_parsed`` signal and the
``IgnoreRequest("Forbidden by robots.txt")`` that :mod:`crawler.failures`
recognises.  tests/crawler/test_robots.py fails once Scrapy's own middleware
gets it right: then delete this module and its two lines in settings/base.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy.http import Request
    from scrapy.robotstxt import RobotParser

_T = TypeVar("_T")


class WaitSafeRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware, with every request that waits for robots.txt checked against it."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        # Scrapy keeps a Deferred in _parsers while the site's robots.txt downloads, then the parser (None if
        # it could not be fetched).  Only the waiting is done differently; the first request still fetches.
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(pending, Deferred):
            return await maybe_deferred_to_future(_result_of(pending))
        return await super().robot_parser(request)


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
