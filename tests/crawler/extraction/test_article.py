"""The assembler: layer precedence, embeds and images apart, odd pages."""

import json

import pytest

from crawler import SiteRules, extract
from crawler.extraction import article as article_module
from crawler.extraction import extract_with_provenance
from crawler.extraction import headline as headline_module
from crawler.extraction import shown_dates as shown_dates_module
from crawler.extraction.headline import page_marks
from crawler.extraction.metadata import Layer
from crawler.extraction.page import SitePage

URL = "https://news.example/news/world/story"


class SiteMetaPage(SitePage):
    def metadata(self) -> Layer:
        return self.json_block("script#site-meta", {"article_id": "id", "section": "category", "tags": "keywords"})


RULES = SiteRules(
    site="example",
    language="en",
    timezone="Europe/London",
    headline="h1.headline",
    date_published="time.shown",
    date_formats=("%d/%m/%Y %H:%M",),
    body="div.story",
    drop="div.related",
    page=SiteMetaPage,
)


def page(head: str = "", body: str = "") -> str:
    return f"<html lang='en-GB'><head>{head}</head><body>{body}</body></html>"


def json_ld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def test_site_selectors_win_then_site_metadata_then_json_ld_then_meta() -> None:
    html = page(
        head=(
            '<meta property="og:title" content="OG title">'
            '<meta property="og:description" content="OG description">'
            '<meta property="article:section" content="OG section">'
            + json_ld(
                {
                    "@context": "https://schema.org",
                    "@type": "NewsArticle",
                    "headline": "LD title",
                    "articleSection": "LD section",
                    "author": [{"@type": "Person", "name": "Jane Roe"}],
                }
            )
            + '<script id="site-meta" type="text/x-meta">{"id": 42, "category": "World", "keywords": "a, b"}</script>'
        ),
        body='<h1 class="headline">Shown title</h1><div class="story"><p>Text.</p></div>',
    )
    result = extract_with_provenance(html, URL, RULES)
    article = result.article
    assert article.headline == "Shown title" and result.provenance["headline"] == "site"
    assert article.section == "World" and result.provenance["section"] == "site_metadata"
    assert article.article_id == "42"
    assert article.tags == ["a", "b"]
    assert article.authors == ["Jane Roe"] and result.provenance["authors"] == "json_ld"
    assert article.description == "OG description" and result.provenance["description"] == "meta"
    assert article.language == "en"


def test_json_ld_graph_and_broken_json_ld() -> None:
    html = page(
        head='<script type="application/ld+json">{not json</script>'
        + json_ld(
            {"@graph": [{"@type": "WebPage"}, {"@type": ["NewsArticle"], "datePublished": "2021-10-18T13:51:00Z"}]}
        ),
        body='<div class="story"><p>Text.</p></div>',
    )
    article = extract(html, URL, RULES)
    assert article.date_published == "2021-10-18T14:51:00+01:00"  # London summer time
    assert article.date_published_raw == "2021-10-18T13:51:00Z"


def test_unreadable_shown_date_falls_through_to_metadata() -> None:
    html = page(
        head='<meta property="article:published_time" content="2022-01-05T09:00:00+00:00">',
        body='<time class="shown">yesterday</time><div class="story"><p>x</p></div>',
    )
    article = extract(html, URL, RULES)
    assert article.date_published == "2022-01-05T09:00:00+00:00"


def test_embeds_captions_and_boilerplate_stay_out_of_the_body() -> None:
    html = page(
        body="""<div class="story">
          <p>First.</p>
          <blockquote class="twitter-tweet"><p>Tweet text <a href="https://t.co/x">https://t.co/x</a></p>
            &mdash; Someone (@someone) <a href="https://twitter.com/someone/status/1?ref_src=twsrc%5Etfw">Oct 18</a>
          </blockquote><script src="https://platform.twitter.com/widgets.js"></script>
          <figure><img src="/a.jpg" alt="Alt"><figcaption>A caption (AFP)</figcaption></figure>
          <div class="related"><h4>Related News</h4><a href="/other">Other story</a></div>
          <iframe src="https://www.youtube.com/embed/abc"></iframe>
          <div class="share-bar">Share</div>
          <p>Second.</p>
        </div>"""
    )
    article = extract(html, URL, RULES)
    assert article.body == "First.\n\nSecond."
    assert [(embed.type, embed.url) for embed in article.embeds] == [
        ("tweet", "https://twitter.com/someone/status/1"),
        ("video", "https://www.youtube.com/embed/abc"),
    ]
    assert article.embeds[0].text == "Tweet text https://t.co/x"
    assert [(image.url, image.caption) for image in article.images] == [
        ("https://news.example/a.jpg", "A caption (AFP)")
    ]


