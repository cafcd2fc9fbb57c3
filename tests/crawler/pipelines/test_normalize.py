from crawler.items import Article
from crawler.pipelines.normalize import NormalizePipeline
from crawler.urls import url_key


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


def test_url_keys_remembered_are_the_keys_computed() -> None:
    """``url_key`` remembers recent keys: the same answer as computing it, and no more than its bound."""
    from w3lib.url import canonicalize_url

    from crawler import urls

    spellings = [
        "https://news.example/a?b=2&a=1#top",
        "https://news.example/a?a=1&b=2&utm_source=x",
        "https://NEWS.example/%7Euser/p%20q?x=%D8%A8",
        "https://news.example/a?fbclid=1",
    ]
    for url in spellings * 2:
        assert urls.url_key(url) == canonicalize_url(urls.strip_tracking(url)) == urls.url_key.__wrapped__(url)
    for number in range(urls.CACHED_URL_KEYS + 50):
        urls.url_key(f"https://news.example/{number}")
    info = urls.url_key.cache_info()
    assert info.maxsize == urls.CACHED_URL_KEYS and info.currsize <= urls.CACHED_URL_KEYS


def test_a_page_naming_itself_gets_its_own_key_whatever_its_host() -> None:
    """``canonical_url == url``: one key for both, as when each was keyed (also where no host is read)."""
    for url in ["https://news.example/a?b=2&a=1&utm_medium=x", "file:///tmp/a?b=2&a=1"]:
        item = NormalizePipeline().process_item(Article(url=url, canonical_url=url))
        assert item.url == item.canonical_url == url_key(url)
