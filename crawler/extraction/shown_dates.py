"""The publication date a page shows, for pages whose metadata does not give it.

Pages with no site rules get their date from JSON-LD, OpenGraph and ``<meta>``
(:mod:`crawler.extraction.metadata`).  When those lack it, the page still says
when it was published, in four places, read here in this order of trust:

1. ``time``: ``<time datetime>`` elements and schema.org microdata
   (``itemprop="datePublished"``, in ``content``, ``datetime`` or text).  Made
   for machines, exact, and usually with the time and offset; those near the
   headline (sharing the deepest container with it) come first, and those in
   comment threads, related-story lists, the page's header and footer, sidebars,
   and other ``<article>`` s (teasers) are never read: they date something else.
   The headline is the ``<h1>`` that matches the page's title without the site's
   name (a heading that does, when no ``<h1>`` is more than a logo or the site's
   name); the first of several with the same text (a body that repeats it).  An
   ``<aside>`` of the headline's article is read when it is a facts box (no more
   text than a byline).
2. ``meta``: the ``<meta>`` dates :func:`crawler.extraction.metadata.meta_layer`
   does not read (``date``, ``dc.date``, ``sailthru.date``, ``parsely-pub-date``
   ..., then any other name that says "published" and no other date, and
   microdata ``itemprop="datePublished"`` in the ``<head>``).  Also for machines,
   but set by plugins whose meaning varies more.
3. ``text``: short lines shown near the headline (a byline, "Published March
   11, 2026", "الخميس، 15 أكتوبر 2020 - 08:45 م", "۱۴ تیر ۱۳۹۹"): the lines of
   the first :data:`MAX_NODES_AFTER` nodes after the headline and
   :data:`MAX_NODES_BEFORE` before it, labelled ones ("Published", "نشر",
   "منتشر شده") first, then the closest; an unlabelled date counts only within
   :data:`MAX_UNLABELLED_LINES` lines, and in prose only as a dateline.  Written
   for people: the right date is usually there, but so are others.
4. ``url``: ``/2020/06/03/``, ``/2020-06-03/``, ``/20200603/``: the day the
   address was made, which is the day of publication on most sites, but only
   the day.

A date labelled as an update ("Updated", "آخر تحديث", "به‌روزرسانی", a
``dateModified`` or ``updated`` class) is no publication date: such
candidates come after all others, used only when nothing else is found.

Offsets are never invented nor converted: a date that carries its own offset
keeps it (``2021-03-05T01:30:00+03:00`` stays +03:00, its day unchanged); one
without is read in the site's time zone when it is known, and kept naive when
it is not; a date shown without a time (a URL, "March 11, 2026") stays a
``date``, so that no zone can move it to another day.

Ambiguous numeric dates: ``03/11/2026`` is read only when one part is over 12
(then the order is certain) or when the page is labelled American (``lang``
``en-US``, or a US zone such as "ET" after the time: month first); dotted
dates (``11.03.2026``) are day first, as everywhere they are written.  A
four-digit year before 1700 in a numeric date is a Solar Hijri year
(``1399/04/14``), unless marked as lunar Hijri ("هـ").

Everything a page can inflate is bounded: elements and text nodes examined,
characters read per candidate, ancestors walked.  Odd pages give ``None`` or
fewer candidates, never an exception.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from datetime import timezone as fixed_zone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.dates import (
    ARABIC_MONTHS,
    ARABIC_WEEKDAYS,
    PERSIAN_GREGORIAN_MONTHS,
    SOLAR_HIJRI_MONTHS,
    normalize_date_text,
    parse_date,
)
from crawler.extraction.headline import TITLE_METAS, PageMarks, domain_label, page_marks, strip_site_name

logger = logging.getLogger(__name__)

#: Characters of one candidate that are read: a date, its time and label fit; prose does not.
MAX_CANDIDATE_CHARS = 200
#: Lines longer than this many characters are prose: only a date at their start (a dateline) is read.
DATELINE_CHARS = 32
#: Dates with no label are read in this many lines around the headline (a byline's place); labelled ones further.
MAX_UNLABELLED_LINES = 10
#: Nodes (elements and text) examined after the headline, and before it.
MAX_NODES_AFTER = 400
MAX_NODES_BEFORE = 80
#: Dated elements (``<time>``, microdata) examined, in document order.
MAX_DATED_ELEMENTS = 200
#: Headings considered as the headline.
MAX_HEADINGS = 20
#: Ancestors walked from one element (a page nested deeper is flattened before parsing anyway).
MAX_ANCESTORS = 1024
#: Characters of a URL's path read for a date.
MAX_URL_CHARS = 500
#: The first year a publication date can have; the last is next year (a date further ahead is no
#: publication date: a lunar Hijri year, 1447, read as Solar Hijri falls in 2068).
FIRST_YEAR = 1970

SOURCES = ("time", "meta", "text", "url")

#: ``<meta>`` names of a publication date that :func:`crawler.extraction.metadata.meta_layer` does not read
#: (it reads ``article:published_time`` and ``pubdate``), most specific first.  Compared lowercased.
META_KEYS = (
    "parsely-pub-date", "sailthru.date", "publish-date", "publish_date", "publishdate", "publication_date",
    "article.published", "article:published", "og:published_time", "og:article:published_time",
    "datepublished", "date.published", "citation_publication_date", "citation_date", "dc.date.issued",
    "dcterms.issued", "dc.date.created", "dcterms.created", "dc.date", "dcterms.date", "date",
    "original-publish-date", "originalpublicationdate", "cxenseparse:recs:publishtime", "article_date_original",
)  # fmt: skip
#: Other ``<meta>`` names (or microdata ``itemprop`` s) that say "published": CMSs and themes invent their own
#: ("published", "w-published-date", "article.created").  Read after :data:`META_KEYS`, in page order.
_PUBLISHED_META = re.compile(r"publish|pub[-_.]?date|created|issued|posted")
#: ... unless they name another date: an update, an expiry, an event's, a review's.
_OTHER_META = re.compile(
    r"modif|updat|revis|expir|change|edit|review|event|start|end|valid|embargo|crawl|index|lastmod"
)
#: Read by :func:`crawler.extraction.metadata.meta_layer`: a date there that its parser could not read is
#: offered to :func:`find_published_date` as ``unread``.
_META_LAYER_KEYS = frozenset({"article:published_time", "pubdate"})

#: Shown dates written as a whole value (a ``<meta>`` content, a ``<time>``'s text), read by ``strptime``
#: after :func:`crawler.dates.normalize_date_text` (English names, ASCII digits, AM/PM).  Dates inside
#: longer text are found by the patterns below instead.  Formats with no hour are day-only dates.
GENERIC_FORMATS = (
    "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%B %d %Y", "%d %B %Y", "%d %b %Y", "%d %B, %Y",
    "%A, %B %d, %Y", "%A, %d %B %Y", "%A %d %B %Y", "%a, %d %b %Y", "%Y/%m/%d", "%d.%m.%Y",
    "%B %d, %Y %I:%M %p", "%B %d, %Y at %I:%M %p", "%b %d, %Y %I:%M %p", "%b %d, %Y at %I:%M %p",
    "%A, %B %d, %Y %I:%M %p", "%d %B %Y %H:%M", "%d %B %Y - %H:%M", "%d %B %Y, %H:%M", "%d %b %Y %H:%M",
    "%A, %d %B %Y - %I:%M %p", "%A, %d %B %Y %I:%M %p", "%A %d %B %Y %I:%M %p", "%A, %d %B %Y - %H:%M",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%d.%m.%Y %H:%M",
    "%a, %d %b %Y %H:%M:%S", "%a, %d %b %Y %H:%M",
)  # fmt: skip
#: A run of digits.  Each numeric directive of :data:`GENERIC_FORMATS` reads one such run, and none of
#: them stands next to another or to a digit of the format: a text that a format reads holds as many
#: runs as the format has numeric directives, so formats of another count are not tried.
_NUMBERS = re.compile(r"\d+")
_NUMERIC_DIRECTIVE = re.compile(r"%[dmYHIMS]")
_GENERIC_FORMAT_NUMBERS = tuple((form, len(_NUMERIC_DIRECTIVE.findall(form))) for form in GENERIC_FORMATS)

# Matching is done on a copy of the text with the same length (so that spans are spans of the text as
# published): ASCII digits, and the Persian forms of yeh and kaf that Arabic keyboards mix in.
_KEY = str.maketrans({**{c: str(i % 10) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")}, "ي": "ی", "ك": "ک"})
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")  # fmt: skip
_MONTH_NUMBERS: dict[str, int] = {}
for _number, _english in enumerate(_EN_MONTHS, 1):
    _MONTH_NUMBERS[_english.lower()] = _MONTH_NUMBERS[_english[:3].lower()] = _number
    for _name in ARABIC_MONTHS[_english] + PERSIAN_GREGORIAN_MONTHS[_english]:
        _MONTH_NUMBERS[_name.translate(_KEY)] = _number
_MONTH_NUMBERS["sept"] = 9
#: English month names and abbreviations, as URLs write them ("/2023/oct/03/").
_EN_MONTH_NAMES = {name: number for name, number in _MONTH_NUMBERS.items() if name.isascii()}
_SOLAR_HIJRI_NUMBERS = {name.translate(_KEY): number for number, name in enumerate(SOLAR_HIJRI_MONTHS, 1)}


def _alternation(names: Iterable[str]) -> str:
    """A regex alternation of the names, longest first ("تشرين الأول" before a shorter name in it)."""
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


_G_MONTH = rf"(?i:{_alternation(_MONTH_NUMBERS)})"
_SH_MONTH = _alternation(_SOLAR_HIJRI_NUMBERS)
_DAY = r"(?<!\d)(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?P<year>\d{4})(?!\d)"
#: The date forms, tried in this order on each line (a span one form read is not read again).  No pattern
#: repeats a repetition and none reads more than MAX_CANDIDATE_CHARS characters: no catastrophic backtracking.
_DATE_FORMS = {
    "solar_hijri": re.compile(rf"{_DAY}\s*(?P<month>{_SH_MONTH})(?!\w)\s*[,،]?\s*{_YEAR}"),
    "mdy": re.compile(
        rf"(?<!\w)(?P<month>{_G_MONTH})\.?\s*(?<![^\s.])(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)\s*,?\s*{_YEAR}"
    ),
    "dmy": re.compile(
        rf"{_DAY}\s*(?:of\s+)?[-/]?\s*(?P<month>{_G_MONTH})(?!\w)\.?(?:\s*/\s*(?:{_G_MONTH})(?!\w))?\s*[-/,،]?\s*{_YEAR}"
    ),
    "ymd": re.compile(r"(?<![\d/.-])(?P<year>\d{4})(?P<sep>[-/.])(?P<month>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)(?![\d/])"),
    "numeric": re.compile(
        r"(?<![\d/.-])(?P<first>[0-3]?\d)(?P<sep>[-/.])(?P<second>[0-3]?\d)(?P=sep)(?P<year>\d{4})(?!\d)"
    ),
}
#: What every one of the :data:`_DATE_FORMS` holds: four digits in a row (its year).  In any script: it finds
#: them in a text as in its :data:`_KEY` translation.
_YEAR_DIGITS = re.compile(r"\d{4}")
_MERIDIEM = r"(?P<meridiem>(?i:a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z])|صباحاً|صباحًا|صباحا|مساءً|مساءا|مساء|ص(?!\w)|م(?!\w))"
_ZONE = (
    r"(?P<zone>Z(?![a-z])|(?i:GMT|UTC|UT)?\s?[+-]\d{1,2}(?::?\d{2})?(?!\d)|"
    r"(?:GMT|UTC|UT|ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|BST|CET|CEST|EET|EEST)(?![A-Za-z]))"
)
#: A time of day; an hour alone ("3 p.m.") needs its meridiem, which :func:`_clock_after` checks.
_CLOCK = rf"(?P<hour>[0-2]?\d)(?::(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d)(?:[.,]\d{{1,9}})?)?)?\s*{_MERIDIEM}?"
#: A time right after a date: "at 3:45 p.m. ET", " - 08:45 م", "ساعت ۱۵:۴۴", "T10:00:00+03:00".
_TIME_AFTER = re.compile(
    rf"(?:T|\s*[,،\-–—|•@/]?\s*(?:(?i:at)|ساعت|الساعة|الساعه|في)?\s*[,:\-–—|•]?\s*)"
    rf"(?<![\d:])(?:{_CLOCK})(?!\d)(?:\s*\(?\s*{_ZONE})?"
)
#: A time right before a date: "15:44 - 27 مهر 1400".
_TIME_BEFORE = re.compile(
    rf"(?<![\d:])(?P<hour>[0-2]?\d):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?\s*{_MERIDIEM}?\s*[-–—|,،]\s*$"
)
_WEEKDAYS = (
    r"(?i:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?)|"
    + _alternation({name.translate(_KEY) for names in ARABIC_WEEKDAYS.values() for name in names})
    + r"|(?:یک|دو|سه|چهار|پنج)?[\u200c ]?شنبه|جمعه"
)
#: A weekday written just before a date ("الخميس، 15 أكتوبر 2020"): part of the date as published.
_WEEKDAY_BEFORE = re.compile(rf"(?<!\w)(?:{_WEEKDAYS})\s*[,،]?\s*$")
_DATELINE_END = re.compile(r"\s*[—–\-:|(]")
_HIJRI_MARK = re.compile(r"\s*(?:هـ|ه\.?|ق(?!\w))")
_US_ZONES = frozenset({"ET", "EST", "EDT", "CT", "CST", "CDT", "MT", "MST", "MDT", "PT", "PST", "PDT"})
_ZONES = {
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "GMT": 0, "UTC": 0, "UT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
}  # fmt: skip
_ISO_DAY = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_RFC822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|[A-Z]{1,3})"
)

#: Labels of a publication date and of an update, in the text just before a date.
_PUBLISHED_WORDS = (
    r"(?i:published|posted|first\s+published|released)|تاريخ\s+النشر|نُشر|نشر|منشور|منتشر\s*شده|تاريخ\s+انتشار|انتشار"
)
_UPDATED_WORDS = (
    r"(?i:updated?|modified|revised|edited)|آخر\s+تحديث|تحديث|محدث|به[\u200c\s]?روز[\u200c\s]?رسانی|بروزرسانی|ویرایش"
)
_PUBLISHED_LABEL = re.compile(_PUBLISHED_WORDS.translate(_KEY))
_UPDATED_LABEL = re.compile(_UPDATED_WORDS.translate(_KEY))
_PUBLISHED_CLASS = re.compile(r"publish|pubdate|posted|post-date|postdate|created", re.IGNORECASE)
_UPDATED_CLASS = re.compile(r"updated|modified|revised|changed", re.IGNORECASE)

#: Class and id words of containers whose dates are another document's: related stories, lists, sidebars.
_ELSEWHERE_WORDS = (
    "related", "recommend", "recommended", "recommendations", "read-?next", "up-?next", "more-?from", "more-?stories",
    "more-?news", "more-?articles", "also-?read", "you-?may", "popular", "trending", "most-?read", "most-?viewed",
    "most-?popular", "recent", "sidebar", "side-?bar", "outbrain", "taboola", "breaking", "ticker", "archive", "promo",
    "posts", "post-?list", "entry-?list", "article-?list", "loop-?item", "loop-?entry", "carousel", "slider",
)  # fmt: skip
#: ... of comment threads: elsewhere only when they hold more than a byline's text ("August 19, 2025 | 33 Comments"
#: sits in a ``comments`` box beside many a headline).
_COMMENT_WORDS = ("comment", "disqus", "reply", "replies", "respond")
#: ... of the page's own header and footer: elsewhere only outside an article.  Named as the site's, or as
#: the whole class or id: "entry-header", "date-header" and "article-hero__footer" hold the article's date.
_PAGE_PART_WORDS = (
    "site-?header",
    "global-?header",
    "masthead",
    "top-?bar",
    "site-?footer",
    "global-?footer",
    "page-?footer",
)


def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    """Class words as words: "relatedPosts" and "related-posts" are related stories, "node--promoted" (Drupal) and
    "commentary" are not.  Case-sensitive, so that a capital starts a word."""

    def cased(word: str) -> str:  # "site-?header" -> "[sS]ite-?[hH]eader": "siteHeader" too
        return re.sub(r"(?:^|(?<=-\?))([a-z])", lambda match: f"[{match.group(1)}{match.group(1).upper()}]", word)

    return re.compile("(?<![a-z])(?:" + "|".join(map(cased, words)) + ")s?(?![a-z])")


_ELSEWHERE_CLASS = _words(_ELSEWHERE_WORDS)
_COMMENT_CLASS = _words(_COMMENT_WORDS)
_PAGE_PART_CLASS = re.compile(rf"{_words(_PAGE_PART_WORDS).pattern}|(?<!\S)(?:[Hh]eader|[Ff]ooter)(?!\S)")
#: Elements whose dates are never the article's when they do not hold the headline.
_ELSEWHERE_TAGS = frozenset({"aside", "nav"})
#: ... and the page's header and footer (those of an article or section are that article's).
_PAGE_PART_TAGS = frozenset({"header", "footer"})
#: Where a header or footer is an article's own.
_SECTIONING_TAGS = frozenset({"article", "section", "main"})
#: Elements never read at all.
_SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "select", "button", "form", "iframe", "head"}
)
#: Elements that break a line of text (as a browser lays them out).
_BLOCK_TAGS = frozenset(
    ("address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption", "figure",
     "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p",
     "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul")
)  # fmt: skip
_DATED_ELEMENTS = (
    'time, [itemprop="datePublished"], [itemprop="dateCreated"], [itemprop="dateModified"], [pubdate], abbr.published'
)
#: Headline-like elements of pages whose headline is no ``<h1>``.
_HEADLINE_FALLBACKS = 'h2, h3, [itemprop="headline"], .entry-title, .post-title, .article-title, .headline'
_URL_FORMS = (
    re.compile(r"/(?P<year>(?:19|20)\d{2})/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)(?=[/\-_.]|$)"),
    re.compile(
        rf"/(?P<year>(?:19|20)\d{{2}})/(?P<month>(?i:{_alternation(_EN_MONTH_NAMES)}))/(?P<day>[0-3]?\d)(?=[/\-_.]|$)"
    ),
    re.compile(r"(?<![0-9A-Za-z])(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![0-9])"),
    re.compile(r"(?<![0-9A-Za-z])(?P<year>(?:19|20)\d{2})(?P<month>[01]\d)(?P<day>[0-3]\d)(?![0-9A-Za-z])"),
)


@dataclass(frozen=True)
class ShownDate:
    """A date as a page gives it: the text, and a ``datetime`` (aware only if the page said the offset) or a ``date``."""

    raw: str
    value: datetime | date

    @property
    def day_only(self) -> bool:
        return not isinstance(self.value, datetime)

    def isoformat(self) -> str:
        return self.value.isoformat()

    def in_zone(self, timezone: str | None) -> ShownDate:
        """A naive time read as ``timezone``'s local time (the offset of its own day); others unchanged."""
        if timezone is None or not isinstance(self.value, datetime) or self.value.tzinfo is not None:
            return self
        return replace(self, value=self.value.replace(tzinfo=ZoneInfo(timezone)))


