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
import threading
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

#: Hashes at most this many bits apart are copies of one story.
NEAR_DUPLICATE_DISTANCE = 3
#: Fewer words than this say too little to call two texts the same story.
MIN_WORDS = 20
#: Length of the character shingles the SimHash is taken over.
SHINGLE_CHARS = 5
#: Shingles hashed at a time: memory for the hashes is bounded by this, not by the text's length.
SHINGLES_PER_CHUNK = 1 << 15
#: Characters folded at a time by :func:`normalise_for_fingerprint` (cut before a space, so about this).
NORMALISE_CHUNK_CHARS = 1 << 16
#: Bodies whose fingerprints :func:`fingerprint` remembers: at most this many, of at most this many characters
#: in all (a little more than a body of DOWNLOAD_MAXSIZE's 10 MB, so that one is still fingerprinted once).
CACHED_BODIES = 256
CACHED_BODY_CHARS = 12_000_000

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
_NON_WORD_RE = re.compile(r"\W+")  # what lies between the words
_WORD_RE = re.compile(r"\S+")  # a word of the normalised text (where str.split() would cut it)
# For each bit of a byte (high first), the byte values that have it set.
_BYTES_WITH_BIT = tuple(tuple(byte for byte in range(256) if byte >> (7 - bit) & 1) for bit in range(8))


def normalise_for_fingerprint(text: str) -> str:
    """The text's words, folded so that a copy's incidental differences vanish.

    Case, compatibility forms (NBSP, Arabic presentation forms), the digit
    script, Arabic against Persian letter forms, hamza seats, tatweel,
    diacritics and zero-width joiners are what copies of one story differ in
    without saying anything else; punctuation and spacing go as well.  The
    result is only for comparing: it is never shown or stored as text.

    The text is folded a piece at a time, cut before a space: what a space
    is next to folds the same alone as in the whole text (no case fold,
    compatibility form or composition reaches across one), and the space
    itself goes between words.  So the result is that of the whole text at
    once, without its working copies: ``casefold`` alone reserves 12 bytes
    a character, a list of every word tens of bytes a word.
    """
    pieces = []
    for chunk in _cut_before_spaces(text, NORMALISE_CHUNK_CHARS):
        folded = unicodedata.normalize("NFKC", chunk.casefold()).translate(_FOLD)
        # The \w+ runs joined by one space: " ".join(re.findall(r"\w+", folded)) without a list of the words.
        if piece := _NON_WORD_RE.sub(" ", folded).strip(" "):
            pieces.append(piece)
    return " ".join(pieces)


def _cut_before_spaces(text: str, size: int) -> Iterator[str]:
    """``text`` in consecutive pieces of about ``size`` characters, each but the first starting with a space.

    A text without a space in a long stretch gives one longer piece there.
    """
    start = 0
    while len(text) - start > size:
        cut = text.rfind(" ", start + 1, start + size)
        if cut == -1:
            cut = text.find(" ", start + size)
            if cut == -1:
                break
        yield text[start:cut]
        start = cut
    yield text[start:]


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

    The shingles are hashed and counted ``SHINGLES_PER_CHUNK`` at a time, so
    memory stays a few megabytes whatever the text's length: a list of every
    shingle of a 10 MB body would take over a gigabyte.  A text shorter than
    a shingle is one shingle, itself (the empty text too).
    """
    total = max(1, len(text) - SHINGLE_CHARS + 1)
    counts: list[Counter[int]] = [Counter() for _ in range(8)]  # per byte position of the digests: each value's count
    blake2b = hashlib.blake2b
    for start in range(0, total, SHINGLES_PER_CHUNK):
        digests = b"".join(
            [
                blake2b(text[index : index + SHINGLE_CHARS].encode("utf-8"), digest_size=8).digest()
                for index in range(start, min(start + SHINGLES_PER_CHUNK, total))
            ]
        )
        for position, position_counts in enumerate(counts):
            position_counts.update(digests[position::8])
    value = 0
    for position, position_counts in enumerate(counts):
        by_byte = [0] * 256  # a list, not the Counter: a byte value never seen would cost a Python __missing__ call
        for byte, count in position_counts.items():
            by_byte[byte] = count
        for bit, bytes_with_bit in enumerate(_BYTES_WITH_BIT):
            if 2 * sum(map(by_byte.__getitem__, bytes_with_bit)) > total:
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


class _RecentFingerprints:
    """The fingerprints of the last bodies asked for: the dedupe and store stages ask for the same body in turn.

    Bounded by count and by the bodies' total length: each entry keeps its
    body alive as the key, and 256 bodies near ``DOWNLOAD_MAXSIZE`` would
    be gigabytes.  A body longer than the whole budget is not kept.
    """

    def __init__(self, max_entries: int, max_chars: int) -> None:
        self.max_entries, self.max_chars = max_entries, max_chars
        self._entries: OrderedDict[str, Fingerprint | None] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, text: str) -> Fingerprint | None:
        with self._lock:
            if text in self._entries:
                self._entries.move_to_end(text)
                return self._entries[text]
        value = _fingerprint(text)
        if len(text) <= self.max_chars:
            with self._lock:
                if text not in self._entries:
                    self._entries[text] = value
                    self._chars += len(text)
                while len(self._entries) > self.max_entries or self._chars > self.max_chars:
                    self._chars -= len(self._entries.popitem(last=False)[0])
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._chars = 0


_recent = _RecentFingerprints(max_entries=CACHED_BODIES, max_chars=CACHED_BODY_CHARS)


def fingerprint(text: str) -> Fingerprint | None:
    """The fingerprint of an article body, or ``None`` when it is too short to judge.

    Both values are taken over the folded text with its spaces removed, and
    the SimHash over character 5-grams rather than word shingles: Persian
    copies differ most in spacing (مدت‌ها, مدت ها and مدتها are one word),
    which word shingles would count as different words, and one edited word
    moves a short body's word-shingle SimHash past three bits.  The last
    few bodies' fingerprints are remembered (see ``CACHED_BODIES``).
    """
    return _recent.get(text)


def _fingerprint(text: str) -> Fingerprint | None:
    """:func:`fingerprint`, always computed."""
    normalised = normalise_for_fingerprint(text)
    if sum(1 for _ in islice(_WORD_RE.finditer(normalised), MIN_WORDS)) < MIN_WORDS:  # len(split()), stopping early
        return None
    joined = normalised.replace(" ", "")
    del normalised
    exact = hashlib.sha1()
    for start in range(0, len(joined), NORMALISE_CHUNK_CHARS):  # not a second whole copy, encoded
        exact.update(joined[start : start + NORMALISE_CHUNK_CHARS].encode("utf-8"))
    return Fingerprint(exact=exact.hexdigest(), simhash=simhash(joined))
