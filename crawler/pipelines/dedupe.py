"""Deduplicate stage: one item per canonical URL, and republished stories linked to their first copy.

The same canonical URL twice in one crawl (an AMP and a plain URL that both
got through, say) is dropped as ``duplicate_url``.  The same story at another
URL (an aggregator's copy, the same text in an old page layout) is kept, with
``duplicate_of`` naming the canonical URL of the copy seen first: in this
crawl, or in the store from an earlier one.  Copies are found by body
fingerprint, exact or near (SimHash, a few bits apart).
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.pipelines import DroppingPipeline
from crawler.storage.backend import Store
from crawler.storage.fingerprint import Fingerprint, fingerprint
from crawler.storage.store import store_for


class SeenFingerprints:
    """This crawl's fingerprints, banded like the store's, for copies the store does not hold yet."""

    def __init__(self) -> None:
        self._by_band: dict[tuple[int, int], list[tuple[str, Fingerprint]]] = {}

    def add(self, canonical_url: str, value: Fingerprint) -> None:
        for band in enumerate(value.bands()):
            self._by_band.setdefault(band, []).append((canonical_url, value))

    def first_copy(self, value: Fingerprint, exclude: str) -> str | None:
        for band in enumerate(value.bands()):
            for canonical_url, seen in self._by_band.get(band, ()):
                if canonical_url != exclude and value.is_near(seen):
                    return canonical_url
        return None


class DeduplicatePipeline(DroppingPipeline):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.store: Store | None = store_for(crawler)
        self.seen_urls: set[str] = set()
        self.seen = SeenFingerprints()

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        key: str = adapter.get("canonical_url") or adapter["url"]  # every item has its URL
        if key in self.seen_urls:
            raise self.drop("duplicate_url", key)
        self.seen_urls.add(key)
        value = fingerprint(adapter.get("body") or "")
        if value is None:
            return item
        original = self._stored_copy(value, key) or self.seen.first_copy(value, key)
        if original:
            adapter["duplicate_of"] = original
            self.crawler.stats.inc_value("dedupe/linked")
        else:
            self.seen.add(key, value)  # only first copies are link targets
        return item

    def _stored_copy(self, value: Fingerprint, exclude: str) -> str | None:
        if self.store is None:
            return None
        return next(
            (
                copy.canonical_url
                for copy in self.store.similar_copies(value, exclude)
                if value.is_near(copy.fingerprint)
            ),
            None,
        )
