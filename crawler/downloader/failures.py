"""Why a request was given up on: the short name counted as ``news/download_failed/<reason>``.

Scrapy hands a spider's errback a Failure whose exception names the
transport's view (``DownloadCancelledError``) or nothing useful at all
(``IgnoreRequest``, raised for redirect loops and overlong chains, oversized
gzip bodies and requests a middleware chose to skip).  The crawl report should say what
happened to the page, so the vague ones are named here; the others keep
their exception's name.  A request that was skipped on purpose (already
stored, forbidden by robots.txt) is no failure: it is counted where it is
skipped, and :func:`failure_reason` answers ``None``; both are :class:`SkippedRequest` s.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.downloader.redirects import RedirectLoop


class SkippedRequest(IgnoreRequest):
    """A request left out on purpose by one of the crawl's own middlewares: no failure."""


class ForbiddenByRobots(SkippedRequest):
    """A request robots.txt forbids (counted as ``robotstxt/forbidden``): raised by the project's robots
    middleware (:mod:`crawler.downloader.robots`) in place of Scrapy's bare ``IgnoreRequest``, so that it is
    told apart by its type, not by the text of a message."""


def failure_reason(failure: Failure, request: Request | None, settings: BaseSettings) -> str | None:
    """The stats key's last part for a request given up on; ``None`` for one skipped on purpose."""
    error = failure.value
    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    if isinstance(error, SkippedRequest):
        return None
    if isinstance(error, RedirectLoop):
        return "redirect_loop"
    # Scrapy's HttpCompressionMiddleware refuses a body over DOWNLOAD_MAXSIZE once decompressed with a bare
    # IgnoreRequest: no type says so, only its message (Scrapy 2.19).
    if isinstance(error, DownloadCancelledError) or (
        isinstance(error, IgnoreRequest) and "DOWNLOAD_MAXSIZE" in str(error)
    ):
        return "too_large"  # over DOWNLOAD_MAXSIZE as sent (Content-Length, chunks) or once decompressed
    if (
        isinstance(error, IgnoreRequest)
        and request is not None
        and request.meta.get("redirect_times", 0) >= settings.getint("REDIRECT_MAX_TIMES", 20)
    ):
        return "too_many_redirects"  # a redirect loop, or a chain too long to be anything else
    return type(error).__name__
