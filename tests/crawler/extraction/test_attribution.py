import pytest

from crawler.extraction.attribution import attributed_source


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        ("به گزارش خبرگزاری مهر به نقل از اسپوتنیک، «سرگئی لاوروف» وزیر امور خارجه", "خبرگزاری مهر"),
        ("به گزارش ایسنا، وزیر امور خارجه گفت", "ایسنا"),
        ("به گزارش خبرنگار سیاسی ایرنا از تهران، جلسه برگزار شد", "خبرنگار سیاسی ایرنا"),
    ],
)
def test_the_crediting_agency_is_read_from_the_opening_sentence(sentence: str, source: str) -> None:
    assert attributed_source(sentence, "fa") == source


def test_no_credit_no_source() -> None:
    assert attributed_source("لاوروف گفت که ناتو ایده مشورت را دفن کرد.", "fa") is None
    assert attributed_source("به گزارش خبرگزاری مهر", "fa") is None  # no comma: not an opening credit
    assert attributed_source("By the agency's report, ...", "en") is None
