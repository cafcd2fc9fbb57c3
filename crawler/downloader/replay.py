"""Answering requests from ``snapshots/`` so that a crawl needs no network.

The middleware sits first in the downloader chain and returns a response
itself, so nothing reaches the network.  Pages are found by URL (compared
with w3lib's canonical form, tracking parameters removed), served with the
status and Content-Type recorded at fetch time.  A URL with no stored page
gets a 404: the crawl counts it (``replay/miss``, in the crawl report's
"not stored in replay"), logs it at DEBUG only and goes on.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.statscollectors import StatsCollector

from crawler.tools.casefiles import META_NAME, CaseError, SnapshotCase, iter_cases
from crawler.urls import url_key

logger = logging.getLogger(__name__)


class SnapshotStore:
    """Stored pages by URL.

    Only files really inside ``root`` are read: a case folder, ``meta.json``
    or page that is a symbolic link out of it is left out, so that serving
    the snapshots (the HTTP mirror) never serves another file of the machine.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._real_root = root.resolve()
        self._cases: dict[str, SnapshotCase] = {}
        for case in iter_cases(root):
            if not (self._inside(case.directory) and self._inside(case.directory / META_NAME)):
                logger.warning("Not replaying %s: it is a link to a place outside %s", case.id, root)
                continue
            try:
                self._cases.setdefault(url_key(case.url), case)
            except CaseError as error:
                logger.warning("Not replaying %s", error)

    def __len__(self) -> int:
        return len(self._cases)

    def cases(self) -> list[SnapshotCase]:
        return list(self._cases.values())

    def find(self, url: str) -> SnapshotCase | None:
        return self._cases.get(url_key(url))

    def page_bytes(self, case: SnapshotCase) -> bytes | None:
        """The case's stored page; ``None`` when it has none, or the page's real path is outside the root."""
        path = case.page_path
        if path is None:
            return None
        real_path = path.resolve()
        if not real_path.is_relative_to(self._real_root):
            logger.warning("Not serving %s: it is a link to %s, outside %s", path, real_path, self.root)
            return None
        try:
            return real_path.read_bytes()  # the path checked (a link swapped in since: a race left open)
        except OSError as error:
            logger.warning("Not serving %s: %s", path, error)
            return None

    def _inside(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self._real_root)

    def response_for(self, request: Request) -> Response:
        case = self.find(request.url)
        body = None if case is None else self.page_bytes(case)
        if case is None or body is None:
            return Response(url=request.url, status=404, body=b"not stored", request=request)
        headers = Headers({"Content-Type": case.meta.get("content_type") or "text/html; charset=utf-8"})
        response_class = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return response_class(
            url=request.url, status=int(case.meta.get("status", 200)), headers=headers, body=body, request=request
        )


class ReplayMiddleware:
    def __init__(self, store: SnapshotStore, stats: StatsCollector, delay: float = 0.0) -> None:
        self.store = store
        self.stats = stats
        #: Seconds each answer waits (``REPLAY_DELAY``): a replayed crawl slow enough to interrupt in tests.
        self.delay = delay

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayMiddleware:
        root = crawler.settings.get("REPLAY_SNAPSHOTS_DIR")
        if not root:
            raise NotConfigured("REPLAY_SNAPSHOTS_DIR is not set")
        store = SnapshotStore(Path(root))
        logger.info("Replaying %d stored pages from %s", len(store), root)
        return cls(store, crawler.stats, crawler.settings.getfloat("REPLAY_DELAY", 0.0))

    async def process_request(self, request: Request) -> Response:
        if self.delay:
            await asyncio.sleep(self.delay)
        response = self.store.response_for(request)
        if response.status == 404 and self.store.find(request.url) is None:
            self.stats.inc_value("replay/miss")
            # Routine (a stored listing links to many pages nobody stored): the report gives the count.
            logger.debug("Not stored, answering 404: %s", request.url)
        else:
            self.stats.inc_value("replay/hit")
        return response
