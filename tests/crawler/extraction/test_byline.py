"""Authors from a page's byline, on small made-up pages in English, Arabic and Persian."""

import time

import pytest
from hypothesis import given
from selectolax.lexbor import LexborHTMLParser

from crawler.extraction.blocks import TEXT_NODE_ID
from crawler.extraction.byline import (
    _H1_ID,
    _PREFIX,
    clean_name,
    find_authors,
    is_plausible_name,
    names_from_text,
)
from crawler.extraction.nesting import parse_page
from tests.strategies import body_parts

ZWNJ = "\u200c"
TEXT = "<p>The council met on Monday and voted on the budget for the coming year, after a long debate.</p>" * 3


def page(header: str, after: str = "", head: str = "", lang: str = "en") -> str:
    """An article page: site header, the article's header (h1 and byline), its text, what follows it."""
    return f"""<html lang="{lang}"><head>{head}</head><body>
      <header class="site-header"><a href="/">Home</a> <a href="/world">World</a></header>
      <main><article>
        <header><h1>Council passes the budget after a long night</h1>{header}</header>
        {TEXT}
      </article>{after}</main>
      <footer class="site-footer"><p>All rights reserved.</p></footer>
    </body></html>"""


def authors(html: str) -> list[str]:
    return find_authors(parse_page(html)[0])


def test_rel_author_link() -> None:
    html = page('<p class="meta">By <a rel="author" href="/people/jane-doe">Jane Doe</a></p>')
    assert authors(html) == ["Jane Doe"]


def test_itemprop_author_with_a_nested_name() -> None:
    html = page(
        '<div itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<img src="/jane.jpg" alt=""><span itemprop="name">Jane Doe</span><span>Senior Reporter</span></div>'
    )
    assert authors(html) == ["Jane Doe"]


def test_itemprop_author_as_meta_content() -> None:
    assert authors(page('<meta itemprop="author" content="Jane Doe"><time>March 3, 2024</time>')) == ["Jane Doe"]


def test_byline_with_two_authors_roles_and_a_date() -> None:
    html = page('<div class="byline">By Jane Doe and John Roe, Staff Writers | March 3, 2024</div>')
    assert authors(html) == ["Jane Doe", "John Roe"]


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Jane Doe, John Roe and Sam Poe", ["Jane Doe", "John Roe", "Sam Poe"]),
        ("By Jane Doe, John Roe, and Sam Poe", ["Jane Doe", "John Roe", "Sam Poe"]),
        ("By Jane Doe & John Roe", ["Jane Doe", "John Roe"]),
        ("Written by: Jane Doe | Updated March 4, 2024 10:00 am", ["Jane Doe"]),
        ("Jane Doe, Senior Editor", ["Jane Doe"]),
        ("Reporter John Roe", ["John Roe"]),
        ("By Jane Doe (jane.doe@example.com) @janedoe", ["Jane Doe"]),
        ("By Jane Doe • 5 min read", ["Jane Doe"]),
        ("Par Jeanne Dupont", ["Jeanne Dupont"]),
        ("By Ludwig van Brook", ["Ludwig van Brook"]),
        ("By Jane Doe and John Roe, Staff Writers | March 3, 2024", ["Jane Doe", "John Roe"]),
    ],
)
def test_byline_text_gives_names_only(byline: str, names: list[str]) -> None:
    assert names_from_text(byline) == names


def test_arabic_byline() -> None:
    html = page('<div class="byline">بقلم: محمد علي</div>', lang="ar")
    assert authors(html) == ["محمد علي"]


def test_arabic_byline_with_two_names() -> None:
    assert names_from_text("بقلم: محمد علي و سارة أحمد") == ["محمد علي", "سارة أحمد"]


def test_persian_byline_keeps_its_zero_width_non_joiner() -> None:
    name = f"علی{ZWNJ}رضا محمدی"
    html = page(f'<p class="post-author">نویسنده: {name}</p>', lang="fa")
    assert authors(html) == [name]
    assert ZWNJ in authors(html)[0]


