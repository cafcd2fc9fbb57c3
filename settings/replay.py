"""Crawling the stored pages of ``snapshots/``, with no network at all.

Every request is answered by the replay middleware: the stored page when
there is one, a 404 (counted as ``replay/miss``) when there is not.
"""

from pathlib import Path

from settings.base import *  # noqa: F403

REPLAY_SNAPSHOTS_DIR = str(Path(__file__).resolve().parent.parent / "snapshots")

DOWNLOADER_MIDDLEWARES = {
    **DOWNLOADER_MIDDLEWARES,  # noqa: F405
    # Before every built-in middleware that would touch the network or wait.
    "crawler.downloader.replay.ReplayMiddleware": 50,
}
ROBOTSTXT_OBEY = False  # no robots.txt is stored; nothing is fetched anyway
NEWS_SITE_POLITENESS = False  # stored pages need no politeness
AUTOTHROTTLE_ENABLED = False
DOWNLOAD_DELAY = 0
RETRY_ENABLED = False
# A replayed crawl is a demonstration and a regression run: it writes its items every time, stored or not.
NEWS_SKIP_STORED = False
