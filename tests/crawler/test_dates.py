import logging

import pytest

from crawler.dates import parse_date
from crawler.extraction import extract, extract_with_provenance

FORMATS = ("%d %b %Y %H:%M",)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("18 Oct 2021 16:51", "2021-10-18T16:51:00+03:00"),  # Beirut summer time
        ("24 Aug 2021 17:21", "2021-08-24T17:21:00+03:00"),
        ("5 Jan 2022 09:00", "2022-01-05T09:00:00+02:00"),  # Beirut winter time
    ],
)
def test_shown_local_time_gets_the_offset_of_its_day(raw: str, expected: str) -> None:
    parsed = parse_date(raw, "Asia/Beirut", FORMATS)
    assert parsed is not None
    assert parsed.isoformat() == expected
    assert parsed.raw == raw


def test_an_instant_with_an_offset_is_moved_to_the_site_zone() -> None:
    parsed = parse_date("2021-10-18T13:51:00Z", "Asia/Beirut")
    assert parsed is not None and parsed.isoformat() == "2021-10-18T16:51:00+03:00"


def test_rfc822_from_feeds() -> None:
    parsed = parse_date("Mon, 18 Oct 2021 13:51:00 +0000", "Asia/Beirut")
    assert parsed is not None and parsed.isoformat() == "2021-10-18T16:51:00+03:00"


def test_naive_iso_is_site_local() -> None:
    parsed = parse_date("2021-10-18 16:51", "Asia/Beirut")
    assert parsed is not None and parsed.isoformat() == "2021-10-18T16:51:00+03:00"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021-03-05T01:30:00+03:00", "2021-03-05T01:30:00+03:00"),  # not 2021-03-04T22:30:00+00:00: the day kept
        ("Fri, 05 Mar 2021 01:30:00 +0330", "2021-03-05T01:30:00+03:30"),
        ("2021-03-05T01:30:00", "2021-03-05T01:30:00"),  # no offset written, none invented
    ],
)
def test_with_no_zone_known_a_date_keeps_the_offset_it_was_written_with(raw: str, expected: str) -> None:
    parsed = parse_date(raw, "")
    assert parsed is not None and parsed.isoformat() == expected


def test_a_generic_page_keeps_its_date_s_offset_and_day() -> None:
    html = (
        '<html><head><meta property="article:published_time" content="2021-03-05T01:30:00+03:00"></head>'
        "<body><h1>A headline</h1></body></html>"
    )
    assert extract(html, "https://unknown.example/a").date_published == "2021-03-05T01:30:00+03:00"


def test_an_offset_and_a_naive_date_are_no_disagreement() -> None:
    # JSON-LD without an offset, <meta> with one: no instant to compare, so no disagreement is claimed.
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2021-03-05T01:30:00"}'
        '</script><meta property="article:published_time" content="2021-03-05T09:30:00+03:00"></head>'
        "<body><h1>A headline</h1></body></html>"
    )
    extraction = extract_with_provenance(html, "https://unknown.example/a")
    assert extraction.article.date_published == "2021-03-05T01:30:00" and extraction.disagreements == []


@pytest.mark.parametrize("raw", [None, "", "   ", "yesterday", "32 Oct 2021 16:51", "18 Foo 2021"])
def test_unreadable_dates_are_none_not_errors(raw: str | None, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        assert parse_date(raw, "Asia/Beirut", FORMATS) is None


@pytest.mark.parametrize(
    ("raw", "date_format", "expected"),
    [
        ("18 أكتوبر 2021", "%d %B %Y", "2021-10-18T00:00:00+03:00"),
        ("١٨ تشرين الأول ٢٠٢١", "%d %B %Y", "2021-10-18T00:00:00+03:00"),
        ("18 أكتوبر/ تشرين الأول 2021", "%d %B %Y", "2021-10-18T00:00:00+03:00"),
        ("الاثنين 18 أكتوبر 2021 04:38 م", "%A %d %B %Y %I:%M %p", "2021-10-18T16:38:00+03:00"),
        ("7/10/2021", "%d/%m/%Y", "2021-10-07T00:00:00+03:00"),
        ("٣١ آب ٢٠٢١ ١٠:٠٥", "%d %B %Y %H:%M", "2021-08-31T10:05:00+03:00"),
    ],
)
def test_arabic_dates_with_either_month_names_and_arabic_indic_digits(
    raw: str, date_format: str, expected: str
) -> None:
    parsed = parse_date(raw, "Asia/Qatar", (date_format,))
    assert parsed is not None and parsed.isoformat() == expected
    assert parsed.raw == raw  # the text as published, digits and all


def test_relative_arabic_time_is_left_to_other_sources() -> None:
    assert parse_date("قبل 3 ساعات", "Asia/Qatar", ("%d %B %Y",)) is None


TEHRAN = "Asia/Tehran"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15:44 - 27 مهر 1400", "2021-10-19T15:44:00+03:30"),
        ("۱۵:۴۴ - ۲۷ مهر ۱۴۰۰", "2021-10-19T15:44:00+03:30"),
        ("سه‌شنبه ۲۷ مهر ۱۴۰۰ ساعت ۱۵:۴۴", "2021-10-19T15:44:00+03:30"),
        ("1400/07/27", "2021-10-19T00:00:00+03:30"),
        ("1400/07/27 15:44", "2021-10-19T15:44:00+03:30"),
        ("1400-07-27", "2021-10-19T00:00:00+03:30"),
        ("۲۷ مهر ۱۴۰۰ - ۱۵:۴۴", "2021-10-19T15:44:00+03:30"),
        ("12:00 - 1 فروردین 1400", "2021-03-21T12:00:00+03:30"),  # the day before DST began in 2021
        ("12:00 - 2 فروردین 1400", "2021-03-22T12:00:00+04:30"),  # Iran summer time, 2021
        ("15:44 - 30 شهریور 1400", "2021-09-21T15:44:00+04:30"),  # last day of summer time
        ("15:44 - 31 شهریور 1400", "2021-09-22T15:44:00+03:30"),  # back to standard time
        ("12:00 - 1 تیر 1402", "2023-06-22T12:00:00+03:30"),  # no DST since Iran abolished it (2022)
        ("15:44 - 27 مهر 1400".replace("ی", "ي"), "2021-10-19T15:44:00+03:30"),
    ],
)
def test_solar_hijri_dates_in_tehran_time_with_the_offset_of_their_day(raw: str, expected: str) -> None:
    parsed = parse_date(raw, TEHRAN, calendar="solar_hijri")
    assert parsed is not None and parsed.isoformat() == expected
    assert parsed.raw == raw


@pytest.mark.parametrize("raw", ["15:44 - 32 مهر 1400", "1400/13/01", "31 اسفند 1400"])
def test_impossible_solar_hijri_dates_are_logged_failures(raw: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert parse_date(raw, TEHRAN, calendar="solar_hijri") is None
    assert "Impossible Solar Hijri date" in caplog.text


def test_gregorian_dates_still_read_on_a_solar_hijri_site() -> None:
    parsed = parse_date("2021-10-19T12:14:00Z", TEHRAN, calendar="solar_hijri")
    assert parsed is not None and parsed.isoformat() == "2021-10-19T15:44:00+03:30"
