"""Deduplication with a real store file and real Arabic and Persian articles."""

from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import Article
from crawler.pipelines.dedupe import DeduplicatePipeline
from crawler.pipelines.store import StorePipeline

PERSIAN = (
    "به گزارش خبرگزاری مهر به نقل از اسپوتنیک، «سرگئی لاوروف» وزیر امور خارجه روسیه اعلام کرد که مدت‌هاست تبادل "
    "اطلاعات میان روسیه و مقر ناتو وجود ندارد.\n\nوی در این باره اظهار داشت که این ناتو بود که ایده مشورت با مسکو را "
    "«دفن» کرد. وی همچنین افزود که کرملین و ائتلاف غربی از مدت‌ها قبل از تصمیم روسیه مبنی بر قطع ارتباطات دو جانبه "
    "در ۱۸ اکتبر (دوشنبه ۲۶ مهر)، مبادله‌ای با یکدیگر نداشتند."
)
ARABIC = (
    "أعلن وزير الخارجية الروسي سيرغي لافروف إنهاء عمل بعثة بلاده لدى حلف شمال الأطلسي (الناتو) في الأول من "
    "نوفمبر/تشرين الثاني المقبل، مضيفا أن بلاده ستنهي عمل بعثة الحلف العسكرية لديها قريبا.\n\nوقال لافروف في "
    'تصريحات صحفية إنه "إثر بعض الإجراءات التي اتخذها حلف شمال الأطلسي، فإن الظروف الأساسية لعمل مشترك لم تعد متوفرة".'
)


def make_pipelines(store_path: Path) -> tuple[DeduplicatePipeline, StorePipeline]:
    crawler = get_crawler(settings_dict={"NEWS_STORE_PATH": str(store_path)})
    crawler.stats.open_spider()
    return DeduplicatePipeline.from_crawler(crawler), StorePipeline.from_crawler(crawler)


def through(pipelines: tuple[DeduplicatePipeline, StorePipeline], item: Article) -> Article:
    dedupe, store = pipelines
    return store.process_item(dedupe.process_item(item))


def article(url: str, body: str, language: str) -> Article:
    return Article(url=url, canonical_url=url, headline="h", body=body, language=language)


def test_the_same_canonical_url_twice_in_a_crawl_is_dropped(tmp_path: Path) -> None:
    pipelines = make_pipelines(tmp_path / "store.sqlite")
    through(pipelines, article("https://akhbar.example/news/a", ARABIC, "ar"))
    with pytest.raises(DropItem, match="duplicate_url"):
        through(pipelines, article("https://akhbar.example/news/a", ARABIC, "ar"))


def test_a_republished_copy_is_kept_and_linked_even_with_arabic_letters(tmp_path: Path) -> None:
    pipelines = make_pipelines(tmp_path / "store.sqlite")
    first = through(pipelines, article("https://khabar.example/news/1", PERSIAN, "fa"))
    mirror_text = PERSIAN.replace("ی", "ي").replace("ک", "ك").replace("\u200c", " ")
    copy = through(pipelines, article("https://mirror.example/news/2", mirror_text, "fa"))
    assert first.duplicate_of is None
    assert copy.duplicate_of == "https://khabar.example/news/1"
    other = through(pipelines, article("https://akhbar.example/news/b", ARABIC, "ar"))
    assert other.duplicate_of is None
    assert pipelines[0].crawler.stats.get_value("dedupe/linked") == 1


def test_copies_are_linked_across_crawls_through_the_store(tmp_path: Path) -> None:
    through(make_pipelines(tmp_path / "store.sqlite"), article("https://akhbar.example/news/a", ARABIC, "ar"))
    later = make_pipelines(tmp_path / "store.sqlite")  # a new crawl: nothing in memory, the file remembers
    edited = ARABIC.replace("قريبا", "قريبا جدا")
    copy = through(later, article("https://akhbar.example/news/old-layout", edited, "ar"))
    assert copy.duplicate_of == "https://akhbar.example/news/a"
    assert later[1].crawler.stats.get_value("store/new") == 1
