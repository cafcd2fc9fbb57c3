"""Fingerprints on real news text: copies of one story meet, different stories do not.

The bodies are paragraphs of real articles (an Egyptian site in English, Al
Jazeera in Arabic, a Persian aggregator's copy of a Mehr report), as the
extractor returns them: paragraphs joined by blank lines.
"""

import hashlib

from crawler.storage.fingerprint import (
    MIN_WORDS,
    NEAR_DUPLICATE_DISTANCE,
    Fingerprint,
    _fingerprint,
    fingerprint,
    hamming,
    normalise_for_fingerprint,
    simhash,
)

ZWNJ = "\u200c"
NBSP = "\u00a0"

ENGLISH = "\n\n".join(
    (
        "Russia’s Foreign Minister Sergei Lavrov met Jens Stoltenberg, General- Secretary of the North Atlantic "
        "Treaty Organization (NATO) on Wednesday evening on the sidelines of meetings of the General Assembly of "
        "the\xa0 United Nations in New York, USA.",
        "The chief of the Russian diplomacy met the NATO senior official behind closed doors except for a tour of "
        "taking pictures for protocol purposes only.",
        "During that tour, a reporter questioned Lavrov whether Russia intends to join NATO, but he replied "
        "decisively that Russia never intends to become a member of the organization.",
        "For more than two decades, NATO had worked to build a partnership with Russia, developing dialogue and "
        "practical cooperation in areas of common interest.",
        "Practical cooperation has been suspended since 2014 in response to Russia’s military intervention in "
        "Ukraine, but political and military channels of communication remain open. Concerns about Russia’s "
        "continued destabilizing pattern of military activities and aggressive rhetoric span well beyond Ukraine.",
        "Relations started after the end of the Cold War when Russia joined the North Atlantic Cooperation Council "
        "(1991).",
        "This forum for dialogue was succeeded in 1997 by the Euro-Atlantic Partnership Council, which brings "
        "together all Allies and partner countries in the Euro-Atlantic area.",
        "Practical cooperation started after Russia joined the Partnership for Peace program \xa0(1994) and deployed "
        "peacekeepers in support of NATO-led peace-support operations in the Western Balkans in the late 1990s.",
        "The 1997 NATO-Russia Founding Act provided the formal basis for bilateral relations.",
        "Dialogue and cooperation were strengthened in 2002 with the establishment of the NATO-Russia Council (NRC)"
        " to serve as a forum for consultation on current security issues and to direct practical cooperation in a "
        "wide range of areas.",
        "Russia's disproportionate military action in Georgia in August 2008 led to the suspension of formal "
        "meetings of the NRC and cooperation in some areas, until spring 2009. The Allies continue to call on "
        "Russia to reverse its recognition of the Georgian regions of Abkhazia and South Ossetia as independent "
        "states.",
        "All practical civilian and military cooperation under the NRC with Russia has been suspended since April "
        "2014, in response to Russia’s military intervention and aggressive actions in Ukraine, and its illegal and"
        " illegitimate annexation of Crimea, which Allies condemn in the strongest terms.",
        "While NATO stands by its international commitments, Russia has breached the values, principles, and "
        "commitments that underpin the NATO-Russia relationship, as outlined in the 1997 Basic Document of the "
        "Euro-Atlantic Partnership Council, the 1997 NATO-Russia Founding Act, and 2002 Rome Declaration, has "
        "broken the trust at the core of our cooperation and has challenged the fundamental principles of the "
        "global and Euro-Atlantic security architecture. Yet, channels of political and military communication "
        "remain open to exchange information on issues of mutual interest and concern, reduce misunderstandings and"
        " increase predictability.",
        "Allies’ concerns about Russia’s destabilizing actions and policies go beyond Ukraine. They include "
        "provocative military activities near NATO’s borders stretching from the Baltic to the Black Sea; "
        "irresponsible and aggressive nuclear rhetoric, military posture, and underlying posture; and the nerve "
        "agent attack in the United Kingdom in March 2018, which was a clear breach of international norms.",
        "On 2 August 2019, the North Atlantic Council issued a statement supporting the United States decision to "
        "withdraw from the Intermediate-Range Nuclear Forces (INF) Treaty in response to Russia’s material breach "
        "of the Treaty. The Allies regret that Russia has shown no willingness and has taken no steps to comply "
        "with its international obligations. NATO will respond in a measured and responsible way to the significant"
        " risks posed by Russia’s SSC-8 system. At the same time, Allies are firmly committed to the preservation "
        "of effective international arms control, disarmament, and non-proliferation.",
        "NATO has responded to this changed security environment by enhancing its deterrence and defense posture, "
        "while remaining open to periodic, focused, and meaningful dialogue with Russia. The Alliance does not seek"
        " confrontation and poses no threat to Russia.",
        "In September 2020, Allies condemned in the strongest terms the nerve gas attack on Russian opposition "
        "figure Alexei Navalny.",
    )
)