def test_missing_body_container_uses_the_generic_finder_and_says_so() -> None:
    paragraph = "A paragraph long enough to count as article text, more than a caption or a menu item. " * 2
    html = page(body=f"<nav><p>Menu</p></nav><div class='renamed'><p>{paragraph}</p><p>{paragraph}</p></div>")
    result = extract_with_provenance(html, URL, RULES)
    assert result.article.body and result.article.body.count("\n\n") == 1
    assert result.fallbacks == ["body"]


@pytest.mark.parametrize(
    "html",
    ["", "   ", "<html>", "not html at all", "<p>unclosed <b>tags <div>", "\x00\x00binary\xff", b"\xff\xfe\x00garbage"],
)
def test_odd_pages_give_an_article_with_what_could_be_found(html: str | bytes) -> None:
    article = extract(html, URL, RULES)
    assert article.url == URL
    assert article.to_dict()["site"] == "example"


def test_output_leaves_empty_fields_out() -> None:
    output = extract(page(body="<h1 class='headline'>Only a title</h1>"), URL, RULES).to_dict()
    assert output == {"headline": "Only a title", "language": "en", "site": "example", "url": URL}
    assert dict(extract(page(), URL, RULES)) == {"language": "en", "site": "example", "url": URL}


def test_unknown_host_gets_generic_extraction() -> None:
    html = page(
        head='<meta property="og:title" content="A title">', body="<article><p>" + "word " * 60 + "</p></article>"
    )
    article = extract(html, "https://unknown.example/story")
    assert article.headline == "A title"
    assert article.site is None
    assert article.language == "en"
    assert article.body


@pytest.mark.parametrize(
    ("credit_line", "source"),
    [("المصدر : الجزيرة + وكالات", "الجزيرة + وكالات"), ("Source: Agencies", "Agencies")],
)
def test_a_closing_credit_line_becomes_the_source(credit_line: str, source: str) -> None:
    html = page(body=f'<div class="story"><p>Text.</p><p dir="rtl"><strong>{credit_line}</strong></p></div>')
    article = extract(html, URL, RULES)
    assert article.body == "Text."
    assert article.source == source


def test_a_paragraph_that_merely_starts_like_a_label_stays() -> None:
    html = page(body='<div class="story"><p>Text.</p><p>Sources say the talks will go on.</p></div>')
    article = extract(html, URL, RULES)
    assert article.body == "Text.\n\nSources say the talks will go on."
    assert article.source is None


def test_json_ld_author_given_by_reference_is_followed() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "NewsArticle", "author": {"@id": "#person"}, "headline": "H"},
            {"@type": "Person", "@id": "#person", "name": "Ahmed Moamar"},
        ],
    }
    assert extract(page(head=json_ld(graph)), URL, RULES).authors == ["Ahmed Moamar"]


def test_a_shown_date_that_disagrees_with_metadata_wins_and_is_reported() -> None:
    html = page(
        head='<meta property="article:published_time" content="2021-09-23T09:19:00+00:00">',
        body='<time class="shown">23/09/2021 13:19</time><div class="story"><p>x</p></div>',
    )
    result = extract_with_provenance(html, URL, RULES)
    assert result.article.date_published == "2021-09-23T13:19:00+01:00"
    assert result.disagreements == ["date_published"]


