"""What makes an item fit to store: every rule, in one place.

Each ``Check`` reads an item and answers with a message, or ``None`` when
the item passes.  A fatal check drops the item (its name is the counted
reason); any other adds its message to ``validation_messages`` and the item
is kept.  The validate stage runs them in order; tests call them directly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from itemadapter import ItemAdapter

from crawler.items import is_empty
from crawler.text import normalize_space


@dataclass(frozen=True)
class ValidationContext:
    """What the checks need besides the item, from settings and the site's rules."""

    min_body_chars: int = 200
    site_names: frozenset[str] = frozenset()
    now: datetime | None = None
    earliest: datetime = datetime(1990, 1, 1, tzinfo=UTC)


CheckFunction = Callable[[ItemAdapter, ValidationContext], "str | None"]


@dataclass(frozen=True)
class Check:
    name: str
    fatal: bool
    test: CheckFunction


def _required(field_name: str) -> CheckFunction:
    def test(item: ItemAdapter, context: ValidationContext) -> str | None:
        return f"no {field_name}" if is_empty(item.get(field_name)) else None

    return test


def _body_too_short(item: ItemAdapter, context: ValidationContext) -> str | None:
    length = len(item.get("body") or "")
    return (
        f"body has {length} characters, fewer than {context.min_body_chars}"
        if length < context.min_body_chars
        else None
    )


def _headline_is_site_name(item: ItemAdapter, context: ValidationContext) -> str | None:
    headline = normalize_space(item.get("headline") or "").casefold()
    names = {name.casefold() for name in context.site_names}
    return f"headline {item.get('headline')!r} is the site's name" if headline in names else None


def _date_out_of_range(item: ItemAdapter, context: ValidationContext) -> str | None:
    value = item.get("date_published")
    if not value:
        return None
    published = datetime.fromisoformat(value)
    if published.tzinfo is None:
        return f"date_published {value} has no offset"
    now = context.now or datetime.now(UTC)
    if published > now + timedelta(days=1):
        return f"date_published {value} is in the future"
    if published < context.earliest:
        return f"date_published {value} is before {context.earliest.year}"
    return None


#: Scripts whose letters a language's text is mostly written in.
LANGUAGE_SCRIPTS = {"en": "LATIN", "fr": "LATIN", "es": "LATIN", "ar": "ARABIC", "fa": "ARABIC", "ur": "ARABIC"}
#: The letters of each script this check knows, by code point range.
#: Runs of letters (``+``), their lengths summed: the same count as one match per letter, with a list of words
#: rather than of every letter (a third of the validate stage's time was building those lists).
_SCRIPT_RANGES = (
    ("LATIN", re.compile(r"[A-Za-z\u00C0-\u024F]+")),
    ("ARABIC", re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]+")),
    ("CYRILLIC", re.compile(r"[\u0400-\u04FF]+")),
)
#: Enough text to tell a script; a body's first few thousand characters say it.
SCRIPT_SAMPLE_CHARS = 3000


#: The same letters counted in the sample's UTF-8 bytes, where each letter of the common ranges has a lead byte
#: of its own script: A-Z, a-z and the leads C3-C8 (U+00C0-U+023F) are Latin, D8-DB (U+0600-U+06FF) Arabic,
#: D0-D3 (U+0400-U+04FF) Cyrillic.  The leads C9, DD, E0 and EF also begin letters of the ranges
#: (U+0240-U+024F, U+0750-U+077F, U+08A0-U+08FF, U+FB50-U+FDFF, U+FE70-U+FEFF), but not only those: a sample
#: with any of them is counted by the patterns.  No lead is ever a continuation byte (80-BF), so a count of
#: marks is a count of letters.
_SCRIPT_MARKS = (("LATIN", b"L"), ("ARABIC", b"A"), ("CYRILLIC", b"C"))
_BYTE_SCRIPTS = bytes(
    ord("L") if byte in range(0x41, 0x5B) or byte in range(0x61, 0x7B) or byte in range(0xC3, 0xC9)
    else ord("A") if byte in range(0xD8, 0xDC)
    else ord("C") if byte in range(0xD0, 0xD4)
    else ord("?") if byte in (0xC9, 0xDD, 0xE0, 0xEF)
    else ord(".")
    for byte in range(256)
)  # fmt: skip


def dominant_script(text: str) -> str | None:
    """The known script most letters of ``text`` are written in, if any.

    Counted in the sample's bytes (``_BYTE_SCRIPTS``: a translation and three counts, in C), or by the
    patterns when a byte says the sample has letters (or other characters) whose lead byte is shared;
    the counts are the same either way.  Why: the patterns scanned every character three times, and
    were the validate stage's largest cost.
    """
    sample = text[:SCRIPT_SAMPLE_CHARS]
    marks = sample.encode("utf-8", "surrogatepass").translate(_BYTE_SCRIPTS)
    counts = _pattern_counts(sample) if b"?" in marks else {script: marks.count(mark) for script, mark in _SCRIPT_MARKS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else None


def _pattern_counts(sample: str) -> dict[str, int]:
    """Each known script's letters in ``sample``, by ``_SCRIPT_RANGES``."""
    return {script: sum(map(len, pattern.findall(sample))) for script, pattern in _SCRIPT_RANGES}


def _language_script_mismatch(item: ItemAdapter, context: ValidationContext) -> str | None:
    language = item.get("language")
    expected = LANGUAGE_SCRIPTS.get(language or "")
    found = dominant_script(item.get("body") or "")
    if expected and found and found != expected:
        return f"language {language!r} is declared, but the body is mostly {found.title()} script"
    return None


#: Every rule, in the order they run.  Fatal ones first: a dropped item needs no more messages.
CHECKS: tuple[Check, ...] = (
    Check("missing_url", fatal=True, test=_required("url")),
    Check("missing_headline", fatal=True, test=_required("headline")),
    Check("missing_body", fatal=True, test=_required("body")),
    Check("missing_language", fatal=True, test=_required("language")),
    Check("body_too_short", fatal=True, test=_body_too_short),
    Check("headline_is_site_name", fatal=True, test=_headline_is_site_name),
    Check("date_out_of_range", fatal=False, test=_date_out_of_range),
    Check("language_script_mismatch", fatal=False, test=_language_script_mismatch),
)


def validate(item: Any, context: ValidationContext, checks: tuple[Check, ...] = CHECKS) -> tuple[Check, str] | None:
    """Run the checks: the first fatal failure, or ``None`` with non-fatal messages added to the item."""
    adapter = ItemAdapter(item)
    for check in checks:
        message = check.test(adapter, context)
        if message is None:
            continue
        if check.fatal:
            return check, message
        adapter["validation_messages"] = [*(adapter.get("validation_messages") or []), f"{check.name}: {message}"]
    return None