ARABIC = "\n\n".join(
    (
        "أعلن وزير الخارجية الروسي سيرغي لافروف إنهاء عمل بعثة بلاده لدى حلف شمال الأطلسي (الناتو) في الأول من "
        "نوفمبر/تشرين الثاني المقبل، مضيفا أن بلاده ستنهي عمل بعثة الحلف العسكرية لديها قريبا.",
        'وقال لافروف في تصريحات صحفية إنه "إثر بعض الإجراءات التي اتخذها حلف شمال الأطلسي، فإن الظروف الأساسية لعمل'
        ' مشترك لم تعد متوفرة".',
        "وأكد الوزير الروسي عدم وجود أي اتصالات عسكرية مع الحلف، مشيرا إلى أن الناتو لم يوضح أسباب سحب اعتماد "
        "الدبلوماسيين الروس لديه.",
        'وأضاف "إذا كان لدى أعضاء الناتو أي مسائل عاجلة، فيمكنهم الاتصال بسفيرنا في بلجيكا، الذي يقوم بتسيير '
        'العلاقات الثنائية بين روسيا ومملكة بلجيكا بشأن هذه القضايا".',
        "أنشطة خبيثة",
        "وكان الناتو قد سحب اعتماد 8 روس في بروكسل في السادس من أكتوبر/ تشرين الأول الجاري، وأرجع ذلك إلى كونهم "
        '"رجال استخبارات لم يعلن عنهم".',
        "وأوضح الناتو في ذلك الوقت أنه سوف يتم خفض الحد الأقصى لعدد الموظفين بوفد الناتو في موسكو من 20 إلى 10 بسبب"
        " التجسس المشتبه به.",
        "وقال الأمين العام لحلف الناتو ينس ستولتنبرغ في مؤتمر صحفي حينئذ إن طرد 8 دبلوماسيين روس من المعتمدين لدى "
        'الحلف ليس مرتبطا بحدث معين، ولكنه مرتبط ببقاء الحلف يقظا تجاه أنشطة موسكو "الخبيثة".',
        "وأوضح ستولتنبرغ أن أنشطة الدبلوماسيين الروس الثمانية لم تكن متوافقة مع المهمة الموكلة إليهم، وقد سحب الحلف"
        ' أمس الأربعاء أوراق اعتمادهم بشبهة التجسس، قائلا إنهم "ضباط استخبارات غير مصرح عنهم".',
        "وسبق أن ذكرت الخارجية الروسية أنها سترد على طرد دبلوماسييها من بعثتها لدى حلف الناتو، مضيفة أن قرار سحب "
        'اعتماد موظفي البعثة الدبلوماسية الروسية لدى الحلف "أدهشنا لكنه كان متوقعا".',
        "وقالت إن الناتو لم يقدم لها أي معطيات رسمية بشأن أسباب طرد الدبلوماسيين الروس من بروكسل حيث مقر حلف شمال "
        "الأطلسي.",
        'وصرح المتحدث باسم الكرملين ديمتري بيسكوف وقتئذ بأن قرار الناتو "يقوّض تماما آمال عودة العلاقات إلى '
        'طبيعتها، واستئناف الحوار مع التكتل".',
        'وأضاف المسؤول الروسي أن هناك "تناقضا في تصريحات مسؤولي الناتو بين رغبتهم في تطبيع العلاقات مع روسيا وما '
        'يفعلون".',
    )
)

