"""A site's quirks as methods of its page class: what they override, what they leave to the next source."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from crawler.crawling.sites import news_spiders
from crawler.extraction import extract, extract_with_provenance
from crawler.extraction.page import SitePage
from crawler.items import Image
from crawler.rules import SiteRules

URL = "https://daily.example/world/a-story"
PROSE = "The council met on Tuesday and agreed the plan after a long debate about the budget. " * 4
PAGE = (
    '<html lang="en"><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "From JSON-LD",'
    ' "identifier": "ld-1", "datePublished": "2021-10-18T09:00:00Z"}</script></head><body>'
    '<article id="post-4512"><h1 class="title">A headline about the council</h1>'
    '<span class="when">18 Oct 2021 16:51</span><figure class="lead"><img src="/lead.jpg" alt="The council hall"></figure>'
    f"<div class='body'><p>{PROSE}</p></div></article></body></html>"
)


class DailyPage(SitePage):
    def article_id(self) -> str | None:
        match = re.fullmatch(r"post-(\d+)", self.first("article::attr(id)") or "")
        return match.group(1) if match else None

    def date_published(self) -> str | None:
        return self.first("span.when")

    def main_image(self) -> Image | None:
        image = self.image("figure.lead")
        if image is not None:
            image.caption = self.first("figure.lead img::attr(alt)")
        return image


RULES = SiteRules(site="daily", language="en", timezone="Europe/London", headline="h1.title", body="div.body",
                  date_formats=("%d %b %Y %H:%M",), page=DailyPage)  # fmt: skip


def test_a_page_method_gives_its_field_as_a_selector_would() -> None:
    extraction = extract_with_provenance(PAGE, URL, RULES)
    article = extraction.article
    assert article.article_id == "4512" and extraction.provenance["article_id"] == "site"
    # A date's text, read with the rules' formats in the site's zone (London summer time).
    assert (article.date_published, article.date_published_raw) == ("2021-10-18T16:51:00+01:00", "18 Oct 2021 16:51")
    assert article.main_image == Image(
        url="https://daily.example/lead.jpg", caption="The council hall", alt="The council hall"
    )
    assert article.headline == "A headline about the council"  # selectors still serve the other fields


def test_a_method_that_finds_nothing_leaves_the_field_to_the_next_source() -> None:
    page = PAGE.replace('id="post-4512"', 'id="story"').replace('<span class="when">18 Oct 2021 16:51</span>', "")
    extraction = extract_with_provenance(page, URL, RULES)
    assert extraction.article.article_id == "ld-1" and extraction.provenance["article_id"] == "json_ld"
    assert extraction.article.date_published == "2021-10-18T10:00:00+01:00"  # JSON-LD's UTC, in London's zone


def test_only_the_fields_a_site_defines_are_its_own() -> None:
    assert DailyPage.given_fields() == ("article_id", "date_published", "main_image")  # in FIELDS order
    assert SitePage.given_fields() == ()
    assert extract(PAGE, URL, SiteRules(site="daily", language="en", timezone="Europe/London")).article_id == "ld-1"


def test_the_body_and_canonical_url_can_be_methods_too() -> None:
    class SplitPage(SitePage):
        def body(self) -> LexborNode | None:
            return self.node("div.second")  # the article's text is in the second of two look-alike blocks

        def canonical_url(self) -> str | None:
            return self.first("a.permalink::attr(href)")

    html = (
        "<html><body><h1>A headline</h1><div class='first'><p>Teaser text of another story.</p></div>"
        f"<div class='second'><p>{PROSE}</p></div><a class='permalink' href='/world/a-story-1'>link</a></body></html>"
    )
    rules = SiteRules(site="daily", language="en", timezone="Europe/London", body="div.first", page=SplitPage)
    article = extract(html, URL, rules)
    assert article.body == PROSE.strip() and "Teaser" not in (article.body or "")
    assert article.canonical_url == "https://daily.example/world/a-story-1"


def test_the_fields_a_class_gives_are_looked_up_as_its_methods_say() -> None:
    """given_fields is worked out as a class is made: it must say what the class's methods give, a subclass's too."""

    def straight(page_class: type[SitePage]) -> tuple[str, ...]:
        return tuple(name for name in SitePage.FIELDS if callable(getattr(page_class, name, None)))

    class OtherPage(DailyPage):
        def headline(self) -> str | None:
            return None

    site_pages = [spider.rules.page for spider in news_spiders().values() if spider.rules.page is not None]
    assert site_pages  # every site's page class, next to the made-up ones
    classes = [SitePage, DailyPage, OtherPage, *site_pages]
    for page_class in classes:
        assert page_class.given_fields() == straight(page_class)
    assert OtherPage.given_fields() == ("headline", "article_id", "date_published", "main_image")
