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

from dataclasses import asdict, dataclass, field, fields
from typing import Any

#: What a field holds, said once here on the field (``dataclasses.field`` metadata); the cleaners, the
#: extractor, the store, the report and the feeds read it with :func:`field_names`.
TEXT = "text"  # one line of text: entities decoded, white space folded
PARAGRAPHS = "paragraphs"  # text in paragraphs, a blank line between them (the body)
TEXT_LIST = "text list"  # a list of one-line texts, in page order
VERBATIM = "verbatim"  # kept byte for byte: addresses, dates and their text as published, what pipelines add
NESTED = "nested"  # an Image or an Embed, or a list of them: cleaned field by field


def _field(kind: str, *, content: bool = True, coverage: bool = True, **options: Any) -> Any:
    """A field with its kind; ``content``: part of the article (a change in it is a new version), not of one
    fetch or crawl; ``coverage``: counted in the crawl report's field coverage."""
    return field(metadata={"kind": kind, "content": content, "coverage": coverage}, **options)


@dataclass
class Image:
    url: str = _field(VERBATIM)
    caption: str | None = _field(TEXT, default=None)
    alt: str | None = _field(TEXT, default=None)


@dataclass
class Embed:
    """Third-party content embedded in the body (a tweet, a video player)."""

    type: str = _field(VERBATIM)  # "tweet" | "video" | ...
    url: str | None = _field(VERBATIM, default=None)
    text: str | None = _field(TEXT, default=None)


@dataclass
class Article:
    url: str = _field(VERBATIM, coverage=False)  # every item has one
    canonical_url: str | None = _field(VERBATIM, default=None)
    site: str | None = _field(TEXT, default=None)
    language: str | None = _field(TEXT, default=None)
    headline: str | None = _field(TEXT, default=None)
    description: str | None = _field(TEXT, default=None)
    authors: list[str] = _field(TEXT_LIST, default_factory=list)
    source: str | None = _field(TEXT, default=None)
    date_published: str | None = _field(VERBATIM, default=None)
    date_published_raw: str | None = _field(VERBATIM, default=None)
    date_modified: str | None = _field(VERBATIM, default=None)
    section: str | None = _field(TEXT, default=None)
    tags: list[str] = _field(TEXT_LIST, default_factory=list)
    body: str | None = _field(PARAGRAPHS, default=None)
    main_image: Image | None = _field(NESTED, default=None)
    images: list[Image] = _field(NESTED, default_factory=list)
    embeds: list[Embed] = _field(NESTED, default_factory=list)
    article_id: str | None = _field(TEXT, default=None)
    fetched_at: str | None = _field(VERBATIM, content=False, coverage=False, default=None)
    #: Set by the pipelines: the canonical URL of the first copy of this story
    #: (same body at another URL), and the problems that did not warrant a drop.
    duplicate_of: str | None = _field(VERBATIM, content=False, default=None)
    validation_messages: list[str] = _field(VERBATIM, content=False, coverage=False, default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return drop_empty(asdict(self))

    # ``dict(article)`` works too: it sees only the non-empty fields.
    def keys(self) -> list[str]:
        return list(self.to_dict())

    def __getitem__(self, key: str) -> Any:
        return self.to_dict()[key]


def field_names(
    item_class: type = Article, *, kind: str | None = None, content: bool | None = None, coverage: bool | None = None
) -> tuple[str, ...]:
    """The names of ``item_class``'s fields of that kind (and content, and coverage), in declaration order."""
    return tuple(
        item_field.name
        for item_field in fields(item_class)
        if (kind is None or item_field.metadata.get("kind") == kind)
        and (content is None or item_field.metadata.get("content") == content)
        and (coverage is None or item_field.metadata.get("coverage") == coverage)
    )


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
