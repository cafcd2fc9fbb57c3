from hypothesis import given
from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.extraction.blocks import (
    _BLOCK_IDS,
    _BR_ID,
    _BREAK,
    _HEADING_TYPES,
    _LEAF_BLOCK_IDS,
    _LEAF_BLOCK_TAGS,
    _SKIP_IDS,
    BLOCK_TAGS,
    HEADING_TAGS,
    SKIP_TAGS,
    TEXT_NODE_ID,
    Block,
    _collect,
    _fold,
    _list_items,
    _split_paragraphs,
    body_blocks,
    inline_text,
    paragraphs,
)
from tests.strategies import body_parts


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


# --- tag numbers and the sibling walk ----------------------------------------------------------------------------

#: Parts of a body: every kind of node the walks tell apart (comments, processing instructions, custom
#: elements, breaks, skipped and block elements), white space of every kind, and random trees.
BODY_PARTS = (
    "<!-- a comment -->", "<?php echo 1 ?>", "<x-widget>custom</x-widget>", "<br>", "<br><br>", "  \r\n\f ", "\xa0",
    "<script>var x;</script>", "<svg><title>t</title></svg>", "<template><p>t</p></template>", "<h1>A</h1>",
    "<ul><div><li>one</li></div><li>two<ul><li>three</li></ul></li></ul>", "<figure><pre>code</pre></figure>",
    "<table><tr><td>cell</td></tr></table>", "<p>one <b>two</b><br>three</p>", "loose text", "<hr>",
)  # fmt: skip
bodies = body_parts(BODY_PARTS)


@given(bodies)
def test_tag_numbers_tell_nodes_apart_as_their_names_do(parts: list[str]) -> None:
    """The walks read lexbor's tag numbers, not names: on any page, each number set holds the nodes its names name."""
    body = LexborHTMLParser(f"<!doctype html><html><body>{''.join(parts)}</body></html>").body
    assert body is not None
    for node in body.traverse(include_text=True):
        name, tag = node.tag or "-", node.tag_id
        assert (tag == TEXT_NODE_ID) == (name == "-text")
        if name != "-text":
            assert (tag == _BR_ID) == (name == "br")
            assert (tag in _SKIP_IDS) == (name in SKIP_TAGS or name.startswith("-"))
            assert (tag in _BLOCK_IDS) == (name in BLOCK_TAGS)
            assert (tag in _LEAF_BLOCK_IDS) == (name in _LEAF_BLOCK_TAGS)
            assert _HEADING_TYPES.get(tag) == ({"h1": "h2"}.get(name, name) if name in HEADING_TAGS else None)


@given(bodies)
def test_the_sibling_walk_reads_as_the_walk_by_names_did(parts: list[str]) -> None:
    """Every element of any page reads as the walk by tag names and listed children (:func:`_names_walk`) read it."""
    body = LexborHTMLParser(f"<html><body>{''.join(parts)}</body></html>").body
    assert body is not None
    for element in body.traverse():
        walked: list[str] = []
        _collect(element, walked)
        assert walked == _names_walk(element)
    nodes: list[LexborNode] = []
    assert [(block.type, block.text) for block in body_blocks(body, nodes)] == _names_blocks(body)
    assert len(nodes) == len(body_blocks(body))


def _names_walk(node: LexborNode) -> list[str]:
    """``_collect`` as it was: each element's children listed and pushed, nodes told apart by ``.tag``."""
    parts: list[str] = []
    stack: list[LexborNode | str] = list(node.iter(include_text=True))[::-1]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        tag = item.tag or "-"
        if tag == "-text":
            parts.append(item.text_content or "")
        elif tag == "br":
            parts.append(_BREAK)
        elif tag in SKIP_TAGS or tag.startswith("-"):
            continue
        elif tag in BLOCK_TAGS:
            parts.append(_BREAK * 2)
            stack.append(_BREAK * 2)
            stack.extend(list(item.iter(include_text=True))[::-1])
        else:
            stack.extend(list(item.iter(include_text=True))[::-1])
    return parts


def _names_blocks(container: LexborNode) -> list[tuple[str, str]]:
    """``body_blocks`` as it was, by tag names (its leaf elements read by the functions they are read by)."""
    blocks: list[tuple[str, str]] = []
    pending: list[str] = []

    def flush() -> None:
        blocks.extend(("p", text) for text in _split_paragraphs(_fold(pending)))
        pending.clear()

    stack: list[LexborNode | str] = list(container.iter(include_text=True))[::-1]
    while stack:
        child = stack.pop()
        if isinstance(child, str):
            if pending:
                flush()
            continue
        tag = child.tag or "-"
        if tag == "-text":
            text = child.text_content or ""
            if pending or not text.isspace():
                pending.append(text)
        elif tag == "br":
            pending.append(_BREAK)
        elif tag in SKIP_TAGS or tag.startswith("-"):
            continue
        elif tag not in BLOCK_TAGS:
            pending.extend(_names_walk(child))
        elif tag in _LEAF_BLOCK_TAGS:
            if pending:
                flush()
            if tag in HEADING_TAGS:
                text = inline_text(child)
                blocks.extend([({"h1": "h2"}.get(tag, tag), text)] if text else [])
            elif tag in ("p", "pre", "blockquote"):
                blocks.extend(("quote" if tag == "blockquote" else "p", text) for text in paragraphs(child))
            elif tag in ("ul", "ol"):
                blocks.extend(("li", text) for item in _list_items(child) if (text := inline_text(item)))
            elif tag == "figure":
                blocks.extend(_names_blocks(child))
        else:
            if pending:
                flush()
            stack.append("end")
            stack.extend(list(child.iter(include_text=True))[::-1])
    if pending:
        flush()
    return blocks
