"""SiteRules: everything the framework needs to know about one site, as data.

A site adapter is a ``SiteRules`` value plus a spider class that points at it.
Selectors are CSS (as selectolax/lexbor understands it) with one addition
borrowed from parsel: a trailing ``::attr(name)`` selects an attribute instead
of the element's text.  Every selector field takes one selector or a tuple of
them; the first that yields something wins, so a rule can list the current
layout first and an older one after it.

What selectors cannot say, a site says by a method of its page class (``page``,
:mod:`crawler.extraction.page`), in its own file.

Precedence, per field: the site's page method or selectors, then the site's own metadata
block (its page class's ``metadata()``), then JSON-LD, then OpenGraph/``<meta>``, and for
the body a generic main-content finder as the last resort.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import safe_url_string

if TYPE_CHECKING:
    from crawler.extraction.page import SitePage

Selectors = tuple[str, ...]


def _as_tuple(value: str | Selectors | list[str] | None) -> Selectors:
    if value is None:
        return ()
    if isinstance(value, str):
        value = (value,)
    return tuple(selector for selector in value if selector.strip())  # "" is a rule not filled in yet


@dataclass(frozen=True)
class SiteRules:
    #: The site's short name; also the spider's name and ``Article.site``.
    site: str
    #: ISO 639-1 code of the site's language.
    language: str
    #: IANA zone of the site's local times (shown dates without an offset); "" when unknown
    #: (the generic rules): dates then keep the offset they were written with, or none.
    timezone: str
    #: The site's own name as it writes it; a "headline" equal to it is no headline.
    site_name: str = ""

    # -- fields ------------------------------------------------------------
    headline: Selectors = ()
    description: Selectors = ()
    #: Each matching element is one author.
    authors: Selectors = ()
    #: The credited agency ("Agencies", "وكالات", ...).
    source: Selectors = ()
    date_published: Selectors = ()
    date_modified: Selectors = ()
    #: ``strptime`` formats of the shown dates; ISO 8601 and RFC 822 are always tried.
    date_formats: Selectors = ()
    #: The calendar of the shown dates: ``gregorian``, or ``solar_hijri`` (read by parts, no formats needed).
    calendar: str = "gregorian"
    section: Selectors = ()
    #: Each matching element is one tag, kept in page order.
    tags: Selectors = ()
    #: The element whose children are the article body.
    body: Selectors = ()
    #: The lead image: a ``figure`` (caption from its ``figcaption``) or an ``img``.
    main_image: Selectors = ()
    #: Boilerplate inside the body, removed before it is read (added to the framework's defaults).
    drop: Selectors = ()
    #: Containers outside the body that hold embeds (a video page's player, say).
    embeds: Selectors = ()
    article_id: Selectors = ()
    #: The site's quirks as methods, for what selectors cannot say (:mod:`crawler.extraction.page`):
    #: a :class:`~crawler.extraction.page.SitePage` subclass whose method named after a field gives it.
    page: type[SitePage] | None = None

    # -- discovery ---------------------------------------------------------
    #: Regular expressions (searched in the URL path) that article URLs match.
    article_urls: Selectors = ()
    #: Where a listing page's article links are; the whole page when empty.
    listing_links: Selectors = ()
    #: The link to a listing's next page.
    next_page: Selectors = ()
    #: The dates a listing shows for its entries (read with ``date_formats``); with
    #: ``-a since=``, a listing whose dates are all older is not followed further.
    listing_dates: Selectors = ()
    #: ``(pattern, replacement)`` pairs applied to URL paths, so that variants of one
    #: article's URL (an AMP copy, say) meet at one URL before they are requested.
    url_rewrites: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        # Accept a bare string wherever a tuple of selectors is expected.
        for rule_field in fields(self):
            value = getattr(self, rule_field.name)
            if rule_field.type == "Selectors":
                object.__setattr__(self, rule_field.name, _as_tuple(value))
        object.__setattr__(self, "_article_url_res", tuple(re.compile(pattern) for pattern in self.article_urls))
        rewrites = tuple((re.compile(pattern), replacement) for pattern, replacement in self.url_rewrites)
        object.__setattr__(self, "_url_rewrite_res", rewrites)

    def is_article_url(self, path: str) -> bool:
        return any(pattern.search(path) for pattern in self._article_url_res)  # type: ignore[attr-defined]

    def rewrite_url(self, url: str) -> str:
        """The URL with ``url_rewrites`` applied to its path, percent-encoded (RFC 3986)."""
        parts = urlsplit(safe_url_string(url))
        path = parts.path
        for pattern, replacement in self._url_rewrite_res:  # type: ignore[attr-defined]
            path = pattern.sub(replacement, path)
        return urlunsplit(parts._replace(path=path))


#: Rules for a page of no known site: metadata and the generic extractor only.
GENERIC_RULES = SiteRules(site="generic", language="", timezone="")


#: The rules' selector fields, by name (``headline``, ``body``, ...).
SELECTOR_FIELDS = frozenset(rule_field.name for rule_field in fields(SiteRules) if rule_field.type == "Selectors")
