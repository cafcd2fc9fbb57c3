from crawler.rules import SiteRules

RULES = SiteRules(
    site="example",
    language="ar",
    timezone="Asia/Qatar",
    article_urls=r"^/news/[^/]+/\d{4}/\d{1,2}/\d{1,2}/[^/]+$",
    url_rewrites=((r"^/amp/", "/"),),
)
ENCODED = "https://news.example/news/politics/2021/10/18/%D8%B1%D8%AF%D8%A7"


def test_every_spelling_of_an_article_url_meets_at_one() -> None:
    assert RULES.rewrite_url("https://news.example/news/politics/2021/10/18/ردا") == ENCODED
    assert RULES.rewrite_url("https://news.example/amp/news/politics/2021/10/18/ردا") == ENCODED
    assert RULES.rewrite_url(ENCODED) == ENCODED


def test_bare_strings_are_accepted_where_tuples_are_expected() -> None:
    rules = SiteRules(site="x", language="en", timezone="UTC", headline="h1", drop="div.ad")
    assert rules.headline == ("h1",) and rules.drop == ("div.ad",)
    assert RULES.is_article_url("/news/politics/2021/10/18/%D8%B1")
    assert not RULES.is_article_url("/news/politics")
