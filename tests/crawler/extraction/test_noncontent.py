"""What is never the article goes before anything votes, unless it is the page itself."""

from hypothesis import given
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from crawler.extraction.noncontent import MAYBE_HIDDEN, _place_streamed_segments
from tests.crawler.extraction.test_generic import (
    ARABIC,
    ENGLISH,
    PERSIAN,
    ZWNJ,
    body_of,
    page,
    paragraphs,
    random_bodies,
)


def test_hidden_and_off_screen_text_is_not_the_article() -> None:
    hidden = (
        '<div style="display:none"><p>'
        + "Text kept for a script to show later, long enough to vote, with commas, " * 2
        + "</p></div>"
        '<div style="position:absolute; top:0; left:-9999px;"><a href="https://spam.example/">Download themes free</a></div>'
        "<p hidden>" + "A paragraph marked hidden, long enough to be a vote, with a comma, and more. " * 2 + "</p>"
    )
    html = page(f'<article class="story">{paragraphs(ENGLISH)}{hidden}</article>')
    assert body_of(html) == ENGLISH


def test_an_unclosed_aside_that_swallows_the_page_is_not_dropped() -> None:
    # "<aside>" left open around a banner: the parser puts the rest of the page inside it.
    html = f'<html><body><aside class="banner"><a href="/offer">Our offer</a><article>{paragraphs(ENGLISH)}</article></body></html>'
    assert body_of(html) == ENGLISH


def test_a_streamed_page_in_a_hidden_element_is_read() -> None:
    # React streams a page's content into <div hidden> and a script moves it into place.
    html = f'<html><body><div id="root"><p>Loading…</p></div><div hidden id="S:0"><main>{paragraphs(ARABIC)}</main></div></body></html>'
    assert body_of(html, "https://unknown.example/ar") == ARABIC


def test_a_footer_with_less_than_the_whole_page_still_goes() -> None:
    # Most of this page's text is in the article's footer (comments left inside it), but not all of it.
    footer = (
        "<footer>"
        + paragraphs(["A reader's long comment about the article, with opinions, and more of them. " * 3] * 4)
        + "</footer>"
    )
    html = f"<html><body><article><div class='story'>{paragraphs(ENGLISH)}</div>{footer}</article></body></html>"
    assert body_of(html) == ENGLISH


def test_an_article_streamed_in_segments_is_read_whole_and_in_order() -> None:
    # React sends each part of the article in a <div hidden id="S:n">, for a script to put where its
    # <template id="P:n"> stands; the first part holds the place of a third.  A segment with no place stays hidden.
    fourth = f"به گفته{ZWNJ}ی کارشناسان، این تصمیم در کوتاه{ZWNJ}مدت تأثیر چندانی بر روابط دو کشور نخواهد داشت."
    orphan = f"پیش{ZWNJ}نویس قدیمی این خبر که جایی در صفحه ندارد، و خواننده هرگز آن را نمی{ZWNJ}بیند."
    html = (
        '<html lang="fa"><body><header class="site-header"><a href="/">خانه</a></header>'
        f'<main><article><p>{PERSIAN[0]}</p><template id="P:0"></template><template id="P:1"></template></article></main>'
        f'<div hidden id="S:0"><p>{PERSIAN[1]}</p><template id="P:2"></template></div>'
        f'<div hidden id="S:1"><p>{fourth}</p></div>'
        f'<div hidden id="S:2"><p>{PERSIAN[2]}</p></div>'
        f'<div hidden id="S:9"><p>{orphan}</p></div>'
        "</body></html>"
    )
    body = body_of(html, "https://unknown.example/fa")
    assert body == [*PERSIAN, fourth]
    assert sum(text.count(ZWNJ) for text in body) == 4


def test_navigation_and_screen_reader_hidden_boxes_go_and_other_roles_stay() -> None:
    """``role="navigation"`` and ``aria-hidden="true"`` say the box is no content; ``role="main"`` or
    ``aria-hidden="false"`` say nothing against it.  Found by mutation testing (docs/mutation-testing.md)."""
    hidden = (
        '<div role="navigation"><p>'
        + "Menu of the site, its sections and its pages, long enough to vote, with commas. " * 2
        + '</p></div><div aria-hidden="true"><p>'
        + "A copy for sighted readers only, long enough to be a vote, with a comma, and more. " * 2
        + "</p></div>"
    )
    kept = f'<div role="main"><p>{ENGLISH[1]}</p></div><div aria-hidden="false"><p>{ENGLISH[2]}</p></div>'
    html = page(f'<article class="story"><p>{ENGLISH[0]}</p>{hidden}{kept}</article>')
    assert body_of(html) == ENGLISH


#: Streamed segments, and other elements, to put among random markup.
segments = st.sampled_from(('<div hidden id="S:0"><p>A segment</p></div>', '<div hidden id="S:1">', "<div hidden>",
                            '<div id="S:2" hidden><template id="x"></template></div>', "<p>", "</div>"))  # fmt: skip


@given(st.lists(st.one_of(random_bodies, segments), max_size=8).map("".join))
def test_without_a_template_no_streamed_segment_is_placed(html: str) -> None:
    """The segments are not looked for on a page with no template: none could be placed, and none is."""
    tree = LexborHTMLParser(f"<html><body>{html.replace('<template', '<div')}</body></html>")
    assert tree.body is not None
    before = tree.html
    _place_streamed_segments(tree.body)
    assert tree.html == before


hiding_attributes = st.dictionaries(
    st.sampled_from(("role", "aria-hidden", "hidden", "style", "ROLE", "Style", "aria-HIDDEN", "class")),
    st.sampled_from(("navigation", "complementary", "main", "true", "false", "", "display:none", "left:-9999px")),
    max_size=4,
)


@given(st.lists(hiding_attributes, max_size=6))
def test_an_element_s_attributes_read_as_a_copy_are_those_of_its_attrs_view(elements: list[dict[str, str]]) -> None:
    """_hidden reads the copy of an element's attributes: it holds what lookups in the view find."""
    html = "".join("<div" + "".join(f' {name}="{value}"' for name, value in attributes.items()) + ">x</div>"
                   for attributes in elements)  # fmt: skip
    body = LexborHTMLParser(f"<html><body><svg><a role='navigation' style=x></a></svg>{html}</body></html>").body
    assert body is not None
    for node in body.css(MAYBE_HIDDEN):
        copy, view = node.attributes, node.attrs
        for name in ("role", "aria-hidden", "style"):
            assert copy.get(name) == view.get(name)
        assert ("hidden" in copy) == ("hidden" in view)
