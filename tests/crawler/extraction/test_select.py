"""Selectors as the rules write them: CSS with an optional ``::attr(name)``, tuples tried in order."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.extraction.select import all_values, first_node, first_value, iter_values, split_selector
from tests.strategies import html_pages

PAGE = LexborHTMLParser(
    """<!doctype html><html><head>
      <meta name="author" content="  Jane   Roe ">
      <meta name="author" content="">
      <meta name="author" content="John Doe">
      <meta name="author" content="Jane Roe">
    </head><body>
      <h1 class="title">  Harbour <em>bridge</em>
          reopens&nbsp;after repairs </h1>
      <h2 class="empty">   </h2>
      <div class="byline"><a href="/by/jane" data-id="j">Jane Roe</a>, <a href="/by/john">John Doe</a>
        <a href="/by/jane">Jane Roe</a><a>nobody</a></div>
      <ul class="tags"><li>bridge</li><li> </li><li>harbour</li><li>bridge</li></ul>
      <img class="lead" data-src="/img/lead.jpg" src="">
    </body></html>"""
)


@pytest.mark.parametrize(
    ("selector", "split"),
    [
        ('meta[name="author"]::attr(content)', ('meta[name="author"]', "content")),
        ("a.x::attr( href )", ("a.x", "href")),
        ("img::attr(data-src)  ", ("img", "data-src")),
        ("  h1.title  ", ("h1.title", None)),
        ("div > p", ("div > p", None)),
        ("a::attr(href) span", ("a::attr(href) span", None)),  # only a suffix is an attribute
        ("a::attr()", ("a::attr()", None)),
    ],
)
def test_split_selector(selector: str, split: tuple[str, str | None]) -> None:
    assert split_selector(selector) == split


def test_text_values_are_inline_text_on_one_line() -> None:
    assert list(iter_values(PAGE, "h1.title")) == ["Harbour bridge reopens after repairs"]


def test_attribute_values_are_whitespace_folded_and_empty_ones_skipped() -> None:
    assert list(iter_values(PAGE, 'meta[name="author"]::attr(content)')) == ["Jane Roe", "John Doe", "Jane Roe"]


def test_nodes_without_the_attribute_or_without_text_yield_nothing() -> None:
    assert list(iter_values(PAGE, ".byline a::attr(href)")) == ["/by/jane", "/by/john", "/by/jane"]
    assert list(iter_values(PAGE, "h2.empty")) == []
    assert list(iter_values(PAGE, ".nowhere")) == []


def test_values_come_in_document_order_repeats_included() -> None:
    assert list(iter_values(PAGE, ".tags li")) == ["bridge", "harbour", "bridge"]


def test_iter_values_under_a_node() -> None:
    byline = PAGE.css_first(".byline")
    assert byline is not None
    assert list(iter_values(byline, "a::attr(data-id)")) == ["j"]


def test_first_value_tries_each_selector_in_order() -> None:
    assert first_value(PAGE, (".missing", "h2.empty", ".byline a", "h1.title")) == "Jane Roe"
    assert first_value(PAGE, ("h1.title", ".byline a")) == "Harbour bridge reopens after repairs"


def test_first_value_skips_a_selector_whose_values_are_all_empty() -> None:
    assert first_value(PAGE, ("img.lead::attr(src)", "img.lead::attr(data-src)")) == "/img/lead.jpg"


def test_first_value_reads_on_past_an_empty_first_match() -> None:
    found: list[LexborNode] = []
    assert first_value(PAGE, ("h2.empty, .tags li", ".byline a"), found) == "bridge"
    assert [node.tag for node in found] == ["li"]


def test_first_value_of_nothing_is_none() -> None:
    assert first_value(PAGE, (".missing", "h2.empty", "img.lead::attr(alt)")) is None
    assert first_value(PAGE, ()) is None


def test_all_values_are_those_of_the_first_selector_that_has_any_without_repeats() -> None:
    assert all_values(PAGE, (".missing", ".tags li", ".byline a")) == ["bridge", "harbour"]
    assert all_values(PAGE, ('meta[name="author"]::attr(content)', ".byline a")) == ["Jane Roe", "John Doe"]


def test_all_values_of_nothing_is_an_empty_list() -> None:
    assert all_values(PAGE, (".missing", "h2.empty")) == []
    assert all_values(PAGE, ()) == []


def test_first_node_ignores_the_attribute_suffix_and_tries_in_order() -> None:
    node = first_node(PAGE, (".missing", "img.lead::attr(data-src)", "h1"))
    assert node is not None and node.tag == "img"
    node = first_node(PAGE, ("h2.empty", "h1"))  # a node is a node, text or not
    assert node is not None and node.tag == "h2"
    assert first_node(PAGE, (".missing", "section")) is None
    assert first_node(PAGE, ()) is None


def test_selectors_run_under_a_node_stay_under_it() -> None:
    tags = PAGE.css_first(".tags")
    assert tags is not None
    assert first_value(tags, ("h1.title", "li")) == "bridge"
    assert all_values(tags, (".byline a",)) == []
    node = first_node(tags, ("h1", "li"))
    assert node is not None and node.tag == "li"


@pytest.mark.parametrize(
    "selector", ["h1", " h1 ", "img::attr(src)", "img::attr( data-src )", "a::attr(href) ", "a::text"]
)
def test_a_selector_splits_the_same_every_time(selector: str) -> None:
    """split_selector keeps its answers: the second is the first."""
    first = split_selector(selector)
    assert split_selector(selector) == first
    assert split_selector.__wrapped__(selector) == first


#: Selectors of every kind the rules write, most of which match something on a random page (tests.strategies).
SELECTORS = (
    "p", "div p", "h1, h2", ".title", "article .p-content", "a::attr(href)", "img::attr(src)", "span::attr(class)",
    "li a", "*", "time::attr(datetime)", "[class]", "td", "x-custom", "div > span:first-child", "nav a:last-child",
)  # fmt: skip


@given(page=html_pages(), selectors=st.lists(st.sampled_from(SELECTORS), max_size=4).map(tuple))
def test_first_value_is_the_first_value_all_the_matches_give(page: str, selectors: tuple[str, ...]) -> None:
    """first_value looks at a selector's first match before listing them all: it gives what listing gives."""
    tree = LexborHTMLParser(page)
    found: list[LexborNode] = []
    listed: list[LexborNode] = []
    first = next((value for selector in selectors for value in iter_values(tree, selector, listed)), None)
    assert first_value(tree, selectors, found) == first
    assert [node.mem_id for node in found] == [node.mem_id for node in listed[:1]]
