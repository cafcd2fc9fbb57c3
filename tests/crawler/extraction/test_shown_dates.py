"""Shown publication dates: where they are read, in what order of trust, and how their offsets are kept.

Every page here is made up for the test; none is a copy of a real one.
"""

from __future__ import annotations

import re
import sys
import time
from datetime import UTC, date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.dates import normalize_date_text
from crawler.extraction.nesting import parse_page
from crawler.extraction.shown_dates import (
    _COMMENT_CLASS,
    _DATE_FORMS,
    _ELSEWHERE_CLASS,
    _ELSEWHERE_WORDS,
    _GENERIC_FORMAT_NUMBERS,
    _KEY,
    _NUMBERS,
    _PAGE_PART_CLASS,
    _YEAR_DIGITS,
    GENERIC_FORMATS,
    META_KEYS,
    SAME_MOMENT,
    SOURCES,
    FoundDate,
    _class_words,
    _read_whole,
    find_date_candidates,
    find_published_date,
    page_offset,
    parse_shown_date,
)

URL = "https://news.example/world/a-story"


def page(body: str, head: str = "", lang: str = "en") -> str:
    return f"<html lang='{lang}'><head>{head}</head><body>{body}</body></html>"


def found(html: str, url: str = URL, timezone: str | None = None) -> FoundDate | None:
    tree, _ = parse_page(html, url)
    return find_published_date(tree, url, timezone)


def story(byline: str, lang: str = "en", head: str = "") -> str:
    """A headline, a byline, and a body long enough to be prose."""
    prose = "The council met on Tuesday and agreed the plan after a long debate about the budget. " * 4
    return page(f"<article><h1>A headline about the council</h1><div class='byline'>{byline}</div><p>{prose}</p></article>",
                head, lang)  # fmt: skip


# --- reading the forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("March 11, 2026", "2026-03-11"),
        ("11 March 2026", "2026-03-11"),
        ("Wednesday, March 11th, 2026", "2026-03-11"),
        ("Mar. 11, 2026 at 3:45 p.m. ET", "2026-03-11T15:45:00-04:00"),  # New York's offset on that day (EDT)
        ("Mar. 1, 2026 at 3 p.m. ET", "2026-03-01T15:00:00-05:00"),  # ... and before DST began (EST)
        ("2026-03-11", "2026-03-11"),
        ("13/03/2026", "2026-03-13"),  # unambiguous: no 13th month
        ("03/13/2026", "2026-03-13"),
        ("03/11/2026 10:00 EST", "2026-03-11T10:00:00-05:00"),  # a US zone says the order is American
        ("11.03.2026", "2026-03-11"),  # dotted dates are day first
        ("Wed, 11 Mar 2026 10:00:00 GMT", "2026-03-11T10:00:00+00:00"),
        ("2026-03-11 15:45:00 +0300", "2026-03-11T15:45:00+03:00"),
        ("3 Sep 2025 10:12 GMT+3", "2025-09-03T10:12:00+03:00"),
    ],
)
def test_english_forms(raw: str, expected: str) -> None:
    parsed = parse_shown_date(raw)
    assert parsed is not None and parsed.isoformat() == expected
    assert parsed.raw == raw


