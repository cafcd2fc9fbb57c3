"""Pathologically deep markup is flattened before parsing; ordinary pages are left alone.

Depth is measured on lexbor's own tree (walked iteratively: recursion would
not survive the inputs).  No test here times anything: what keeps parsing
linear is that the tree the parser builds stays shallow, and that is asserted.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from crawler.extraction import extract_with_provenance, nesting
from crawler.extraction.decoding import decode_page
from crawler.extraction.nesting import (
    _MARGIN,
    _RAW_END,
    MAX_DEPTH,
    MAX_FORMATTING,
    _count_bound,
    _few_tags,
    _raw_text_end,
    _removed_leaves,
    _surely_shallow,
    flatten_deep_nesting,
    parse_page,
)
from crawler.text import word_set
from tests.articles import assert_valid_article
from tests.crawling import ROOT
from tests.sites import ARTICLE_URLS, RULES

TEXT = "Deep inside the page the article still says something worth reading, word after word."
PARAGRAPHS = f"<p>{TEXT}</p><p>A second paragraph, with more words in it.</p>"
DEEP = 100_000


def tree_depth(tree: LexborHTMLParser) -> int:
    """How deep the deepest element is (``<html>`` at 1), walked with an explicit stack."""
    if tree.root is None:
        return 0
    deepest, stack = 0, [(tree.root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        child = node.child
        while child is not None:
            if child.is_element_node:
                stack.append((child, depth + 1))
            child = child.next
    return deepest


def element_count(tree: LexborHTMLParser) -> int:
    return len(tree.root.css("*")) if tree.root is not None else 0


def visible_characters(tree: LexborHTMLParser) -> Counter[str]:
    """The body's characters but whitespace, in any order (flattening may move text out of a table)."""
    text = tree.body.text(deep=True) if tree.body is not None else ""
    return Counter("".join(text.split()))