@dataclass(frozen=True)
class DateCandidate:
    """One date the page gives, where it was found, and whether it is labelled a publication or an update."""

    date: ShownDate
    source: str  # one of SOURCES
    where: str  # what held it: 'time[datetime]', 'meta[name="sailthru.date"]', 'text after the headline, line 2', ...
    label: str | None = None  # "published", "updated", or None

    @property
    def raw(self) -> str:
        return self.date.raw


@dataclass(frozen=True)
class FoundDate:
    """The publication date chosen: the text as published, its ISO 8601 value, and where it came from."""

    raw: str
    value: str
    source: str
    where: str


# --- reading one date ------------------------------------------------------------------------


def parse_shown_date(raw: str | None, timezone: str | None = None, *, month_first: bool = False) -> ShownDate | None:
    """Read a date as a page shows or tags it; ``None`` if there is none to read.

    Whole values first (ISO 8601, RFC 822, :data:`GENERIC_FORMATS`), then the
    first date found inside the text (English, Arabic and Persian forms, the
    Solar Hijri calendar).  An offset in the text is kept; a naive time is
    read in ``timezone`` when given and left naive when not; a date with no
    time is a ``date``.  ``month_first`` reads an ambiguous ``03/11/2026`` as
    March 11 (a page labelled American); without it such dates are refused.
    """
    if not raw:
        return None
    text = " ".join(raw[:MAX_CANDIDATE_CHARS].split())
    if not text:
        return None
    value = _read_whole(text)
    if value is None:
        found = next(_dates_in(text, month_first), None)
        value = found[2] if found else None
    return None if value is None else ShownDate(raw=text, value=value).in_zone(timezone)