PERSIAN = "\n\n".join(
    (
        "به گزارش خبرگزاری مهر به نقل از اسپوتنیک، «سرگئی لاوروف» وزیر امور خارجه روسیه اعلام کرد که مدت هاست تبادل"
        " اطلاعات میان روسیه و مقر ناتو وجود ندارد.",
        "وی در این باره اظهار داشت که این ناتو بود که ایده مشورت با مسکو را «دفن» کرد. وی همچنین افزود که کرملین و "
        "ائتلاف غربی از مدت ها قبل از تصمیم روسیه مبنی بر قطع ارتباطات دو جانبه در ۱۸ اکتبر (دوشنبه ۲۶ مهر)، مبادله"
        " ای با یکدیگر نداشتند.",
        "وزیر امور خارجه روسیه در این باره گفت: صحبت در مورد ناتو، من قبلا به شما گفتم که چگونه همه چیز شروع شد و "
        "چگونه افراد در ناتو به سادگی قانون کلیدی را که اساس شورای ناتو و روسیه بود، به ویژه نیاز به مشاوره های "
        "فوری در شرایط بحرانی را دفن کردند و این روند به طور کلی ادامه دارد.",
        "لاوروف در ادامه واکنش غرب به اعلام خاتمه قالب تماس دوجانبه را مورد انتقاد قرار داد و آن را تلاشی برای "
        "تقصیر را به گردن دیگری انداختن و نشانه فقدان «فرهنگ دیپلماتیک» خواند.",
        "وی در ادامه گفت که چنانچه ناتو می خواهد این روابط دوجانبه را اصلاح کند، باید اولین گام را بردارد.",
        "لاوروف در این باره گفت: بله، موضع ما از این واقعیت ناشی می شود که ما هرگز شروع به خراب کردن روابط نکرده "
        "ایم. نه با ناتو، نه با اتحادیه اروپا و نه با هیچ کشوری از نیمکره غربی یا هر منطقه دیگر.",
        "همزمان «دیمیتری پسکوف» سخنگوی کاخ کرملین نیز در این باره اعلام کرد: وضعیتی که عملا و به طور غیر رسمی وجود "
        "داشت، اکنون رسما قانونی شده است. هیچ رابطه ای (بین روسیه و ناتو) وجود نداشت. ما از این مسئله آسیب نخواهیم "
        "دید.",
        "وزیر خارجه روسیه روز گذشته عملیات تعلیق هیئت نمایندگی دائمی این کشور در ناتو و همچنین فعالیت های هیئت "
        "نمایندگی رابط نظامی ناتو و دفتر اطلاعات ناتو در مسکو را اعلام کرده بود.",
    )
)

OTHER_ENGLISH = "\n\n".join(
    (
        'Russian Foreign Minister Sergei Lavrov stated today, Tuesday, that "Russia does not want US military '
        'presence in Central Asia, especially following their exit from Afghanistan."',
        'During a news conference with his Hungarian colleague, he warned that "The US military buildup in Central '
        'Asian nations bordering Afghanistan would turn these countries into targets," adding, "I will explain it '
        "simply, we have a common security area, and this region has its own duties.\" I'm referring to the "
        "Collective Security Treaty Organization, which requires all Allies to agree on matters concerning the "
        "deployment of foreign armed forces on their land.",
        "The major reason for Russia's aversion to seeing American forces in the region, according to Lavrov, is "
        "the US military's desire to put part of its infrastructure, weapons, and personnel on the territory of "
        "nations bordering Afghanistan in order to conduct future strikes on Afghan soil.",
        "Lavrov detailed Russia's willingness to cooperate with the UN Security Council on Afghanistan, as well as "
        "engage in meetings with the UN Security Council's five permanent members on the situation.",
        'He also stated that "Russia has talked with the United States, China, and Pakistan on the situation in '
        'Afghanistan," and that "the members of the enlarged Troika on Afghanistan are willing to continue working '
        'in this format."',
        'It is worth mentioning that the Russian Foreign Ministry announced on August 17 that "Russia is satisfied '
        'with the peaceful transition of power in Afghanistan."',
    )
)


