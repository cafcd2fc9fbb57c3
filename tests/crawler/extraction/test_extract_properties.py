"""extract() on whatever the web sends: it always gives a valid Article, never an exception.

HYPOTHESIS_PROFILE=dev (or fuzz) looks much harder than the default CI profile;
benchmarks/fuzz_extract.py runs 100,000+ generated pages outside pytest.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler import extract
from crawler.extraction import extract_with_provenance
from crawler.extraction.decoding import decode_page
from tests.articles import assert_valid_article
from tests.crawling import ROOT
from tests.strategies import (
    SITE_URLS,
    SITES,
    any_text,
    html_pages,
    persian_sentences,
    prose,
)

sites = st.sampled_from(SITES)


@given(text=any_text, site=sites)
def test_any_text_gives_an_article(text: str, site: str) -> None:
    assert_valid_article(extract(text, SITE_URLS[site], site))


@given(body=st.binary(max_size=2000), site=sites)
def test_any_bytes_give_an_article(body: bytes, site: str) -> None:
    assert_valid_article(extract(body, SITE_URLS[site], site))
    text, _, _ = decode_page(body, "text/html")  # as the spider decodes them
    assert_valid_article(extract(text, SITE_URLS[site], site))


@given(page=html_pages(), site=sites)
def test_random_pages_give_an_article(page: str, site: str) -> None:
    assert_valid_article(extract(page, SITE_URLS[site], site))


@given(page=html_pages())
def test_the_site_is_found_from_the_url_whatever_the_page(page: str) -> None:
    for url in SITE_URLS.values():
        assert_valid_article(extract(page, url))


#: Each site's article markup, with the body filled in by the test.
SITE_TEMPLATES = {
    "almayadeen": '<article><div class="article-header"><h1 class="title">{headline}</h1></div>'
                  '<div class="p-content">{body}</div></article>',
    "aljazeera": '<header class="article-header"><h1>{headline}</h1></header><div class="wysiwyg">{body}</div>',
    "sadaelbalad": '<article><h1 class="entry-title">{headline}</h1><div class="entry-content">{body}</div></article>',
    "persian_aggregator": '<article class="news-page"><h1 class="news-title">{headline}</h1>'
                          '<div class="news-body">{body}</div></article>',
}  # fmt: skip


@pytest.mark.parametrize("site", sorted(SITE_TEMPLATES))
@given(headline=prose, paragraphs=st.lists(prose, max_size=6))
def test_site_rules_on_odd_text(site: str, headline: str, paragraphs: list[str]) -> None:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    article = extract(SITE_TEMPLATES[site].format(headline=headline, body=body), SITE_URLS[site], site)
    assert_valid_article(article)


@given(sentences=st.lists(persian_sentences, min_size=1, max_size=5))
def test_zwnj_in_body_text_survives(sentences: list[str]) -> None:
    body = "".join(f"<p>{sentence}</p>" for sentence in sentences)
    page = SITE_TEMPLATES["persian_aggregator"].format(headline="عنوان خبر", body=body)
    article = extract(page, SITE_URLS["persian_aggregator"], "persian_aggregator")
    assert_valid_article(article)
    for sentence in sentences:
        for word in sentence.split():
            if "\u200c" in word:
                assert word in (article.body or ""), word


DEEP = 10_000


NESTING_CASES = [
    (site, tag)
    for site in ("generic", "sadaelbalad")
    for tag in ("div", "span", "b", "blockquote", "section", "a", "font", "li", "td", "x-custom")
]


@pytest.mark.parametrize(("site", "tag"), NESTING_CASES)
def test_markup_nested_ten_thousand_deep(site: str, tag: str) -> None:
    text = "Deep inside the page the article still says something worth reading, word after word. " * 4
    nested = f"<{tag}>" * DEEP + f"<p>{text}</p>" + f"</{tag}>" * DEEP
    page = SITE_TEMPLATES["sadaelbalad"].format(headline="Deep", body=nested)
    article = extract(page, SITE_URLS[site], site)
    assert_valid_article(article)
    # The rules' body container holds it, and the generic finder finds it: every word comes out
    # (except inside ten thousand links, which the generic finder rightly takes for a link box).
    if (site, tag) != ("generic", "a"):
        assert article.body and text.strip() in article.body.replace("\n\n", " ")


def test_json_ld_nested_ten_thousand_deep() -> None:
    page = '<script type="application/ld+json">' + '{"a":' * DEEP + "1" + "}" * DEEP + "</script><h1>Title</h1>"
    assert_valid_article(extract(page, SITE_URLS["generic"], "generic"))


@pytest.mark.parametrize("where", ["img src", "meta content", "class", "p title", "text"])
def test_multi_megabyte_attribute_values(where: str) -> None:
    huge = "\u0627\u200c" * 1_500_000  # 3 million characters of Arabic letters and ZWNJ
    pages = {
        "img src": f'<article><div class="entry-content"><img src="/{huge}.jpg"><p>text</p></div></article>',
        "meta content": f'<meta property="og:title" content="{huge}"><meta property="og:image" content="{huge}">',
        "class": f'<div class="{huge}"><p>text</p></div>',
        "p title": f'<p title="{huge}">text</p>',
        "text": f"<article><p>{huge}</p></article>",
    }
    for site in ("generic", "sadaelbalad"):
        assert_valid_article(extract(pages[where], SITE_URLS[site], site))


ARTICLE_PAGES = sorted(path for path in (ROOT / "snapshots").glob("*/*/page.html"))


@given(data=st.data())
def test_stored_pages_cut_off_anywhere(data: st.DataObject) -> None:
    """A download cut short: mid-tag, mid-attribute, mid-UTF-8 character."""
    path = data.draw(st.sampled_from(ARTICLE_PAGES), label="page")
    page = path.read_bytes()
    cut = data.draw(st.integers(0, len(page)), label="cut")
    site = path.parent.parent.name
    url = SITE_URLS[site]
    result = extract_with_provenance(page[:cut], url, site)
    assert_valid_article(result.article)
    text, _, _ = decode_page(page[:cut], "text/html; charset=utf-8")
    assert_valid_article(extract(text, url, site))


def test_stored_pages_cut_mid_character_keep_what_came_before() -> None:
    page = (ROOT / "snapshots/persian_aggregator/lavrov-nato-buried-consultation/page.html").read_bytes()
    middle = page.index("ناتو".encode()) + 1  # inside the two-byte ن
    article = extract(page[: page.index(b"</article>")] + b"<p>" + page[middle - 200 : middle], SITE_URLS[
        "persian_aggregator"], "persian_aggregator")  # fmt: skip
    assert_valid_article(article)
    assert article.headline and article.body


@pytest.mark.parametrize("site", ["generic", "sadaelbalad"])
def test_processing_instructions_in_the_body(site: str) -> None:
    """lexbor gives "<?...>" a node with no tag name; found by benchmarks/fuzz_extract.py (seed 1, input 1143)."""
    body = "<blockquote><?php echo 1 ?>A quoted sentence.</blockquote><p><?xml x?>Text after it.</p>"
    page = SITE_TEMPLATES["sadaelbalad"].format(headline="PI", body=body * 5)
    article = extract(page, SITE_URLS[site], site)
    assert_valid_article(article)
    if site == "sadaelbalad":
        assert article.body and "A quoted sentence." in article.body