def _read_whole(text: str) -> datetime | date | None:
    """ISO 8601, RFC 822 or one of :data:`GENERIC_FORMATS`, as the whole value."""
    key = text.translate(_KEY)
    if day := _ISO_DAY.fullmatch(key):
        year, month, number = map(int, day.groups())
        return _solar_hijri(year, month, number, None) if year < 1700 else _day(year, month, number)
    if _ISO_TIME.match(key):
        try:
            value = datetime.fromisoformat(key.replace("z", "Z"))
        except ValueError:
            value = None
        if value is not None:
            return value if _plausible(value.year) else None
    if _RFC822.fullmatch(key):
        try:
            value = parsedate_to_datetime(key)
        except (TypeError, ValueError, IndexError):
            value = None
        if value is not None and _plausible(value.year):
            return value
    if len(key) > 64 or not any(char.isdigit() for char in key[:64]):
        return None
    readable = normalize_date_text(text)
    numbers = len(_NUMBERS.findall(readable))
    for date_format, format_numbers in _GENERIC_FORMAT_NUMBERS:
        if format_numbers != numbers:
            continue  # it cannot match: strptime's failures cost a raised exception each, dozens per text
        try:
            value = datetime.strptime(readable, date_format)
        except ValueError:
            continue
        if not _plausible(value.year):
            return None
        return value if "%H" in date_format or "%I" in date_format else value.date()
    return None


