"""Redirect loops end as one counted failure instead of vanishing.

Scrapy follows a redirect by scheduling the new request, and the scheduler's
duplicate filter drops a URL it has already seen.  So a loop (A -> B -> A, or
A -> A, by ``Location`` or by ``<meta http-equiv=refresh>``) stops silently at
the first repeat: no errback, no count, only a debug line.  These
subclasses raise :class:`RedirectLoop` instead when a redirect leads back to
a URL of its own chain, which the spider counts as
``news/download_failed/redirect_loop``.  Long chains that do not repeat still
end at ``REDIRECT_MAX_TIMES`` (``too_many_redirects``).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import (
    MetaRefreshMiddleware,
    RedirectMiddleware,
)
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from w3lib.url import canonicalize_url


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL the request already passed through."""


def _checked(result: Request | Response) -> Request | Response:
    """A loop is a URL its chain has passed through, compared as Scrapy's duplicate filter compares them.

    Not by :func:`crawler.urls.url_key`, which also drops tracking parameters: a server that answers
    ``/a?utm_source=rss`` with a redirect to ``/a`` strips them, which is no loop.
    """
    if isinstance(result, Request):
        chain = result.meta.get("redirect_urls", [])
        if canonicalize_url(result.url) in {canonicalize_url(url) for url in chain}:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, result.url])}")
    return result


class LoopSafeRedirectMiddleware(RedirectMiddleware):
    def process_response(self, request: Request, response: Response, *args: Any) -> Request | Response:
        return _checked(super().process_response(request, response, *args))


class LoopSafeMetaRefreshMiddleware(MetaRefreshMiddleware):
    def process_response(self, request: Request, response: Response, *args: Any) -> Request | Response:
        return _checked(super().process_response(request, response, *args))