def test_an_ambiguous_numeric_date_is_read_only_when_the_page_is_american() -> None:
    assert parse_shown_date("03/11/2026") is None
    american = parse_shown_date("03/11/2026", month_first=True)
    assert american is not None and american.isoformat() == "2026-03-11"
    result = found(story("Posted 03/11/2026", lang="en-US"))
    assert result is not None and result.value == "2026-03-11"
    assert found(story("Posted 03/11/2026", lang="en-GB")) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("الخميس، 15 أكتوبر 2020 - 08:45 م", "2020-10-15T20:45:00"),  # weekday, and م (evening)
        ("الخميس، 15 أكتوبر 2020 - 08:45 ص", "2020-10-15T08:45:00"),  # ص (morning)
        ("السبت 18 نيسان / أبريل 2020", "2020-04-18"),  # Levantine and MSA names paired
        ("18 أكتوبر/ تشرين الأول 2021", "2021-10-18"),
        ("١٥ أكتوبر ٢٠٢٠", "2020-10-15"),  # Arabic-Indic digits
        ("الاثنين 15 جوان 2020", "2020-06-15"),  # Maghrebi month name
        ("٣١ آب ٢٠٢١ ١٠:٠٥", "2021-08-31T10:05:00"),
    ],
)
def test_arabic_forms(raw: str, expected: str) -> None:
    parsed = parse_shown_date(raw)
    assert parsed is not None and parsed.isoformat() == expected
    assert parsed.raw == raw  # as published: Arabic digits and names kept


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("14 تير 1399", "2020-07-04"),  # Arabic yeh, as Arabic keyboards type it
        ("۱۴ تیر ۱۳۹۹", "2020-07-04"),
        ("سه\u200cشنبه ۲۷ مهر ۱۴۰۰ ساعت ۱۵:۴۴", "2021-10-19T15:44:00"),  # ZWNJ kept in the raw text
        ("1399/04/14", "2020-07-04"),  # a year before 1700 in a numeric date: Solar Hijri
        ("۱۳۹۹-۰۴-۱۴", "2020-07-04"),
        ("15:44 - 27 مهر 1400", "2021-10-19T15:44:00"),
    ],
)
def test_persian_solar_hijri_forms(raw: str, expected: str) -> None:
    parsed = parse_shown_date(raw)
    assert parsed is not None and parsed.isoformat() == expected
    assert parsed.raw == raw


@pytest.mark.parametrize(
    "raw", [None, "", "yesterday", "2 hours ago", "March 2026", "32 March 2026", "1442/02/28 هـ", "© 2026 News Example"]
)
def test_no_date_is_none(raw: str | None) -> None:
    assert parse_shown_date(raw) is None


# --- offsets --------------------------------------------------------------------------------


def test_a_time_with_its_own_offset_keeps_it_and_its_day() -> None:
    html = story('<time datetime="2021-03-05T01:30:00+03:00">5 March 2021</time>')
    for zone in (None, "America/New_York", "Asia/Tehran"):
        result = found(html, timezone=zone)
        assert result is not None and result.value == "2021-03-05T01:30:00+03:00"  # never moved to 4 March
        assert result.source == "time" and result.raw == "2021-03-05T01:30:00+03:00"


def test_utc_stays_utc() -> None:
    result = found(story('<time datetime="2021-03-05T01:30:00Z">x</time>'), timezone="Asia/Tehran")
    assert result is not None and result.value == "2021-03-05T01:30:00+00:00"


def test_a_naive_time_stays_naive_with_no_zone() -> None:
    result = found(story('<time datetime="2020-10-15T20:45:00">x</time>'))
    assert result is not None and result.value == "2020-10-15T20:45:00"


def test_a_naive_time_gets_the_offset_of_its_own_day_in_the_zone() -> None:
    winter = found(story('<time datetime="2021-01-10T10:00:00">x</time>'), timezone="Asia/Tehran")
    summer = found(
        story('<time datetime="2021-06-10T10:00:00">x</time>'), timezone="Asia/Tehran"
    )  # Iran had DST in 2021
    assert winter is not None and winter.value == "2021-01-10T10:00:00+03:30"
    assert summer is not None and summer.value == "2021-06-10T10:00:00+04:30"


def test_a_date_without_a_time_is_a_day_whatever_the_zone() -> None:
    for zone in (None, "Pacific/Kiritimati", "Pacific/Pago_Pago"):
        result = found(story("Published March 11, 2026"), timezone=zone)
        assert result is not None and result.value == "2026-03-11"
    parsed = parse_shown_date("March 11, 2026", "Asia/Tehran")
    assert parsed is not None and parsed.day_only and parsed.value == date(2026, 3, 11)


def test_shown_arabic_time_in_the_site_zone() -> None:
    result = found(story("الخميس، 15 أكتوبر 2020 - 08:45 م", lang="ar"), timezone="Asia/Beirut")
    assert result is not None
    assert result.value == "2020-10-15T20:45:00+03:00" and result.raw == "الخميس، 15 أكتوبر 2020 - 08:45 م"
    assert result.source == "text"


# --- where dates are found -------------------------------------------------------------------


