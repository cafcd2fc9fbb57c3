from crawler.items import Article
from crawler.pipelines.normalize import NormalizePipeline


def normalized(url: str, canonical: str | None) -> Article:
    return NormalizePipeline().process_item(Article(url=url, canonical_url=canonical))


def test_tracking_parameters_and_fragments_go() -> None:
    item = normalized("https://news.example/news/lavrov?utm_source=fb&fbclid=x&b=2&a=1#comments", None)
    assert item.url == "https://news.example/news/lavrov?a=1&b=2"
    assert item.canonical_url == item.url


def test_a_canonical_url_on_the_same_site_is_preferred() -> None:
    item = normalized("https://www.akhbar.example/amp/news/a", "https://akhbar.example/news/a?utm_medium=x")
    assert item.canonical_url == "https://akhbar.example/news/a"


def test_a_canonical_url_elsewhere_is_not_trusted() -> None:
    item = normalized("https://khabar.example/news/abc", "https://agency.example/news/5330000")
    assert item.canonical_url == "https://khabar.example/news/abc"


def test_unicode_paths_are_percent_encoded_once() -> None:
    item = normalized("https://akhbar.example/news/politics/2021/10/18/ردا", None)
    assert item.url == "https://akhbar.example/news/politics/2021/10/18/%D8%B1%D8%AF%D8%A7"
