from hypothesis import given
from hypothesis import strategies as st

from crawler.text import (
    clean_body,
    is_clean_line,
    normalize_paragraph,
    normalize_space,
    strip_byline_prefix,
    strip_label,
)

ZWNJ = "\u200c"


def test_zero_width_non_joiner_is_kept() -> None:
    word = f"می{ZWNJ}گویند"
    assert normalize_space(f"  {word}  ") == word


def test_invisible_and_bidi_characters_go() -> None:
    assert normalize_space("\u200fRussia\u200b suspends\ufeff") == "Russia suspends"


def test_non_breaking_and_unicode_spaces_fold_to_one_space() -> None:
    assert normalize_space("next\u00a0 month.\u00a0") == "next month."


def test_quotes_digits_and_spelling_are_untouched() -> None:
    text = "“Sergei” ‘Sergey’ ١٤٠٠ ۱۴۰۰ colour"
    assert normalize_space(text) == text


def test_paragraph_keeps_single_line_breaks() -> None:
    assert normalize_paragraph(" one  \n  two ") == "one\ntwo"


def test_clean_body_drops_empty_paragraphs() -> None:
    assert clean_body("a\n\n \u200b \n\nb") == "a\n\nb"


def test_byline_prefixes() -> None:
    assert strip_byline_prefix("By Al Mayadeen net") == "Al Mayadeen net"
    assert strip_byline_prefix("Bylines Weekly") == "Bylines Weekly"


def test_strip_label() -> None:
    assert strip_label("Source: Agencies", ("Source",)) == "Agencies"
    assert strip_label("Agencies", ("Source",)) == "Agencies"


def test_arabic_letters_and_punctuation_are_kept_as_published() -> None:
    text = "أإآا ىي ةه ـ «الناتو»، ؟ ؛ يقوّض"  # alef forms, yeh/alef maksura, tatweel, Arabic punctuation, shadda
    assert normalize_space(text) == text


def test_zero_width_joiner_is_kept_and_bidi_marks_go() -> None:
    assert normalize_space("\u202bالمصدر\u202c\u200d : \u200fالجزيرة") == "المصدر\u200d : الجزيرة"


def test_zwnj_runs_collapse_and_none_is_left_beside_a_space() -> None:
    assert normalize_space(f"بین{ZWNJ}{ZWNJ}الملل") == f"بین{ZWNJ}الملل"
    assert normalize_space(f"می{ZWNJ} گویند {ZWNJ}رسانه{ZWNJ}ها{ZWNJ}") == f"می گویند رسانه{ZWNJ}ها"
    assert normalize_paragraph(f"{ZWNJ}یک\n{ZWNJ}دو{ZWNJ}") == "یک\nدو"


def test_persian_letter_unification_is_for_persian_only() -> None:
    from crawler.text import unify_letters

    assert unify_letters("ايده مسكو «كرد» ۱۴۰۰", "fa") == "ایده مسکو «کرد» ۱۴۰۰"
    assert unify_letters("الذي كان", "ar") == "الذي كان"
    assert unify_letters("الذي كان", None) == "الذي كان"


# --- found by mutation testing (docs/mutation-testing.md) ----------------------------------------------------------


def test_a_label_is_stripped_whatever_its_case() -> None:
    """Sites write their labels in capitals as often as not ("SOURCE: Reuters", "source - AFP")."""
    assert strip_label("SOURCE: Reuters", ("Source",)) == "Reuters"
    assert strip_label("source - AFP", ("Source",)) == "AFP"


def test_a_space_at_either_end_is_not_clean_and_is_stripped() -> None:
    """``is_clean_line`` is the shortcut that skips the clean-up: a line with an outer space must not take it."""
    assert is_clean_line("Clean text, one space inside.")
    assert not is_clean_line(" leading")
    assert not is_clean_line("trailing ")
    assert normalize_space(" leading space") == "leading space"
    assert normalize_paragraph(" leading\nline ") == "leading\nline"


def test_a_persian_line_with_joining_zwnj_is_clean_already() -> None:
    line = f"شورای شهر می{ZWNJ}گوید که بودجه آماده است"
    assert is_clean_line(line)
    assert normalize_space(line) is line
    for loose in (f"{ZWNJ}{line}", f"{line}{ZWNJ}", f"می{ZWNJ}{ZWNJ}گوید", f"می {ZWNJ}گوید", f"می{ZWNJ} گوید",
                  f"می{ZWNJ}\u200bگوید", f"می{ZWNJ}گوید\n"):  # fmt: skip
        assert not is_clean_line(loose)


@given(st.text(st.sampled_from(["a", "ی", " ", ZWNJ, "\u200d", "\u200b", "\n", "\t", "\xa0", "\u200f"]), max_size=12))
def test_a_line_called_clean_is_what_the_clean_up_gives(text: str) -> None:
    """The shortcut is taken only where the clean-up would give the text back as it is."""
    if is_clean_line(text):
        assert normalize_space(text) == text
        assert normalize_paragraph(text) == text
