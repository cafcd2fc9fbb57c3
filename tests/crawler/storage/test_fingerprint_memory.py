"""A body near DOWNLOAD_MAXSIZE is fingerprinted in memory proportional to it, to the same values as ever.

Stored SimHashes and exact values must keep their meaning, so the streaming
code is compared with the first implementation, kept here as the reference,
on many texts: short ones, lengths around the chunk sizes, and characters
whose folding is hard (ligatures, compositions, case folds to several
characters, marks after a space), with small chunks so that every text is
cut many times.
"""

from __future__ import annotations

import hashlib
import random
import re
import subprocess
import sys
import tracemalloc
import unicodedata
from collections import Counter

import pytest

import crawler.storage.fingerprint as fingerprints
from crawler.storage.fingerprint import (
    _FOLD,
    MIN_WORDS,
    SHINGLE_CHARS,
    Fingerprint,
    fingerprint,
    normalise_for_fingerprint,
    simhash,
)
from tests.crawler.storage.test_fingerprint import ARABIC, ENGLISH, PERSIAN
from tests.crawling import ROOT
from tests.needs import unless

# -- the reference: the first implementation, a whole list of shingles and of words ---------------------------

_BYTES_WITH_BIT = tuple(tuple(byte for byte in range(256) if byte >> (7 - bit) & 1) for bit in range(8))


def reference_normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text.casefold()).translate(_FOLD)
    return " ".join(re.findall(r"\w+", folded))


def reference_simhash(text: str) -> int:
    shingles = [text[index : index + 5] for index in range(max(1, len(text) - 5 + 1))]
    digests = b"".join(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest() for shingle in shingles)
    total, value = len(shingles), 0
    for position in range(8):
        counts = Counter(digests[position::8])
        for bit, bytes_with_bit in enumerate(_BYTES_WITH_BIT):
            if 2 * sum(map(counts.__getitem__, bytes_with_bit)) > total:
                value |= 1 << (63 - (position * 8 + bit))
    return value


def reference_fingerprint(text: str) -> tuple[str, int] | None:
    normalised = reference_normalise(text)
    if len(normalised.split()) < MIN_WORDS:
        return None
    joined = normalised.replace(" ", "")
    return hashlib.sha1(joined.encode("utf-8")).hexdigest(), reference_simhash(joined)


def as_tuple(value: Fingerprint | None) -> tuple[str, int] | None:
    return None if value is None else (value.exact, value.simhash)


# -- texts --------------------------------------------------------------------------------------------------

BODIES = (ENGLISH, ARABIC, PERSIAN)
# Characters whose folding is not one character to itself, and the spaces and marks around which text is cut.
HARD = (
    " ", " ", " ", "  ", "\n", "\n\n", "\u00a0", "\u3000", "\u200c", "\u200d", "\u0640", "_", ".", "«", "’",
    "\u0301", "\u0308", "\u0651", "\u064b", "\u0670", "A\u030a", "\u00c5", "\u212b", "e\u0301", "\u1100\u1161\u11a8",
    "\u1100", "\u1161", "\u11a8", "\ufb01", "\ufefb", "\ufdfa", "\u00df", "\u0130", "\u03a3", "\u03c2", "\u1e9e",
    "ي", "ك", "ة", "أ", "ۀ", "ی", "۲", "٣", "²", "½", "Ⅻ", "ｆｕｌｌ", "\U0001d400", "😀", "\u0345", "\u0399\u0308\u0301",
)  # fmt: skip


def random_text(generator: random.Random, length: int) -> str:
    pieces: list[str] = []
    while sum(map(len, pieces)) < length:
        kind = generator.random()
        if kind < 0.4:
            pieces.append(generator.choice(HARD))
        elif kind < 0.8:
            body = generator.choice(BODIES)
            start = generator.randrange(len(body))
            pieces.append(body[start : start + generator.randint(1, 12)])
        else:
            pieces.append(chr(generator.randint(0x20, 0x2FFF)))
    return "".join(pieces)[:length]


