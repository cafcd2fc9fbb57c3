"""The Article item and its parts.

Field names follow schema.org ``NewsArticle`` (and zyte-common-items'
``Article``) in snake_case, so that consumers who know either can read the
output without a glossary.  Items are plain dataclasses: Scrapy and its
pipelines handle them through itemadapter, and they stay typed in our own code.

Output rule: *empty means absent*.  ``to_dict()`` leaves out every field that
is ``None``, ``""``, ``[]`` or ``{}``, at any depth, so no consumer has to tell
"missing" from "empty".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Image:
    url: str
    caption: str | None = None
    alt: str | None = None


@dataclass
class Embed:
    """Third-party content embedded in the body (a tweet, a video player)."""

    type: str  # "tweet" | "video" | ...
    url: str | None = None
    text: str | None = None


@dataclass
class Article:
    url: str
    canonical_url: str | None = None
    site: str | None = None
    language: str | None = None
    headline: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    date_published: str | None = None
    date_published_raw: str | None = None
    date_modified: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    body: str | None = None
    main_image: Image | None = None
    images: list[Image] = field(default_factory=list)
    embeds: list[Embed] = field(default_factory=list)
    article_id: str | None = None
    fetched_at: str | None = None
    #: Set by the pipelines: the canonical URL of the first copy of this story
    #: (same body at another URL), and the problems that did not warrant a drop.
    duplicate_of: str | None = None
    validation_messages: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return drop_empty(asdict(self))

    # ``dict(article)`` works too: it sees only the non-empty fields.
    def keys(self) -> list[str]:
        return list(self.to_dict())

    def __getitem__(self, key: str) -> Any:
        return self.to_dict()[key]


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, tuple, dict)) and len(value) == 0)


def drop_empty(value: Any) -> Any:
    """Recursively remove empty values from dicts and lists."""
    if isinstance(value, dict):
        cleaned = {key: drop_empty(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if not is_empty(item)}
    if isinstance(value, (list, tuple)):
        cleaned_items = [drop_empty(item) for item in value]
        return [item for item in cleaned_items if not is_empty(item)]
    return value