def _dates_in(text: str, month_first: bool) -> Iterator[tuple[int, int, datetime | date]]:
    """The dates inside ``text`` (at most 200 characters): start, end, and value, in order of position."""
    if _YEAR_DIGITS.search(text) is None:
        # Most lines around a headline: every form needs a year, and one search says there is none.  Searched
        # before the translation, which costs a line more than the search: it maps digits to digits, the rest to
        # non-digits.
        return
    key = text.translate(_KEY)
    found: list[tuple[int, int, datetime | date]] = []
    taken: list[tuple[int, int]] = []
    for form, pattern in _DATE_FORMS.items():
        for match in pattern.finditer(key):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            read = _read_match(form, match, key, month_first)
            if read is not None:
                taken.append(read[:2])
                found.append(read)
    yield from sorted(found, key=lambda item: item[0])


def _read_match(
    form: str, match: re.Match[str], key: str, month_first: bool
) -> tuple[int, int, datetime | date] | None:
    """The date a pattern matched, with the time shown next to it; None for an impossible or implausible one."""
    start, end = match.span()
    after = _clock_after(key, end)
    zone_name = after.group("zone") if after and after.group("zone") else None
    groups = match.groupdict()
    if form == "numeric":
        first, second = int(groups["first"]), int(groups["second"])
        us = month_first or (zone_name or "").strip().upper() in _US_ZONES
        if groups["sep"] == ".":
            day, month = first, second
        elif first > 12 or second > 12 or first == second:
            day, month = (first, second) if first > 12 else (second, first)
        elif us:
            day, month = second, first
        else:
            return None  # "03/11/2026": March 11 or 3 November; nothing says which
    else:
        day = int(groups["day"])
        month_text = groups["month"]
        month = int(month_text) if month_text.isdigit() else _month_number(form, month_text)
    year = int(groups["year"])
    solar = form == "solar_hijri" or (form == "ymd" and year < 1700)
    if solar and form == "ymd" and _HIJRI_MARK.match(key, end):
        return None  # "1442/02/28 هـ": the lunar Hijri calendar
    before = None if after else _TIME_BEFORE.search(key, max(0, start - 24), start)
    clock = after or before
    if solar:
        value = _solar_hijri(year, month, day, clock)
    else:
        value = _day(year, month, day)
        if value is not None and clock is not None:
            value = _with_clock(value, clock)
    if value is None:
        return None
    if isinstance(value, datetime) and zone_name:
        value = _with_zone(value, zone_name)
    if clock is after and after is not None:
        end = after.end()
    elif before is not None:
        start = before.start()
    if weekday := _WEEKDAY_BEFORE.search(key, max(0, start - 16), start):
        start = weekday.start()
    return start, end, value


def _clock_after(key: str, end: int) -> re.Match[str] | None:
    """The time written right after a date ending at ``end``, if any: a bare number is no time."""
    after = _TIME_AFTER.match(key, end, min(len(key), end + 40))
    if after is None or (after.group("minute") is None and after.group("meridiem") is None):
        return None
    return after


def _month_number(form: str, name: str) -> int:
    if form == "solar_hijri":
        return _SOLAR_HIJRI_NUMBERS[name]
    return _MONTH_NUMBERS.get(name.lower(), _MONTH_NUMBERS.get(name, 0))


def _plausible(year: int) -> bool:
    """Whether a Gregorian year can be a publication's: from 1970 to next year."""
    return FIRST_YEAR <= year <= date.today().year + 1


def _day(year: int, month: int, day: int) -> date | None:
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value if _plausible(year) else None


def _with_clock(day: date, clock: re.Match[str]) -> datetime | date:
    """The day at the clock's time; the day alone if the clock is no time ("25:00")."""
    hour, minute, second = (int(clock.group(name) or 0) for name in ("hour", "minute", "second"))
    meridiem = (clock.group("meridiem") or "").lower().replace(".", "").replace(" ", "")
    if meridiem:
        if not 1 <= hour <= 12:
            return day
        evening = meridiem.startswith(("p", "م"))
        hour = hour % 12 + (12 if evening else 0)
    if hour > 23:
        return day
    return datetime(day.year, day.month, day.day, hour, minute, second)


