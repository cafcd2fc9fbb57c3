from selectolax.lexbor import LexborHTMLParser

from crawler.extraction.blocks import Block, body_blocks, inline_text, paragraphs


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


def test_a_figure_framing_a_table_or_code_is_text_but_its_caption_is_not() -> None:
    # WordPress frames tables in <figure class="wp-block-table">, and code listings are framed so too.
    html = (
        '<figure class="wp-block-table"><table><tr><th>Year</th><th>Visitors</th></tr><tr><td>2019</td><td>1,200</td></tr>'
        "</table><figcaption>Visitors by year</figcaption></figure>"
        "<figure><pre>pip install newsframe</pre><figcaption>Installing it</figcaption></figure>"
    )
    assert body_blocks(node(html)) == [
        Block("p", "Year"),
        Block("p", "Visitors"),
        Block("p", "2019"),
        Block("p", "1,200"),
        Block("p", "pip install newsframe"),
    ]


def test_list_items_wrapped_in_divs_or_in_a_list_nested_straight_in_a_list_are_items() -> None:
    # Templates wrap each item in a <div>; hand-made pages put a <ul> straight in a <ul>.  An item's
    # own sub-list is read with it, on its line.
    html = (
        '<ul><div class="item"><li>one</li></div><div class="item"><li>two</li></div></ul>'
        "<ul><ul><li>three</li></ul><li>four<ul><li>its sub-item</li></ul></li></ul>"
    )
    assert body_blocks(node(html)) == [
        Block("li", "one"),
        Block("li", "two"),
        Block("li", "three"),
        Block("li", "four its sub-item"),
    ]


# --- found by mutation testing (docs/mutation-testing.md) ----------------------------------------------------------


def test_prose_written_straight_into_the_container_keeps_its_line_breaks_and_paragraphs() -> None:
    """Hand-made pages write the article into a ``div`` with ``<br>``s: one breaks a line, two a paragraph."""
    html = "Prose written straight into the page.<br>A second line.<br><br>A new paragraph."
    assert body_blocks(node(html)) == [
        Block("p", "Prose written straight into the page.\nA second line."),
        Block("p", "A new paragraph."),
    ]


def test_an_h1_in_the_body_is_a_subheading_and_a_numbered_list_gives_items() -> None:
    """The page's ``<h1>`` is the headline: one inside the body is a subheading.  ``<ol>`` items are items."""
    html = "<h1>A heading</h1><ol><li>one</li><li>two</li></ol>"
    assert body_blocks(node(html)) == [Block("h2", "A heading"), Block("li", "one"), Block("li", "two")]
