"""Dropping items that are not articles: no headline, no body.

Which fields are required is the ``NEWS_REQUIRED_FIELDS`` setting.  A video
page or a gallery is still a page of the site, but it has no text to hand
over; it is dropped with its reason counted as
``item_dropped_reasons/missing_<field>``.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.items import is_empty
from crawler.pipelines import DroppingPipeline


class RequiredFieldsPipeline(DroppingPipeline):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.required = crawler.settings.getlist("NEWS_REQUIRED_FIELDS", ["headline", "body"])

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        missing = [name for name in self.required if is_empty(adapter.get(name))]
        if missing:
            raise self.drop(f"missing_{missing[0]}", adapter.get("url"), f"missing: {', '.join(missing)}")
        return item