def test_text_forms_near_the_headline() -> None:
    cases = {
        "By Jane Roe | March 11, 2026": "2026-03-11",
        "Jane Roe<span>Mar. 11, 2026 at 3:45 p.m. ET</span>": "2026-03-11T15:45:00-04:00",
        "Published: 11 March 2026, 09:10": "2026-03-11T09:10:00",
        "Posted 2026-03-11": "2026-03-11",
        "السبت 18 نيسان / أبريل 2020": "2020-04-18",
        "نشر في ١٥ أكتوبر ٢٠٢٠": "2020-10-15",
        "منتشر شده: سه\u200cشنبه ۲۷ مهر ۱۴۰۰ ساعت ۱۵:۴۴": "2021-10-19T15:44:00",
        "تاریخ انتشار: 1399/04/14": "2020-07-04",
        "کد خبر: 123 | ۱۴ تیر ۱۳۹۹": "2020-07-04",
    }
    for byline, expected in cases.items():
        result = found(story(byline))
        assert result is not None and result.value == expected, byline
        assert result.source == "text"


def test_a_date_above_the_headline() -> None:
    html = page(
        "<div class='kicker'>Politics</div><div class='date'>۱۴ تیر ۱۳۹۹</div><h1>تیتر خبر امروز</h1><p>متن</p>",
        lang="fa",
    )
    result = found(html, timezone="Asia/Tehran")
    assert result is not None and result.value == "2020-07-04" and result.raw == "۱۴ تیر ۱۳۹۹"
    assert "before the headline" in (find_date_candidates(parse_page(html)[0], URL)[0].where)


def test_a_dateline_opens_the_first_paragraph_but_dates_in_sentences_do_not_count() -> None:
    prose = (
        " The committee voted after hours of talks, and the result surprised nearly everyone who had followed it." * 3
    )
    dateline = page(f"<h1>A headline about the vote</h1><p>WASHINGTON, March 11, 2026 — {prose}</p>")
    sentence = page(f"<h1>A headline about the vote</h1><p>The law passed on March 11, 2020 and {prose}</p>")
    result = found(dateline)
    assert result is not None and result.value == "2026-03-11"
    assert found(sentence) is None


def test_url_forms_are_days() -> None:
    plain = page("<h1>A headline</h1><p>No date shown.</p>")
    for url, expected in [
        ("https://news.example/2020/06/03/a-story/", "2020-06-03"),
        ("https://news.example/world/2020-06-03-a-story", "2020-06-03"),
        ("https://news.example/a-story-20200603.html", "2020-06-03"),
        ("https://news.example/world/2023/oct/03/a-story", "2023-10-03"),
    ]:
        result = found(plain, url=url, timezone="Asia/Tehran")
        assert result is not None and (result.value, result.source) == (expected, "url"), url
    assert found(plain, url="https://news.example/2020/06/a-story") is None  # a month is no day
    assert found(plain, url="https://news.example/item/20201399") is None  # no 13th month


def test_nothing_found_is_none() -> None:
    assert found(page("<h1>A headline</h1><p>Some text, no date at all.</p>")) is None
    assert found("") is None
    assert found("<p>") is None


# --- order of trust ----------------------------------------------------------------------------


def test_time_then_meta_then_text_then_url() -> None:
    url = "https://news.example/2020/01/01/a-story"
    head = '<meta name="sailthru.date" content="2020-01-02">'
    time_element = '<time datetime="2020-01-03T10:00:00+02:00">x</time> Published 4 January 2020'
    tree, _ = parse_page(story(time_element, head=head), url)
    assert [(candidate.source, candidate.date.isoformat()) for candidate in find_date_candidates(tree, url)] == [
        ("time", "2020-01-03T10:00:00+02:00"),
        ("meta", "2020-01-02"),
        ("text", "2020-01-04"),
        ("url", "2020-01-01"),
    ]
    # The URL disagrees with the time by days: the time wins, and nothing else is said.
    result = find_published_date(tree, url, None)
    assert result is not None and result.source == "time"


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ('<meta name="date" content="2020-05-06">', "2020-05-06"),
        ('<meta name="DC.date.issued" content="2020-05-06T08:00:00+01:00">', "2020-05-06T08:00:00+01:00"),
        ('<meta name="parsely-pub-date" content="2020-05-06T07:00:00Z">', "2020-05-06T07:00:00+00:00"),
        ('<meta name="publish-date" content="May 6, 2020">', "2020-05-06"),
        ('<meta property="og:published_time" content="2020-05-06T07:00:00">', "2020-05-06T07:00:00"),
        ('<meta name="dcterms.created" content="2020-05-06">', "2020-05-06"),
        # Names a site or theme made up, that say "published" ...
        ('<meta name="published" content="July 17, 2025">', "2025-07-17"),
        ('<meta name="w-published-date" content="2025-05-27T06:03:43Z">', "2025-05-27T06:03:43+00:00"),
        ('<meta name="article.created" content="2025-05-27">', "2025-05-27"),
        # ... and microdata in the <head> (where Squarespace writes it), its offset without a colon.
        ('<meta itemprop="datePublished" content="2020-12-23T11:48:54-0800">', "2020-12-23T11:48:54-08:00"),
    ],
)
def test_meta_dates_meta_layer_does_not_read(meta: str, expected: str) -> None:
    result = found(page("<h1>A headline</h1>", head=meta))
    assert result is not None and (result.value, result.source) == (expected, "meta")


