import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import Article
from crawler.pipelines.validate import ValidatePipeline
from tests.sites import KhabarSpider

BODY = "Russia’s Foreign Minister Sergei Lavrov met Jens Stoltenberg on the sidelines of the General Assembly. " * 3
PERSIAN_BODY = "به گزارش خبرگزاری مهر به نقل از اسپوتنیک، «سرگئی لاوروف» وزیر امور خارجه روسیه اعلام کرد. " * 3


@pytest.fixture
def pipeline() -> ValidatePipeline:
    crawler = get_crawler(KhabarSpider, settings_dict={"NEWS_MIN_BODY_CHARS": 100})
    crawler.stats.open_spider()
    crawler.spider = KhabarSpider.from_crawler(crawler)
    pipeline = ValidatePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def article(**fields: object) -> Article:
    values = {"url": "https://khabar.example/news/1", "headline": "لاوروف", "body": PERSIAN_BODY, "language": "fa"}
    return Article(**{**values, **fields})  # type: ignore[arg-type]


def test_a_good_item_passes_untouched(pipeline: ValidatePipeline) -> None:
    item = article(date_published="2021-10-19T15:44:00+03:30")
    assert pipeline.process_item(item) is item
    assert item.validation_messages == []


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"headline": None}, "missing_headline"),
        ({"body": None}, "missing_body"),
        ({"language": None}, "missing_language"),
        ({"body": "کوتاه"}, "body_too_short"),
        ({"headline": KhabarSpider.rules.site_name}, "headline_is_site_name"),
    ],
)
def test_fatal_problems_drop_with_a_counted_reason(pipeline: ValidatePipeline, fields: dict, reason: str) -> None:
    with pytest.raises(DropItem, match=reason):
        pipeline.process_item(article(**fields))
    assert pipeline.crawler.stats.get_value(f"item_dropped_reasons/{reason}") == 1


@pytest.mark.parametrize(
    ("fields", "check"),
    [
        ({"date_published": "2099-01-01T00:00:00+03:30"}, "date_out_of_range"),
        ({"date_published": "1989-12-31T23:00:00+03:30"}, "date_out_of_range"),
        ({"language": "en"}, "language_script_mismatch"),  # an Arabic-script body on an English site
        ({"language": "fa", "body": BODY}, "language_script_mismatch"),
    ],
)
def test_other_problems_are_kept_as_messages_and_counted(pipeline: ValidatePipeline, fields: dict, check: str) -> None:
    item = pipeline.process_item(article(**fields))
    assert [message.split(":")[0] for message in item.validation_messages] == [check]
    assert pipeline.crawler.stats.get_value(f"validation/{check}") == 1
