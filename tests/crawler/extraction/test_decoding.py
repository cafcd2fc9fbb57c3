"""Pages in every encoding news sites use, decoded alike by the spider, ``scrapy extract`` and fetch.

Each case is a real Scrapy response (bytes and a Content-Type header) handed
to a made-up site's spider (tests/sites: Arabic, Persian, English); the
article must hold the text as published wherever the bytes allow it.  Scrapy's own ``response.text`` believes the header:
UTF-8 Persian served as ISO 8859-1 comes out of it as mojibake, which is why
the spider decodes with ``crawler.extraction.decoding.decode_page``.
"""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler import extract
from crawler.crawling.spiders import NewsSpider
from crawler.errors import UnreadablePage
from crawler.extraction.decoding import (
    binary_kind,
    check_readable,
    decode_page,
    looks_like_mojibake,
    utf8_bytes,
)
from crawler.items import Article
from tests.sites import ARTICLE_MARKUP, ARTICLE_URLS, SPIDERS, AkhbarSpider, as_the_project, make_spider

ARABIC_HEADLINE = "لافروف: موسكو علّقت عمل مكتب الناتو"
ARABIC_BODY = "قال وزير الخارجية الروسي سيرغي لافروف إن موسكو علّقت عمل بعثتها لدى حلف شمال الأطلسي، في 18 أكتوبر 2021."
PERSIAN_HEADLINE = "لاوروف: ناتو دیگر برای ما شریک نیست"
PERSIAN_BODY = (
    "وزیر امور خارجه روسیه می\u200cگوید که ناتو را نمی\u200cتوان شریک دانست و خبرگزاری\u200cها آن را گزارش کردند."
)
LATIN_HEADLINE = "Lavrov: “Russia’s mission” to NATO – suspended"
LATIN_BODY = "The café’s owner said the résumé of the naïve envoy was “unreadable” — at 5 °C — and left. "


def page(site: str, headline: str, body: str, meta_charset: str | None = None) -> str:
    """A minimal article page in the made-up site's markup; the body paragraph repeated past the validation minimum."""
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={meta_charset}">' if meta_charset else ""
    paragraphs = "".join(f"<p>{body}</p>" for _ in range(3))
    markup = ARTICLE_MARKUP[site].format(headline=headline, body=paragraphs)
    return f"<!DOCTYPE html><html><head>{meta}<title>t</title></head><body>{markup}</body></html>"


def crawl_one(site: str, body: bytes, content_type: str) -> tuple[list[Article], NewsSpider]:
    spider = make_spider(SPIDERS[site])
    url = ARTICLE_URLS[site]
    response = HtmlResponse(url=url, body=body, headers={"Content-Type": content_type}, request=Request(url))
    return list(spider.parse_article(response)), spider


def stat(spider: NewsSpider, key: str) -> int | None:
    return spider.crawler.stats.get_value(key)


