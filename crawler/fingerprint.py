"""Body fingerprints: recognising one story republished at another URL.

Aggregators and mirrors copy agency text with small changes: other
whitespace, Arabic letters where Persian ones were (or the reverse), dropped
zero-width non-joiners, another script for digits, an edited sentence.  A
fingerprint is computed from a *folded* copy of the text, so these
differences vanish; the article's own text is never changed.

Two values: ``exact`` (equal after folding) and a 64-bit SimHash (a few
bits apart after a small edit).  Both are taken over the folded text *with
its spaces removed*, in character 5-grams: Persian copies differ most in
spacing (مدت‌ها, مدت ها and مدتها are one word), which word shingles would
count as different words.  A store finds candidates
by the four 16-bit bands of the SimHash: two hashes at most three bits apart
share at least one band.
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

# Folds for matching only: digits to ASCII, Arabic letter variants to one form.
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


def normalise_for_fingerprint(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text.casefold()).translate(_FOLD)
    return " ".join(_WORD_RE.findall(folded))


def hamming(first: int, second: int) -> int:
    return (first ^ second).bit_count()


SHINGLE_CHARS = 5


# For each bit of a byte (high first), the byte values that have it set.
_BYTES_WITH_BIT = tuple(tuple(byte for byte in range(256) if byte >> (7 - bit) & 1) for bit in range(8))


def simhash(text: str) -> int:
    """64-bit SimHash of the text's character shingles.

    Rather than testing 64 bits per shingle in Python, the shingles' 8-byte
    hashes are counted byte value by byte position (``Counter`` over a
    strided slice, in C), and each bit's majority is read off those counts.
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
    exact: str  # sha1 of the folded text
    simhash: int  # unsigned 64-bit

    def is_near(self, other: Fingerprint, max_distance: int = NEAR_DUPLICATE_DISTANCE) -> bool:
        return self.exact == other.exact or hamming(self.simhash, other.simhash) <= max_distance

    def bands(self) -> tuple[int, int, int, int]:
        """The SimHash's four 16-bit slices, high to low."""
        return tuple((self.simhash >> shift) & 0xFFFF for shift in (48, 32, 16, 0))  # type: ignore[return-value]


@lru_cache(maxsize=256)  # the dedupe and store stages ask for the same body in turn
def fingerprint(text: str) -> Fingerprint | None:
    """The fingerprint of an article body, or ``None`` when it is too short to judge."""
    normalised = normalise_for_fingerprint(text)
    if normalised.count(" ") + 1 < MIN_WORDS:
        return None
    joined = normalised.replace(" ", "")
    return Fingerprint(exact=hashlib.sha1(joined.encode("utf-8")).hexdigest(), simhash=simhash(joined))