def with_zwnj(text: str) -> str:
    """The Persian text as Mehr spelled it: the aggregator writes spaces where Mehr wrote non-joiners."""
    for spaced in ("مدت ها", "مبادله ای", "مشاوره های", "می خواهد", "می شود", "نکرده ایم", "رابطه ای", "فعالیت های"):
        assert spaced in text
        text = text.replace(spaced, spaced.replace(" ", ZWNJ))
    return text


PERSIAN_WITH_ZWNJ = with_zwnj(PERSIAN)


def distance(first: str, second: str) -> int:
    return hamming(fingerprint(first).simhash, fingerprint(second).simhash)


def share_a_band(first: Fingerprint, second: Fingerprint) -> bool:
    return bool(set(enumerate(first.bands())) & set(enumerate(second.bands())))


def test_the_same_text_has_the_same_fingerprint() -> None:
    for body in (ENGLISH, ARABIC, PERSIAN):
        assert fingerprint(body) == _fingerprint(body)  # computed again, not from the cache
        assert fingerprint(body).is_near(fingerprint(body))


def test_whitespace_and_nbsp_fold_away() -> None:
    reflowed = " ".join(ENGLISH.split()).replace(" the ", f"  the{NBSP}")
    assert reflowed != ENGLISH
    assert fingerprint(reflowed).exact == fingerprint(ENGLISH).exact
    one_paragraph = ARABIC.replace("\n\n", "\n")
    assert fingerprint(one_paragraph).exact == fingerprint(ARABIC).exact


def test_zwnj_spaced_and_joined_persian_words_are_the_same_text() -> None:
    original = fingerprint(PERSIAN_WITH_ZWNJ)
    assert fingerprint(PERSIAN).exact == original.exact  # the aggregator's spaces
    assert fingerprint(PERSIAN_WITH_ZWNJ.replace(ZWNJ, "")).exact == original.exact  # joiners dropped


def test_arabic_letter_forms_and_digit_scripts_fold_away() -> None:
    arabic_letters = PERSIAN_WITH_ZWNJ.replace("ی", "ي").replace("ک", "ك")
    arabic_digits = PERSIAN_WITH_ZWNJ.replace("۱۸", "١٨").replace("۲۶", "٢٦")
    ascii_digits = PERSIAN_WITH_ZWNJ.replace("۱۸", "18").replace("۲۶", "26")
    for copy in (arabic_letters, arabic_digits, ascii_digits):
        assert copy != PERSIAN_WITH_ZWNJ
        assert fingerprint(copy).exact == fingerprint(PERSIAN_WITH_ZWNJ).exact


def test_hamza_seats_diacritics_and_tatweel_fold_away() -> None:
    plain = ARABIC.replace("أ", "ا").replace("إ", "ا").replace("ة", "ه")
    voweled = ARABIC.replace("وزير الخارجية", "وَزِيرُ الخَارِجِيَّةِ").replace("الناتو", "النـــاتو")
    for copy in (plain, voweled):
        assert copy != ARABIC
        assert fingerprint(copy).exact == fingerprint(ARABIC).exact


def test_the_article_text_is_not_changed() -> None:
    before = PERSIAN_WITH_ZWNJ
    fingerprint(PERSIAN_WITH_ZWNJ)
    assert before == PERSIAN_WITH_ZWNJ and ZWNJ in PERSIAN_WITH_ZWNJ


def test_one_changed_word_in_a_long_article_is_near_but_not_exact() -> None:
    copies = (
        (ENGLISH, ENGLISH.replace("Wednesday evening", "Thursday evening")),  # one word in about 660
        (ARABIC, ARABIC.replace("قريبا", "قريبا جدا")),  # one word added in about 310
        (PERSIAN, PERSIAN.replace("اسپوتنیک", "ریانووستی")),  # another agency named
    )
    for original, edited in copies:
        first, second = fingerprint(original), fingerprint(edited)
        assert first.exact != second.exact
        assert hamming(first.simhash, second.simhash) <= NEAR_DUPLICATE_DISTANCE
        assert first.is_near(second) and second.is_near(first)
        assert share_a_band(first, second)  # how a store finds it


