"""Cleaning a whole item's text: the extractor's last step and the first pipeline stage.

One function for both, so that the snapshot tests (which run ``extract``)
see exactly what the crawl's feed gets.  It folds whitespace, removes
invisible characters, decodes HTML entities left in the text, tidies U+200C
and, for Persian items only, writes Arabic ي/ك as the Persian ی/ک they stand
for.  In the body it also removes what the site's rules let through: a
paragraph that repeats the headline or a caption, and "Read more" one-liners
at its end.  It never changes quotes, digits, spelling or any other letter;
URLs and the raw date text are left exactly as read.
"""

from __future__ import annotations

import re
from typing import Any

from itemadapter import ItemAdapter
from w3lib.html import replace_entities

from crawler.items import PARAGRAPHS, VERBATIM, Article, Embed, Image, field_names
from crawler.text import clean_body, normalize_space, unify_letters

#: Running text in paragraphs; every other string is one line.
PARAGRAPH_FIELDS = frozenset(field_names(kind=PARAGRAPHS))
#: Kept byte for byte: addresses, the date text as published, and what the pipelines add (the items' own word).
VERBATIM_FIELDS = frozenset(name for item in (Article, Image, Embed) for name in field_names(item, kind=VERBATIM))

#: Teasers for other stories that end a body: short, and nothing but the teaser.
READ_MORE_RE = re.compile(
    r"^(?:read more|read also|also read|see also|related|more on this"
    r"|اقرأ أيضا|اقرأ أيضًا|اقرأ ايضا|اقرأ المزيد|إقرأ أيضا"
    r"|بیشتر بخوانید|بخوانید|مطالب مرتبط)\s*(?:[:：\-–|»>]\s*.{0,120})?$",
    re.IGNORECASE,
)
MAX_READ_MORE_CHARS = 140


def clean_value(value: Any, language: str | None, paragraphs: bool = False) -> Any:
    if isinstance(value, str):
        text = replace_entities(value) if "&" in value else value
        text = clean_body(text) if paragraphs else normalize_space(text)
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
    language = adapter.get("language") or language
    for name in list(adapter.keys()):
        if name in VERBATIM_FIELDS:
            continue
        value = adapter[name]
        if value is None:  # most of an item's fields are empty: nothing to clean, nothing to write back
            continue
        cleaned = clean_value(value, language, paragraphs=name in PARAGRAPH_FIELDS)
        if cleaned is not value:
            adapter[name] = cleaned
    if adapter.get("body") is not None:  # a body that cleaned away to "" is no body: None, as empty means absent
        adapter["body"] = remove_leftovers(adapter["body"], _repeated_texts(adapter)) or None
    return item


def _repeated_texts(adapter: ItemAdapter) -> set[str]:
    """Texts that, as a paragraph of their own, only repeat what the item already holds."""
    texts = {adapter.get("headline")}
    for image in [adapter.get("main_image"), *(adapter.get("images") or [])]:
        if image is not None:
            texts.add(ItemAdapter(image).get("caption"))
    return {text for text in texts if text}


def remove_leftovers(body: str, repeated: set[str]) -> str:
    if "\n\n\n" in body or any(text in body for text in repeated):
        paragraphs = [paragraph for paragraph in body.split("\n\n") if paragraph not in repeated]
        while paragraphs and _is_read_more(paragraphs[-1]):
            paragraphs.pop()
        return "\n\n".join(paragraphs)
    # Nothing repeated (a substring search says so), and paragraphs split unambiguously:
    # only the last ones need looking at, without splitting the whole body.
    while body:
        rest, _, last = body.rpartition("\n\n")
        if not _is_read_more(last):
            break
        body = rest
    return body


def _is_read_more(paragraph: str) -> bool:
    return len(paragraph) <= MAX_READ_MORE_CHARS and READ_MORE_RE.match(paragraph) is not None
