"""The current rules over archived article pages, compared with what the store holds (``scrapy reextract``).

Each page goes the spider's way: decoded as ``NewsSpider._page_text`` decodes it
(``decode_page`` with the response's charset), extracted with the site's rules
of today, then through the pipeline stages that shape what is stored (clean,
normalize, validate).  Deduplication is not run again: a page keeps the
``duplicate_of`` the store gave it.

The baseline is the store: it holds what was extracted at crawl time.  Only
content fields are compared (the store's own rule for a new version:
``fetched_at``, ``duplicate_of`` and ``validation_messages`` are about the
fetch, not the article), with the per-field lines the snapshot tests print
(``field_diff``: "expected" is the store, "actual" the current rules).  A page
the store does not hold is counted "not in the store", never stored: the
crawl may have dropped it (a duplicate, a failed check), and only a crawl
decides that.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from crawler.archiving.reader import ArchivedPage
from crawler.crawling.sites import rules_for_url
from crawler.errors import UnreadablePage
from crawler.extraction.article import extract_article
from crawler.extraction.cleaning import clean_item
from crawler.extraction.decoding import check_readable, decode_page, utf8_bytes
from crawler.items import Article, field_names
from crawler.pipelines.normalize import NormalizePipeline
from crawler.pipelines.validation import ValidationContext, validate
from crawler.rules import SiteRules
from crawler.testing.snapshots import field_diff

#: Fields about this fetch or crawl, not the article: a change in them is no change (as for the store's versions).
NOT_CONTENT = frozenset(field_names(content=False))
#: The summary's name for pages of no known site.
NO_SITE = "(no site)"


class PageDropped(Exception):
    """A page the crawl would not have stored: unreadable, or failing a fatal check.  Its text says why."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def content(article: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in article.items() if name not in NOT_CONTENT}


def reextract(page: ArchivedPage, rules: SiteRules, min_body_chars: int = 200) -> dict[str, Any]:
    """The page's article as the crawl would store it today; :class:`PageDropped` when it would not."""
    try:
        check_readable(page.body)
    except UnreadablePage as error:
        raise PageDropped(error.reason, str(error)) from None
    text, encoding, _ = decode_page(page.body, page.header("Content-Type"))
    encoded = utf8_bytes(page.body, text, encoding)
    article: Article = clean_item(extract_article(text, page.url, rules, encoded=encoded).article)
    NormalizePipeline().process_item(article)
    context = ValidationContext(
        min_body_chars=min_body_chars, site_names=frozenset({rules.site_name}) if rules.site_name else frozenset()
    )
    failure = validate(article, context)
    if failure is not None:
        check, message = failure
        raise PageDropped(check.name, message)
    if page.fetched_at:
        article.fetched_at = datetime.fromisoformat(page.fetched_at).astimezone(UTC).isoformat(timespec="seconds")
    return article.to_dict()


@dataclass
class SiteSummary:
    """One site's account: pages read, how many would change and in which fields, a few examples."""

    site: str
    pages: int = 0
    changed: int = 0
    not_in_store: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    fields: Counter[str] = field(default_factory=Counter)
    examples: list[tuple[str, list[str]]] = field(default_factory=list)
    saved: Counter[str] = field(default_factory=Counter)

    def lines(self, diff: bool) -> Iterator[str]:
        yield (f"{self.site}: {self.pages} {_pages(self.pages)} read, {self.changed} would change, "
               f"{self.not_in_store} not in the store, {sum(self.dropped.values())} would be dropped")  # fmt: skip
        for reason, count in sorted(self.dropped.items()):
            yield f"  dropped ({reason}): {count} {_pages(count)}"
        if diff:
            for name, count in sorted(self.fields.items(), key=lambda pair: (-pair[1], pair[0])):
                yield f"  {name}: {count} {_pages(count)}"
            for url, lines in self.examples:
                yield f"  {url}"
                yield from (f"    {line}" for text in lines for line in text.split("\n"))
        if self.saved:
            yield "  store: " + ", ".join(f"{self.saved[key]} {key}" for key in ("updated", "unchanged", "new"))


def _pages(count: int) -> str:
    return "page" if count == 1 else "pages"


def site_of(url: str, site: SiteRules | None) -> SiteRules | None:
    """``--site``'s rules, or those of the spider whose domains cover the URL."""
    return site if site is not None else rules_for_url(url)


def compare(before: dict[str, Any], after: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The content fields that differ, and ``field_diff``'s lines for them (store as "expected", today as "actual")."""
    old, new = content(before), content(after)
    changed = [name for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name)]
    return changed, field_diff(old, new) if changed else []