def test_a_page_with_no_metadata_gets_its_headline_byline_date_and_language_from_what_it_shows() -> None:
    # No JSON-LD, no OpenGraph, no lang: what a reader sees is all there is.
    paragraph = "أعلن وزير الخارجية إنهاء عمل بعثة بلاده لدى الحلف في الأول من الشهر المقبل، مضيفا أن القرار نهائي. "
    html = (
        "<html><head><title>وزير يعلن إنهاء عمل البعثة | أخبار المثال</title>"
        '<meta property="og:site_name" content="أخبار المثال"></head><body>'
        "<header><a href='/'>أخبار المثال</a></header><article><h1>وزير يعلن إنهاء عمل البعثة</h1>"
        '<div class="byline">بقلم: محمد علي</div><time datetime="2020-10-15T20:45:00+03:00">الخميس، 15 أكتوبر 2020 - 08:45 م</time>'
        f"<p>{paragraph * 3}</p><p>{paragraph * 2}</p></article></body></html>"
    )
    extraction = extract_with_provenance(html, "https://news.example/world/story")
    article = extraction.article
    assert article.headline == "وزير يعلن إنهاء عمل البعثة"
    assert article.authors == ["محمد علي"]
    assert article.date_published == "2020-10-15T20:45:00+03:00"
    assert article.language == "ar"
    assert {extraction.provenance[name] for name in ("headline", "authors", "date_published")} == {"generic"}


def test_the_headline_and_the_shown_date_share_one_search_for_the_page_s_marks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both read the page's h1s and title metas: found once for the page, not once each."""
    searched: list[object] = []
    for module in (article_module, headline_module, shown_dates_module):  # wherever the name is looked up
        monkeypatch.setattr(module, "page_marks", lambda tree: searched.append(tree) or page_marks(tree))
    html = (
        "<html><head><title>Council votes on the budget | Example</title></head><body><article>"
        "<h1>Council votes on the budget</h1><p>Published <time>March 5, 2021</time></p>"
        f"<p>{'The council met on Monday and voted on the budget for the coming year. ' * 5}</p></article></body></html>"
    )
    extraction = extract_with_provenance(html, "https://news.example/city/budget")
    assert extraction.article.headline == "Council votes on the budget"
    assert extraction.article.date_published == "2021-03-05"
    assert {extraction.provenance[name] for name in ("headline", "date_published")} == {"generic"}
    assert len(searched) == 1


def test_a_site_with_no_byline_selector_is_not_searched_for_one() -> None:
    # A site that never shows bylines has none to find: a "By" line in a quoted tweet is not one.
    rules = SiteRules(site="example", language="en", timezone="Europe/London", body=("article",))
    html = "<html><body><h1>A title</h1><article><p>By John Smith, a line quoted from elsewhere.</p></article></body></html>"
    assert extract(html, "https://example.com/a", rules).authors == []


def test_a_page_described_as_a_web_page_in_json_ld_still_dates_itself() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@graph": [{"@type": "WebPage", "name": "Guide",'
        ' "datePublished": "2022-10-05T12:53:00-07:00"}]}</script></head><body><h1>Guide</h1></body></html>'
    )
    extraction = extract_with_provenance(html, "https://unknown.example/guide")
    assert extraction.article.date_published == "2022-10-05T12:53:00-07:00"
    assert extraction.provenance["date_published"] == "json_ld"


def test_a_utc_date_in_the_metadata_takes_the_offset_the_page_shows_its_times_in() -> None:
    # One instant; only the page's own offset gives the day it shows (the 18th, not the 19th).
    html = (
        '<html><head><meta property="article:published_time" content="2025-12-19T03:05:00+00:00"></head><body>'
        '<article><h1>A headline</h1><time datetime="2025-12-18T19:05:00-08:00">Dec. 18, 2025</time></article>'
        "</body></html>"
    )
    assert extract(html, "https://unknown.example/a").date_published == "2025-12-18T19:05:00-08:00"


def test_a_metadata_date_in_a_form_the_parser_cannot_read_is_read_as_a_shown_date() -> None:
    # Drupal writes article:published_time for people; a page with no other date is dated by it.
    html = (
        '<html><head><meta property="article:published_time" content="Thu, 09/25/2025 - 11:38"></head><body>'
        "<article><h1>A headline</h1><p>Text.</p></article></body></html>"
    )
    article = extract(html, "https://unknown.example/a")
    assert (article.date_published, article.date_published_raw) == ("2025-09-25T11:38:00", "Thu, 09/25/2025 - 11:38")


