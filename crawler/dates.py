"""Dates as published, and as exact timezone-aware instants.

Every parsed date keeps the text it came from (``date_published_raw``), and
its ISO 8601 form carries the offset that was in force on that day in the
site's own time zone, looked up in the IANA database through ``zoneinfo``
(Beirut is +03:00 in summer and +02:00 in winter; a fixed offset would be
wrong for half the year).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import jdatetime

from crawler.text import normalize_space

logger = logging.getLogger(__name__)

#: Arabic-Indic (U+0660..) and Extended Arabic-Indic/Persian (U+06F0..) digits -> ASCII, for parsing only.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)

#: Gregorian month names as Arabic sites write them: Egyptian/MSA, Levantine/Iraqi and Maghrebi forms.
ARABIC_MONTHS = {
    "January": ("يناير", "كانون الثاني", "جانفي"),
    "February": ("فبراير", "شباط", "فيفري"),
    "March": ("مارس", "آذار", "اذار"),
    "April": ("أبريل", "ابريل", "إبريل", "نيسان", "أفريل"),
    "May": ("مايو", "أيار", "ايار", "ماي"),
    "June": ("يونيو", "يونيه", "حزيران", "جوان"),
    "July": ("يوليو", "يوليه", "تموز", "جويلية"),
    "August": ("أغسطس", "اغسطس", "آب", "اب", "أوت"),
    "September": ("سبتمبر", "أيلول", "ايلول"),
    "October": ("أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول"),
    "November": ("نوفمبر", "تشرين الثاني"),
    "December": ("ديسمبر", "كانون الأول", "كانون الاول"),
}
#: Gregorian month names as Persian sites write them.
PERSIAN_GREGORIAN_MONTHS = {
    "January": ("ژانویه",), "February": ("فوریه",), "March": ("مارس",), "April": ("آوریل",),
    "May": ("مه", "می"), "June": ("ژوئن",), "July": ("ژوئیه", "جولای"), "August": ("اوت", "آگوست"),
    "September": ("سپتامبر",), "October": ("اکتبر",), "November": ("نوامبر",), "December": ("دسامبر",),
}  # fmt: skip
#: The Solar Hijri months, in order.
SOLAR_HIJRI_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
ARABIC_WEEKDAYS = {
    "Saturday": ("السبت",),
    "Sunday": ("الأحد", "الاحد"),
    "Monday": ("الاثنين", "الإثنين"),
    "Tuesday": ("الثلاثاء",),
    "Wednesday": ("الأربعاء", "الاربعاء"),
    "Thursday": ("الخميس",),
    "Friday": ("الجمعة",),
}
_NAMES = {
    name: english
    for table in (ARABIC_MONTHS, PERSIAN_GREGORIAN_MONTHS, ARABIC_WEEKDAYS)
    for english, names in table.items()
    for name in names
}
# Longest first, so "تشرين الأول" is read before a shorter name inside it; whole words only.
_NAMES_RE = re.compile(r"(?<![\w])(" + "|".join(sorted(map(re.escape, _NAMES), key=len, reverse=True)) + r")(?![\w])")
# "أكتوبر/ تشرين الأول" names one month twice.
_DOUBLED_NAME_RE = re.compile(r"\b([A-Z][a-z]+)\s*/\s*\1\b")
_MERIDIEM_RE = re.compile(r"(\d{1,2}:\d{2}(?::\d{2})?)\s*(ص|صباحا|صباحًا|م|مساء|مساءً|مساءا)(?![\w])")
_MERIDIEM = {"ص": "AM", "صباحا": "AM", "صباحًا": "AM"}

_SOLAR_HIJRI_NAMED_RE = re.compile(
    r"(?<!\d)(\d{1,2})\s+(" + "|".join(SOLAR_HIJRI_MONTHS) + r")(?![\w])\s*(\d{4})(?!\d)"
)
_NUMERIC_DATE_RE = re.compile(r"(?<!\d)(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?!\d)")
_CLOCK_RE = re.compile(r"(?<![\d/])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d/])")


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII, for values that are read, not shown."""
    return text.translate(_DIGITS)


