"""What every Article must be, whatever page it came from: the invariant the property tests check."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime
from typing import Any

from crawler.items import Article, Embed, Image

TEXT_FIELDS = ("url", "canonical_url", "site", "language", "headline", "description", "source",
               "date_published", "date_published_raw", "date_modified", "section", "body", "article_id")  # fmt: skip


def assert_valid_article(article: Any) -> None:
    """Right types everywhere; no NUL, lone surrogate or control character in any text; writable as UTF-8 JSON."""
    assert isinstance(article, Article)
    for name in TEXT_FIELDS:
        assert _optional_text(getattr(article, name)), name
    for name in ("authors", "tags"):
        values = getattr(article, name)
        assert isinstance(values, list) and all(isinstance(value, str) and value for value in values), name
    assert article.main_image is None or _valid_image(article.main_image)
    assert isinstance(article.images, list) and all(_valid_image(image) for image in article.images)
    assert isinstance(article.embeds, list) and all(isinstance(embed, Embed) for embed in article.embeds)
    for embed in article.embeds:
        assert isinstance(embed.type, str) and _optional_text(embed.url) and _optional_text(embed.text)
    for name in ("date_published", "date_modified"):
        value = getattr(article, name)
        # A known site's zone gives every time an offset; a page of no known site keeps a date as written,
        # with an offset or without.  A day alone ("2020-06-03", from the URL, say) has no time to offset.
        if value is not None:
            parsed = datetime.fromisoformat(value)
            assert parsed.tzinfo is not None or article.site is None or len(value) == len("2020-06-03"), name
    assert article.language is None or article.language == article.language.strip().lower()
    output = article.to_dict()
    json.dumps(output, ensure_ascii=False).encode("utf-8")  # the feed and the store can hold it
    for name, value in _strings(output):
        assert "\x00" not in value, name
        assert not any("\ud800" <= char <= "\udfff" for char in value), name
        if name not in ("url", "canonical_url"):  # addresses are kept as given
            assert value == value.strip(), name
    assert {field.name for field in fields(Article)} >= set(output)


def _optional_text(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value != "")


def _valid_image(image: Any) -> bool:
    return isinstance(image, Image) and isinstance(image.url, str) and bool(image.url) and _optional_text(
        image.caption) and _optional_text(image.alt)  # fmt: skip


def _strings(value: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in _strings(item, path or key)]
    if isinstance(value, list):
        return [pair for item in value for pair in _strings(item, path)]
    return []
