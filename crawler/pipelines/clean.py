"""First cleaning stage: whitespace and invisible characters, nothing else.

It never changes quotes, digits, spelling or letters; U+200C stays.  The
extractor already reads text this way; this stage makes the same promise for
every item that reaches the feed, whatever produced it.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from crawler.text import clean_body, normalize_space

#: Fields holding running text in paragraphs; the rest are one-line values.
PARAGRAPH_FIELDS = frozenset({"body"})


def clean_value(value: Any, paragraphs: bool = False) -> Any:
    if isinstance(value, str):
        return clean_body(value) if paragraphs else normalize_space(value)
    if isinstance(value, list):
        cleaned = [clean_value(item) for item in value]
        return [item for item in cleaned if item not in (None, "")]
    return value


class CleanTextPipeline:
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for name, value in adapter.items():
            if isinstance(value, (str, list)):
                adapter[name] = clean_value(value, paragraphs=name in PARAGRAPH_FIELDS)
            elif value is not None and ItemAdapter.is_item(value):
                self.process_item(value)  # an Image or Embed
        return item