def test_meta_dates_meta_layer_reads_are_left_to_it() -> None:
    assert "article:published_time" not in META_KEYS and "pubdate" not in META_KEYS
    head = '<meta property="article:published_time" content="2020-05-06T07:00:00Z"><meta name="pubdate" content="2020-05-06">'
    assert found(page("<h1>A headline</h1>", head=head)) is None


def test_microdata_date_published() -> None:
    for markup in [
        '<meta itemprop="datePublished" content="2020-05-06T07:00:00+02:00">',
        '<span itemprop="datePublished" content="2020-05-06T07:00:00+02:00">6 May</span>',
        '<span itemprop="datePublished">May 6, 2020 7:00 AM</span>',
    ]:
        result = found(story(markup))
        assert result is not None and result.source == "time" and result.value[:10] == "2020-05-06", markup


def test_meta_dates_named_as_other_dates_are_not_read() -> None:
    head = (
        '<meta name="published-modified" content="2025-05-28"><meta name="last-updated" content="2025-05-29">'
        '<meta itemprop="dateModified" content="2025-05-30"><meta name="event-start-date" content="2025-06-01">'
    )
    assert found(page("<h1>A headline</h1>", head=head)) is None


def test_a_metadata_date_its_parser_cannot_read_is_used_only_when_the_page_shows_none() -> None:
    # Drupal's "Thu, 09/25/2025 - 11:38" in article:published_time: read, when nothing else dates the page ...
    tree, _ = parse_page(page("<h1>A headline</h1><p>Text.</p>"), URL)
    result = find_published_date(tree, URL, None, unread="Thu, 09/25/2025 - 11:38")
    assert result is not None and (result.value, result.source) == ("2025-09-25T11:38:00", "meta")
    # ... but a template's hand-written date is often the last edit: the date the page shows wins.
    tree, _ = parse_page(story("By Jane Roe · August 25, 2024"), URL)
    result = find_published_date(tree, URL, None, unread="Jun 24, 2025")
    assert result is not None and result.value == "2024-08-25"


# --- published, not updated ------------------------------------------------------------------


def test_a_published_label_wins_over_an_updated_one() -> None:
    for byline in [
        "Updated March 12, 2026 · Published March 10, 2026",
        "Published March 10, 2026 | Updated: March 12, 2026 at 9:00 a.m.",
        "<div>Last updated</div><div>March 12, 2026</div><div>Published</div><div>March 10, 2026</div>",
        "آخر تحديث: 12 مارس 2026 | نشر في: 10 مارس 2026",
        "به\u200cروزرسانی: ۲۱ اسفند ۱۴۰۴ | منتشر شده: ۱۹ اسفند ۱۴۰۴",
    ]:
        result = found(story(byline))
        assert result is not None and result.value == "2026-03-10", byline


def test_an_updated_time_element_comes_after_a_shown_publication_date() -> None:
    byline = '<time class="updated" datetime="2026-03-12T09:00:00+00:00">March 12</time> First published 10 March 2026'
    result = found(story(byline))
    assert result is not None and (result.value, result.source) == ("2026-03-10", "text")


