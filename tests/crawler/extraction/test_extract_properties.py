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
from crawler.rules import GENERIC_RULES
from tests.articles import assert_valid_article
from tests.crawling import ROOT
from tests.sites import ARTICLE_MARKUP, ARTICLE_URLS, RULES, as_the_project
from tests.strategies import (
    any_text,
    html_pages,
    persian_sentences,
    prose,
)

#: The made-up sites' rules (tests/sites), and none.
SITE_RULES = {"generic": GENERIC_RULES, **RULES}
sites = st.sampled_from(sorted(SITE_RULES))


@given(text=any_text, site=sites)
def test_any_text_gives_an_article(text: str, site: str) -> None:
    assert_valid_article(extract(text, ARTICLE_URLS[site], SITE_RULES[site]))


@given(body=st.binary(max_size=2000), site=sites)
def test_any_bytes_give_an_article(body: bytes, site: str) -> None:
    assert_valid_article(extract(body, ARTICLE_URLS[site], SITE_RULES[site]))
    text, _, _ = decode_page(body, "text/html")  # as the spider decodes them
    assert_valid_article(extract(text, ARTICLE_URLS[site], SITE_RULES[site]))


@given(page=html_pages(), site=sites)
def test_random_pages_give_an_article(page: str, site: str) -> None:
    assert_valid_article(extract(page, ARTICLE_URLS[site], SITE_RULES[site]))


@given(page=html_pages())
def test_the_site_is_found_from_the_url_whatever_the_page(page: str) -> None:
    with as_the_project():
        for site, url in ARTICLE_URLS.items():
            article = extract(page, url)
            assert_valid_article(article)
            assert article.site == (None if site == "generic" else site)


@pytest.mark.parametrize("site", sorted(ARTICLE_MARKUP))
@given(headline=prose, paragraphs=st.lists(prose, max_size=6))
def test_site_rules_on_odd_text(site: str, headline: str, paragraphs: list[str]) -> None:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    article = extract(ARTICLE_MARKUP[site].format(headline=headline, body=body), ARTICLE_URLS[site], RULES[site])
    assert_valid_article(article)


@given(sentences=st.lists(persian_sentences, min_size=1, max_size=5))
def test_zwnj_in_body_text_survives(sentences: list[str]) -> None:
    body = "".join(f"<p>{sentence}</p>" for sentence in sentences)
    page = ARTICLE_MARKUP["khabar"].format(headline="عنوان خبر", body=body)
    article = extract(page, ARTICLE_URLS["khabar"], RULES["khabar"])
    assert_valid_article(article)
    for sentence in sentences:
        for word in sentence.split():
            if "\u200c" in word:
                assert word in (article.body or ""), word


DEEP = 10_000


NESTING_CASES = [
    (site, tag)
    for site in ("generic", "example")
    for tag in ("div", "span", "b", "blockquote", "section", "a", "font", "li", "td", "x-custom")
]


@pytest.mark.parametrize(("site", "tag"), NESTING_CASES)
def test_markup_nested_ten_thousand_deep(site: str, tag: str) -> None:
    text = "Deep inside the page the article still says something worth reading, word after word. " * 4
    nested = f"<{tag}>" * DEEP + f"<p>{text}</p>" + f"</{tag}>" * DEEP
    page = ARTICLE_MARKUP["example"].format(headline="Deep", body=nested)
    article = extract(page, ARTICLE_URLS[site], SITE_RULES[site])
    assert_valid_article(article)
    # The rules' body container holds it, and the generic finder finds it: every word comes out
    # (except inside ten thousand links, which the generic finder rightly takes for a link box).
    if (site, tag) != ("generic", "a"):
        assert article.body and text.strip() in article.body.replace("\n\n", " ")


def test_json_ld_nested_ten_thousand_deep() -> None:
    page = '<script type="application/ld+json">' + '{"a":' * DEEP + "1" + "}" * DEEP + "</script><h1>Title</h1>"
    assert_valid_article(extract(page, ARTICLE_URLS["generic"], "generic"))


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
    for site in ("generic", "example"):
        assert_valid_article(extract(pages[where], ARTICLE_URLS[site], SITE_RULES[site]))


def made_up_article(site: str) -> bytes:
    """A whole article page of a made-up site: head, JSON-LD, figure, several paragraphs, in its own script."""
    text = {
        "example": "The minister said on Monday that the office would close, and the résumé was “naïve”.",
        "akhbar": "قال وزير الخارجية إن موسكو علّقت عمل بعثتها لدى حلف شمال الأطلسي في ١٨ أكتوبر ٢٠٢١.",
        "khabar": "وزیر امور خارجه روسیه می\u200cگوید که ناتو را نمی\u200cتوان شریک دانست؛ خبرگزاری\u200cها گزارش کردند.",
    }[site]
    body = (
        '<figure class="lead"><img src="/lead.jpg" alt="caption"><figcaption>caption</figcaption></figure>'
        + "".join(f"<p>{text}</p>" for _ in range(6))
    )
    json_ld = '{"@type": "NewsArticle", "headline": "JSON-LD headline", "datePublished": "2021-10-18T16:51:00+03:00"}'
    return (
        f'<!DOCTYPE html><html lang="{RULES[site].language}"><head><meta charset="utf-8"><title>{text[:40]}</title>'
        f'<script type="application/ld+json">{json_ld}</script></head><body>'
        + ARTICLE_MARKUP[site].format(headline=text[:40], body=body)
        + "</body></html>"
    ).encode()


#: Pages to cut short, with the rules to read them with: the stored pages of snapshots/ (real markup, read
#: without any site's rules) and a whole page of each made-up site, read with its rules.
CUT_PAGES = [(path.read_bytes(), "generic") for path in sorted((ROOT / "snapshots").glob("*/*/page.html"))] + [
    (made_up_article(site), site) for site in sorted(RULES)
]


@given(data=st.data())
def test_pages_cut_off_anywhere(data: st.DataObject) -> None:
    """A download cut short: mid-tag, mid-attribute, mid-UTF-8 character."""
    page, site = data.draw(st.sampled_from(CUT_PAGES), label="page")
    cut = data.draw(st.integers(0, len(page)), label="cut")
    url = ARTICLE_URLS[site]
    result = extract_with_provenance(page[:cut], url, SITE_RULES[site])
    assert_valid_article(result.article)
    text, _, _ = decode_page(page[:cut], "text/html; charset=utf-8")
    assert_valid_article(extract(text, url, SITE_RULES[site]))


def test_pages_cut_mid_character_keep_what_came_before() -> None:
    page = made_up_article("khabar")
    middle = page.index("ناتو".encode()) + 1  # inside the two-byte ن
    article = extract(page[: page.index(b"</article>")] + b"<p>" + page[middle - 200 : middle], ARTICLE_URLS[
        "khabar"], RULES["khabar"])  # fmt: skip
    assert_valid_article(article)
    assert article.headline and article.body


@pytest.mark.parametrize("site", ["generic", "example"])
def test_processing_instructions_in_the_body(site: str) -> None:
    """lexbor gives "<?...>" a node with no tag name; found by benchmarks/fuzz_extract.py (seed 1, input 1143)."""
    body = "<blockquote><?php echo 1 ?>A quoted sentence.</blockquote><p><?xml x?>Text after it.</p>"
    page = ARTICLE_MARKUP["example"].format(headline="PI", body=body * 5)
    article = extract(page, ARTICLE_URLS[site], SITE_RULES[site])
    assert_valid_article(article)
    if site == "example":
        assert article.body and "A quoted sentence." in article.body
