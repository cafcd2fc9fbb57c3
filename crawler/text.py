"""Script-aware text clean-up that never changes what was published.

What counts as "published" here is the sequence of visible characters.  These
helpers only touch characters a reader cannot see (runs of whitespace,
zero-width spaces, bidi controls, the byte-order mark) and leave quotes,
digits, spelling and joining controls alone: Persian needs its zero-width
non-joiner (U+200C) and some scripts need the zero-width joiner (U+200D).
"""

from __future__ import annotations

import re

#: Characters removed everywhere: invisible, and never meaningful in article text.
#: Zero-width space, word joiner, BOM/zero-width no-break space, soft hyphen,
#: and the bidi embedding/override/isolate controls and marks.  U+200C (ZWNJ)
#: and U+200D (ZWJ) are *not* in this set.
INVISIBLE = "\u200b\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# ... and the C0/C1 control characters other than tab, newline and carriage return.
_CONTROLS = "".join(map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]))
#: A lone surrogate (from a JSON-LD "\\ud83d" escape cut off from its pair) is no character and
#: cannot be written as UTF-8: it becomes U+FFFD, the mark a browser shows for it.
_SURROGATES = "\ud800-\udfff"
_REMOVE_RE = re.compile("[" + re.escape(INVISIBLE + _CONTROLS) + _SURROGATES + "]")

_BYLINE_PREFIX_RE = re.compile(r"^(?:written\s+by|by|بقلم|نویسنده)(?:\s*[:\-–]\s*|\s+)", re.IGNORECASE)


ZWNJ = "\u200c"
# A run of ZWNJ is one; a ZWNJ beside a space or a line's end joins nothing.
_ZWNJ_RUN_RE = re.compile("\u200c{2,}")
_ZWNJ_LOOSE_RE = re.compile(r"\u200c+(?=\s|$)|(?<=\s)\u200c+|^\u200c+", re.MULTILINE)


def strip_invisible(text: str) -> str:
    # Most text has none: a search (in C) is cheaper than rebuilding the string.
    return _REMOVE_RE.sub(_removed, text) if _REMOVE_RE.search(text) else text


def _removed(match: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else ""


def _tidy_zwnj(text: str) -> str:
    if ZWNJ not in text:
        return text
    return _ZWNJ_LOOSE_RE.sub("", _ZWNJ_RUN_RE.sub(ZWNJ, text))


def is_clean_line(text: str) -> bool:
    """Whether :func:`normalize_space` would give ``text`` back unchanged; a fraction of its cost.

    Every character the clean-up removes or folds (invisible ones, controls, ZWNJ,
    line breaks, tabs, no-break and other spaces) is unprintable to ``str.isprintable``;
    the plain space, the one printable space, only has to stand alone and inside.
    Of the unprintable characters the clean-up keeps, ZWNJ is let through where it joins
    (:func:`_only_joining_zwnj`): Persian text is full of it.
    """
    if not text.isprintable() and not _only_joining_zwnj(text):
        return False
    return "  " not in text and text[:1] != " " and text[-1:] != " "


def _only_joining_zwnj(text: str) -> bool:
    """Whether the text's unprintable characters are all ZWNJs the clean-up keeps: one at a time, between two
    characters that are not spaces (:func:`_tidy_zwnj` removes the others)."""
    return (
        ZWNJ in text
        and text.replace(ZWNJ, "").isprintable()
        and text[:1] != ZWNJ
        and text[-1:] != ZWNJ
        and ZWNJ * 2 not in text
        and " " + ZWNJ not in text
        and ZWNJ + " " not in text
    )


def normalize_space(text: str) -> str:
    """One line of text: invisible characters removed, whitespace runs made one space."""
    if is_clean_line(text):  # most text, once read out of the page
        return text
    # ZWNJ first: one removed from beside a space must not leave that space at an end, or two in a row.
    return " ".join(_tidy_zwnj(strip_invisible(text)).split())


def normalize_paragraph(text: str) -> str:
    """Like :func:`normalize_space`, but keeps single line breaks (``<br>``) inside it."""
    if is_clean_line(text):  # most paragraphs: one line, clean already
        return text
    # ZWNJ is tidied per line before spaces fold (a ZWNJ beside a space joins nothing); within one
    # line, split/join folds every Unicode space (not U+200C/U+200D) at less than half a regex's cost.
    lines = (" ".join(_tidy_zwnj(line).split()) for line in strip_invisible(text).split("\n"))
    return "\n".join(line for line in lines if line)


#: Letters that Persian text borrows wrongly from Arabic keyboards and encodings.
#: In Persian they are one letter each, so unifying loses nothing; in Arabic
#: they are different letters, so this is for Persian only.
_PERSIAN_LETTERS = {"ي": "ی", "ك": "ک"}


def unify_letters(text: str, language: str | None) -> str:
    """The letter unification the language calls for (only Persian has one).

    Two ``str.replace`` calls, not ``str.translate``: translating non-ASCII text looks every
    character up in the table, over a thousand times the cost on a Persian body.
    """
    if language != "fa":
        return text
    for arabic, persian in _PERSIAN_LETTERS.items():
        text = text.replace(arabic, persian)
    return text


def clean_body(body: str) -> str:
    """Normalise every paragraph of a body and drop the empty ones."""
    paragraphs = map(normalize_paragraph, body.split("\n\n"))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def strip_byline_prefix(name: str) -> str:
    """ "By Jane Doe" -> "Jane Doe": bylines carry the word, author names do not."""
    return _BYLINE_PREFIX_RE.sub("", name).strip()


def strip_label(text: str, labels: tuple[str, ...]) -> str:
    """Remove a leading label ("Source:", "المصدر :") when the markup gives no tighter element.

    A label counts only with its colon or dash, so "Sources say" stays whole.
    """
    for label in labels:
        match = re.match(rf"{re.escape(label)}\s*[:：\-–]\s*", text, re.IGNORECASE)
        if match:
            return text[match.end() :].strip()
    return text


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one string, spaces between: long lists of words read better so."""
    return frozenset(text.split())