def test_a_rewritten_sentence_in_a_long_article_is_near() -> None:
    # Measured, not guaranteed: dropping any one sentence of these 17 paragraphs moves the hash 0 to 5 bits,
    # so about a third of one-sentence edits fall past the threshold.  This rewrite moves it 2.
    sentence = (
        "The chief of the Russian diplomacy met the NATO senior official behind closed doors except for a tour of "
        "taking pictures for protocol purposes only."
    )
    rewritten = ENGLISH.replace(sentence, "The head of Russian diplomacy saw the senior NATO official in private.")
    assert rewritten != ENGLISH
    assert fingerprint(rewritten).exact != fingerprint(ENGLISH).exact
    assert distance(ENGLISH, rewritten) <= NEAR_DUPLICATE_DISTANCE < distance(ENGLISH, OTHER_ENGLISH)
    assert fingerprint(rewritten).is_near(fingerprint(ENGLISH))
    assert share_a_band(fingerprint(rewritten), fingerprint(ENGLISH))


def test_different_stories_are_far_apart() -> None:
    bodies = (ENGLISH, OTHER_ENGLISH, ARABIC, PERSIAN)
    for index, first in enumerate(bodies):
        for second in bodies[index + 1 :]:
            assert distance(first, second) > 5 * NEAR_DUPLICATE_DISTANCE
            assert not fingerprint(first).is_near(fingerprint(second))


def test_an_equal_exact_value_is_near_whatever_the_hash() -> None:
    assert Fingerprint("a" * 40, 0).is_near(Fingerprint("a" * 40, 2**64 - 1))
    assert not Fingerprint("a" * 40, 0).is_near(Fingerprint("b" * 40, 0b1111))
    assert Fingerprint("a" * 40, 0).is_near(Fingerprint("b" * 40, 0b1111), max_distance=4)


def test_short_texts_have_no_fingerprint() -> None:
    assert fingerprint("") is None
    assert fingerprint("Read more") is None
    assert fingerprint("المصدر : الجزيرة + وكالات") is None
    words = normalise_for_fingerprint(ENGLISH).split()
    assert fingerprint(" ".join(words[: MIN_WORDS - 1])) is None
    assert fingerprint(" ".join(words[:MIN_WORDS])) is not None
    assert fingerprint(" — ".join(["«»"] * 50)) is None  # punctuation is not words


def test_bands_rebuild_the_hash() -> None:
    for body in (ENGLISH, ARABIC, PERSIAN):
        value = fingerprint(body)
        assert 0 <= value.simhash < 2**64
        high, upper, lower, low = value.bands()
        assert all(0 <= band < 2**16 for band in value.bands())
        assert (high << 48 | upper << 32 | lower << 16 | low) == value.simhash


def test_the_simhash_is_the_plain_bit_vote() -> None:
    """The byte-counting shortcut gives what the textbook per-bit loop gives."""
    for body in (ENGLISH, ARABIC, PERSIAN):
        text = normalise_for_fingerprint(body).replace(" ", "")
        votes = [0] * 64
        for index in range(len(text) - 4):
            hashed = int.from_bytes(hashlib.blake2b(text[index : index + 5].encode(), digest_size=8).digest(), "big")
            for bit in range(64):
                votes[bit] += 1 if hashed >> bit & 1 else -1
        assert simhash(text) == sum(1 << bit for bit in range(64) if votes[bit] > 0)


def test_normalising() -> None:
    assert normalise_for_fingerprint("Lavrov’s «NATO»,\u00a0 ١٨ أكتوبر ۲۶ مهر") == "lavrov s nato 18 اکتوبر 26 مهر"
    assert normalise_for_fingerprint("مدت‌ها  مبادلهٔ الخَارِجِيَّةِ النـاتو مؤتمر آمال") == (
        "مدتها مبادله الخارجیه الناتو موتمر امال"
    )


def test_fingerprints_are_pinned() -> None:
    # Computed once: a change here means every stored fingerprint changes meaning.
    value = fingerprint(ENGLISH)
    assert value.exact == "045c6ce0e285c54fb0045faff55e4f3552cd291c"
    assert value.simhash == 0x3D0D35AB72FFFBC3
