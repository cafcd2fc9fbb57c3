import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import Article
from crawler.pipelines.validate import RequiredFieldsPipeline


@pytest.fixture
def pipeline() -> RequiredFieldsPipeline:
    crawler = get_crawler(settings_dict={"NEWS_REQUIRED_FIELDS": ["headline", "body"]})
    crawler.stats.open_spider()
    return RequiredFieldsPipeline.from_crawler(crawler)


def test_complete_items_pass(pipeline: RequiredFieldsPipeline) -> None:
    article = Article(url="https://news.example/a", headline="H", body="B")
    assert pipeline.process_item(article) is article


@pytest.mark.parametrize(
    ("article", "reason"),
    [
        (Article(url="https://news.example/video", headline="A video", body=None), "missing_body"),
        (Article(url="https://news.example/x", headline="", body="text"), "missing_headline"),
        (Article(url="https://news.example/y"), "missing_headline"),
    ],
)
def test_drops_say_why_and_are_counted(pipeline: RequiredFieldsPipeline, article: Article, reason: str) -> None:
    with pytest.raises(DropItem, match=f"{reason}: {article.url}"):
        pipeline.process_item(article)
    assert pipeline.crawler.stats.get_value(f"item_dropped_reasons/{reason}") == 1
