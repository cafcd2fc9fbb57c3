import pytest

from crawler.rules import SiteRules
from crawler.crawling.sites import UnknownSiteError, news_spiders, rules_for, rules_for_url
from crawler.crawling.spiders import NewsSpider


def test_spiders_are_found_in_the_spider_modules() -> None:
    assert "almayadeen" in news_spiders()
    assert rules_for("almayadeen").timezone == "Asia/Beirut"


def test_rules_by_url_host() -> None:
    rules = rules_for_url("https://english.almayadeen.net/news/politics/x")
    assert rules is not None and rules.site == "almayadeen"
    assert rules_for_url("https://elsewhere.example/news/politics/x") is None


def test_unknown_site_names_the_known_ones() -> None:
    with pytest.raises(UnknownSiteError, match="almayadeen"):
        rules_for("nosuchsite")


def test_a_spider_name_must_match_its_rules() -> None:
    with pytest.raises(TypeError, match="rules.site"):

        class Mismatched(NewsSpider):
            name = "one"
            rules = SiteRules(site="other", language="en", timezone="UTC")
