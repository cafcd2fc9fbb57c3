"""The validation rules, called directly: each check, their order, and what ``validate`` does with them."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from itemadapter import ItemAdapter

from crawler.items import Article
from crawler.pipelines.validation import (
    _BYTE_SCRIPTS,
    _SCRIPT_MARKS,
    _SCRIPT_RANGES,
    CHECKS,
    LANGUAGE_SCRIPTS,
    SCRIPT_SAMPLE_CHARS,
    Check,
    ValidationContext,
    _pattern_counts,
    dominant_script,
    validate,
)

NOW = datetime(2024, 3, 5, 12, 0, tzinfo=UTC)
CONTEXT = ValidationContext(min_body_chars=50, site_names=frozenset({"News Example"}), now=NOW)
ENGLISH = "The harbour bridge reopened on Monday after six weeks of repairs to its deck. " * 2
ARABIC = "أعيد افتتاح جسر الميناء يوم الاثنين بعد ستة أسابيع من الإصلاحات. " * 2
CYRILLIC = "Мост в гавани вновь открылся в понедельник после шести недель ремонта. " * 2


def article(**fields: object) -> Article:
    values = {
        "url": "https://news.example/local/bridge",
        "headline": "Harbour bridge reopens",
        "body": ENGLISH,
        "language": "en",
    }
    return Article(**{**values, **fields})  # type: ignore[arg-type]


def check(name: str) -> Check:
    return next(check for check in CHECKS if check.name == name)


def run(name: str, item: object, context: ValidationContext = CONTEXT) -> str | None:
    return check(name).test(ItemAdapter(item), context)


def test_a_good_item_passes_every_check() -> None:
    item = article(date_published="2024-03-05T08:00:00+01:00")
    assert all(run(each.name, item) is None for each in CHECKS)
    assert validate(item, CONTEXT) is None
    assert item.validation_messages == []


def test_the_checks_and_which_are_fatal() -> None:
    assert [(each.name, each.fatal) for each in CHECKS] == [
        ("missing_url", True),
        ("missing_headline", True),
        ("missing_body", True),
        ("missing_language", True),
        ("body_too_short", True),
        ("headline_is_site_name", True),
        ("date_out_of_range", False),
        ("language_script_mismatch", False),
    ]


# --- each rule -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["url", "headline", "body", "language"])
@pytest.mark.parametrize("empty", [None, ""])
def test_a_required_field_missing_or_empty(field: str, empty: object) -> None:
    item = {"url": "https://news.example/a", "headline": "H", "body": ENGLISH, "language": "en", field: empty}
    assert run(f"missing_{field}", item) == f"no {field}"
    assert run(f"missing_{field}", {**item, field: "x"}) is None


def test_a_required_field_absent_from_a_plain_dict() -> None:
    assert run("missing_language", {"url": "https://news.example/a"}) == "no language"


def test_a_body_shorter_than_the_minimum_is_too_short_and_one_at_it_is_not() -> None:
    context = ValidationContext(min_body_chars=10)
    assert run("body_too_short", article(body="123456789"), context) == "body has 9 characters, fewer than 10"
    assert run("body_too_short", article(body="1234567890"), context) is None
    assert run("body_too_short", article(body=None), context) == "body has 0 characters, fewer than 10"


def test_the_default_minimum_body_is_200_characters() -> None:
    assert run("body_too_short", article(body="x" * 199), ValidationContext()) is not None
    assert run("body_too_short", article(body="x" * 200), ValidationContext()) is None


@pytest.mark.parametrize("headline", ["News Example", "news example", "  NEWS\u00a0 Example ", "News\u200b Example"])
def test_a_headline_that_is_the_site_name_whatever_its_case_and_spacing(headline: str) -> None:
    assert run("headline_is_site_name", article(headline=headline)) == f"headline {headline!r} is the site's name"


@pytest.mark.parametrize("headline", ["News Example reports", "Harbour bridge reopens", None])
def test_a_headline_that_only_mentions_the_site_or_no_site_names_known(headline: str | None) -> None:
    assert run("headline_is_site_name", article(headline=headline)) is None
    assert run("headline_is_site_name", article(headline="News Example"), ValidationContext()) is None


@pytest.mark.parametrize(
    "published",
    [
        "2024-03-05T08:00:00+01:00",
        "2024-03-06T11:59:00+00:00",  # less than a day ahead: time zones and clocks differ
        "1990-01-01T00:00:00+00:00",
        "2000-06-01T00:00:00-05:00",
    ],
)
def test_dates_in_range_pass(published: str) -> None:
    assert run("date_out_of_range", article(date_published=published)) is None


def test_no_date_is_no_problem() -> None:
    assert run("date_out_of_range", article(date_published=None)) is None
    assert run("date_out_of_range", article(date_published="")) is None


def test_a_date_more_than_a_day_ahead_is_in_the_future() -> None:
    future = (NOW + timedelta(days=1, minutes=1)).isoformat()
    assert run("date_out_of_range", article(date_published=future)) == f"date_published {future} is in the future"
    exactly_a_day = (NOW + timedelta(days=1)).isoformat()
    assert run("date_out_of_range", article(date_published=exactly_a_day)) is None


def test_a_date_before_the_earliest_is_out_of_range() -> None:
    assert run("date_out_of_range", article(date_published="1989-12-31T23:59:59+00:00")) == (
        "date_published 1989-12-31T23:59:59+00:00 is before 1990"
    )
    context = ValidationContext(now=NOW, earliest=datetime(2020, 1, 1, tzinfo=UTC))
    assert run("date_out_of_range", article(date_published="2019-12-31T00:00:00+00:00"), context) == (
        "date_published 2019-12-31T00:00:00+00:00 is before 2020"
    )


def test_the_offset_counts_at_the_earliest_edge() -> None:
    # 1990-01-01 00:30 at +01:00 is 1989-12-31 23:30 UTC.
    assert run("date_out_of_range", article(date_published="1990-01-01T00:30:00+01:00")) is not None
    assert run("date_out_of_range", article(date_published="1990-01-01T00:30:00-01:00")) is None


@pytest.mark.parametrize("naive", ["2024-03-05T08:00:00", "2024-03-05"])
def test_a_date_without_an_offset_is_reported(naive: str) -> None:
    assert run("date_out_of_range", article(date_published=naive)) == f"date_published {naive} has no offset"


def test_without_a_now_the_clock_is_read() -> None:
    context = ValidationContext()
    assert run("date_out_of_range", article(date_published="2999-01-01T00:00:00+00:00"), context) is not None
    assert run("date_out_of_range", article(date_published="2001-01-01T00:00:00+00:00"), context) is None


@pytest.mark.parametrize(
    ("text", "script"),
    [
        (ENGLISH, "LATIN"),
        ("Élan, façade, naïve, Ångström", "LATIN"),
        (ARABIC, "ARABIC"),
        ("گزارش خبرگزاری درباره پل بندر", "ARABIC"),  # Persian letters (گ, پ) are Arabic script
        (CYRILLIC, "CYRILLIC"),
        ("The bridge: " + ARABIC, "ARABIC"),  # the most letters win, not the first
        ("12345 !?. 2024-03-05", None),
        ("", None),
        ("日本語のテキスト", None),  # a script this check does not know
    ],
)
def test_dominant_script(text: str, script: str | None) -> None:
    assert dominant_script(text) == script


def test_dominant_script_reads_only_the_start_of_a_long_text() -> None:
    text = "a" * SCRIPT_SAMPLE_CHARS + "ب" * (SCRIPT_SAMPLE_CHARS * 2)
    assert dominant_script(text) == "LATIN"
    assert dominant_script("1" * SCRIPT_SAMPLE_CHARS + "ب" * 10) is None


@pytest.mark.parametrize(
    ("language", "body", "found"),
    [
        ("en", ARABIC, "Arabic"),
        ("fr", CYRILLIC, "Cyrillic"),
        ("ar", ENGLISH, "Latin"),
        ("fa", ENGLISH, "Latin"),
        ("ur", CYRILLIC, "Cyrillic"),
    ],
)
def test_a_body_in_another_script_than_the_language_is_reported(language: str, body: str, found: str) -> None:
    assert run("language_script_mismatch", article(language=language, body=body)) == (
        f"language {language!r} is declared, but the body is mostly {found} script"
    )


@pytest.mark.parametrize(
    ("language", "body"),
    [
        ("en", ENGLISH),
        ("es", ENGLISH),
        ("ar", ARABIC),
        ("fa", ARABIC),
        ("ru", ENGLISH),  # a language the check has no script for
        ("ja", ARABIC),
        (None, ARABIC),
        ("en", "2024 — 12:00 — 3 / 4"),  # no letters of a known script
        ("en", None),
    ],
)
def test_a_matching_or_unknown_language_or_script_is_no_mismatch(language: str | None, body: str | None) -> None:
    assert run("language_script_mismatch", article(language=language, body=body)) is None


def test_every_language_the_check_knows_names_a_script_it_can_count() -> None:
    assert set(LANGUAGE_SCRIPTS.values()) <= {"LATIN", "ARABIC", "CYRILLIC"}


# --- validate ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"url": ""}, "missing_url"),
        ({"headline": None}, "missing_headline"),
        ({"body": None}, "missing_body"),
        ({"language": None}, "missing_language"),
        ({"body": "Too short."}, "body_too_short"),
        ({"headline": "NEWS EXAMPLE"}, "headline_is_site_name"),
    ],
)
def test_a_fatal_failure_is_answered_with_its_check_and_message(fields: dict, reason: str) -> None:
    item = article(**fields)
    failure = validate(item, CONTEXT)
    assert failure is not None
    failed, message = failure
    assert failed.name == reason and failed.fatal
    assert message == failed.test(ItemAdapter(item), CONTEXT)


def test_the_first_fatal_failure_in_order_is_the_answer_and_no_messages_are_added() -> None:
    item = article(headline=None, body=None, language=None, date_published="2099-01-01T00:00:00+00:00")
    failure = validate(item, CONTEXT)
    assert failure is not None and failure[0].name == "missing_headline"
    assert item.validation_messages == []
    failure = validate(article(body="short", headline="News Example"), CONTEXT)
    assert failure is not None and failure[0].name == "body_too_short"


def test_non_fatal_failures_keep_the_item_and_add_messages_in_order() -> None:
    item = article(language="en", body=ARABIC, date_published="1980-01-01T00:00:00+00:00")
    assert validate(item, CONTEXT) is None
    assert item.validation_messages == [
        "date_out_of_range: date_published 1980-01-01T00:00:00+00:00 is before 1990",
        "language_script_mismatch: language 'en' is declared, but the body is mostly Arabic script",
    ]


def test_messages_already_on_the_item_are_kept() -> None:
    item = article(date_published="2099-01-01T00:00:00+00:00", validation_messages=["earlier: kept"])
    assert validate(item, CONTEXT) is None
    assert item.validation_messages == [
        "earlier: kept",
        "date_out_of_range: date_published 2099-01-01T00:00:00+00:00 is in the future",
    ]


def test_a_plain_dict_item_gets_its_messages_too() -> None:
    item = {"url": "https://news.example/a", "headline": "H", "body": ARABIC, "language": "en"}
    assert validate(item, CONTEXT) is None
    assert item["validation_messages"] == [
        "language_script_mismatch: language 'en' is declared, but the body is mostly Arabic script"
    ]


def test_validate_runs_only_the_checks_it_is_given() -> None:
    always = Check("always", fatal=False, test=lambda item, context: "said so")
    fatal = Check("fatal", fatal=True, test=lambda item, context: "stop")
    never = Check("never", fatal=True, test=lambda item, context: None)
    item = article(headline=None)
    assert validate(item, CONTEXT, checks=(never, always, always)) is None
    assert item.validation_messages == ["always: said so", "always: said so"]
    failure = validate(article(), CONTEXT, checks=(always, fatal, always))
    assert failure is not None and failure[0] is fatal and failure[1] == "stop"
    assert validate(article(headline=None), CONTEXT, checks=()) is None


def test_dominant_script_counts_letters_as_one_match_per_letter_did() -> None:
    """Runs of letters are matched now; their lengths add up to the letters counted one by one before."""
    text = "Lavrov لاوروف Лавров, 2021: ÉtéΩ سلام‌ها x" * 40
    for script, pattern in _SCRIPT_RANGES:
        single = re.compile(pattern.pattern.removesuffix("+"))
        assert sum(map(len, pattern.findall(text))) == len(single.findall(text)) > 0, script


def test_dominant_script_byte_counts_are_the_patterns_counts_for_every_character() -> None:
    """Every character, grouped by its UTF-8 lead byte: the bytes' count is the patterns' count, or the lead
    sends the sample to the patterns."""
    by_lead: dict[int, list[str]] = {}
    for code_point in range(0x110000):
        if not 0xD800 <= code_point <= 0xDFFF:
            by_lead.setdefault(chr(code_point).encode()[0], []).append(chr(code_point))
    fallback = 0
    for lead, characters in by_lead.items():
        text = "".join(characters)
        marks = text.encode().translate(_BYTE_SCRIPTS)
        if b"?" in marks:
            fallback += len(characters)
            continue
        assert {script: marks.count(mark) for script, mark in _SCRIPT_MARKS} == _pattern_counts(text), hex(lead)
    assert fallback < 0x110000 // 10  # the fast way is the usual one


@pytest.mark.parametrize(
    "text",
    [
        "Lavrov لاوروف Лавров ÉtéΩ ɀ",  # all by bytes
        "Lavrov ɏ ɐ ݐ ݿ ࢠ ﭐ ﻻ ﷿ ﹰ \ufeff ܀",  # shared leads: by the patterns
        "\ud83d lone surrogate ب",
        "",
    ],
)
def test_dominant_script_is_the_patterns_answer(text: str) -> None:
    counts = _pattern_counts(text)
    best = max(counts, key=counts.__getitem__)
    assert dominant_script(text) == (best if counts[best] else None)