def texts(count: int, seed: int, longest: int) -> list[str]:
    generator = random.Random(seed)
    return [random_text(generator, generator.randint(0, longest)) for _ in range(count)]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few characters and shingles: every text is cut, most of them many times."""
    monkeypatch.setattr(fingerprints, "SHINGLES_PER_CHUNK", 7)
    monkeypatch.setattr(fingerprints, "NORMALISE_CHUNK_CHARS", 5)


# -- the same values ----------------------------------------------------------------------------------------


def test_short_texts_hash_as_before() -> None:
    for text in ("", "a", "ab", "abc", "abcd", "abcde", "abcdef", "سلام", "ß", "😀😀", "\u0301"):
        assert simhash(text) == reference_simhash(text), text


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
def test_every_length_around_the_chunk_boundaries_hashes_as_before(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(fingerprints, "SHINGLES_PER_CHUNK", chunk)
    text = normalise_for_fingerprint(ARABIC + ENGLISH).replace(" ", "")
    lengths = [*range(0, 3 * chunk + SHINGLE_CHARS + 3), 10 * chunk + SHINGLE_CHARS - 1, 10 * chunk + SHINGLE_CHARS]
    for length in lengths:
        assert simhash(text[:length]) == reference_simhash(text[:length]), length


def test_the_default_chunk_boundaries_hash_as_before() -> None:
    chunk = fingerprints.SHINGLES_PER_CHUNK
    text = normalise_for_fingerprint(" ".join(BODIES * (2 * chunk // len("".join(BODIES)) + 2))).replace(" ", "")
    for shingles in (chunk - 1, chunk, chunk + 1, 2 * chunk):
        length = shingles + SHINGLE_CHARS - 1
        assert simhash(text[:length]) == reference_simhash(text[:length]), shingles


@pytest.mark.usefixtures("small_chunks")
def test_random_texts_fold_and_hash_as_before() -> None:
    for text in texts(2000, seed=1, longest=60):
        assert normalise_for_fingerprint(text) == reference_normalise(text), ascii(text)
        assert simhash(text) == reference_simhash(text), ascii(text)


@pytest.mark.usefixtures("small_chunks")
def test_random_bodies_have_the_fingerprints_they_had() -> None:
    for text in texts(400, seed=2, longest=400):
        assert as_tuple(fingerprints._fingerprint(text)) == reference_fingerprint(text), ascii(text)


def test_article_bodies_have_the_fingerprints_they_had() -> None:
    for body in (*BODIES, "\n\n".join(BODIES) * 30):
        assert as_tuple(fingerprints._fingerprint(body)) == reference_fingerprint(body)
        assert normalise_for_fingerprint(body) == reference_normalise(body)


def test_a_long_text_without_spaces_is_one_piece_and_folds_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fingerprints, "NORMALISE_CHUNK_CHARS", 4)
    for text in ("\ufb01" * 50, "a" * 9 + " " + "\u0130" * 40 + " b", " " * 20, " x" * 20, "x " * 20):
        assert normalise_for_fingerprint(text) == reference_normalise(text)


# -- memory -------------------------------------------------------------------------------------------------

MEASURE = """
import resource, sys
from crawler.storage.fingerprint import fingerprint
from tests.crawler.storage.test_fingerprint import ARABIC, ENGLISH, PERSIAN

base = "\\n\\n".join((ENGLISH, ARABIC, PERSIAN))
text = (base * ({size} // len(base.encode()) + 1)).encode()[:{size}].decode("utf-8", "ignore")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert fingerprint(text) is not None
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) * 1024, sys.getsizeof(text))
"""


@unless(sys.platform == "linux", "ru_maxrss is in kilobytes on Linux")
def test_a_big_body_is_fingerprinted_in_memory_proportional_to_it() -> None:
    """A 2 MB body: a list of every shingle took over 100 times its size; now a few times at most."""
    size = 2_000_000
    result = subprocess.run([sys.executable, "-c", MEASURE.format(size=size)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=True)  # fmt: skip
    grown, text_size = map(int, result.stdout.split())
    assert grown < 10 * text_size, f"peak memory grew {grown:,} bytes for a {text_size:,}-byte text"


def test_folding_a_big_body_takes_a_few_copies_of_it() -> None:
    """2 M characters (4 MB): ``casefold`` of it whole reserved 12 bytes a character, ``findall`` a list of words."""
    text = ("\n\n".join(BODIES) * 200)[:2_000_000]
    tracemalloc.start()
    try:
        normalise_for_fingerprint(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * sys.getsizeof(text), f"{peak:,} bytes to fold a {sys.getsizeof(text):,}-byte text"


def test_the_cache_keeps_a_bounded_total_of_bodies() -> None:
    """Each cached fingerprint keeps its body alive: 256 bodies near DOWNLOAD_MAXSIZE would be gigabytes.

    The cache keeps at most 12 M characters of bodies (``CACHED_BODY_CHARS``): 12 MB of ASCII.
    """
    clear_cache()
    tracemalloc.start()
    try:
        for number in range(40):
            fingerprint(f"{number:08d}" + "x" * 1_000_000)  # one word: cheap to fingerprint (None), 1 MB to keep
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
        clear_cache()
    assert kept < 20_000_000, f"{kept:,} bytes kept after 40 bodies of 1 MB"


def clear_cache() -> None:
    if hasattr(fingerprint, "cache_clear"):  # the first code's functools.lru_cache
        fingerprint.cache_clear()
    else:
        fingerprints._recent.clear()


def test_a_cached_fingerprint_is_the_computed_one() -> None:
    clear_cache()
    for body in BODIES:
        assert fingerprint(body) is fingerprint(body) == fingerprints._fingerprint(body)
    assert fingerprint("too short") is None and fingerprint("too short") is None
