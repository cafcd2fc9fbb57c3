"""Item pipelines: each stage small, configured from settings, each drop a counted reason.

Stages work through itemadapter, so they take an ``Article`` or any other
item type Scrapy knows.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

logger = logging.getLogger(__name__)


class DroppingPipeline:
    """Base for stages that drop items: one stats key per reason."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DroppingPipeline:
        return cls(crawler)

    def drop(self, reason: str, url: str | None, detail: str = "") -> DropItem:
        """Count the reason and return the DropItem to raise (Scrapy logs it)."""
        self.crawler.stats.inc_value(f"item_dropped_reasons/{reason}")
        message = f"{reason}: {url or 'no url'}" + (f" ({detail})" if detail else "")
        return DropItem(message)
