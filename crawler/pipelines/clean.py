"""First cleaning stage: whitespace, invisible characters, Persian letters.

The rules are ``crawler.extraction.cleaning``'s, shared with the extractor; this stage
makes the same promise for every item that reaches the feed, whatever
produced it.
"""

from __future__ import annotations

from typing import Any

from crawler.extraction.cleaning import clean_item


class CleanTextPipeline:
    def process_item(self, item: Any) -> Any:
        return clean_item(item)