#: site, page bytes, Content-Type header, the headline and body paragraph that must come out.
CASES = {
    "windows-1256 Arabic, charset only in <meta>": (
        "akhbar", page("akhbar", ARABIC_HEADLINE, ARABIC_BODY, "windows-1256").encode("cp1256"), "text/html",
        ARABIC_HEADLINE, ARABIC_BODY,
    ),
    # Persian pages of the windows-1256 era wrote Arabic ي (the code page has no Persian ی); the Persian item unifies it.
    "windows-1256 Persian with ZWNJ, charset only in <meta>": (
        "khabar",
        page("khabar", PERSIAN_HEADLINE.replace("ی", "ي"), PERSIAN_BODY.replace("ی", "ي"),
             "windows-1256").encode("cp1256"),
        "text/html", PERSIAN_HEADLINE, PERSIAN_BODY,
    ),
    "windows-1252, charset only in <meta>": (
        "example", page("example", LATIN_HEADLINE, LATIN_BODY, "windows-1252").encode("cp1252"), "text/html",
        LATIN_HEADLINE, LATIN_BODY.strip(),
    ),
    "header ISO 8859-1, bytes UTF-8 Persian": (
        "khabar", page("khabar", PERSIAN_HEADLINE, PERSIAN_BODY).encode("utf-8"),
        "text/html; charset=iso-8859-1", PERSIAN_HEADLINE, PERSIAN_BODY,
    ),
    "header windows-1256, bytes UTF-8 Arabic": (
        "akhbar", page("akhbar", ARABIC_HEADLINE, ARABIC_BODY, "utf-8").encode("utf-8"),
        "text/html; charset=windows-1256", ARABIC_HEADLINE, ARABIC_BODY,
    ),
    "header UTF-8, bytes windows-1256 as <meta> says": (
        "akhbar", page("akhbar", ARABIC_HEADLINE, ARABIC_BODY, "windows-1256").encode("cp1256"),
        "text/html; charset=utf-8", ARABIC_HEADLINE, ARABIC_BODY,
    ),
    "UTF-8 with a BOM, header ISO 8859-1": (
        "akhbar", codecs.BOM_UTF8 + page("akhbar", ARABIC_HEADLINE, ARABIC_BODY).encode("utf-8"),
        "text/html; charset=iso-8859-1", ARABIC_HEADLINE, ARABIC_BODY,
    ),
    "UTF-16 LE with its BOM": (
        "khabar", codecs.BOM_UTF16_LE + page("khabar", PERSIAN_HEADLINE, PERSIAN_BODY).encode(
            "utf-16-le"), "text/html", PERSIAN_HEADLINE, PERSIAN_BODY,
    ),
    "UTF-16 BE with its BOM": (
        "akhbar", codecs.BOM_UTF16_BE + page("akhbar", ARABIC_HEADLINE, ARABIC_BODY).encode("utf-16-be"),
        "text/html", ARABIC_HEADLINE, ARABIC_BODY,
    ),
}  # fmt: skip
CORRECTED = {"header ISO 8859-1, bytes UTF-8 Persian", "header windows-1256, bytes UTF-8 Arabic",
             "header UTF-8, bytes windows-1256 as <meta> says"}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_spider_reads_every_encoding_as_published(case: str) -> None:
    site, body, content_type, headline, paragraph = CASES[case]
    (article,), spider = crawl_one(site, body, content_type)
    assert article.headline == headline
    assert article.body == "\n\n".join([paragraph] * 3)
    assert stat(spider, "news/charset_corrected") == (1 if case in CORRECTED else None)
    assert stat(spider, "news/mojibake") is None


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_spider_and_the_one_page_tools_agree(case: str) -> None:
    """``scrapy extract`` and savefixture/newsite/drift decode with the same decode_page as the spider."""
    site, body, content_type, _, _ = CASES[case]
    (article,), _ = crawl_one(site, body, content_type)
    text, _, _ = decode_page(body, content_type)
    with as_the_project():  # the site by name, as ``scrapy extract --spider`` finds it
        from_tools = extract(text, ARTICLE_URLS[site], site)
    from_spider = article.to_dict()
    from_spider.pop("fetched_at")
    assert from_tools.to_dict() == from_spider


def test_scrapys_own_decoding_would_have_garbled_the_wrong_header_case() -> None:
    """Why the spider does not use ``response.text``: kept as a record of Scrapy's behaviour."""
    _, body, content_type, headline, _ = CASES["header ISO 8859-1, bytes UTF-8 Persian"]
    response = HtmlResponse(url=ARTICLE_URLS["khabar"], body=body, headers={"Content-Type": content_type})
    assert headline not in response.text