def test_persian_news_code_line_is_no_byline() -> None:
    html = page('<div class="meta"><span>کد خبر: ۱۲۳۴۵۶</span></div>', lang="fa")
    assert authors(html) == []


def test_a_by_line_near_the_headline_without_any_markup() -> None:
    html = page("<p>By Jane Doe</p>")
    assert authors(html) == ["Jane Doe"]


def test_by_alone_takes_the_next_element() -> None:
    assert authors(page('<div><span>By</span> <a href="/people/jd">Jane Doe</a></div>')) == ["Jane Doe"]


def test_a_sentence_starting_with_by_is_no_byline() -> None:
    html = page("<p>By the end of the night the council had agreed on the budget.</p>")
    assert authors(html) == []


def test_author_bio_box_at_the_end_is_not_taken() -> None:
    bio = '<div class="author-bio"><h3>About the author</h3><p>Sam Poe</p><p>Sam writes about cities.</p></div>'
    assert authors(page("", after=bio)) == []
    assert authors(page('<p class="byline">By Jane Doe</p>', after=bio)) == ["Jane Doe"]


def test_comment_authors_are_not_taken() -> None:
    comments = (
        '<section id="comments" class="comments-area"><ol class="comment-list">'
        '<li><div class="comment-author vcard"><cite class="fn">Pat Commenter</cite></div><p>Great piece.</p></li>'
        '<li><div class="comment-author vcard"><a rel="author" href="/u/pc">Chris Reader</a></div><p>Agreed.</p></li>'
        "</ol></section>"
    )
    assert authors(page("", after=comments)) == []
    assert authors(page('<span class="author-name">Jane Doe</span>', after=comments)) == ["Jane Doe"]


def test_related_story_cards_authors_are_not_taken() -> None:
    related = (
        '<section class="related-posts"><article class="card"><h3>Another story</h3>'
        '<span class="author">Other Writer</span></article></section>'
    )
    assert authors(page('<span class="author">Jane Doe</span>', after=related)) == ["Jane Doe"]
    assert authors(page("", after=related)) == []


def test_reviewers_and_photographers_are_not_authors() -> None:
    html = page(
        '<div class="byline"><span class="author">By <a href="/author/jane-doe">Jane Doe</a></span>'
        '<span class="reviewer">Medically reviewed by <a href="/author/sam-poe">Sam Poe</a></span></div>'
    )
    assert authors(html) == ["Jane Doe"]
    assert names_from_text("By Jane Doe | Photos by Sam Poe") == ["Jane Doe"]


def test_the_sites_own_name_is_no_author() -> None:
    head = '<meta property="og:site_name" content="Example News">'
    assert authors(page('<p class="byline">By Example News</p>', head=head)) == []


def test_a_newsrooms_collective_byline_keeps_its_last_word() -> None:
    assert names_from_text("By Metro Desk") == ["Metro Desk"]
    assert names_from_text("By Jane Doe, Staff Writer") == ["Jane Doe"]


def test_the_byline_nearest_the_headline_wins() -> None:
    far = "<div>" + "<p>Filler paragraph of the article.</p>" * 300 + '<p class="byline">By Sam Poe</p></div>'
    assert authors(page('<p class="byline">By Jane Doe</p>', after=far)) == ["Jane Doe"]


def test_a_name_repeated_in_marks_and_byline_is_given_once() -> None:
    html = page('<div class="byline">By <a rel="author" href="/author/jane-doe">Jane Doe</a></div>')
    assert authors(html) == ["Jane Doe"]


def test_one_word_beside_a_full_name_is_a_role_not_a_name() -> None:
    html = page('<div class="author-info"><span class="author-name">Jane Doe</span>\n<span>Technology</span></div>')
    assert authors(html) == ["Jane Doe"]
    assert names_from_text("By Susan | March 3, 2024") == ["Susan"]