def test_a_time_element_that_says_it_is_an_update_is_one() -> None:
    byline = (
        '<time class="entry-date published" datetime="2026-03-12T09:00:00+00:00"><b>Last Updated:</b> March 12, 2026</time>'
        '<time itemprop="datePublished" datetime="2026-03-10T09:00:00+00:00">March 10, 2026</time>'
    )
    result = found(story(byline))
    assert result is not None and result.value == "2026-03-10T09:00:00+00:00"


def test_an_update_is_used_when_nothing_else_is_shown() -> None:
    tree, _ = parse_page(story("Last updated on March 12, 2026"), URL)
    candidates = find_date_candidates(tree, URL)
    assert [(candidate.label, candidate.date.isoformat()) for candidate in candidates] == [("updated", "2026-03-12")]
    result = find_published_date(tree, URL, None)
    assert result is not None and result.value == "2026-03-12"


# --- dates that are not the article's ----------------------------------------------------------


def test_dates_of_comments_related_stories_footers_and_teasers_are_ignored() -> None:
    long_comment = "I disagree with this take on the council, and here is why, at some length. " * 4
    html = page(
        "<header class='site-header'><time datetime='2026-03-20'>Today</time></header>"
        "<article><h1>A headline about the council</h1><div class='byline'>By Jane Roe</div>"
        "<p>" + "Text of the article that goes on for a while. " * 8 + "</p>"
        "<section id='comments'><div class='comment'><time datetime='2026-03-13T10:00:00Z'>x</time>"
        f"{long_comment}</div></section>"
        "</article>"
        "<aside><time datetime='2026-01-01'>x</time></aside>"
        "<div class='related-stories'><p>Another story</p><time datetime='2026-01-02'>x</time><p>March 3, 2026</p></div>"
        "<div class='relatedPosts'><span>March 4, 2026</span></div>"
        "<footer><p>Posted March 5, 2026</p><time datetime='2026-01-03'>x</time></footer>"
    )
    tree, _ = parse_page(html, URL)
    assert find_date_candidates(tree, URL) == []
    assert find_published_date(tree, URL, "Europe/London") is None


def test_teaser_articles_beside_the_headline_article_are_ignored() -> None:
    teasers = "".join(
        f"<article class='card'><h2>Other {n}</h2><time datetime='2026-01-0{n}'>x</time></article>" for n in range(1, 4)
    )
    html = page(f"<main><article><h1>A headline about the council</h1><p>Text.</p></article>{teasers}</main>")
    assert found(html) is None
    with_date = html.replace("<p>Text.</p>", "<p>Text.</p><time datetime='2026-02-02'>x</time>")
    result = found(with_date)
    assert result is not None and result.value == "2026-02-02"


def test_an_articles_own_footer_and_a_comment_count_keep_their_dates() -> None:
    html = page(
        "<article><h1>A headline about the council</h1><p>" + "Text of the article. " * 20 + "</p>"
        "<footer class='entry-footer'>Posted on <time datetime='2026-02-02T08:00:00+01:00'>2 February</time></footer></article>"
    )
    result = found(html)
    assert result is not None and result.value == "2026-02-02T08:00:00+01:00"
    count = story("<div class='comments'><time datetime='2025-08-19'>August 19, 2025</time> | 33 Comments</div>")
    result = found(count)
    assert result is not None and result.value == "2025-08-19"


def test_the_time_nearest_the_headline_comes_first() -> None:
    html = page(
        "<div class='wrap'><div class='top'><time datetime='2026-03-01'>x</time></div>"
        "<div class='story'><h1>A headline about the council</h1><div class='meta'><time datetime='2026-03-09'>x</time></div>"
        "<p>Text.</p></div></div>"
    )
    result = found(html)
    assert result is not None and result.value == "2026-03-09"


def test_the_headline_is_the_h1_that_matches_the_title_not_the_logo() -> None:
    html = page(
        "<div class='brand'><h1>News Example</h1><div>March 1, 2026</div></div>"
        "<div><h1>The council agrees the plan</h1><div>March 9, 2026</div><p>Text.</p></div>",
        head="<title>The council agrees the plan | News Example</title>",
    )
    result = found(html)
    assert result is not None and result.value == "2026-03-09"


