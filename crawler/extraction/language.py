"""The article's language: the page's declaration, checked against the letters of its text.

Declarations are often wrong in a way the text shows at once: a CMS template says ``lang="en-US"`` around
an Arabic article, a Persian site forgets ``lang`` altogether.  A declaration is trusted unless the text's
script contradicts it; then, or when nothing is declared, the language is read from the text:

* the script holding most letters of a bounded sample (:data:`SAMPLE_CHARS`) decides the family;
* Arabic script: Urdu by its own letters (ٹ ڈ ڑ ں ے), Persian by پ چ ژ گ, the Persian ک ی, the
  zero-width non-joiner and Persian function words, Arabic by ة ى, the Arabic ي ك and Arabic function
  words.  Between these three, letters that only one of them writes also overrule a declaration of
  another (a Persian text declared ``ar``), when they outweigh the declared one's clearly;
* Hebrew ``he``, Greek ``el``, Hangul ``ko``, Han with kana ``ja``, Han alone ``zh``; Cyrillic ``ru``
  unless letters only another language writes show it (ї є ґ Ukrainian, ў Belarusian, ...);
* Latin script: a declared Latin-script language is kept as it is (function words cannot tell Catalan
  from Spanish cheaply and safely); with none declared, ``en`` only when common English function words
  make up a good share of the words and far outnumber those of other major Latin-script languages,
  else ``None`` (no guess is better than a wrong one).

All codes are ISO 639-1, as the Article promises.  Work is bounded: only the first :data:`SAMPLE_CHARS`
characters are read, with a few compiled-regex passes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from crawler.text import word_set

#: How much of the text is read: enough letters to tell scripts and function words apart.
SAMPLE_CHARS = 5000
#: Fewer letters than this say nothing reliable about the script: the declaration stands.
MIN_LETTERS = 20
#: A declaration is contradicted when its scripts hold less than this share of the letters...
CONTRADICTED_SHARE = 0.25
#: ... and another script holds more than this share.
DOMINANT_SHARE = 0.5

_HAN = "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff"
_KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d"
_HANGUL = "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
#: Letters of each script (digits, punctuation and marks left out).
SCRIPTS: Mapping[str, re.Pattern[str]] = {
    "latin": re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"),
    "arabic": re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]"),
    "hebrew": re.compile(r"[\u05d0-\u05ea\u05f0-\u05f2\ufb1d-\ufb4f]"),
    "cyrillic": re.compile(r"[\u0400-\u0481\u048a-\u052f]"),
    "greek": re.compile(r"[\u0386-\u03ff\u1f00-\u1fff]"),
    # Han, kana and Hangul are one family: Japanese writes Han and kana, Korean sometimes Han.
    "cjk": re.compile(f"[{_HAN}{_KANA}{_HANGUL}]"),
    "devanagari": re.compile(r"[\u0900-\u0963\u0971-\u097f]"),
    "bengali": re.compile(r"[\u0980-\u09e3\u09f0-\u09f1]"),
    "tamil": re.compile(r"[\u0b80-\u0be5]"),
    "thai": re.compile(r"[\u0e01-\u0e4e]"),
    "georgian": re.compile(r"[\u10a0-\u10ff]"),
    "armenian": re.compile(r"[\u0531-\u0587]"),
}  # fmt: skip

#: Languages written in each non-Latin script, as ISO 639-1; the first is the script's default.
#: A language not listed is taken to be written in Latin script.  Some languages are written in two
#: scripts (Serbian, Kazakh, Uzbek, Kurdish, Azerbaijani): a declaration of them is kept on either.
SCRIPT_LANGUAGES: Mapping[str, tuple[str, ...]] = {
    "arabic": ("ar", "fa", "ur", "ps", "ku", "sd", "ug", "ks", "pa", "ms"),
    "hebrew": ("he", "yi"),
    "cyrillic": ("ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn", "uz", "az", "tt", "ba", "cv", "os"),
    "greek": ("el",),
    "cjk": ("zh", "ja", "ko"),
    "devanagari": ("hi", "mr", "ne", "sa"),
    "bengali": ("bn", "as"),
    "tamil": ("ta",),
    "thai": ("th",),
    "georgian": ("ka",),
    "armenian": ("hy",),
}
#: Languages also written in Latin script although listed above.
ALSO_LATIN = frozenset({"sr", "kk", "uz", "az", "ku", "tt", "ms"})
_NON_LATIN = {language for languages in SCRIPT_LANGUAGES.values() for language in languages} - ALSO_LATIN

#: Common ISO 639-2 and legacy codes seen in ``lang`` attributes, as ISO 639-1.
ALIASES: Mapping[str, str] = {
    "iw": "he", "ji": "yi", "in": "id", "eng": "en", "ara": "ar", "fas": "fa", "per": "fa", "urd": "ur",
    "heb": "he", "rus": "ru", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de", "spa": "es", "zho": "zh",
    "chi": "zh", "jpn": "ja", "kor": "ko", "ell": "el", "gre": "el", "ita": "it", "por": "pt", "tur": "tr",
}  # fmt: skip

# Arabic-script letters only one of Arabic, Persian and Urdu writes (the Persian ک ی and the Arabic ي ك
# are different code points: a text typed on one's keyboard shows its own).
_URDU_LETTERS = re.compile("[\u0679\u0688\u0691\u06ba\u06d2\u06be]")  # ٹ ڈ ڑ ں ے ھ
_PERSIAN_LETTERS = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc\u200c]")  # پ چ ژ گ ک ی ZWNJ
_ARABIC_LETTERS = re.compile("[\u0629\u0649\u064a\u0643]")  # ة ى ي ك
_ARABIC_WORD = r"[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u200c]+"
#: Function words only one of the two writes as a word of its own (either form of yeh and kaf).
_PERSIAN_WORDS = frozenset(
    {"است", "این", "را", "که", "برای", "می", "شده", "های", "یک", "آن", "شود", "کرد", "نیز", "اند", "از", "بود"}
)
_PERSIAN_WORDS |= {word.replace("ی", "ي").replace("ک", "ك") for word in _PERSIAN_WORDS}
_ARABIC_WORDS = frozenset(
    {"في", "التي", "الذي", "على", "إلى", "هذا", "هذه", "أن", "عن", "مع", "كان", "التى", "ذلك", "قد", "لم"}
)
#: A function word counts as this many letters of evidence.
WORD_WEIGHT = 3
#: Urdu's own letters make up at least this share of an Urdu text's letters (ے alone is several per cent).
URDU_SHARE = 0.02
#: One of Arabic and Persian overrules a declaration of the other when its evidence is this many times as much.
OVERRULE_RATIO = 3.0

_CYRILLIC_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("uk", re.compile("[їєґЇЄҐ]")),
    ("be", re.compile("[ўЎ]")),
    ("sr", re.compile("[ђћЂЋ]")),
    ("mk", re.compile("[ѓќѕЃЌЅ]")),
    ("kk", re.compile("[әғқңөұүһӘҒҚҢӨҰҮҺ]")),
)
#: Letters of another Cyrillic language than Russian needed before it is named (a quoted name has one or two).
CYRILLIC_MARKER_COUNT = 3

_LATIN_WORD = re.compile(r"[a-zà-öø-ÿ']+")
ENGLISH_WORDS = word_set(
    "the and of to that is was with for this are from have has it be by which you they we he she will would "
    "their been were an or not but at his her its who what"
)
#: Function words of other major Latin-script languages, none an English word.
OTHER_WORDS: Mapping[str, frozenset[str]] = {
    "fr": word_set("le les des et est une du dans pour pas qui sur au avec ce sont plus"),
    "de": word_set("der die und das ist nicht mit den sich des ein eine auf dem zu von"),
    "es": word_set("el los las y que del se por con una para es su al lo como"),
    "it": word_set("il di che è della per una non sono gli del alla si le"),
    "pt": word_set("o os da do que não em para com uma dos das se ao"),
    "nl": word_set("de het een van en niet dat op zijn voor met ook"),
}
#: English function words must be at least this share of the words ...
ENGLISH_SHARE = 0.08
#: ... and this many times as frequent as any other language's.
ENGLISH_LEAD = 3.0
#: Fewer words than this cannot show a language's function words.
MIN_WORDS = 20


def normalize_tag(declared: str | None) -> str | None:
    """``"en-US"``, ``"EN_us"`` -> ``"en"``; codes that name no language (``"und"``, ``"x-default"``) -> None."""
    if not declared:
        return None
    primary = declared.strip().replace("_", "-").split("-")[0].lower()
    primary = ALIASES.get(primary, primary)
    return primary if len(primary) == 2 and primary.isascii() and primary.isalpha() else None


def detect_language(declared: str | None, text: str) -> str | None:
    """The text's language, ISO 639-1: the declaration unless the text's letters contradict it.

    Why not always the declaration: templates declare one language for a site's every page, whatever
    an article is written in.  Why not always the text: a Latin-script text alone does not say which of
    dozens of languages it is, and the site usually knows.
    """
    language = normalize_tag(declared)
    sample = text[:SAMPLE_CHARS]
    counts = script_counts(sample)
    letters = sum(counts.values())
    if letters < MIN_LETTERS:
        return language
    script = max(counts, key=counts.__getitem__)
    if language is not None and _declared_share(language, counts) >= CONTRADICTED_SHARE * letters:
        if script == "arabic" and language in ("ar", "fa", "ur"):
            return _arabic_script_language(sample, counts["arabic"], declared=language)
        if script == "cjk" and language in ("zh", "ja", "ko"):
            return _cjk_language(sample)
        return language
    if counts[script] <= DOMINANT_SHARE * letters:
        return language  # mixed text: no script says enough to overrule (or replace) the site
    if script == "latin":
        return _english_or_none(sample)
    if script == "arabic":
        return _arabic_script_language(sample, counts["arabic"], declared=None)
    if script == "cjk":
        return _cjk_language(sample)
    if script == "cyrillic":
        return _cyrillic_language(sample)
    return SCRIPT_LANGUAGES[script][0]


#: The ASCII characters each script's letters include (only Latin's have any: A-Z and a-z).
_ASCII_LETTERS = {
    script: bytes(code for code in range(128) if pattern.match(chr(code))) for script, pattern in SCRIPTS.items()
}
_ASCII_BYTES = bytes(range(128))


def script_counts(text: str) -> dict[str, int]:
    """How many letters of each script the text holds: ``len(pattern.findall(text))`` for each of :data:`SCRIPTS`.

    Matching a letter at a time costs most where the letters are many: the Latin ones of a text in
    English.  ASCII letters are counted on the text's ASCII bytes instead (a C table lookup each),
    and the patterns read only what is left (an English text's curly quotes and dashes).  A text mostly
    in other scripts is counted by :func:`_counts_by_character`.
    """
    ascii_part = text.encode("ascii", "ignore")
    if len(ascii_part) * 2 < len(text):
        return _counts_by_character(text)
    rest = _non_ascii(text) if len(ascii_part) < len(text) else ""
    return {
        script: _count_bytes(ascii_part, _ASCII_LETTERS[script]) + (len(pattern.findall(rest)) if rest else 0)
        for script, pattern in SCRIPTS.items()
    }


def _non_ascii(text: str) -> str:
    """The text's non-ASCII characters, in order.

    Dropping the ASCII bytes of its UTF-8 leaves every other character's bytes whole (they are all
    0x80 and above): three C passes, 5 µs on a sample, where a regex collecting the runs of
    non-ASCII characters took 45 µs.  ``surrogatepass`` carries a lone surrogate through as it is.
    """
    return text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")


def _counts_by_character(text: str) -> dict[str, int]:
    """:func:`script_counts` of a text mostly in other scripts than Latin.

    Each distinct character is matched once, and counts as often as it occurs: an Arabic or Chinese
    sample holds a few dozen to a few hundred distinct characters in its thousands.  The twelve
    patterns reading all of it took 0.38 ms a sample on the benchmark's non-Latin pages, 0.24 ms so.
    """
    frequencies = Counter(text)
    distinct = "".join(frequencies)
    return {
        script: sum(frequencies[character] for character in pattern.findall(distinct))
        for script, pattern in SCRIPTS.items()
    }


def _count_bytes(data: bytes, members: bytes) -> int:
    """How many of the bytes are among ``members``."""
    return len(data) - len(data.translate(None, members)) if members else 0


def _declared_share(language: str, counts: Mapping[str, int]) -> int:
    """How many letters of the sample are in a script the declared language is written in."""
    scripts = [script for script, languages in SCRIPT_LANGUAGES.items() if language in languages]
    if language not in _NON_LATIN:
        scripts.append("latin")
    return sum(counts[script] for script in scripts)


def _arabic_script_language(sample: str, letters: int, declared: str | None) -> str:
    """Arabic, Persian or Urdu, by the letters and words only one of them writes."""
    if len(_URDU_LETTERS.findall(sample)) >= max(URDU_SHARE * letters, 3):
        return "ur"
    words = re.findall(_ARABIC_WORD, sample)
    persian = len(_PERSIAN_LETTERS.findall(sample)) + WORD_WEIGHT * sum(word in _PERSIAN_WORDS for word in words)
    arabic = len(_ARABIC_LETTERS.findall(sample)) + WORD_WEIGHT * sum(word in _ARABIC_WORDS for word in words)
    if declared == "fa":
        return "ar" if arabic > OVERRULE_RATIO * persian else "fa"
    if declared == "ar":
        return "fa" if persian > OVERRULE_RATIO * arabic else "ar"
    if declared == "ur":
        return "ur"  # a short Urdu text may show few of its own letters; nothing here says otherwise
    return "fa" if persian > arabic else "ar"


def _cjk_language(sample: str) -> str:
    """Korean writes Hangul, Japanese kana beside its Han; Chinese only Han."""
    hangul = len(re.findall(f"[{_HANGUL}]", sample))
    kana = len(re.findall(f"[{_KANA}]", sample))
    han = len(re.findall(f"[{_HAN}]", sample))
    if hangul > kana and hangul >= han:
        return "ko"
    # Japanese running text is a third or more kana; a Chinese text quoting a Japanese name has a few.
    return "ja" if kana >= 0.1 * (kana + han) else "zh"


def _cyrillic_language(sample: str) -> str:
    for language, pattern in _CYRILLIC_MARKERS:
        if len(pattern.findall(sample)) >= CYRILLIC_MARKER_COUNT:
            return language
    return "ru"


def _english_or_none(sample: str) -> str | None:
    """``en`` when English function words dominate the words, else None (one Latin-script language of many)."""
    words = _LATIN_WORD.findall(sample.lower())
    if len(words) < MIN_WORDS:
        return None
    # Counted once, then looked up per vocabulary: reading the words once for each
    # of the seven took 0.25 ms, counting them once 0.05 ms.
    frequencies = Counter(words)
    english = _occurrences(frequencies, ENGLISH_WORDS)
    other = max(_occurrences(frequencies, vocabulary) for vocabulary in OTHER_WORDS.values())
    if english >= ENGLISH_SHARE * len(words) and english >= ENGLISH_LEAD * other:
        return "en"
    return None


def _occurrences(frequencies: Counter[str], vocabulary: frozenset[str]) -> int:
    """How many of the counted words are in ``vocabulary``."""
    return sum(frequencies[word] for word in vocabulary & frequencies.keys())