def test_mojibake_in_the_page_is_kept_as_published_and_counted() -> None:
    garbled_headline = ARABIC_HEADLINE.encode("utf-8").decode("cp1252", "replace")
    garbled_body = ARABIC_BODY.encode("utf-8").decode("cp1252", "replace")
    body = page("akhbar", garbled_headline, garbled_body, "utf-8").encode("utf-8")
    (article,), spider = crawl_one("akhbar", body, "text/html; charset=utf-8")
    assert article.headline == " ".join(garbled_headline.split())  # as published, not "repaired"
    assert stat(spider, "news/mojibake") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ø§Ù„Ø¬Ø²ÙŠØ±Ø©", True),  # الجزيرة read as windows-1252
        ("CafÃ© rÃ©sumÃ© naÃ¯ve", True),
        ("Café résumé naïve", False),
        ("ÂÃ", False),
        (ARABIC_BODY, False),
        (PERSIAN_BODY, False),
        ("Señor Ñoño: «ÀÉÎ»", False),
    ],
)
def test_mojibake_detection(text: str, expected: bool) -> None:
    assert looks_like_mojibake(text) is expected


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"GIF89a\x01\x00", "a GIF image"),
        (bytes(range(256)) * 4, "binary data"),
        (b"<html><body><p>a\x00b</p></body></html>", None),  # a stray NUL: an odd page, not a binary one
        (codecs.BOM_UTF16_LE + "<html>متن</html>".encode("utf-16-le"), None),
        ("<p>متن</p>".encode(), None),
    ],
)
def test_binary_pages_are_told_from_odd_ones(body: bytes, kind: str | None) -> None:
    assert binary_kind(body) == kind
    assert binary_kind(body.decode("latin-1")) == kind or body.startswith(codecs.BOM_UTF16_LE)


@pytest.mark.parametrize(("body", "reason"), [(b"", "empty"), (b" \r\n\t ", "empty"), (b"%PDF-1.7", "binary")])
def test_unreadable_pages_raise_one_typed_error(body: bytes, reason: str) -> None:
    with pytest.raises(UnreadablePage) as raised:
        check_readable(body)
    assert raised.value.reason == reason


def test_listing_links_are_read_through_the_same_decoding() -> None:
    # An Arabic slug in a UTF-8 listing served as ISO 8859-1: Scrapy's response.text would turn the link into
    # mojibake and the spider would follow a page that does not exist.
    slug = "لافروف-الناتو"
    listing = (f'<html><body><div class="story-card"><a href="/news/politics/2021/10/18/{slug}">{ARABIC_HEADLINE}</a>'
               "</div></body></html>").encode()  # fmt: skip
    spider = make_spider(AkhbarSpider)
    url = "https://akhbar.example/news/"
    response = HtmlResponse(url=url, body=listing, headers={"Content-Type": "text/html; charset=iso-8859-1"},
                            request=Request(url))  # fmt: skip
    followed = [request.url for request in spider.parse(response)]
    assert followed == [Request(f"https://akhbar.example/news/politics/2021/10/18/{slug}").url]
    assert stat(spider, "news/charset_corrected") == 1


CONTENT_TYPES = [None, "text/html", "text/html; charset=utf-8", "text/html; charset=iso-8859-1", "text/html; charset=utf8",
                 "text/html; charset=windows-1256", "text/html; charset=utf-16"]  # fmt: skip
#: Pages as bytes: UTF-8 of any text (with a BOM, a replacement character or a <meta charset>, maybe), or any bytes.
page_bytes = st.one_of(
    st.builds(
        lambda prefix, text, suffix: prefix + text.encode("utf-8", "surrogatepass") + suffix,
        st.sampled_from([b"", codecs.BOM_UTF8, b'<meta charset="windows-1252">', b'<meta charset="utf-8">']),
        st.text(),
        st.sampled_from([b"", b"\xef\xbf\xbd", b"\xff", b"\xe2\x80"]),
    ),
    st.binary(),
)


@given(page_bytes, st.sampled_from(CONTENT_TYPES))
def test_the_bytes_handed_to_the_parser_are_the_decoded_text_exactly(body: bytes, content_type: str | None) -> None:
    """The parser reads the page's bytes in place of its text only where they are the text in UTF-8."""
    text, encoding, _ = decode_page(body, content_type)
    encoded = utf8_bytes(body, text, encoding)
    if encoded is not None:
        assert encoded == text.encode("utf-8")


def test_a_page_in_utf8_is_handed_over_as_its_bytes_and_others_are_not() -> None:
    page = "<p>لافروف‌ها “quoted”</p>".encode()
    assert utf8_bytes(page, *decode_page(page, "text/html; charset=utf-8")[:2]) is page
    assert utf8_bytes(page, *decode_page(page, None)[:2]) is page
    for other in (codecs.BOM_UTF8 + page, page + b"\xff", "<p>café</p>".encode("cp1252")):
        assert utf8_bytes(other, *decode_page(other, "text/html")[:2]) is None