def test_a_page_with_no_h1_uses_the_heading_named_by_its_title() -> None:
    html = page(
        "<h2>Latest</h2><div>March 1, 2026</div><p>" + "Filler text of the page. " * 20 + "</p>"
        "<h2>The council agrees the plan</h2><div>March 9, 2026</div><p>Text.</p>",
        head='<meta property="og:title" content="The council agrees the plan">',
    )
    result = found(html)
    assert result is not None and result.value == "2026-03-09"


def test_the_headline_repeated_in_the_body_is_not_the_headline() -> None:
    # A rich-text field that starts with the headline again: the byline is under the first one.
    html = page(
        "<div class='post-head'><h1>The council agrees the plan</h1><div class='info'>Jane Roe • March 9, 2026</div></div>"
        "<div class='summary'><ol>" + "".join(f"<li>Part {n} of the plan</li>" for n in range(1, 13)) + "</ol></div>"
        "<main><div class='rich-text'><h1>The council agrees the plan</h1><h2>Part one</h2>"
        + ("<p>" + "Text of the article, long enough to be prose and not a byline. " * 6 + "</p>") * 3
        + "</div></main>",
        head="<title>The council agrees the plan | News Example</title>",
    )
    result = found(html)
    assert result is not None and result.value == "2026-03-09"


def test_an_h1_that_is_the_sites_name_is_a_logo() -> None:
    # A blog's h1 is its name; the post's title is an h3, and its date sits in the list of posts.
    html = page(
        "<header><h1>Example Data Blog</h1></header><div class='blog-posts'><div class='date-outer'>"
        "<h3 class='post-title'>Small adventures with small language models</h3>"
        "<abbr class='published' itemprop='datePublished' title='2025-12-19T15:18:00-05:00'>December 19, 2025</abbr>"
        "<p>Text.</p></div></div>",
        head="<title>Example Data Blog: Small adventures with small language models</title>",
    )
    result = found(html, url="https://blog.exampledata.com/2025/12/small-adventures.html")
    assert result is not None and result.value == "2025-12-19T15:18:00-05:00"


def test_a_facts_box_aside_of_the_article_keeps_its_date_but_a_list_of_stories_does_not() -> None:
    facts = "<aside class='facts'><h3>Published</h3><p><time datetime='2024-08-30T12:00:00Z'>August 30, 2024</time></p>"
    facts += "<h3>Author</h3><p>Jane Roe</p></aside>"
    html = page(f"<article><h1>A headline about the council</h1>{facts}<p>Text.</p></article>")
    result = found(html)
    assert result is not None and result.value == "2024-08-30T12:00:00+00:00"
    stories = "".join(
        f"<li><a href='/s{n}'>Another story about another council, number {n}</a> <time datetime='2024-01-0{n}'>x</time></li>"
        for n in range(1, 6)
    )
    html = page(
        f"<article><h1>A headline about the council</h1><aside><ul>{stories}</ul></aside><p>Text.</p></article>"
    )
    assert found(html) is None


# --- hostile pages -----------------------------------------------------------------------------


def test_a_hundred_thousand_time_elements() -> None:
    html = page("<h1>A headline</h1>" + "<time datetime='2020-01-01'>x</time>" * 100_000)
    started = time.perf_counter()
    result = found(html)
    assert time.perf_counter() - started < 20  # seconds; about one on a laptop, the parse included
    assert result is not None and result.value == "2020-01-01"


def test_a_megabyte_text_node_and_attributes() -> None:
    prose = "March 1, 2020 " + "word " * 200_000  # a date in a megabyte of prose is no dateline
    html = page(
        f"<h1 class='{'x' * 1_000_000}'>A headline</h1><div>By Jane Roe | March 11, 2026</div>"
        f"<p>{prose}</p><div>{'9' * 1_000_000}</div><div class='{'comment ' * 100_000}'>{prose}</div>"
    )
    started = time.perf_counter()
    result = found(html, url="https://news.example/" + "2020/" * 10_000)
    assert time.perf_counter() - started < 20
    assert result is not None and (result.value, result.source) == ("2026-03-11", "text")