def normalize_date_text(text: str) -> str:
    """Shown date text made readable by ``strptime``: ASCII digits, English names.

    Used only to parse; ``date_published_raw`` keeps the text as published.
    """
    text = text.translate(_DIGITS).replace("،", ",")
    text = _NAMES_RE.sub(lambda match: _NAMES[match.group(1)], text)
    text = _DOUBLED_NAME_RE.sub(r"\1", text)
    return _MERIDIEM_RE.sub(lambda match: f"{match.group(1)} {_MERIDIEM.get(match.group(2), 'PM')}", text)


@dataclass(frozen=True)
class ParsedDate:
    raw: str
    #: Timezone-aware, but for a date without an offset on a page of no known zone: that stays naive.
    value: datetime

    def isoformat(self) -> str:
        return self.value.isoformat()


def seconds_apart(first: datetime, second: datetime) -> float | None:
    """How far apart two dates are; None when one has an offset and the other none (no instant to compare)."""
    if (first.tzinfo is None) != (second.tzinfo is None):
        return None
    return abs((first - second).total_seconds())


def parse_date(
    raw: str | None, timezone: str, formats: tuple[str, ...] = (), calendar: str = "gregorian", *, hint: bool = False
) -> ParsedDate | None:
    """Read ``raw`` as ISO 8601, RFC 822, or a shown date of the site's calendar, in ``timezone``.

    Shown dates are read with ``formats`` (``strptime``) in the Gregorian
    calendar, and by their parts (day, month name or number, year, clock) in
    the Solar Hijri one (``calendar="solar_hijri"``), converted by jdatetime.

    A date with its own offset is converted to the site's zone (same instant, and
    the day the site shows); a naive one is taken as the site's local time.  With
    no zone known (``timezone=""``: a page of no known site), a date keeps the
    offset it was written with, and one written without stays without: the day
    it names is never moved by an invented zone.  Unreadable text gives
    ``None`` and a debug log line, never an exception: a page with an odd date
    is still an article.  An impossible date (``32 مهر``) is a warning, once:
    a date read only as a ``hint`` (a listing's, which the article page shows
    again) logs it at debug, so the warning comes from the article whose date
    is lost, not a second time from the listing that led to it.
    """
    if not raw:
        return None
    text = normalize_space(raw)
    if not text:
        return None
    zone = ZoneInfo(timezone) if timezone else None
    # ISO 8601 as metadata writes it has no digits, names or marks for normalize_date_text to
    # rewrite, and that rewriting costs five times the parse.
    readable: str | None = None
    value = _parse_iso(text)
    if value is None:
        readable = normalize_date_text(text)
        value = _parse_iso(readable) or _parse_rfc822(readable)
    if value is not None and calendar == "solar_hijri" and value.year < 1700:
        value = None  # "1400-07-27" is a Solar Hijri date written the ISO way
    if value is None:
        readable = readable or normalize_date_text(text)
        value = _parse_solar_hijri(readable, hint) if calendar == "solar_hijri" else _parse_formats(readable, formats)
    if value is None:
        logger.debug("Unreadable date %r (formats tried: %s)", text, formats)
        return None
    if zone is not None:
        value = value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    return ParsedDate(raw=text, value=value)


def _parse_iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _parse_rfc822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _parse_solar_hijri(text: str, hint: bool = False) -> datetime | None:
    """ "15:44 - 27 مهر 1400", "سه‌شنبه ۲۷ مهر ۱۴۰۰ ساعت ۱۵:۴۴", "1400/07/27 15:44" -> Gregorian."""
    text = text.replace("ي", "ی").replace("ك", "ک")
    if named := _SOLAR_HIJRI_NAMED_RE.search(text):
        year, month, day = int(named.group(3)), SOLAR_HIJRI_MONTHS.index(named.group(2)) + 1, int(named.group(1))
    elif numeric := _NUMERIC_DATE_RE.search(text):
        year, month, day = (int(part) for part in numeric.groups())
    else:
        return None
    clock = _CLOCK_RE.search(text)
    hour, minute, second = (int(part or 0) for part in clock.groups()) if clock else (0, 0, 0)
    try:
        return jdatetime.datetime(year, month, day, hour, minute, second).togregorian()
    except ValueError as error:
        logger.log(logging.DEBUG if hint else logging.WARNING, "Impossible Solar Hijri date %r: %s", text, error)
        return None


def _parse_formats(text: str, formats: tuple[str, ...]) -> datetime | None:
    for date_format in formats:
        try:
            return datetime.strptime(text, date_format)
        except ValueError:
            continue
    return None
