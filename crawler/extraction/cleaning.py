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
from dataclasses import fields, is_dataclass
from functools import cache
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
        _clean_fields(value, language)
    return value


def clean_item(item: Any, language: str | None = None) -> Any:
    """Clean every text field of ``item`` in place (an Image's or Embed's too) and return it.

    A dataclass item keeps what it was cleaned to (see :func:`_text_state`), so cleaning it again is a
    comparison, not a second clean: the extractor cleans every article it makes, and the clean stage
    cleans every item that reaches it.  Any change to a cleaned field since (a spider setting a
    headline, a caption edited in place) makes the comparison fail, and the item is cleaned again.
    """
    if language is None and _still_clean(item):
        return item
    _clean_fields(item, language)
    if language is None:
        _remember_clean(item)
    return item


def _clean_fields(item: Any, language: str | None) -> None:
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


#: Where a cleaned dataclass item keeps its text as cleaned (an attribute beside its fields: no field,
#: so never exported, compared or stored).
CLEANED_STATE = "_cleaned_text_state"


class _NoState(Exception):
    """A value whose state is not taken (a dict, a tuple, another item type): such an item is always cleaned."""


@cache
def _cleaned_names(cls: type) -> tuple[str, ...]:
    """The fields :func:`clean_item` reads and writes: all but the verbatim ones."""
    return tuple(field.name for field in fields(cls) if field.name not in VERBATIM_FIELDS)


def _text_state(value: Any) -> Any:
    """What cleaning reads of ``value``, as immutable values that compare equal exactly when it is unchanged.

    Strings are kept as they are (immutable, and the same objects as the item's, so nothing is copied);
    lists become tuples, nested dataclass items their class and their fields' states; anything else
    raises :class:`_NoState`.
    """
    if value is None or type(value) is str:
        return value
    if type(value) is list:
        return tuple(map(_text_state, value))
    if is_dataclass(value) and not isinstance(value, type):
        return type(value), tuple(_text_state(getattr(value, name)) for name in _cleaned_names(type(value)))
    if type(value) in (int, float, bool):
        return type(value), value
    raise _NoState


def _remember_clean(item: Any) -> None:
    if not is_dataclass(item) or isinstance(item, type) or not hasattr(item, "__dict__"):
        return
    try:
        item.__dict__[CLEANED_STATE] = _text_state(item)
    except _NoState:
        item.__dict__.pop(CLEANED_STATE, None)


def _still_clean(item: Any) -> bool:
    """Whether ``item`` is exactly as :func:`clean_item` left it, in every field cleaning reads."""
    state = getattr(item, "__dict__", {}).get(CLEANED_STATE)
    if state is None:
        return False
    try:
        return bool(_text_state(item) == state)
    except _NoState:
        return False


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