def _with_zone(value: datetime, zone: str) -> datetime:
    """The time at the offset the page wrote ("+03:00", "GMT+3") or named ("ET": New York's on that day)."""
    zone = zone.strip().upper()
    offset = re.search(r"([+-])(\d{1,2})(?::?(\d{2}))?$", zone)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        hours, minutes = int(offset.group(2)), int(offset.group(3) or 0)
        if hours > 14 or minutes > 59:
            return value
        return value.replace(tzinfo=fixed_zone(sign * timedelta(hours=hours, minutes=minutes)))
    named = _ZONES.get(zone)
    if isinstance(named, str):
        return value.replace(tzinfo=ZoneInfo(named))
    if isinstance(named, int):
        return value.replace(tzinfo=fixed_zone(timedelta(hours=named)))
    return value


def _solar_hijri(year: int, month: int, day: int, clock: re.Match[str] | None) -> datetime | date | None:
    """A Solar Hijri date in the Gregorian calendar, by :func:`crawler.dates.parse_date` (which converts it).

    parse_date wants a zone and converts to it; read in UTC a naive local time comes back
    unchanged, and its tzinfo is dropped again (the zone is applied later, or not at all).
    """
    if not (1 <= month <= 12 and 1 <= day <= (31 if month <= 6 else 30)):
        return None
    text = f"{year:04d}/{month:02d}/{day:02d}"
    if clock is not None:
        hour, minute = int(clock.group("hour")), int(clock.group("minute") or 0)
        meridiem = (clock.group("meridiem") or "").lower()
        if meridiem:
            hour = hour % 12 + (12 if meridiem.startswith(("p", "م")) else 0)
        if hour < 24:
            text += f" {hour:02d}:{minute:02d}"
    parsed = parse_date(text, "UTC", calendar="solar_hijri", hint=True)
    if parsed is None or not _plausible(parsed.value.year):
        return None
    value = parsed.value.replace(tzinfo=None)
    return value if " " in text else value.date()


# --- finding candidates -----------------------------------------------------------------------


@dataclass
class _Headline:
    """The headline; its ancestors by ``mem_id``: their depth, and whether they or one above is an article/section/main."""

    node: LexborNode | None
    ancestors: dict[int, int]
    sectioned: dict[int, bool]
    #: The depth of the ``<article>`` that holds the headline; 0 when none does.
    article_depth: int
    is_heading: bool

    @property
    def in_article(self) -> bool:
        return self.article_depth > 0


def find_date_candidates(
    tree: LexborHTMLParser, url: str, sources: tuple[str, ...] = SOURCES, marks: PageMarks | None = None
) -> list[DateCandidate]:
    """Every readable publication-date candidate of the page, most trusted first (see the module's docstring).

    Dates labelled as updates come last, in the same order.  Times are as
    the page gives them: with their own offset or naive (no zone applied).
    ``sources``: only the candidates of these :data:`SOURCES`, in the same order (a caller that
    reads only ``<time>`` s need not walk the text around the headline, the costliest part).
    ``marks``: the tree's :func:`~crawler.extraction.headline.page_marks`, when the caller has them.
    """
    try:
        headline = _find_headline(tree, url, marks if marks is not None else page_marks(tree))
        month_first = _labelled_american(tree)
        found = _dated_elements(tree, headline, month_first) if "time" in sources else []
        if "meta" in sources:
            found += _meta_dates(tree)
        if "text" in sources:
            found += _text_dates(headline, month_first)
        if "url" in sources:
            found += _url_dates(url)
    except Exception:  # a date is a hint: no page is lost for one, and the log says which page to look at
        logger.warning("Date candidates of %s not read", url, exc_info=True)
        return []
    return [candidate for candidate in found if candidate.label != "updated"] + [
        candidate for candidate in found if candidate.label == "updated"
    ]


def find_published_date(
    tree: LexborHTMLParser, url: str, timezone: str | None, unread: str | None = None, marks: PageMarks | None = None
) -> FoundDate | None:
    """The page's publication date by the order of trust, in ``timezone`` for naive times; None if it shows none.

    ``value`` is ISO 8601: with the page's own offset when it gave one, in
    ``timezone`` when it did not, naive when ``timezone`` is None, a day alone
    (``2020-06-03``) when no time was shown.

    ``unread``: a publication date the page's metadata gave in a form the metadata
    parser does not read (Drupal's ``Thu, 09/25/2025 - 11:38``, JSON-LD's ``Jun 24,
    2025``).  Such a value is written by a hand-made template, not by the CMS's date
    field, and often names another day (the last edit) than the page shows: it is
    read only when the page shows no date of its own.  ``marks``: the tree's
    :func:`~crawler.extraction.headline.page_marks`, when the caller has them (the headline is read from them).
    """
    candidates = find_date_candidates(tree, url, marks=marks)
    if not candidates:
        parsed = parse_shown_date(unread)
        if parsed is None:
            return None
        return FoundDate(raw=parsed.raw, value=parsed.in_zone(timezone).isoformat(), source="meta", where="metadata")
    best = candidates[0]
    return FoundDate(raw=best.raw, value=best.date.in_zone(timezone).isoformat(), source=best.source, where=best.where)


#: A <time> this close to a metadata instant speaks of the same moment (the same article's dates).
SAME_MOMENT = timedelta(hours=24)


def page_offset(tree: LexborHTMLParser, url: str, instant: datetime) -> fixed_zone | None:
    """The offset the page writes its own times in, from a ``<time>`` near ``instant``; None if it shows none.

    Metadata often gives a time in UTC (``2025-12-19T03:05:00+00:00``) where the page shows
    ``2025-12-18T19:05:00-08:00``: one instant, but only the second is the day the page shows.
    """
    if not _shows_offset_near(tree, instant):
        return None
    for candidate in find_date_candidates(tree, url, sources=("time",)):
        offset = _offset_near(candidate.date.value, instant)
        if candidate.source == "time" and offset:
            return fixed_zone(offset)
    return None


