"""NewsSpider: the one spider class every site's spider is a subclass of.

A site's spider sets ``name``, ``allowed_domains``, ``start_urls`` and
``rules``; this class does the rest.  Any page is first asked what it is:
a feed or sitemap, an article (its URL matches ``rules.article_urls``), or a
listing page whose links are followed.

Start URLs may name the crawl's day, for daily sitemaps and archives:
``"https://example.com/sitemap.xml?d={date:%Y-%m-%d}"``.  The day is the
``date`` spider argument (``scrapy crawl site -a date=2021-10-18``), by
default today in the site's time zone.

``-a since=YYYY-MM-DD`` / ``-a until=`` keep only articles published in
that range, and stop following a listing whose dated entries are all older
than ``since``.  ``-a refresh=1`` downloads articles the store already has
(where the crawl skips them: ``NEWS_SKIP_STORED``, crawler/downloader/incremental.py).

The crawl commands check these arguments with :meth:`NewsSpider.check_arguments`
before the crawl starts, so that a bad value is one line and exit status 2.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.crawling.discovery import (
    MAX_FEED_BYTES,
    MAX_FEED_ENTRIES,
    Discovery,
    discover_feed,
    discover_links,
    is_feed,
)
from crawler.crawling.feedxml import FeedRefused
from crawler.crawling.signals import article_page_received
from crawler.downloader.failures import failure_reason
from crawler.errors import UnreadablePage
from crawler.extraction.article import extract_article
from crawler.extraction.decoding import check_readable, decode_page, looks_like_mojibake, utf8_bytes
from crawler.items import Article
from crawler.rules import SiteRules

#: How many listing pages one chain of next-page links may take, by default.
DEFAULT_MAX_LISTING_PAGES = 20


#: The one spelling of a day ``-a date/since/until`` take.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: What ``-a refresh=`` accepts, and what each spelling means.
_FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


class SpiderArgumentError(ValueError):
    """A ``-a NAME=VALUE`` the spider cannot use.  Its text is the whole message: the commands print it as one line."""


def _day(argument: str, value: str | None) -> date | None:
    """A ``-a`` day, ``YYYY-MM-DD`` only: ``date.fromisoformat`` alone would also take ``20211018`` or ``2021-W42-1``."""
    if value is None:
        return None
    if _DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:  # 2021-13-45
            pass
    raise SpiderArgumentError(f"-a {argument}={value!r}: give the day as YYYY-MM-DD")


def _flag(argument: str, value: str | bool) -> bool:
    """A yes/no ``-a`` value: an unknown spelling is refused, since reading it as "no" would hide the typo."""
    if isinstance(value, bool):
        return value
    try:
        return _FLAGS[value.strip().lower()]
    except KeyError:
        raise SpiderArgumentError(f"-a {argument}={value!r}: give 1 or 0 (or true/false, yes/no)") from None


class NewsSpider(scrapy.Spider):
    rules: ClassVar[SiteRules]
    #: Politeness towards the live site: seconds between requests and requests at once, per domain.
    #: Applied as Scrapy download slots unless ``NEWS_SITE_POLITENESS`` is off (replay, tests).
    crawl_delay: ClassVar[float] = 1.0
    max_concurrency: ClassVar[int] = 2
    #: The ``-a NAME=VALUE`` arguments the spider reads; any other is only warned about (:meth:`check_arguments`).
    arguments: ClassVar[tuple[str, ...]] = ("date", "since", "until", "refresh")

    @classmethod
    def check_arguments(cls, arguments: Mapping[str, str]) -> list[str]:
        """Raise :class:`SpiderArgumentError` for a value the spider cannot use; a warning per name it does not read.

        The crawl commands call this before the crawl starts.  The same check
        runs in ``__init__``, but an error raised there surfaces inside
        Scrapy's asyncio task, under a traceback that buries the message.  An
        unknown name is no error: Scrapy sets it as an attribute, as it always
        has, and a misspelt ``-a`` name should not cost a long crawl; but a
        name the spider already has (``start_urls``, ``rules``) is refused,
        since Scrapy would replace the spider's own value with the string.
        """
        _read_arguments(arguments)
        known = ", ".join(cls.arguments)
        unknown = [name for name in arguments if name not in cls.arguments]
        for name in unknown:
            if hasattr(cls, name):  # -a start_urls=..., -a name=...: Scrapy would overwrite the spider's own
                raise SpiderArgumentError(
                    f"-a {name}: that is the spider's own {name}, not an argument (known: {known})"
                )
        return [f"-a {name}: no such argument (known: {known}); ignored" for name in unknown]

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        if settings.getbool("NEWS_SITE_POLITENESS", True):
            slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
            for domain in getattr(cls, "allowed_domains", None) or ():
                slots.setdefault(domain, {"concurrency": cls.max_concurrency, "delay": cls.crawl_delay})
            settings.set("DOWNLOAD_SLOTS", slots, priority="spider")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        rules = getattr(cls, "rules", None)
        if rules is not None and getattr(cls, "name", None) != rules.site:
            raise TypeError(f"{cls.__name__}.name must equal its rules.site ({rules.site!r})")

    def __init__(
        self,
        *args: Any,
        date: str | None = None,
        since: str | None = None,
        until: str | None = None,
        refresh: str | bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        day, since_day, until_day, refreshing = _read_arguments(
            {"date": date, "since": since, "until": until, "refresh": refresh}
        )
        self.date = day or datetime.now(ZoneInfo(self.rules.timezone)).date()
        #: Keep only articles published in [since, until] (days in the site's zone), when given.
        self.since, self.until = since_day, until_day
        #: Download articles the store already holds (``-a refresh=1``).
        self.refresh = refreshing

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The start pages, marked: a crawl none of whose start pages could be had failed (crawler/extensions/report.py)."""
        for url in self.start_urls:
            url = url.format(date=self.date) if "{date" in url else url
            self._count("news/start_pages")
            yield scrapy.Request(url, callback=self.parse, errback=self.download_failed, meta={"news_start": True})

    def download_failed(self, failure: Failure) -> None:
        """A page that could not be had (timeout, reset, too large, redirect loop, 404 after retries).

        One log line and a count under ``news/download_failed/<reason>``
        (``crawler.downloader.failures`` names the reason), never a traceback.  Requests
        skipped on purpose (already stored, robots.txt) are counted where they
        are skipped, not here.
        """
        request = getattr(failure, "request", None)
        if request is not None and request.meta.get("news_start"):
            self._count("news/start_pages_failed")  # robots.txt's refusals too: the crawl could not start there
        reason = failure_reason(failure, request, self.settings)
        if reason is None:
            return
        self._count(f"news/download_failed/{reason}")
        url = request.url if request else "?"
        if failure.check(HttpError):  # routine (a replay's unstored links, a removed article): the report counts them
            self.logger.debug("Gave up on %s: HTTP %s", url, failure.value.response.status)
        else:
            self.logger.warning("Gave up on %s: %s (%s)", url, reason, failure.getErrorMessage())

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request | Article]:
        """A listing page, feed or sitemap: follow its article and next-page links."""
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        if is_feed(response.body, content_type):
            discovery = self._read_feed(response)
            if discovery is None:
                return
        elif not isinstance(response, TextResponse):
            self._count("news/skipped/not_text")
            self.logger.warning("Skipping %s: not a text page (%s)", response.url, content_type or "no type")
            return
        elif self.rules.is_article_url(urlsplit(response.url).path):
            yield from self.parse_article(response)
            return
        else:
            try:
                text, _ = self._page_text(response)
            except UnreadablePage as error:
                self._count(f"news/dropped/{error.reason}")
                self.logger.warning("Dropping listing %s: %s", response.url, error)
                return
            discovery = discover_links(text, response.url, self.rules)
        self._count("news/listing_pages")
        for url in discovery.articles:
            yield response.follow(
                url, callback=self.parse_article, errback=self.download_failed, meta={"news_article": True}
            )
        if self.since and discovery.newest and discovery.newest.date() < self.since:
            self._count("news/listing_pages_older_than_since")
            return  # everything here is older than the range; the next page is older still
        listing_page = response.meta.get("listing_page", 1)
        max_pages = self.settings.getint("NEWS_MAX_LISTING_PAGES", DEFAULT_MAX_LISTING_PAGES)
        for url in discovery.listings:
            if listing_page >= max_pages:
                self._count("news/listing_pages_over_limit")
                continue
            yield response.follow(
                url, callback=self.parse, errback=self.download_failed, meta={"listing_page": listing_page + 1}
            )

    def _read_feed(self, response: Response) -> Discovery | None:
        """A feed's or sitemap's links; ``None``, logged and counted, for one refused unread (a bomb, say)."""
        max_size = self.settings.getint("DOWNLOAD_MAXSIZE") or MAX_FEED_BYTES
        try:
            discovery = discover_feed(response.body, response.url, self.rules, max_size=max_size)
        except FeedRefused as refused:
            self._count(f"news/feed_refused/{refused.reason}")
            self.logger.warning("Refusing feed %s: %s", response.url, refused)
            return None
        if discovery.malformed:
            self._count("news/feed_malformed")
            self.logger.warning(
                "Malformed feed %s (%s): following the %d links recovered",
                response.url,
                discovery.malformed,
                len(discovery.articles) + len(discovery.listings),
            )
        if discovery.over_limit:
            self._count("news/feed_links_over_limit", discovery.over_limit)
            self.logger.warning(
                "Feed %s lists %d links more than the %d a sitemap may hold; not followed",
                response.url,
                discovery.over_limit,
                MAX_FEED_ENTRIES,
            )
        return discovery

    def parse_article(self, response: Response) -> Iterator[Article]:
        """Extract one article page into an Article item."""
        if not isinstance(response, TextResponse):
            self._count("news/skipped/not_text")
            self.logger.warning("Skipping %s: an article URL that is not a text page", response.url)
            return
        if self.crawler is not None:  # NEWS_ARCHIVE_DIR keeps it (crawler/extensions/archive.py)
            self.crawler.signals.send_catch_log(article_page_received, response=response, spider=self)
        try:
            text, encoding = self._page_text(response)
        except UnreadablePage as error:
            self._count(f"news/dropped/{error.reason}")
            self.logger.warning("Dropping %s: %s", response.url, error)
            return
        extraction = extract_article(text, response.url, self.rules, encoded=utf8_bytes(response.body, text, encoding))
        for field_name in extraction.fallbacks:
            self._count(f"extract/generic_fallback/{field_name}")
            self.logger.warning(
                "%s: %s came from the generic extractor; do the rules still match?", response.url, field_name
            )
        for field_name in extraction.disagreements:
            self._count(f"extract/disagreement/{field_name}")
        if extraction.generic_path:  # the site's body rule matched nothing (or the site has none)
            self._count(f"extract/generic_path/{extraction.generic_path}")
        if extraction.nesting_flattened:  # logged by the extractor; a hostile page or a broken template
            self._count("extract/nesting_flattened")
        article = extraction.article
        self._check_mojibake(response.url, article)
        if not self._in_range(article):
            self._count("news/skipped/out_of_range")
            self.logger.info(
                "Skipping %s: published %s, outside the crawl's range", response.url, article.date_published
            )
            return
        article.fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        yield article

    def _page_text(self, response: TextResponse) -> tuple[str, str]:
        """The page's text and its encoding, decoded as ``crawler.tools.fetch`` and ``scrapy extract`` decode it.

        Scrapy's ``response.text`` believes a charset header over bytes that
        contradict it (UTF-8 Persian served as ISO 8859-1 comes out as
        mojibake); ``decode_page`` notices, and the correction is counted.
        Raises ``UnreadablePage`` for an empty page or a PDF/image served as HTML.
        """
        check_readable(response.body)
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
        text, encoding, notes = decode_page(response.body, content_type)
        for note in notes:
            self._count("news/charset_corrected")
            self.logger.info("%s: %s", response.url, note)
        return text, encoding

    def _check_mojibake(self, url: str, article: Article) -> None:
        """Mojibake the page was published with is kept as published, but counted and logged."""
        if looks_like_mojibake(f"{article.headline or ''}\n{article.body or ''}"):
            self._count("news/mojibake")
            self.logger.warning("%s: the text looks like UTF-8 once read as windows-1252 (mojibake in the page "
                                "itself); kept as published", url)  # fmt: skip

    def _in_range(self, article: Article) -> bool:
        if not (self.since or self.until) or not article.date_published:
            return True  # no range, or no date to judge by: keep it
        published = datetime.fromisoformat(article.date_published).date()
        return (self.since is None or published >= self.since) and (self.until is None or published <= self.until)

    def _count(self, key: str, count: int = 1) -> None:
        if self.crawler is not None:
            self.crawler.stats.inc_value(key, count)


def _read_arguments(arguments: Mapping[str, Any]) -> tuple[date | None, date | None, date | None, bool]:
    """``date``, ``since``, ``until`` and ``refresh`` read from the spider arguments; SpiderArgumentError if unusable.

    One reader for ``NewsSpider.check_arguments`` (the commands, before the
    crawl) and ``__init__`` (any other way of starting a spider), so the two
    can never disagree about what is accepted.
    """
    day, since, until = (_day(name, arguments.get(name)) for name in ("date", "since", "until"))
    if since and until and since > until:
        raise SpiderArgumentError(f"-a since={since} is after -a until={until}: no day is in that range")
    refresh = arguments.get("refresh")
    return day, since, until, _flag("refresh", False if refresh is None else refresh)
