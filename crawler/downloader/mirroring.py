"""Crawling the local mirror instead of the live sites, with the spiders unchanged.

With ``NEWS_MIRROR_URL`` set, the HTTP download handler sends each request
to the mirror (``crawler.tools.mirror``) and hands the answer back under the
request's real URL.  Everything else (robots.txt, offsite filtering,
redirects, retries, per-site download slots, the spider's link resolution)
sees the real URLs, so a mirrored crawl takes the same path a live one does;
only the transport is rerouted.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.tools.mirror import mirror_path


class MirrorDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, pointed at the mirror when ``NEWS_MIRROR_URL`` is set."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.mirror_url = (crawler.settings.get("NEWS_MIRROR_URL") or "").rstrip("/")

    async def download_request(self, request: Request) -> Response:
        if not self.mirror_url:
            return await super().download_request(request)
        response = await super().download_request(request.replace(url=self.mirror_url + mirror_path(request.url)))
        return response.replace(url=request.url, request=request)
