"""Validate stage: the rules of ``crawler.pipelines.validation``, with the crawl's settings.

Fatal failures drop the item (``item_dropped_reasons/<check>``); the others
are kept as ``validation_messages`` and counted (``validation/<check>``).
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.pipelines import DroppingPipeline
from crawler.pipelines.validation import ValidationContext, validate


class ValidatePipeline(DroppingPipeline):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.context = ValidationContext(min_body_chars=crawler.settings.getint("NEWS_MIN_BODY_CHARS", 200))

    def open_spider(self, spider: Any = None) -> None:
        rules = getattr(self.crawler.spider, "rules", None)
        if rules is not None and rules.site_name:
            self.context = ValidationContext(
                min_body_chars=self.context.min_body_chars, site_names=frozenset({rules.site_name})
            )

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        before = len(adapter.get("validation_messages") or [])
        failure = validate(item, self.context)
        if failure is not None:
            check, message = failure
            raise self.drop(check.name, adapter.get("url"), message)
        for message in (adapter.get("validation_messages") or [])[before:]:
            self.crawler.stats.inc_value(f"validation/{message.split(':', 1)[0]}")
        return item