class TagsInAnAsidePage(SitePage):
    """A site whose tags sit in an ``<aside>`` inside the story: boilerplate to the body, a field to the page."""

    def tags(self) -> list[str]:
        return self.all("div.story aside.tags a")


ORDER_RULES = SiteRules(
    site="example",
    language="en",
    timezone="Europe/London",
    headline="h1.headline",
    body="div.story",
    drop="div.related",
    main_image="div.story figure img",
    embeds="div.story blockquote.twitter-tweet",
    page=TagsInAnAsidePage,
)
ORDER_PAGE = page(
    body=(
        "<nav><a href='/'>Home</a></nav><h1 class='headline'>Headline</h1>"
        "<div class='story'><figure><img src='/lead.jpg' alt='lead'><figcaption>The lead picture</figcaption></figure>"
        "<p>The first paragraph of the story, long enough to be read as one.</p>"
        "<div class='related'><a href='/other'>Another story</a></div>"
        "<blockquote class='twitter-tweet'><p>A tweet</p><a href='https://twitter.com/a/status/1'>link</a></blockquote>"
        "<aside class='tags'><a href='/tag/one'>One</a><a href='/tag/two'>Two</a></aside>"
        "<p>The second paragraph of the story, long enough to be read as one.</p></div>"
        "<footer>Copyright</footer>"
    )
)
GENERIC_PAGE = page(
    head="<title>Story</title>",
    body=(
        "<header><nav><a href='/'>Home</a><a href='/world'>World</a></nav></header>"
        "<main><h1>Story</h1><p class='byline'>By Jane Doe</p><time datetime='2024-05-01T10:00:00Z'>1 May</time>"
        "<figure><img src='/a.jpg'><figcaption>A caption</figcaption></figure>"
        + "".join(f"<p>Paragraph {n} of the story, with enough words, commas, and text to count.</p>" for n in range(6))
        + "<div class='related'><h2>Related</h2><ul><li><a href='/x'>Other story</a></li></ul></div></main>"
        "<aside><h2>Most read</h2><a href='/y'>Another</a></aside><footer>Copyright</footer>"
    ),
)
# A page the scored finder finds nothing plausible in: its text is read from the densest run instead.
SPARSE_PAGE = page(
    body="<div><span>Short.</span></div><div>" + "A line of text, not in a paragraph. " * 8 + "</div><footer>x</footer>"
)


@pytest.mark.parametrize(
    ("html", "rules"),
    [(ORDER_PAGE, ORDER_RULES), (GENERIC_PAGE, None), (SPARSE_PAGE, None)],
    ids=["site-rules", "generic", "densest-run"],
)
def test_reading_a_field_leaves_the_page_as_the_other_fields_see_it(
    html: str, rules: SiteRules | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each field reads the page as published, so no field depends on the order they are read in.

    Reading the body cuts boilerplate, figures and embeds out of what it reads; it reads a copy.
    """
    from crawler.extraction import article as assembler
    from crawler.rules import GENERIC_RULES

    parsed = []

    def parse_and_keep(*args, **kwargs):
        result = assembler_parse(*args, **kwargs)
        parsed.append(result[0])
        return result

    assembler_parse = assembler.parse_page
    monkeypatch.setattr(assembler, "parse_page", parse_and_keep)
    extraction = assembler.extract_article(html, URL, rules or GENERIC_RULES)

    assert len(parsed) == 1, "the page is parsed once"
    assert parsed[0].html == assembler_parse(html, URL)[0].html
    assert extraction.article.body


def test_a_field_inside_what_the_body_drops_is_still_read() -> None:
    item = extract(ORDER_PAGE, URL, ORDER_RULES)
    assert item["tags"] == ["One", "Two"]
    assert item["main_image"]["url"] == "https://news.example/lead.jpg"
    assert item["body"] == (
        "The first paragraph of the story, long enough to be read as one.\n\n"
        "The second paragraph of the story, long enough to be read as one."
    )
    assert [embed["url"] for embed in item["embeds"]] == ["https://twitter.com/a/status/1"]
