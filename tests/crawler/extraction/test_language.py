"""The article's language from its declaration and its letters, on made-up texts."""

import time
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.extraction.language import (
    ENGLISH_WORDS,
    OTHER_WORDS,
    SAMPLE_CHARS,
    SCRIPTS,
    _occurrences,
    detect_language,
    normalize_tag,
    script_counts,
)

ZWNJ = "\u200c"
ENGLISH = (
    "The council said on Monday that it would vote on the budget for the coming year, and that the plan was "
    "ready. It added that the city had been waiting for this decision, which will be taken by the members."
)
FRENCH = (
    "Le conseil a annoncé lundi qu'il voterait le budget de l'année prochaine, et que le plan est prêt. "
    "Il a ajouté que la ville attendait cette décision depuis longtemps, avec les membres du conseil."
)
ARABIC = (
    "أعلن المجلس يوم الاثنين أنه سيصوت على الميزانية في العام المقبل، وأن الخطة التي أعدتها اللجنة جاهزة. "
    "وأضاف أن المدينة كانت تنتظر هذا القرار منذ فترة طويلة، وهو قرار مهم على صعيد الخدمات العامة."
)
PERSIAN = (
    f"شورای شهر روز دوشنبه اعلام کرد که بودجه سال آینده را به رأی می{ZWNJ}گذارد و این برنامه آماده است. "
    f"وی افزود که شهر مدت{ZWNJ}هاست منتظر این تصمیم بوده و اعضای شورا برای آن جلسه{ZWNJ}ای برگزار کرده{ZWNJ}اند."
)
URDU = (
    "کونسل نے پیر کے روز کہا کہ وہ اگلے سال کے بجٹ پر ووٹ دے گی اور یہ منصوبہ تیار ہے۔ "
    "انہوں نے مزید کہا کہ شہر کافی عرصے سے اس فیصلے کا انتظار کر رہا تھا۔"
)
HEBREW = "מועצת העיר הודיעה ביום שני כי תצביע על התקציב לשנה הבאה, וכי התוכנית מוכנה לדיון."
RUSSIAN = "Городской совет объявил в понедельник, что проголосует за бюджет на следующий год, и план уже готов."
UKRAINIAN = (
    "Міська рада оголосила в понеділок, що проголосує за бюджет на наступний рік, і план її вже готовий. Є рішення."
)
GREEK = "Το δημοτικό συμβούλιο ανακοίνωσε τη Δευτέρα ότι θα ψηφίσει τον προϋπολογισμό για το επόμενο έτος."
CHINESE = "市议会周一宣布，将对明年的预算进行投票，该计划已经准备就绪。市民们一直在等待这个决定。"
JAPANESE = "市議会は月曜日、来年度の予算について投票すると発表し、計画はすでに準備ができていると述べました。"
KOREAN = "시의회는 월요일 내년 예산에 대해 투표할 것이라고 발표했으며 계획은 이미 준비되었다고 밝혔다."


def test_arabic_page_declared_english_is_arabic() -> None:
    assert detect_language("en-US", ARABIC) == "ar"


def test_persian_page_without_a_declaration_is_persian() -> None:
    assert detect_language(None, PERSIAN) == "fa"


def test_english_page_without_a_declaration_is_english() -> None:
    assert detect_language(None, ENGLISH) == "en"


def test_french_page_declared_french_stays_french() -> None:
    assert detect_language("fr", FRENCH) == "fr"


def test_latin_script_text_of_another_language_is_not_guessed_english() -> None:
    assert detect_language(None, FRENCH) is None
    assert detect_language("", FRENCH) is None
    german = (
        "Der Stadtrat hat am Montag angekündigt, dass er über den Haushalt für das kommende Jahr abstimmen wird, "
        "und der Plan ist fertig. Es war eine lange Sitzung, an der alle teilnahmen, die eingeladen waren."
    )
    dutch = (
        "De gemeenteraad heeft maandag aangekondigd dat hij over de begroting voor het komende jaar zal stemmen, "
        "en het plan is klaar. Het was een lange vergadering en iedereen was er."
    )
    assert detect_language(None, german) is None
    assert detect_language(None, dutch) is None