def test_deep_nesting_and_repeated_near_dates() -> None:
    deep = "<div>" * 5_000 + "<h1>A headline</h1>" + "<span>March 11, 2026 </span>" * 5_000 + "</div>" * 5_000
    pathological = page("<h1>A headline</h1><p>" + "1/" * 5_000 + " " + "March " * 5_000 + "</p>")
    started = time.perf_counter()
    result = found(page(deep))
    assert result is None or result.value == "2026-03-11"
    assert found(pathological) is None
    assert time.perf_counter() - started < 20


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_reads_as_a_date_or_none(raw: str) -> None:
    parsed = parse_shown_date(raw, "Asia/Tehran")
    assert parsed is None or isinstance(parsed.value, (date, datetime))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["<h1>", "</h1>", "<time datetime='2020-02-30'>", "<article>", "</div>", "<div class='comment'>",
                                 "March 11, 2026", "۱۴ تیر ۱۳۹۹", "<footer>", "Updated", "<br>", "<p>", " "]), max_size=40),
       st.text(max_size=40))  # fmt: skip
def test_any_page_gives_a_date_or_none(parts: list[str], url: str) -> None:
    html = "".join(parts)
    tree, _ = parse_page(html, url)
    result = find_published_date(tree, url, "Europe/London")
    assert result is None or isinstance(result.value, str)


# --- shortcuts give what the long way gives ---------------------------------------------------


def read_by_every_format(text: str) -> datetime | None:
    """The first of :data:`GENERIC_FORMATS` that reads the whole text, every one tried (no shortcut)."""
    readable = normalize_date_text(text)
    for date_format in GENERIC_FORMATS:
        try:
            return datetime.strptime(readable, date_format)
        except ValueError:
            continue
    return None


@settings(max_examples=300)
@given(st.datetimes(datetime(1970, 1, 1), datetime(2025, 12, 31)), st.sampled_from(GENERIC_FORMATS), st.booleans())
def test_the_formats_left_untried_could_not_have_read_the_text(
    moment: datetime, date_format: str, padded: bool
) -> None:
    """A format reads as many runs of digits as it has numeric directives, so the others are skipped rightly."""
    text = moment.strftime(date_format)
    if not padded:  # strptime reads "5 March" as it reads "05 March"
        text = re.sub(r"(?<!\d)0(\d)", r"\1", text)
    expected = read_by_every_format(text)
    if expected is not None:
        assert _read_whole(text) in (expected, expected.date())  # a format with no hour gives a day
    readable = normalize_date_text(text)
    for form, numbers in _GENERIC_FORMAT_NUMBERS:
        try:
            datetime.strptime(readable, form)
        except ValueError:
            continue
        assert len(_NUMBERS.findall(readable)) == numbers, form


@pytest.mark.parametrize(
    "text", ["March 11, 2026 at 3:45 PM", "Wednesday, 11 March 2026 - 15:45", "11.03.2026 15:45", "2026/03/11 1:05:09",
             "Wed, 11 Mar 2026 15:45", "the 11 March 2026", "March 2026", "12 34 56 78"],
)  # fmt: skip
def test_whole_values_read_as_every_format_tried_reads_them(text: str) -> None:
    expected = read_by_every_format(text)
    assert _read_whole(text) in (expected, expected.date() if expected else None)


@given(st.text(st.sampled_from("0123456789٠١٢٣۴۵ /.-,:abcMarchApril مهر آبان أكتوبر"), max_size=40))
def test_a_text_without_four_digits_in_a_row_holds_no_date_form(text: str) -> None:
    key = text.translate(_KEY)
    if _YEAR_DIGITS.search(key) is None:
        assert not any(pattern.search(key) for pattern in _DATE_FORMS.values())


def test_the_translation_keeps_every_character_a_digit_or_not() -> None:
    """So four digits in a row are found in a text where they are in its translation (searched first, the cheaper)."""
    digit = re.compile(r"\d")
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        translated = character.translate(_KEY)
        assert len(translated) == 1
        assert (digit.match(character) is None) == (digit.match(translated) is None), hex(code)


@pytest.mark.parametrize(
    "names", ["", " ", "related-posts ", "site-header main", "comments-area x", "entry-header ", "a b c", " sidebar",
              "relatedPosts commentary", "node--promoted", " siteFooter", "header ", "Footer x"],
)  # fmt: skip
def test_class_words_are_what_the_three_searches_say(names: str) -> None:
    for _ in range(2):  # the second answer is the remembered one
        assert _class_words(names) == (
            _PAGE_PART_CLASS.search(names) is not None,
            _ELSEWHERE_CLASS.search(names) is not None,
            _COMMENT_CLASS.search(names) is not None,
        )


