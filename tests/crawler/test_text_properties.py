"""crawler.text on any string: never raises, removes only what a reader cannot see, and is stable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crawler.text import (
    INVISIBLE,
    ZWNJ,
    clean_body,
    normalize_paragraph,
    normalize_space,
    strip_byline_prefix,
    strip_invisible,
    strip_label,
    unify_letters,
)
from tests.strategies import any_text, persian_sentences, prose

texts = st.one_of(any_text, prose)
SURROGATE = range(0xD800, 0xE000)


def _readable(text: str) -> bool:
    """No NUL, C0/C1 control (but newline), lone surrogate or removed invisible character."""
    return not any(
        (ord(char) < 0x20 and char != "\n") or 0x7F <= ord(char) < 0xA0 or ord(char) in SURROGATE or char in INVISIBLE
        for char in text
    )


@given(texts)
def test_strip_invisible_removes_only_invisible_characters(text: str) -> None:
    stripped = strip_invisible(text)
    kept = [char for char in text if char not in INVISIBLE and ord(char) not in SURROGATE
            and not (ord(char) < 0x20 and char not in "\t\n\r") and not 0x7F <= ord(char) < 0xA0]  # fmt: skip
    assert stripped.replace("\ufffd", "") == "".join(kept).replace("\ufffd", "")
    assert stripped.count("\ufffd") == text.count("\ufffd") + sum(ord(char) in SURROGATE for char in text)


@given(texts)
def test_normalize_space_gives_one_clean_line_and_is_stable(text: str) -> None:
    line = normalize_space(text)
    assert _readable(line) and "\n" not in line
    assert line == line.strip() and "  " not in line
    assert normalize_space(line) == line


@given(texts)
def test_normalize_paragraph_and_clean_body_are_stable(text: str) -> None:
    paragraph = normalize_paragraph(text)
    assert _readable(paragraph) and "\n\n" not in paragraph
    assert normalize_paragraph(paragraph) == paragraph
    body = clean_body(text)
    assert _readable(body) and clean_body(body) == body
    assert all(part == part.strip() and part for part in body.split("\n\n")) or body == ""


@given(persian_sentences)
def test_zwnj_between_letters_survives(sentence: str) -> None:
    for clean in (normalize_space, normalize_paragraph, clean_body):
        assert clean(sentence).count(ZWNJ) == sentence.count(ZWNJ)


@given(texts, st.sampled_from(["fa", "ar", "en", None, ""]))
def test_unify_letters_changes_only_arabic_yeh_and_kaf_in_persian(text: str, language: str | None) -> None:
    unified = unify_letters(text, language)
    assert len(unified) == len(text)
    changed = {(before, after) for before, after in zip(text, unified, strict=False) if before != after}
    assert changed <= ({("ي", "ی"), ("ك", "ک")} if language == "fa" else set())


@given(texts)
def test_byline_and_label_stripping_only_ever_remove_a_prefix(text: str) -> None:
    assert strip_byline_prefix(text) in text
    assert strip_label(text, ("Source", "المصدر", "منبع")) in text
