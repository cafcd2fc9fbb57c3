"""The stored page made inert: nothing runs, nothing loads, everything a page says stays text."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from crawler.extraction.trace import NODE_ATTRIBUTE, Trace
from crawler.review.sanitize import CONTENT_SECURITY_POLICY, IMAGE_PLACEHOLDER, safe_document
from tests.crawler.review.hostile import HOSTILE_PAGE

#: A CSS function or rule that fetches, not renamed.
FETCHING = re.compile(r"(?<![\w-])(?:url\s*\(|@import)", re.IGNORECASE)
LOADING_ATTRIBUTES = ("src", "srcset", "href", "action", "data", "poster", "xlink:href", "srcdoc", "background")


def cleaned(page: str = HOSTILE_PAGE, head_html: str = "") -> LexborHTMLParser:
    return LexborHTMLParser(safe_document(LexborHTMLParser(page), head_html))


def test_nothing_that_runs_or_loads_is_left() -> None:
    document = cleaned()
    assert not document.css("script, base, link, noscript, portal, applet, frame")
    assert [meta.attrs.get("content") for meta in document.css("meta[http-equiv]")] == [CONTENT_SECURITY_POLICY]
    for node in document.root.traverse():  # type: ignore[union-attr]
        if not node.is_element_node:
            continue
        names = set(node.attributes)
        assert not {name for name in names if name.lower().startswith("on")}, node.html
        loading = names & set(LOADING_ATTRIBUTES)
        assert loading <= {"src"} and (not loading or node.attrs.get("src") == IMAGE_PLACEHOLDER), node.html


def test_the_policy_comes_first_and_only_the_reviews_own_policy_is_left() -> None:
    document = cleaned(head_html="<style>p { color: red }</style>")
    head = document.head
    assert head is not None and head.first_child is not None
    first = head.first_child
    assert first.tag == "meta" and first.attrs.get("http-equiv") == "Content-Security-Policy"
    assert first.attrs.get("content") == CONTENT_SECURITY_POLICY
    assert len(document.css("meta[http-equiv]")) == 1
    assert document.css_first("head style").text() == "p { color: red }"  # type: ignore[union-attr]


def test_embeds_keep_their_place_and_lose_their_address() -> None:
    document = cleaned()
    frame = document.css_first("iframe")
    assert frame is not None and frame.attrs.get("data-nf-src") == "http://evil.example/frame"
    assert "srcdoc" not in frame.attributes and document.css_first("object") is not None
    assert document.css_first("a#js-link").attrs.get("data-nf-href") == "javascript:window.pwned=10"  # type: ignore[union-attr]


def test_text_that_looks_like_markup_stays_text() -> None:
    document = cleaned()
    headline = document.css_first("h1")
    assert headline is not None
    assert "</iframe><script>parent.document.title='pwned'</script>" in headline.text()
    assert headline.attrs.get("title") == '" onmouseover="window.pwned=3'
    assert "window.top.pwned=5" in document.css_first("p").text()  # type: ignore[union-attr]
    assert len(document.css("h1")) == 1 and not document.css("script")


def test_the_page_given_is_left_as_it_was() -> None:
    tree = LexborHTMLParser(HOSTILE_PAGE)
    before = tree.html
    safe_document(tree)
    assert tree.html == before


def test_trace_names_survive_cleaning() -> None:
    trace = Trace()
    trace.mark(LexborHTMLParser("<html><body><p onclick='x()'>a</p><img src='b.png'></body></html>"))
    assert trace.tree is not None
    document = cleaned(trace.tree.html or "")
    assert document.css_first("p").attrs.get(NODE_ATTRIBUTE) is not None  # type: ignore[union-attr]
    assert document.css_first("img").attrs.get(NODE_ATTRIBUTE) is not None  # type: ignore[union-attr]


def test_style_sheets_fetch_nothing_and_cannot_be_left_early() -> None:
    page = (
        '<style>@import url("http://e.example/a.css"); p { background: u\\72l(http://e.example/b.png) }'
        ' a { content: "<\\/style><script>window.pwned = 1</script>" }</style>'
        '<p style="background: URL(http://e.example/c.png); color: red">x</p>'
    )
    document = cleaned(page)
    sheet = document.css_first("style").text()  # type: ignore[union-attr]
    assert not document.css("script") and "window.pwned" in sheet
    assert not FETCHING.search(sheet)
    assert not FETCHING.search(document.css_first("p").attrs.get("style") or "")  # type: ignore[union-attr]