def test_class_words_remember_a_bounded_number_of_answers() -> None:
    for index in range(5000):
        _class_words(f"{_ELSEWHERE_WORDS[index % len(_ELSEWHERE_WORDS)]} item-{index}")
    assert (_class_words.cache_info().maxsize or 0) <= 2048
    assert _class_words.cache_info().currsize <= 2048


DATED_URL = "https://news.example/2021/03/05/a-story"
MANY_DATES = [
    story("By Jane Roe | Updated March 7, 2021 10:00 | Published March 5, 2021 09:00",
          head='<meta name="parsely-pub-date" content="2021-03-05T08:00:00Z"><meta name="date" content="2021-03-04">'),
    page("<article><h1>A headline about the council</h1><time class='updated' datetime='2021-03-07T10:00:00+02:00'>"
         "Mar 7</time><time datetime='2021-03-05T09:00:00-05:00'>Mar 5</time><p>Posted 5 March 2021</p></article>"
         "<aside class='related'><time datetime='2020-01-01T00:00:00Z'>old</time></aside>"),
    page("<h1>No dates here at all</h1><p>Only words.</p>"),
]  # fmt: skip


@pytest.mark.parametrize("html", MANY_DATES)
def test_the_candidates_of_some_sources_are_those_of_every_source_in_the_same_order(html: str) -> None:
    """page_offset reads only the <time> candidates: the ones the whole list holds, as it orders them."""
    tree, _ = parse_page(html, DATED_URL)
    every = find_date_candidates(tree, DATED_URL)
    assert len({candidate.source for candidate in every}) >= (1 if "No dates" in html else 3)  # pages of many kinds
    for sources in (("time",), ("meta", "url"), ("text",), SOURCES):
        assert find_date_candidates(tree, DATED_URL, sources) == [c for c in every if c.source in sources]


def page_offset_the_long_way(html: str, instant: datetime) -> timezone | None:
    """:func:`page_offset` without its shortcut: the first of the ordered ``<time>`` candidates near ``instant``."""
    tree, _ = parse_page(html, DATED_URL)
    for candidate in find_date_candidates(tree, DATED_URL, ("time",)):
        value = candidate.date.value
        if isinstance(value, datetime) and value.tzinfo is not None:
            offset = value.utcoffset()
            if offset and abs(value - instant) <= SAME_MOMENT:
                return timezone(offset)
    return None


_TIMES = [f"<time datetime='2021-03-0{day}T{hour}:00:00{zone}'>{shown}</time>"
          for day, hour, zone, shown in [(5, 10, "+03:00", "Mar 5"), (5, 2, "-05:00", ""), (4, 23, "Z", "Updated"),
                                         (5, 9, "", "March 5, 2021"), (6, 12, "+05:30", "x")]]  # fmt: skip
_TIMES += ["<span itemprop='datePublished' content='2021-03-05T08:00:00+01:00'></span>", "<abbr class='published' "
           "title='2021-03-05T07:00:00-03:00'>5 Mar</abbr>", "<time>5 March 2021 10:00 GMT+2</time>", "<time pubdate>x</time>"]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*_TIMES, "<h1>A headline about the council</h1>", "<article>", "</article>", "<aside>",
                                 "</aside>", "<div class='related'>", "<div class='comments'>", "</div>", "<header>",
                                 "</header>", "<p>Published</p>", "<h1>Logo</h1>"]), max_size=25),
       st.sampled_from([datetime(2021, 3, 5, 7, tzinfo=UTC), datetime(2021, 3, 7, tzinfo=UTC),
                        datetime(2021, 3, 4, 12, tzinfo=UTC), datetime(2020, 1, 1, tzinfo=UTC)]),
       st.booleans())  # fmt: skip
def test_page_offset_is_what_the_ordered_candidates_give(parts: list[str], instant: datetime, titled: bool) -> None:
    """page_offset finds the headline only when an element gives a time near the instant: the answer is the same."""
    head = "<title>A headline about the council | Example</title>" if titled else ""
    html = page("".join(parts), head=head)
    tree, _ = parse_page(html, DATED_URL)
    assert page_offset(tree, DATED_URL, instant) == page_offset_the_long_way(html, instant)