def test_a_latin_script_declaration_is_kept_on_latin_text() -> None:
    assert detect_language("en-GB", FRENCH) == "en"  # Latin script cannot contradict a Latin-script language
    assert detect_language("es", ENGLISH) == "es"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ARABIC, "ar"), (PERSIAN, "fa"), (URDU, "ur"), (HEBREW, "he"), (RUSSIAN, "ru"), (UKRAINIAN, "uk"),
        (GREEK, "el"), (CHINESE, "zh"), (JAPANESE, "ja"), (KOREAN, "ko"),
    ],
)  # fmt: skip
def test_the_script_names_the_language_when_nothing_is_declared(text: str, language: str) -> None:
    assert detect_language(None, text) == language
    assert detect_language("en", text) == language  # a contradicted declaration is replaced


def test_persian_text_with_arabic_keyboard_letters_is_still_persian() -> None:
    # Older Persian sites type the Arabic ي and ك; پ چ گ, the ZWNJ and Persian function words still tell.
    assert detect_language(None, PERSIAN.replace("ی", "ي").replace("ک", "ك")) == "fa"


def test_arabic_and_persian_declarations_overruled_only_by_clear_letters() -> None:
    assert detect_language("ar", PERSIAN) == "fa"
    assert detect_language("fa", ARABIC) == "ar"
    assert detect_language("fa", PERSIAN + " " + "قال الله تعالى في كتابه") == "fa"  # a quotation does not overrule


def test_a_declared_language_of_the_same_script_is_kept() -> None:
    assert detect_language("bg", RUSSIAN) == "bg"
    assert detect_language("ps", ARABIC) == "ps"
    assert (
        detect_language("sr", "Gradsko veće je u ponedeljak objavilo da će glasati o budžetu za narednu godinu.")
        == "sr"
    )


def test_mixed_text_keeps_the_declaration() -> None:
    assert detect_language("en", ENGLISH + " " + ARABIC[:120]) == "en"
    assert detect_language("ar", ARABIC + " " + ENGLISH[:150]) == "ar"


def test_too_little_text_keeps_the_declaration() -> None:
    assert detect_language("en-US", "مرحبا") == "en"
    assert detect_language(None, "") is None
    assert detect_language("fa-IR", "") == "fa"


def test_only_a_bounded_prefix_is_read() -> None:
    text = ENGLISH * (SAMPLE_CHARS // len(ENGLISH) + 1) + ARABIC * 50_000
    started = time.perf_counter()
    assert detect_language(None, text) == "en"
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    ("tag", "language"),
    [("en-US", "en"), ("EN_us", "en"), ("fa-IR", "fa"), ("zh-Hant-TW", "zh"), ("iw", "he"), ("per", "fa"),
     ("und", None), ("x-default", None), ("", None), (None, None), ("12", None)],
)  # fmt: skip
def test_normalize_tag(tag: str | None, language: str | None) -> None:
    assert normalize_tag(tag) == language


@pytest.mark.parametrize(
    "text", ["", ENGLISH, FRENCH, ARABIC, PERSIAN, URDU, HEBREW, ENGLISH + ARABIC, "ÀÖØöøɏḀỿ A-z 1\u00d7"]
)
def test_letters_are_counted_as_one_match_per_letter_counts_them(text: str) -> None:
    assert script_counts(text) == {script: len(pattern.findall(text)) for script, pattern in SCRIPTS.items()}


#: Letters of every script, ASCII and not, digits, punctuation, controls and a lone surrogate.
MIXED = list("aZ09 ,.’—éÀ×ÿɏḀỿ" + "بیאдα中か한कকதกაա" + "\x00\x7f\x80\ud800")


@given(st.text(st.sampled_from(MIXED)))
def test_any_text_is_counted_as_one_match_per_letter_counts_it(text: str) -> None:
    assert script_counts(text) == {script: len(pattern.findall(text)) for script, pattern in SCRIPTS.items()}


FUNCTION_WORDS = sorted(ENGLISH_WORDS.union(*OTHER_WORDS.values())) + ["council", "budget", "vote"]


@given(st.lists(st.sampled_from(FUNCTION_WORDS), max_size=60))
def test_function_words_counted_once_are_counted_per_occurrence(words: list[str]) -> None:
    frequencies = Counter(words)
    for vocabulary in (ENGLISH_WORDS, *OTHER_WORDS.values()):
        assert _occurrences(frequencies, vocabulary) == sum(word in vocabulary for word in words)
