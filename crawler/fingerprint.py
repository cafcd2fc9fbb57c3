"""Body fingerprints: recognising one story republished at another URL.

Aggregators and mirrors copy agency text with small changes: other
whitespace, Arabic letters where Persian ones were (or the reverse), dropped
zero-width non-joiners, another script for digits, an edited sentence.  A
fingerprint is derived from a *folded* copy of the text, so that these
differences vanish; the article's own text is never changed.

Two values: ``exact`` (equal after folding) and a 64-bit SimHash (a few
bits apart after a small edit).  A store finds candidates by the SimHash's
four 16-bit bands: two hashes at most three bits apart share at least one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

#: Hashes at most this many bits apart are copies of one story.
NEAR_DUPLICATE_DISTANCE = 3
#: Fewer words than this say too little to call two texts the same story.
MIN_WORDS = 20
#: Length of the character shingles the SimHash is taken over.
SHINGLE_CHARS = 5

# Folds for matching only: digits to ASCII, Arabic letter variants to one form,
# and marks that a copy may add or drop (tatweel, diacritics, ZWNJ/ZWJ) removed.
_FOLD = str.maketrans(
    {
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},
        "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ؤ": "و",
        "\u0640": None, "\u200c": None, "\u200d": None, "\u0670": None,
        **{chr(mark): None for mark in range(0x064B, 0x0660)},
    }
)  # fmt: skip
_WORD_RE = re.compile(r"\w+")
# For each bit of a byte (high first), the byte values that have it set.
_BYTES_WITH_BIT = tuple(tuple(byte for byte in range(256) if byte >> (7 - bit) & 1) for bit in range(8))


def normalise_for_fingerprint(text: str) -> str:
    """The text's words, folded so that a copy's incidental differences vanish.

    Case, compatibility forms (NBSP, Arabic presentation forms), the digit
    script, Arabic against Persian letter forms, hamza seats, tatweel,
    diacritics and zero-width joiners are what copies of one story differ in
    without saying anything else; punctuation and spacing go as well.  The
    result is only for comparing: it is never shown or stored as text.
    """
    folded = unicodedata.normalize("NFKC", text.casefold()).translate(_FOLD)
    return " ".join(_WORD_RE.findall(folded))


def hamming(first: int, second: int) -> int:
    """How many bits two SimHashes differ in: few for copies of one text."""
    return (first ^ second).bit_count()


def simhash(text: str) -> int:
    """Unsigned 64-bit SimHash of the text's character shingles.

    Each shingle's 8-byte BLAKE2b hash votes on every bit; a bit is set
    where most shingles have it set.  BLAKE2b rather than ``hash()`` so that
    the value is the same in every process and can be stored.  Rather than
    test 64 bits per shingle in Python, the hashes are counted byte value by
    byte position (``Counter`` over a strided slice, in C) and each bit's
    majority is read off those counts.
    """
    shingles = [text[index : index + SHINGLE_CHARS] for index in range(max(1, len(text) - SHINGLE_CHARS + 1))]
    digests = b"".join(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest() for shingle in shingles)
    total, value = len(shingles), 0
    for position in range(8):
        counts = Counter(digests[position::8])
        for bit, bytes_with_bit in enumerate(_BYTES_WITH_BIT):
            if 2 * sum(map(counts.__getitem__, bytes_with_bit)) > total:
                value |= 1 << (63 - (position * 8 + bit))
    return value


@dataclass(frozen=True)
class Fingerprint:
    """What is kept of a body to recognise its copies: never the text itself."""

    exact: str  # hex sha1 of the folded text
    simhash: int  # unsigned 64-bit SimHash

    def is_near(self, other: Fingerprint, max_distance: int = NEAR_DUPLICATE_DISTANCE) -> bool:
        """Whether ``other`` is a copy of the same story: the same text, or a few bits apart."""
        return self.exact == other.exact or hamming(self.simhash, other.simhash) <= max_distance

    def bands(self) -> tuple[int, int, int, int]:
        """The SimHash's four 16-bit slices, high to low.

        Hashes at most three bits apart differ in at most three slices, so
        they share at least one: a store indexes the slices to find
        candidates without comparing against every stored hash.
        """
        value = self.simhash
        return (value >> 48) & 0xFFFF, (value >> 32) & 0xFFFF, (value >> 16) & 0xFFFF, value & 0xFFFF


@lru_cache(maxsize=256)  # the dedupe and store stages ask for the same body in turn
def fingerprint(text: str) -> Fingerprint | None:
    """The fingerprint of an article body, or ``None`` when it is too short to judge.

    Both values are taken over the folded text with its spaces removed, and
    the SimHash over character 5-grams rather than word shingles: Persian
    copies differ most in spacing (مدت‌ها, مدت ها and مدتها are one word),
    which word shingles would count as different words, and one edited word
    moves a short body's word-shingle SimHash past three bits.
    """
    normalised = normalise_for_fingerprint(text)
    if len(normalised.split()) < MIN_WORDS:
        return None
    joined = normalised.replace(" ", "")
    return Fingerprint(exact=hashlib.sha1(joined.encode("utf-8")).hexdigest(), simhash=simhash(joined))
