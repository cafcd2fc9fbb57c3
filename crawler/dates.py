"""Dates as published, and as exact timezone-aware instants.

Every parsed date keeps the text it came from (``date_published_raw``), and
its ISO 8601 form carries the offset that was in force on that day in the
site's own time zone, looked up in the IANA database through ``zoneinfo``
(Beirut is +03:00 in summer and +02:00 in winter; a fixed offset would be
wrong for half the year).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from crawler.text import normalize_space

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParsedDate:
    raw: str
    value: datetime  # always timezone-aware

    def isoformat(self) -> str:
        return self.value.isoformat()


def parse_date(raw: str | None, timezone: str, formats: tuple[str, ...] = ()) -> ParsedDate | None:
    """Read ``raw`` as ISO 8601, RFC 822 or one of ``formats``, in ``timezone``.

    A date with its own offset is converted to the site's zone (same instant);
    a naive one is taken as the site's local time.  Unreadable text gives
    ``None`` and a debug log line, never an exception: a page with an odd date
    is still an article.
    """
    if not raw:
        return None
    text = normalize_space(raw)
    if not text:
        return None
    zone = ZoneInfo(timezone)
    value = _parse_iso(text) or _parse_rfc822(text) or _parse_formats(text, formats)
    if value is None:
        logger.debug("Unreadable date %r (formats tried: %s)", text, formats)
        return None
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


def _parse_formats(text: str, formats: tuple[str, ...]) -> datetime | None:
    for date_format in formats:
        try:
            return datetime.strptime(text, date_format)
        except ValueError:
            continue
    return None