#: Hostile shapes: n start tags (and as many end tags, or none) around the same paragraphs.
SHAPES = {
    "nested divs": lambda n: "<div>" * n + PARAGRAPHS + "</div>" * n,
    "divs never closed": lambda n: "<div>" * n + PARAGRAPHS,
    "nested quotes": lambda n: "<q>" * n + PARAGRAPHS + "</q>" * n,
    "nested bold": lambda n: "<b>" * n + PARAGRAPHS + "</b>" * n,
    "bold with distinct attributes": lambda n: "".join(f"<b id=b{i}>" for i in range(n)) + PARAGRAPHS,
    "nested links": lambda n: "<a href=/x>" * n + PARAGRAPHS + "</a>" * n,
    "tables and list items": lambda n: "<table><tr><td><li>" * (n // 4) + PARAGRAPHS,
    "divs with attributes": lambda n: '<div class="wrap">' * n + PARAGRAPHS + "</div>" * n,
    "self-closing divs": lambda n: "<div/>" * n + PARAGRAPHS,
    "custom elements": lambda n: "<x-wrap/>" * n + PARAGRAPHS,
    "span and div alternating": lambda n: "<span><div>" * (n // 2) + PARAGRAPHS,
    "lists in list items": lambda n: "<li><ul>" * (n // 2) + PARAGRAPHS,
    "forms closed early": lambda n: "<form><div></form>" * (n // 3) + PARAGRAPHS,
    "SVG left by a paragraph": lambda n: "<svg><g></svg><p>" + "<x/>" * n + PARAGRAPHS,
    # Formatting elements re-opened in every paragraph, closed by the adoption agency one level too high.
    "re-opened bold": lambda n: "".join(f"<b><p><b id=i{i}></p>x<span></b>" for i in range(n // 5)) + PARAGRAPHS,
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_hostile_nesting_is_flattened_to_the_limit_and_keeps_the_text(shape: str) -> None:
    page = f"<html><body><article>{SHAPES[shape](DEEP)}</article></body></html>"
    flattening = flatten_deep_nesting(page)
    assert flattening.flattened or shape == "nested links"  # each <a> closes the one before: no depth
    tree = LexborHTMLParser(flattening.html)
    assert tree_depth(tree) <= MAX_DEPTH
    text = tree.body.text(deep=True)
    assert TEXT in text and "A second paragraph, with more words in it." in text


def test_nested_framesets_are_flattened() -> None:
    """A page that starts with a frameset has no body: nested framesets are all there is."""
    flattening = flatten_deep_nesting("<frameset>" * DEEP)
    assert flattening.flattened and tree_depth(LexborHTMLParser(flattening.html)) <= MAX_DEPTH


def test_distinct_unclosed_bold_is_not_re_opened_in_every_paragraph() -> None:
    """A thousand distinct open ``<b>`` s would be re-created in each of a thousand paragraphs."""
    page = "".join(f"<p><b id=b{i}></p>" for i in range(1000)) + "<p>x</p>" * 1000
    assert element_count(LexborHTMLParser(page)) > 100_000  # what the parser does with it as it is
    flattening = flatten_deep_nesting(page)
    tree = LexborHTMLParser(flattening.html)
    assert element_count(tree) <= 2000 * (MAX_FORMATTING + 2)
    assert visible_characters(tree) == visible_characters(LexborHTMLParser(page))


def test_the_wrappers_go_and_the_article_keeps_its_container_and_paragraphs() -> None:
    page = "<div>" * DEEP + f'<div class="entry-content">{PARAGRAPHS}</div>' + "</div>" * DEEP
    tree = LexborHTMLParser(flatten_deep_nesting(page).html)
    container = tree.css_first("div.entry-content")
    assert container is not None
    assert [p.text() for p in container.css("p")] == [TEXT, "A second paragraph, with more words in it."]


def test_words_stay_apart_where_block_elements_were_dropped() -> None:
    page = "<div>" * DEEP + "".join(f"<div><p>word{i}</p></div>" for i in range(50))
    text = LexborHTMLParser(flatten_deep_nesting(page).html).body.text(separator=" ")
    assert text.split() == [f"word{i}" for i in range(50)]


ARTICLE_PAGES = sorted((ROOT / "snapshots").glob("*/*/page.html"))


@pytest.mark.parametrize("path", ARTICLE_PAGES, ids=lambda path: f"{path.parent.parent.name}/{path.parent.name}")
def test_stored_pages_pass_through_unchanged(path: Path) -> None:
    text, _, _ = decode_page(path.read_bytes(), "text/html")
    flattening = flatten_deep_nesting(text)
    assert flattening.html is text and not flattening.flattened


def sloppy_page(sections: int) -> str:
    """An old-fashioned page, long and deep enough to be read tag by tag, and no deeper than 20 levels."""
    parts = ["<!DOCTYPE html><html><head><title>x</title><script>var s = '<div><div><div>';</script></head><body>"]
    for i in range(sections):
        parts.append(
            f'<div class="section s{i}"><h2>Title {i}<p>Para one<p>Para <font face=Arial>two<p>three'
            f"<ul><li>one<li><a href=/x{i}>two</a><li>three</ul>"
            f"<table><tr><td>a<td>b<tr><td>c</table>"
            f'<select><option>a<option>b</select><svg><path d="M0"/><path d="M1"/><use href="#i"/></svg>'
            f"<!-- <div><div> --><dl><dt>t<dd>d<dt>t2<dd>d2</dl><b>bold <i>both</b> italic</i>"
            "</div>"
        )
    return "".join(parts) + "</body></html>"


def test_a_sloppy_but_ordinary_page_passes_through_unchanged() -> None:
    """Unclosed paragraphs, items, cells and options, misnested formatting, inline SVG: thousands of tags, shallow."""
    page = sloppy_page(300)
    assert tree_depth(LexborHTMLParser(page)) < 30 and page.count("<") > 10_000
    flattening = flatten_deep_nesting(page)
    assert flattening.html is page and not flattening.flattened


def test_extract_reads_a_body_nested_100000_deep_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    url = ARTICLE_URLS["example"]
    page = ('<article><h1 class="entry-title">Deep</h1>' + "<div>" * DEEP
            + f'<div class="entry-content">{PARAGRAPHS}</div>' + "</div>" * DEEP + "</article>")  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="crawler.extraction.nesting"):
        result = extract_with_provenance(page, url, RULES["example"])
    assert result.nesting_flattened
    assert result.article.body == f"{TEXT}\n\nA second paragraph, with more words in it."
    assert result.provenance["body"] == "site"  # the rules' container survived the flattening
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and url in warnings[0].getMessage()


@pytest.mark.parametrize("shape", ["nested divs", "divs never closed", "nested quotes", "tables and list items"])
def test_the_generic_finder_reads_every_word_of_a_deep_body(shape: str) -> None:
    long_text = " ".join([TEXT] * 4)  # an article body, as the finder wants it: a few hundred characters
    page = f"<h1>Deep</h1>{SHAPES[shape](DEEP).replace(TEXT, long_text)}"
    result = extract_with_provenance(page, ARTICLE_URLS["generic"], "generic")
    assert_valid_article(result.article)
    assert result.nesting_flattened
    assert result.article.body and long_text in result.article.body.replace("\n\n", " ")


@pytest.mark.parametrize("path", sorted((ROOT / "snapshots").glob("*/*/page.html")), ids=lambda path: path.parent.name)
def test_ordinary_extraction_is_not_flagged(path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Real pages (the stored ones, read without any site's rules) are never deep enough to be flattened."""
    with caplog.at_level(logging.WARNING, logger="crawler.extraction.nesting"):
        result = extract_with_provenance(path.read_bytes(), ARTICLE_URLS["generic"], "generic")
    assert not result.nesting_flattened and not caplog.records


def test_parse_page_parses_what_it_flattened() -> None:
    tree, flattening = parse_page("<div>" * 5000 + "<p>x</p>", "https://news.example/a")
    assert flattening.flattened and tree_depth(tree) <= MAX_DEPTH and tree.css_first("p").text() == "x"


# Soundness, whatever the markup: random tag soup, and short random motifs repeated (which is how a
# model that misses one level of the tree builder's in a hundred gets a page a hundred times too deep).
# A small limit keeps the inputs small.
SMALL_LIMIT = 40
TAGS = sorted(
    word_set(
        "div p span b i a li ul table tr td th tbody caption colgroup col form select option optgroup svg math path "
        "g foreignObject title desc mi mtext mglyph annotation-xml font nobr button h1 h2 dd dt dl section q x-c "
        "template object marquee pre textarea script style xmp iframe noscript br img hr input frameset body html "
        "head em strong u code plaintext image ruby rt rb"
    )
)
ODD = ["text ", "x", " ", "\x00", "<!-- c -->", "<!-->", "<!x>", "<?p>", "</ x>", "< p", "&lt;", "<!--", "-->",
       "<script><!--<script>", "</script >", "<![CDATA[x>]]>", "<!DOCTYPE html>"]  # fmt: skip
ATTRIBUTES = ["", " id=1", ' class="x"', " color=red", ' encoding="text/html"', " a='>'", ' b=">"', " type=hidden"]
tokens = st.one_of(
    st.builds("<{}{}{}>".format, st.sampled_from(TAGS), st.sampled_from(ATTRIBUTES), st.sampled_from(["", "/"])),
    st.builds("</{}>".format, st.sampled_from(TAGS)),
    st.sampled_from(ODD),
)


def assert_flattened_within(page: str, max_depth: int) -> None:
    flattening = flatten_deep_nesting(page, max_depth)
    tree = LexborHTMLParser(flattening.html)
    assert tree_depth(tree) <= max_depth
    if not flattening.flattened:
        assert flattening.html is page
    # No text is lost (some may be gained: a <template>'s contents, once its tag is dropped).
    assert not visible_characters(LexborHTMLParser(page)) - visible_characters(tree)


@given(st.lists(tokens, max_size=600).map("".join))
def test_random_markup_parses_within_the_limit(page: str) -> None:
    assert_flattened_within(page, SMALL_LIMIT)


@given(st.lists(tokens, min_size=1, max_size=8).map("".join), st.integers(60, 400))
def test_repeated_markup_parses_within_the_limit(motif: str, repeats: int) -> None:
    assert_flattened_within(motif * repeats, SMALL_LIMIT)


#: Motifs that once got through: each hid a level of the tree builder's from the model.
FOUND = [
    "<b><p><b id=1></p>x<span></b>",  # the adoption agency closes a re-opened <b>, not the first
    "<form><div></form>",  # </form> takes the form out of the stack, not out of the tree
    "<svg><g></svg><p><x/>",  # <p> leaves SVG: a self-closing tag opens an element again
    "<big id=1><frameset c=d>",  # nothing has ruled out a frameset: it replaces the body
    "<h2><dl><rt></pre></table></br><u><frameset/>",  # </br> rules the frameset out, as <br> does
    "<template a='>'><col><script></template> <font/><object><button><tt></script >",  # a column group ignores <script>
    "<script><!--<script><!--></script ><ruby/>&lt;<rt><form>",  # "<!-->" ends a script's escape
    "<b><div><svg></b><p><x/>",  # the adoption agency closes the SVG above a misnested <b>
    "<p><select><p>x",  # a <select> bounds the scope a <p> closes in
    "<table><colgroup><div></colgroup>",  # anything but <col> ends a column group
    "<table>text <object><nobr><em><b><colgroup><code><ol>",  # a marker stays when its element goes otherwise
    "<strong><math><mi></strong><u><desc/>",  # a MathML text integration point bounds scopes
    "<svg><svg></svg>",  # an end tag that closes a kept SVG element is kept
]


@pytest.mark.parametrize("motif", FOUND)
def test_motifs_once_missed(motif: str) -> None:
    assert_flattened_within(motif * 300, SMALL_LIMIT)


# The cheap proof (a regex pass, then a count or a walk of what is left) must never take a deep page for
# a shallow one: a page it passes goes to the parser as it is.
#: Motifs that nest deep, made to look shallow to it.
FOOLING = [
    '<p title="<b x">text</b><div>a</p>',  # a "<b" inside a value ends where the tag does: its removal took that ">"
    "<p title=<b>text</b><div>a</p>",  # the same, unquoted
    "<div<b>x</b>>a</div>",  # a removal cut a tag name short: "<div" is no <div>
    "</p><li<p>",  # nor is "<li<p>" an <li>
    "<desc>x</desc><b><a b=",
    '<p title="a>b</p>"><div>',  # a ">" in a quoted value: the tag does not end there
    "<p t='x>y</p>'><div>",
    '<path t="<path>x</path>"></p>',  # the first ">" of a value is the one the tag seems to end at
    "<script>s=\"</script><div t='x>y</div>'>",  # a value may start before the last ">" of another
    "<!x <svg><path/><path/></svg>",  # "<svg" in a bogus comment: real tags after it, not SVG
    "<span b=<svg><path/></svg>",  # "<svg" in an unquoted value
    "<!-- a> <svg> --><path/><path/></svg>",  # in a comment
    '<script>"<svg>"</script><path/></svg>',  # in a script
    "<svg></p><path/></svg>",  # </p> leaves SVG
    "<svg><b/></svg><path/>",  # so does <b>
    "<svg><foreignObject><path/></svg>",  # HTML inside SVG
    '<svg x="<a>"><path/></svg><path>',
    "<div\x01>",  # the character the proof marks its removals with
]


@pytest.mark.parametrize("motif", FOOLING)
def test_markup_made_to_fool_the_cheap_proof_is_flattened(motif: str) -> None:
    page = motif * 300
    assert tree_depth(LexborHTMLParser(page)) > 3 * SMALL_LIMIT
    assert not _surely_shallow(page, SMALL_LIMIT - _MARGIN)
    assert_flattened_within(page, SMALL_LIMIT)


def test_many_small_elements_are_proven_shallow_by_the_walk() -> None:
    """Thousands of elements left by the regex pass, too many to count, few open at a time."""
    page = "<!DOCTYPE html><body>" + "".join(
        f'<div class="card"><a href="/{i}"><svg viewBox="0 0 24 24" aria-hidden="true"><path d="M0 0h24"/>'
        f'<g fill="none"><circle r="2"/></g></svg> Item {i}</a><!-- card {i} --><p>Text {i}<p>More</p></div>'
        for i in range(2000)
    )
    limit = MAX_DEPTH - _MARGIN
    bound = _count_bound(_removed_leaves(page))
    assert bound is not None and bound > limit
    assert _surely_shallow(page, limit)
    assert flatten_deep_nesting(page).html is page


#: Markup in attribute values and tag names, inline SVG, comments: what the cheap proof reads its own way.
TRICKY_ATTRIBUTES = [*ATTRIBUTES, ' t="<b x">', " t=<b>", " t='</p>'", ' t="a>b</p>"', ' t="<svg>"', " <b", ' x="<!--"',
                     ' d="M0"', " d=M0/", ' ="a>"', " a=x='", '="<p>x</p>"']  # fmt: skip
tricky_tokens = st.one_of(
    tokens,
    st.builds("<{}{}{}>".format, st.sampled_from(TAGS), st.sampled_from(TRICKY_ATTRIBUTES), st.sampled_from(["", "/"])),
    st.builds("<{}<{}>".format, st.sampled_from(TAGS), st.sampled_from(TAGS)),
    st.sampled_from(["<svg>", "</svg>", "<path/>", '<path d="M0"/>', "<!x ", "<a b=", "<![CDATA[", "]]>", '"', ">"]),
)


@given(st.lists(tricky_tokens, min_size=1, max_size=8).map("".join), st.integers(10, 300))
def test_the_cheap_proof_passes_no_deep_markup(motif: str, repeats: int) -> None:
    page = motif * repeats
    if _surely_shallow(page, SMALL_LIMIT - _MARGIN):
        assert tree_depth(LexborHTMLParser(page)) <= SMALL_LIMIT


@given(st.lists(tricky_tokens, max_size=80).map("".join), st.integers(1, 120))
def test_counting_the_whole_page_proves_no_page_the_pass_would_not(page: str, limit: int) -> None:
    """The shortcut for pages of few tags (no pass) passes only what the pass's count passes too."""
    whole, left = _count_bound(page), _count_bound(_removed_leaves(page))
    if whole is not None:
        assert left is not None and left <= whole
    if _few_tags(page, limit):
        assert left is not None and left <= limit


@settings(max_examples=200)
@given(st.lists(tricky_tokens, max_size=80).map("".join), st.integers(1, 120), st.integers(1, 40))
def test_counting_the_tags_a_stretch_at_a_time_decides_as_counting_them_all(page: str, limit: int, step: int) -> None:
    """The "<" are counted a stretch at a time and no further than too many: the answer of a whole count."""
    bound = _count_bound(page)
    whole = page.count("<") <= 2 * limit and bound is not None and bound <= limit
    with mock.patch.object(nesting, "_COUNT_STEP", step):
        assert _few_tags(page, limit) == whole


@pytest.mark.parametrize("step", [1, 2, 5, 1 << 14])
def test_a_page_of_twice_the_limit_of_tags_is_counted_and_one_more_is_not(step: int) -> None:
    with mock.patch.object(nesting, "_COUNT_STEP", step):
        for lts in range(12):
            page = "1<" * lts  # a "<" that opens nothing: the count bound is 2 (an <a> and a <nobr>)
            for limit in range(2, 8):
                assert _few_tags(page, limit) == (lts <= 2 * limit), (lts, limit)


#: What the end of a script was found with before the marks were looked up two ways (a pattern of all
#: three, read mark by mark from where the script starts).
_ALL_SCRIPT_MARKS = re.compile(r"<!--|-->|</?script(?=[\t\n\f\r />])", re.IGNORECASE | re.ASCII)


def script_end_mark_by_mark(html: str, position: int) -> int:
    escaped = double = False
    for mark in _ALL_SCRIPT_MARKS.finditer(html, position):
        text = mark.group()
        if text == "<!--":
            if html.startswith((">", "->"), mark.end()):
                escaped = double = False
            else:
                escaped = True
        elif text == "-->":
            escaped = double = False
        elif text[1] == "/":
            if not double:
                return mark.start()
            double = False
        elif escaped:
            double = True
    return -1


SCRIPT_PIECES = ["<!--", "-->", "<!-->", "<!--->", "--", "-", ">", "<", "!", "/", " ", "x", "\n", "<script>",
                 "<script ", "<SCRIPT>", "<script", "<scripts>", "</script>", "</script ", "</SCRIPT/",
                 "</script", "</scripts>", "</style>", "<!-- <script>", "-->\n</script>"]  # fmt: skip


@settings(max_examples=500)  # microseconds each: enough for the escape states to come up in every run
@given(st.lists(st.sampled_from(SCRIPT_PIECES), max_size=30), st.integers(0, 5))
@example(["<!--->", "<script>", "</script>", "</script>"], 0)  # a comment that ends at once: no escape
@example(["x", "<!-->", "<script ", "</script>", "-->", "</script>"], 1)
def test_a_script_ends_where_reading_its_marks_one_by_one_ends_it(pieces: list[str], start: int) -> None:
    text, position = "".join(pieces), len("".join(pieces[:start]))  # the script starts after a piece
    assert _raw_text_end(text, "script", position) == script_end_mark_by_mark(text, position)
    end = _RAW_END["style"].search(text, position)
    assert _raw_text_end(text, "style", position) == (end.start() if end else -1)


@given(st.lists(st.sampled_from(["<div>", "</div>", "<p>", "<b>", "“quoted” لافروف", "\u200c", "<table><td>", "<svg>",
                                 "<!-- x -->", "<script>a<b</script>", "text", "\x00"]), max_size=40))  # fmt: skip
def test_a_page_parsed_from_its_utf8_bytes_is_the_page_parsed_from_its_text(parts: list[str]) -> None:
    html = "".join(parts)
    from_text, _ = parse_page(html)
    from_bytes, _ = parse_page(html, encoded=html.encode("utf-8"))
    assert from_bytes.html == from_text.html


def test_a_flattened_page_is_parsed_from_its_flattened_text_not_the_bytes() -> None:
    html = "<div>" * (MAX_DEPTH * 3) + "<p>kept</p>"
    tree, flattening = parse_page(html, encoded=html.encode("utf-8"))
    assert flattening.flattened
    assert tree.html == LexborHTMLParser(flattening.html).html
