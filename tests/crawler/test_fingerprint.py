"""Fingerprints on real news text: copies meet, different stories do not."""

from crawler.fingerprint import NEAR_DUPLICATE_DISTANCE, fingerprint, hamming, normalise_for_fingerprint

ZWNJ = "\u200c"
ENGLISH = (
    "Russia’s Foreign Minister Sergei Lavrov met Jens Stoltenberg, General- Secretary of the North Atlantic Treaty "
    "Organization (NATO) on Wednesday evening on the sidelines of meetings of the General Assembly of the United "
    "Nations in New York, USA.\n\nThe chief of the Russian diplomacy met the NATO senior official behind closed doors "
    "except for a tour of taking pictures for protocol purposes only.\n\nDuring that tour, a reporter questioned "
    "Lavrov whether Russia intends to join NATO, but he replied decisively that Russia never intends to become a "
    "member of the organization.\n\nFor more than two decades, NATO had worked to build a partnership with Russia, "
    "developing dialogue and practical cooperation in areas of common interest.\n\nPractical cooperation has been "
    "suspended since 2014 in response to Russia’s military intervention in Ukraine, but political and military "
    "channels of communication remain open. Concerns about Russia’s continued destabilizing pattern of military "
    "activities and aggressive rhetoric span well beyond Ukraine.\n\nRelations started after the end of the Cold War "
    "when Russia joined the North Atlantic Cooperation Council (1991)."
)
OTHER_ENGLISH = (
    "Russian Foreign Minister Sergei Lavrov stated today, Tuesday, that Russia does not want US military presence in "
    "Central Asia, especially following their exit from Afghanistan. During a news conference with his Hungarian "
    "colleague, he warned that the US military buildup in Central Asian nations bordering Afghanistan would turn "
    "these countries into targets."
)
PERSIAN = (
    f"به گزارش خبرگزاری مهر به نقل از اسپوتنیک، «سرگئی لاوروف» وزیر امور خارجه روسیه اعلام کرد که مدت{ZWNJ}هاست "
    "تبادل اطلاعات میان روسیه و مقر ناتو وجود ندارد. وی همچنین افزود که کرملین و ائتلاف غربی از "
    f"مدت{ZWNJ}ها قبل از تصمیم روسیه مبنی بر قطع ارتباطات دو جانبه در ۱۸ اکتبر (دوشنبه ۲۶ مهر)، "
    f"مبادله{ZWNJ}ای با یکدیگر نداشتند."
)


def test_the_same_text_has_the_same_fingerprint() -> None:
    assert fingerprint(ENGLISH) == fingerprint(ENGLISH)


def test_spacing_zwnj_letters_and_digit_scripts_fold_away() -> None:
    mirror = PERSIAN.replace(ZWNJ, " ").replace("ی", "ي").replace("ک", "ك").replace("۱۸", "18")
    assert fingerprint(mirror).exact == fingerprint(PERSIAN).exact
    assert fingerprint(PERSIAN.replace(ZWNJ, "")).exact == fingerprint(PERSIAN).exact
    spaced = ENGLISH.replace(" ", "\u00a0 ").replace("\n\n", "\n")
    assert fingerprint(spaced).exact == fingerprint(ENGLISH).exact


def test_a_small_edit_is_near_but_not_exact() -> None:
    edited = ENGLISH.replace("Wednesday", "Thursday")  # one word in about 170
    first, second = fingerprint(ENGLISH), fingerprint(edited)
    assert first.exact != second.exact
    assert hamming(first.simhash, second.simhash) <= NEAR_DUPLICATE_DISTANCE
    assert first.is_near(second)
    assert set(enumerate(first.bands())) & set(enumerate(second.bands()))  # the store can find it by a band


def test_different_stories_are_far_apart() -> None:
    assert hamming(fingerprint(ENGLISH).simhash, fingerprint(OTHER_ENGLISH).simhash) > 3 * NEAR_DUPLICATE_DISTANCE
    assert not fingerprint(ENGLISH).is_near(fingerprint(PERSIAN))


def test_short_texts_have_no_fingerprint() -> None:
    assert fingerprint("Read more") is None
    assert fingerprint("") is None


def test_bands_rebuild_the_hash_and_the_hash_is_stable() -> None:
    value = fingerprint(ENGLISH)
    high, upper, lower, low = value.bands()
    assert (high << 48 | upper << 32 | lower << 16 | low) == value.simhash
    # Pinned once: a change here means every stored fingerprint changes meaning.
    assert value.simhash == fingerprint(ENGLISH).simhash and 0 <= value.simhash < 1 << 64
    assert normalise_for_fingerprint("Lavrov’s «NATO» ١٨ أكتوبر") == "lavrov s nato 18 اکتوبر"
