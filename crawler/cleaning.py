"""Cleaning a whole item's text: the extractor's last step and the first pipeline stage.

One function for both, so that the snapshot tests (which run ``extract``)
see exactly what the crawl's feed gets.  It folds whitespace, removes
invisible characters, tidies U+200C and, for Persian items only, writes
Arabic ي/ك as the Persian ی/ک they stand for.  It never changes quotes,
digits, spelling or any other letter; URLs and the raw date text are left
exactly as read.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from crawler.text import clean_body, normalize_space, unify_letters

#: Running text in paragraphs; every other string is one line.
PARAGRAPH_FIELDS = frozenset({"body"})
#: Kept byte for byte: addresses and the date text as published.
VERBATIM_FIELDS = frozenset({"url", "canonical_url", "date_published_raw", "date_published", "date_modified"})


def clean_value(value: Any, language: str | None, paragraphs: bool = False) -> Any:
    if isinstance(value, str):
        text = clean_body(value) if paragraphs else normalize_space(value)
        return unify_letters(text, language)
    if isinstance(value, list):
        cleaned = [clean_value(item, language) for item in value]
        return [item for item in cleaned if item not in (None, "")]
    if value is not None and ItemAdapter.is_item(value):
        clean_item(value, language)
    return value


def clean_item(item: Any, language: str | None = None) -> Any:
    """Clean every text field of ``item`` in place (an Image's or Embed's too) and return it."""
    adapter = ItemAdapter(item)
    language = adapter.get("language", language) if "language" in adapter.field_names() or isinstance(item, dict) else language
    for name in list(adapter.keys()):
        if name in VERBATIM_FIELDS or name.endswith("url"):
            continue
        adapter[name] = clean_value(adapter[name], language, paragraphs=name in PARAGRAPH_FIELDS)
    return item