def test_no_body_no_authors() -> None:
    assert find_authors(LexborHTMLParser("")) == []
    assert authors("<html><body><p>Nothing here.</p></body></html>") == []


@pytest.mark.parametrize(
    "name",
    ["Jane Doe", "Oscar de la Hoya", "محمد علي", f"علی{ZWNJ}رضا محمدی", "O'Brien Smith", "Jane McDonald", "LEO GARCIA"],
)
def test_plausible_names(name: str) -> None:
    assert is_plausible_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "One Two Three Four Five Six Seven",  # too many words
        "A" * 61,  # too long
        "Jane Doe 2024",  # a digit
        "jane doe",  # all lower case
        "Read more about the council",  # lower-case words
        "https://example.com/jane",
        "www.example.com",
        "@janedoe",
        "PhD",  # a credential
        "Staff Writer",  # a role
        "Updated Yesterday",
        "Follow",
    ],
)
def test_implausible_names(name: str) -> None:
    assert not is_plausible_name(name)


def test_clean_name_keeps_the_name_as_published() -> None:
    assert clean_name("  By:  JANE  Doe ,") == "JANE Doe"
    assert clean_name("Jeffrey A. Slotnick CPP") == "Jeffrey A. Slotnick"
    assert clean_name("Jean-Luc Aufranc (CNXSoft)") == "Jean-Luc Aufranc (CNXSoft)"


def test_hostile_100000_author_links_finish() -> None:
    html = (
        "<html><body><h1>Headline</h1>"
        + '<a rel="author" href="/author/jane">Jane Doe</a>' * 100_000
        + "</body></html>"
    )
    tree = parse_page(html)[0]
    started = time.perf_counter()
    assert find_authors(tree) == ["Jane Doe"]
    assert time.perf_counter() - started < 5


def test_hostile_one_megabyte_byline_finishes() -> None:
    html = '<html><body><h1>Headline</h1><div class="byline">By ' + "Jane Doe and " * 80_000 + "</div></body></html>"
    tree = parse_page(html)[0]
    started = time.perf_counter()
    assert find_authors(tree) == []  # a megabyte of text is no byline
    assert time.perf_counter() - started < 5
    line = parse_page("<html><body><h1>Headline</h1><p>By " + "x" * 1_000_000 + "</p></body></html>")[0]
    assert find_authors(line) == []


#: Parts of a byline's surroundings: headings, "By" texts after white space of every kind, white space
#: alone, comments, and a "By" where no text of the page is (a script, an SVG).
BYLINE_PARTS = (
    "<h1>Headline</h1>", "<h1> \n </h1>", "By Jane Doe", "\n\t By John Roe", "\xa0By Ann Lee", "\u2003Written by Sam",
    "  \r\n\f ", "\n", "<!-- By no one -->", "<span>By</span> <span>Jane Roe</span>", "<script>By x</script>",
    "<svg><text>By Kim Ode</text></svg>", "بقلم: محمد علي", "<br>", "text",
)  # fmt: skip
bodies = body_parts(BYLINE_PARTS)


@given(bodies)
def test_the_walk_tells_nodes_apart_as_their_names_do(parts: list[str]) -> None:
    """The byline walk reads tag numbers, not names, and leaves a text lexbor calls empty unread: on any page,
    a text node's number is the text's, an h1's the h1's, and a text called empty opens no byline."""
    body = LexborHTMLParser(f"<html><body>{''.join(parts)}</body></html>").body
    assert body is not None
    for node in body.traverse(include_text=True):
        assert (node.tag_id == TEXT_NODE_ID) == (node.tag == "-text")
        assert (node.tag_id == _H1_ID) == (node.tag == "h1")
        if node.tag == "-text" and node.is_empty_text_node:
            assert not _PREFIX.match((node.text_content or "").lstrip())
