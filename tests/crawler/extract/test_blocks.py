from selectolax.lexbor import LexborHTMLParser

from crawler.extract.blocks import Block, body_blocks, inline_text, paragraphs


def node(html: str):
    return LexborHTMLParser(f"<div id=x>{html}</div>").css_first("#x")


def test_inline_tags_join_as_written() -> None:
    assert inline_text(node("Sergey <a href=#>Lavrov</a>'s <b>mission</b>")) == "Sergey Lavrov's mission"


def test_source_whitespace_and_nbsp_fold() -> None:
    assert inline_text(node("one\n      two&nbsp;&nbsp;three")) == "one two three"


def test_double_br_splits_paragraphs_single_br_breaks_lines() -> None:
    html = "<p><span>first</span><br><br><span>second</span><br>line<br> <br>third</p>"
    assert paragraphs(node(html)) == ["first", "second\nline", "third"]


def test_blocks_keep_their_types_and_order() -> None:
    html = """
      <p>Lead.</p>
      <h3>An inevitable breakup</h3>
      <blockquote><p>Quoted.</p></blockquote>
      <ul><li>one</li><li>two</li></ul>
      <div><div><p>Nested.</p></div></div>
      loose text
    """
    assert body_blocks(node(html)) == [
        Block("p", "Lead."),
        Block("h3", "An inevitable breakup"),
        Block("quote", "Quoted."),
        Block("li", "one"),
        Block("li", "two"),
        Block("p", "Nested."),
        Block("p", "loose text"),
    ]


def test_scripts_styles_and_figures_are_not_text() -> None:
    html = "<p>Text<script>var x = 1;</script></p><style>p{}</style><figure><img alt=a><figcaption>Cap</figcaption></figure>"
    assert body_blocks(node(html)) == [Block("p", "Text")]


def test_empty_paragraphs_vanish() -> None:
    assert body_blocks(node("<p> </p><p>&nbsp;</p><p>x</p>")) == [Block("p", "x")]
