"""crawler.dates on any text: an aware date or None, never an exception; shown dates read back exactly."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import jdatetime
from hypothesis import given
from hypothesis import strategies as st

from crawler.dates import ascii_digits, normalize_date_text, parse_date
from tests.sites import RULES
from tests.strategies import DATES, any_text, prose

texts = st.one_of(any_text, prose, st.sampled_from(DATES))
#: The made-up sites' zones, formats and calendars (tests/sites): Gregorian and Solar Hijri, in three zones.
site_rules = st.sampled_from([RULES[site] for site in sorted(RULES)])
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@given(texts, site_rules)
def test_any_text_is_a_date_or_none(text: str, rules) -> None:  # type: ignore[no-untyped-def]
    parsed = parse_date(text, rules.timezone, rules.date_formats, rules.calendar)
    if parsed is not None:
        assert parsed.value.tzinfo is not None
        assert datetime.fromisoformat(parsed.isoformat()) == parsed.value
        assert parsed.raw and "\x00" not in parsed.raw


@given(texts)
def test_digit_and_name_normalisation_never_raises(text: str) -> None:
    assert len(ascii_digits(text)) == len(text)
    assert isinstance(normalize_date_text(text), str)


moments = st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2035, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)


@given(moments, st.sampled_from(["", "arabic", "persian"]))
def test_shown_gregorian_dates_read_back_in_the_site_zone(moment: datetime, digits: str) -> None:
    rules = RULES["example"]  # "18 Oct 2021 16:51", Europe/London
    shown = moment.strftime("%d %b %Y %H:%M")
    shown = shown.translate({"arabic": ARABIC_DIGITS, "persian": PERSIAN_DIGITS}.get(digits, {}))
    parsed = parse_date(shown, rules.timezone, rules.date_formats)
    assert parsed is not None
    assert parsed.value.replace(tzinfo=None) == moment
    assert parsed.value.utcoffset() == moment.replace(tzinfo=ZoneInfo(rules.timezone)).utcoffset()


@given(st.dates(min_value=datetime(1995, 1, 1).date(), max_value=datetime(2035, 12, 31).date()),
       st.integers(0, 23), st.integers(0, 59))  # fmt: skip
def test_solar_hijri_dates_read_back_as_the_same_day(day, hour: int, minute: int) -> None:  # type: ignore[no-untyped-def]
    solar = jdatetime.date.fromgregorian(date=day)
    shown = f"{hour:02d}:{minute:02d} - {solar.day} {solar.j_months_fa[solar.month - 1]} {solar.year}"
    parsed = parse_date(shown.translate(PERSIAN_DIGITS), "Asia/Tehran", calendar="solar_hijri")
    assert parsed is not None
    assert parsed.value.date() == day and (parsed.value.hour, parsed.value.minute) == (hour, minute)
    assert parsed.value - parsed.value.replace(hour=0, minute=0) == timedelta(hours=hour, minutes=minute)