def _offset_near(value: datetime | date, instant: datetime) -> timedelta | None:
    """The offset of a time the page gives with its own offset, not UTC's, within :data:`SAME_MOMENT` of ``instant``."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        return None
    offset = value.utcoffset()
    return offset if offset and abs(value - instant) <= SAME_MOMENT else None


def _shows_offset_near(tree: LexborHTMLParser, instant: datetime) -> bool:
    """Whether any dated element, wherever it is, gives a time :func:`page_offset` could take.

    Few pages show one (9 of the 88 real pages asked), and the candidates' order needs the headline and
    each element's place, most of their cost (~750 µs a real page): the elements are read as
    :func:`_dated_elements` reads them, without either, and a page none of whose elements gives such
    a time has no candidate that does.
    """
    try:
        month_first = _labelled_american(tree)
        for node in tree.css(_DATED_ELEMENTS)[:MAX_DATED_ELEMENTS]:
            parsed = parse_shown_date(_dated_value(node)[0], month_first=month_first)
            if parsed is not None and _offset_near(parsed.value, instant):
                return True
    except Exception:  # read again in full, which logs it as it always has
        return True
    return False


def _labelled_american(tree: LexborHTMLParser) -> bool:
    html = tree.root  # the <html> element css_first("html") would find, without a selector search
    language = (html.attrs.get("lang") or "") if html is not None else ""
    return language.replace("_", "-").lower() == "en-us"


def _find_headline(tree: LexborHTMLParser, url: str, marks: PageMarks) -> _Headline:
    """The article's headline: its ``<h1>``, or failing one, the heading that matches the page's title.

    A page may have several ``<h1>`` (the site's logo, a teaser): the one that
    matches the page's ``og:title`` or ``<title>`` comes first, then one outside
    related lists and inside ``<article>``/``<main>``.  A page whose only ``<h1>``
    is a name of a few words (a logo) or has none gives its headline another
    tag (``<h2>``, ``itemprop="headline"``): the one that is most of the title.
    Failing all, the start of the first ``<article>`` or ``<main>``.
    """
    titles = _page_titles(tree, url, marks)
    best: tuple[tuple[bool, bool, bool, int], LexborNode] | None = None
    seen: set[str] = set()
    for index, heading in enumerate(marks.h1s[:MAX_HEADINGS]):
        text = _bounded_text(heading, MAX_CANDIDATE_CHARS)
        if _fold(text) in seen:
            continue  # the headline again, inside the body (a rich-text field that repeats it): the first is it
        seen.add(_fold(text))
        coverage = _title_coverage(text, titles)
        if coverage < 0.3 and len(_WORD.findall(text)) < 4:
            continue  # a logo or a label, unless it is the title
        ancestors = _first(heading, 64)[1:]
        elsewhere = any(_is_elsewhere(node) for node in ancestors)
        inside = any(node.tag in ("article", "main") for node in ancestors)
        key = (coverage >= 0.3, not elsewhere, inside, -index)
        if best is None or key > best[0]:
            best = (key, heading)
    node: LexborNode | None = best[1] if best is not None else None
    if node is None:
        scored = [
            (_title_coverage(_bounded_text(heading, MAX_CANDIDATE_CHARS), titles), -index, heading)
            for index, heading in enumerate(tree.css(_HEADLINE_FALLBACKS)[: MAX_HEADINGS * 5])
        ]
        fallback: tuple[float, int, LexborNode | None] = (0.0, 0, None)
        coverage, _, chosen = max(scored, key=lambda item: item[:2], default=fallback)
        node = chosen if coverage >= 0.5 else next(iter(marks.h1s), None)
    is_heading = node is not None
    if node is None:
        node = tree.css_first("article") or tree.css_first("main")
    if node is None:
        return _Headline(None, {}, {}, 0, False)
    chain = [node, *_ancestors(node)]
    depths = {item.mem_id: len(chain) - index for index, item in enumerate(chain)}
    sectioned: dict[int, bool] = {}
    above = False
    for item in reversed(chain):
        above = above or item.tag in _SECTIONING_TAGS
        sectioned[item.mem_id] = above
    article = next((item for item in chain if item.tag == "article"), None)
    return _Headline(node, depths, sectioned, depths[article.mem_id] if article is not None else 0, is_heading)


def _page_titles(tree: LexborHTMLParser, url: str, marks: PageMarks) -> list[str]:
    """The article's title as the page's metadata gives it (``og:title``, ``twitter:title``, ``<title>``), folded,
    without the site's name: an ``<h1>`` that is the name ("Example Blog" of "Example Blog: A post") is a logo."""
    titles = [content for name, value in TITLE_METAS if (content := marks.meta_content(name, value))]
    title = tree.css_first("title")
    if title is not None:
        titles.append(_bounded_text(title, MAX_CANDIDATE_CHARS * 2))
    names, label = marks.site_names(), domain_label(url)
    stripped = (strip_site_name(title[: MAX_CANDIDATE_CHARS * 2], names, label) for title in titles)
    return [folded for folded in map(_fold, filter(None, stripped)) if folded]


def _fold(text: str) -> str:
    return " ".join(text[: MAX_CANDIDATE_CHARS * 2].split()).casefold()


_WORD = re.compile(r"\w+")


def _title_coverage(text: str, titles: list[str]) -> float:
    """How much of the page's title a heading's words are; 0 when the heading has words the title lacks.

    Words, not characters: a title is often "Headline | Site" or "Headline - Site", and a
    page's text and its metadata may be decoded differently (mojibake in one of them).
    """
    words = _WORD.findall(_fold(text))
    if len(words) < 2:
        return 0.0
    best = 0.0
    for title in titles:
        title_words = _WORD.findall(title)
        shared = sum(1 for word in words if word in title_words)
        if title_words and shared >= 0.8 * len(words):
            best = max(best, min(1.0, shared / len(title_words)))
    return best


def _ancestors(node: LexborNode) -> Iterator[LexborNode]:
    parent = node.parent
    for _ in range(MAX_ANCESTORS):
        if parent is None or not parent.is_element_node:
            return
        yield parent
        parent = parent.parent


def _is_elsewhere(node: LexborNode, sectioned: bool | None = None) -> bool:
    """Whether an element holds another document's dates (a comment, a related story) or the site's own.

    ``sectioned``: whether an ancestor is an article, section or main (then a header or
    footer is theirs, not the page's); looked up when not known.
    """
    tag = node.tag
    if tag in _ELSEWHERE_TAGS or tag in _SKIPPED_TAGS:
        return True
    page_part, elsewhere, comment = _class_words(_class_names(node))
    if tag in _PAGE_PART_TAGS or page_part:
        if sectioned is None:
            sectioned = any(ancestor.tag in _SECTIONING_TAGS for ancestor in _ancestors(node))
        if not sectioned:
            return True
    if elsewhere:
        return True
    return comment and len(_bounded_text(node, MAX_CANDIDATE_CHARS + 1)) > MAX_CANDIDATE_CHARS


@lru_cache(maxsize=2048)
def _class_words(names: str) -> tuple[bool, bool, bool]:
    """Whether class and id (:func:`_class_names`) name a page part, another document's container, a comment thread.

    Walking a page asks this of every element, and a page repeats a few class names over and over:
    each string's answer is worked out once (at most 2048 kept, of at most 401 characters each).
    """
    if not names.strip():
        return False, False, False
    return (
        _PAGE_PART_CLASS.search(names) is not None,
        _ELSEWHERE_CLASS.search(names) is not None,
        _COMMENT_CLASS.search(names) is not None,
    )


def _class_names(node: LexborNode) -> str:
    """An element's class and id, as far as they are read (a page can make them a megabyte long).

    Read from ``attributes`` (one dict of them all), not ``attrs``, whose ``get`` raises and catches a
    ``KeyError`` for each missing one: half the time, for every element a walk meets.
    """
    attributes = node.attributes
    return (
        f"{(attributes.get('class') or '')[:MAX_CANDIDATE_CHARS]} {(attributes.get('id') or '')[:MAX_CANDIDATE_CHARS]}"
    )


def _placement(node: LexborNode, headline: _Headline, elsewhere: dict[tuple[int, bool], bool]) -> int | None:
    """How deep the container ``node`` shares with the headline is (deeper is nearer); None if it is elsewhere.

    Elsewhere: inside a comment thread, related list, sidebar, the page's header or
    footer, ``<aside>`` or ``<nav>``, none of which holds the headline, or (when the
    headline is in an ``<article>``) inside another ``<article>``: a teaser.  An
    ``<aside>`` of the headline's own article that holds no more than a byline's text
    is the article's facts box ("Published March 3 · Author ..."), not elsewhere.  The
    ancestors are walked once, top down, so that a header inside an article is known
    as the article's without walking up again from each.

    ``elsewhere``: :func:`_is_elsewhere`'s answers by (``mem_id``, ``sectioned``), kept by the caller
    across the elements of one page: they share containers, and a comment box's answer reads its text
    (~60 µs a real page went to asking again).
    """
    chain: list[LexborNode] = []
    depth = 0
    sectioned = False
    for ancestor in (node, *_ancestors(node)) if node.is_element_node else _ancestors(node):
        if (shared := headline.ancestors.get(ancestor.mem_id)) is not None:
            depth, sectioned = shared, headline.sectioned[ancestor.mem_id]
            break
        chain.append(ancestor)
    own_article = headline.in_article and depth >= headline.article_depth
    for ancestor in reversed(chain):
        if (
            own_article
            and ancestor.tag == "aside"
            and len(_bounded_text(ancestor, MAX_CANDIDATE_CHARS + 1)) <= MAX_CANDIDATE_CHARS
        ):
            continue
        key = (ancestor.mem_id, sectioned)
        if key not in elsewhere:
            elsewhere[key] = _is_elsewhere(ancestor, sectioned)
        if elsewhere[key] or (headline.in_article and ancestor.tag == "article"):
            return None
        sectioned = sectioned or ancestor.tag in _SECTIONING_TAGS
    return depth


def _bounded_text(node: LexborNode, limit: int = MAX_CANDIDATE_CHARS) -> str:
    """The text under ``node``, read no further than ``limit`` characters and as many nodes."""
    parts: list[str] = []
    length = 0
    for _, text in _walk(node, forward=True, limit=limit, inside=True, skip=False):
        if text:
            parts.append(text[: limit - length])
            length += len(parts[-1])
            if length >= limit:
                break
    return " ".join("".join(parts).split())


def _class_label(node: LexborNode, levels: int = 2) -> str | None:
    """The label ("published", "updated") of the element's (or its parents') microdata, attributes and classes."""
    for item in _first(node, levels + 1):
        attributes = item.attributes
        prop = attributes.get("itemprop") or ""
        if prop in ("datePublished", "dateCreated") or "pubdate" in attributes:
            return "published"
        if prop == "dateModified":
            return "updated"
        names = _class_names(item)
        published, updated = _PUBLISHED_CLASS.search(names), _UPDATED_CLASS.search(names)
        if published and not updated:
            return "published"
        if updated and not published:
            return "updated"
        # Both ("entry-date published updated", hAtom's one date for the two): the parent may say which.
    return None


def _first(node: LexborNode, count: int) -> list[LexborNode]:
    chain = [node]
    for ancestor in _ancestors(node):
        if len(chain) >= count:
            break
        chain.append(ancestor)
    return chain


def _text_label(text: str) -> str | None:
    """The label nearest the end of ``text`` (the words before a date): "published", "updated" or None."""
    key = text[-60:].translate(_KEY)
    published = [match.end() for match in _PUBLISHED_LABEL.finditer(key)]
    updated = [match.end() for match in _UPDATED_LABEL.finditer(key)]
    if not published and not updated:
        return None
    return "published" if max(published, default=-1) > max(updated, default=-1) else "updated"


def _dated_elements(tree: LexborHTMLParser, headline: _Headline, month_first: bool) -> list[DateCandidate]:
    """``<time>`` and microdata dates outside comments and related lists, nearest the headline first."""
    ranked: list[tuple[int, int, int, DateCandidate]] = []
    elsewhere: dict[tuple[int, bool], bool] = {}
    for index, node in enumerate(tree.css(_DATED_ELEMENTS)[:MAX_DATED_ELEMENTS]):
        placement = _placement(node, headline, elsewhere)
        if placement is None:
            continue
        value, where = _dated_value(node)
        parsed = parse_shown_date(value, month_first=month_first)
        if parsed is None:
            continue
        # What the element shows says most ("<time class=published>Last updated: ...</time>"), then its markup.
        shown = _bounded_text(node) if where != f"{node.tag} text" else value
        label = _text_label(shown) or _class_label(node) or _label_before(node)
        ranked.append(
            ({"published": 0, None: 1}.get(label, 2), -placement, index, DateCandidate(parsed, "time", where, label))
        )
    return [item[-1] for item in sorted(ranked, key=lambda item: item[:3])]


def _dated_value(node: LexborNode) -> tuple[str, str]:
    """What a dated element's date is read from, and where that is: its ``datetime``, ``content`` or ``title``
    (an ``<abbr>``'s ``title`` only), else its text."""
    attributes = node.attributes
    tag = node.tag
    for name in ("datetime", "content", "title"):
        value = attributes.get(name)
        if value and (tag != "abbr" or name == "title"):
            return value, f"{tag}[{name}]"
    return _bounded_text(node), f"{tag} text"


def _label_before(node: LexborNode) -> str | None:
    """A label written just before an element ("Updated: <time>")."""
    previous = node.prev
    if previous is None:
        parent = node.parent
        previous = parent.prev if parent is not None else None
    if previous is None:
        return None
    text = previous.text_content if previous.is_text_node else _bounded_text(previous, 60)
    return _text_label((text or "")[-60:])


def _meta_dates(tree: LexborHTMLParser) -> list[DateCandidate]:
    """The ``<meta>`` publication dates meta_layer does not read: :data:`META_KEYS` in that order, then others
    named as publication dates (:data:`_PUBLISHED_META`) in page order.

    Microdata ``<meta itemprop="datePublished">`` counts too: in the ``<head>`` it is the page's own
    (Squarespace writes it there), where no ``<time>`` is ever read.
    """
    values: dict[str, str] = {}
    for meta in tree.css("meta[content]")[: MAX_DATED_ELEMENTS * 5]:
        attributes = meta.attributes
        key = (attributes.get("property") or attributes.get("name") or attributes.get("itemprop") or "").strip().lower()
        if key and key not in values and key not in _META_LAYER_KEYS:
            values[key] = attributes.get("content") or ""
    named = [
        key for key in values if key not in META_KEYS and _PUBLISHED_META.search(key) and not _OTHER_META.search(key)
    ]
    found = []
    for key in (*META_KEYS, *named):
        parsed = parse_shown_date(values.get(key))
        if parsed is not None:
            found.append(DateCandidate(parsed, "meta", f'meta[name="{key[:MAX_CANDIDATE_CHARS]}"]'))
    return found


def _walk(
    start: LexborNode, *, forward: bool, limit: int, inside: bool = False, skip: bool = True
) -> Iterator[tuple[bool, str]]:
    """Document order from ``start`` (into it when ``inside``, else past it), as (line break, text) pairs.

    At most ``limit`` nodes; with ``skip``, subtrees never read (scripts, comments,
    related lists, others' headers and footers) are stepped over whole.
    """
    node: LexborNode | None = start
    descend = inside
    for _ in range(limit):
        if node is None:
            return
        child = (node.first_child if forward else node.last_child) if descend else None
        if child is not None:
            node = child
        elif node is start and inside:
            return  # an empty element: nothing inside it
        else:
            sibling = node.next if forward else node.prev
            while sibling is None:
                node = node.parent
                if (
                    node is None
                    or not node.is_element_node
                    or node.tag in ("html", "body")
                    or (inside and node.mem_id == start.mem_id)
                ):
                    return
                if node.tag in _BLOCK_TAGS:
                    yield True, ""
                sibling = node.next if forward else node.prev
            node = sibling
        descend = False
        if node.is_text_node:
            yield False, node.text_content or ""
        elif node.is_element_node:
            if node.tag in _BLOCK_TAGS:
                yield True, ""
            if node.tag in _SKIPPED_TAGS or (skip and _is_elsewhere(node)):
                continue
            descend = True


def _lines(start: LexborNode, *, forward: bool, limit: int, inside: bool = False) -> list[tuple[str, int]]:
    """The text lines met walking from ``start``, in the order met: (the line, up to 200 characters; its length).

    Whitespace is folded as a browser folds it, so that indentation neither
    fills a line's budget nor makes a byline look like prose.
    """
    lines: list[tuple[str, int]] = []
    parts: list[str] = []
    length = 0

    def flush() -> None:
        text = " ".join(("".join(parts) if forward else "".join(reversed(parts))).split())
        if text:
            lines.append((text, length))

    for is_break, text in _walk(start, forward=forward, limit=limit, inside=inside):
        if is_break:
            if parts:
                flush()
            parts, length = [], 0
            continue
        # A text node is read no further than a line's budget takes (its end, walking up).
        window = text[: MAX_CANDIDATE_CHARS * 4] if forward else text[-MAX_CANDIDATE_CHARS * 4 :]
        folded = " ".join(window.split())
        if not folded:
            continue
        # Text nodes apart are words apart ("By Jane Roe" and "Mar 5, 2025" in two spans): where the markup
        # splits a word instead, no date is lost, and the line is only read, never output.
        spaced = f" {folded} "
        length += len(folded) + (len(text) - len(window))
        room = MAX_CANDIDATE_CHARS - sum(map(len, parts))
        if room > 0:
            parts.append(spaced[:room] if forward else spaced[-room:])
    if parts:
        flush()
    return lines


def _text_dates(headline: _Headline, month_first: bool) -> list[DateCandidate]:
    """Dates in the short lines around the headline: published-labelled first, then the nearest."""
    if headline.node is None:
        return []
    if headline.is_heading:
        after = _lines(headline.node, forward=True, limit=MAX_NODES_AFTER)
        before = _lines(headline.node, forward=False, limit=MAX_NODES_BEFORE)
    else:  # no headline: the start of the article's container
        after, before = _lines(headline.node, forward=True, limit=MAX_NODES_AFTER, inside=True), []
    ranked: list[tuple[int, int, DateCandidate]] = []
    for side, lines in (("after", after), ("before", before)):
        for distance, (line, length) in enumerate(lines, 1):
            # The line above this one on the page: met just before it walking down, just after it walking up.
            above = lines[distance - 2][0] if side == "after" and distance > 1 else ""
            if side == "before":
                if length > MAX_CANDIDATE_CHARS:
                    continue  # prose above the headline, and only its end was kept
                above = lines[distance][0] if distance < len(lines) else ""
            for label, parsed in _dates_of_line(line, length, above, month_first):
                if label is None and distance > MAX_UNLABELLED_LINES:
                    continue
                where = f"text {side} the headline, line {distance}"
                ranked.append(
                    ({"published": 0, None: 1}.get(label, 2), distance, DateCandidate(parsed, "text", where, label))
                )
    return [item[-1] for item in sorted(ranked, key=lambda item: item[:2])]


def _dates_of_line(line: str, length: int, previous: str, month_first: bool) -> Iterator[tuple[str | None, ShownDate]]:
    """The dates of one line, each with the label written before it (or on the line before, for a date alone)."""
    prose = length > MAX_CANDIDATE_CHARS
    position = 0
    for start, end, value in _dates_in(line, month_first):
        if prose and (start > DATELINE_CHARS or not _DATELINE_END.match(line, end)):
            return  # a date in a sentence; a dateline's is followed by a dash or colon
        label = _text_label(line[position:start])
        if label is None and not line[:start].strip(" :|-–—•,") and len(previous) <= 40:
            label = _text_label(previous)
        position = end
        yield label, ShownDate(raw=line[start:end], value=value)


def _url_dates(url: str) -> list[DateCandidate]:
    """The day in the URL's path (``/2020/06/03/``, ``/2020-06-03/``, ``/20200603/``), as a day with no time."""
    try:
        path = urlsplit(url or "").path[:MAX_URL_CHARS]
    except ValueError:
        return []
    for pattern in _URL_FORMS:
        for match in pattern.finditer(path):
            month = match.group("month")
            number = int(month) if month.isdigit() else _EN_MONTH_NAMES[month.lower()]
            value = _day(int(match.group("year")), number, int(match.group("day")))
            if value is not None:
                return [DateCandidate(ShownDate(raw=match.group().strip("/"), value=value), "url", "url path")]
    return []
