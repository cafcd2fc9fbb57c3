"""Reading text out of HTML the way a reader sees it.

``node.text()`` glues text nodes together with nothing between them, so a
heading followed by a paragraph comes out as one word.  Here the tree is
walked by hand: inline elements are joined as written (no invented spaces),
block elements and ``<br><br>`` separate paragraphs, a single ``<br>`` is a
line break inside one, and whitespace from the HTML source (indentation,
newlines, ``&nbsp;``) is one space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.text import is_clean_line, normalize_space, strip_invisible

#: Elements whose content is never text of the page.
SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
        "head", "title", "meta", "link", "button", "input", "select", "textarea", "option",
        "video", "audio", "source", "track", "img", "picture", "map", "area",
    }
)  # fmt: skip

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

#: Elements that start a new paragraph when they appear inside running text.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "li",
        "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot",
        "tr", "td", "th", "caption", "ul",
    }
) | HEADING_TAGS  # fmt: skip


def tag_number(name: str) -> int:
    """lexbor's number of the named tag: a standard tag has the same number in every document."""
    return LexborHTMLParser("").create_node(name).tag_id


def _tag_numbers(names: Iterable[str]) -> frozenset[int]:
    return frozenset(map(tag_number, names))


def _node_numbers() -> tuple[int, frozenset[int]]:
    """lexbor's number of a text node, and those of the other nodes a body holds that are no element: a comment
    (``.tag`` ``-comment``) and a processing instruction (``.tag`` None)."""
    paragraph = LexborHTMLParser("<p>text<!--comment--><?instruction?></p>").css_first("p")
    assert paragraph is not None
    children = list(paragraph.iter(include_text=True))
    text = next(child.tag_id for child in children if child.is_text_node)
    return text, frozenset(child.tag_id for child in children if not child.is_text_node)


# The walks below tell nodes apart by lexbor's tag numbers, not by ``.tag``: reading a number costs half as
# much as reading a name, and the walks read one for every node of the body (~130 a page, more than 1,000 on
# some).  A custom element (``<x-widget>``) has a number of its own document's, never one of these.
TEXT_NODE_ID, _NON_ELEMENT_IDS = _node_numbers()
_BR_ID = tag_number("br")
_SKIP_IDS = _tag_numbers(SKIP_TAGS) | _NON_ELEMENT_IDS  # a node that is no element has no text to read either
_BLOCK_IDS = _tag_numbers(BLOCK_TAGS)

# A private-use character stands for <br> while the source whitespace is folded.
_BREAK = "\ue000"
_BREAK_SPACE_RE = re.compile(f" ?{_BREAK} ?")
_PARAGRAPH_BREAK_RE = re.compile(f"{_BREAK}{{2,}}")


@dataclass(frozen=True)
class Block:
    """One paragraph-level piece of the body: ``p``, ``h2``..``h6``, ``quote`` or ``li``."""

    type: str
    text: str


def _collect(node: LexborNode, parts: list[str]) -> None:
    """Append the text of ``node``'s children to ``parts``, block edges and ``<br>`` as markers.

    Walked from sibling to sibling with an explicit stack of where to go on after an element's
    children, not by recursion: a page nested 10,000 elements deep is odd but still a page, and must
    not hit Python's recursion limit.  (Following ``.next`` costs a third less than listing each
    element's children to push them: 23 µs a page of the benchmark's instead of 36.)
    """
    item = node.first_child
    if item is None:
        return
    if item.next is None and item.is_text_node:
        parts.append(item.text_content or "")  # one text node, as most paragraphs are: no walk
        return
    stack: list[tuple[LexborNode | None, str]] = []  # (the next sibling of an element walked into, its end marker)
    while True:
        if item is None:
            if not stack:
                return
            item, end = stack.pop()
            if end:
                parts.append(end)
            continue
        tag = item.tag_id
        if tag == TEXT_NODE_ID:
            parts.append(item.text_content or "")
        elif tag == _BR_ID:
            parts.append(_BREAK)
        elif tag not in _SKIP_IDS:
            if tag in _BLOCK_IDS:
                parts.append(_BREAK * 2)
                stack.append((item.next, _BREAK * 2))  # a block's end is a paragraph break too
            else:
                stack.append((item.next, ""))
            item = item.first_child
            continue
        item = item.next


def _fold(parts: list[str]) -> str:
    text = "".join(parts)
    if is_clean_line(text):  # no break marker either: it is unprintable
        return text
    # str.split() folds whitespace faster than a regex; the spaces it drops at the ends are
    # stripped from every line afterwards anyway.
    text = " ".join(strip_invisible(text).split())
    return _BREAK_SPACE_RE.sub(_BREAK, text) if _BREAK in text else text


def _split_paragraphs(folded: str) -> list[str]:
    if _BREAK not in folded:  # one paragraph of one line, as most are
        return [folded] if folded else []
    paragraphs = []
    for chunk in _PARAGRAPH_BREAK_RE.split(folded):
        lines = [line.strip() for line in chunk.split(_BREAK)]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return paragraphs


def inline_text(node: LexborNode) -> str:
    """The element's text on one line (breaks become spaces)."""
    parts: list[str] = []
    _collect(node, parts)
    return normalize_space(_fold(parts).replace(_BREAK, " "))


def paragraphs(node: LexborNode) -> list[str]:
    """The element's text as paragraphs: block children and ``<br><br>`` split it."""
    parts: list[str] = []
    _collect(node, parts)
    return _split_paragraphs(_fold(parts))


#: Block elements read as blocks of their own; any other block element is a container, walked into.
_LEAF_BLOCK_TAGS = HEADING_TAGS | {"p", "pre", "blockquote", "ul", "ol", "figure", "figcaption", "hr"}
_LEAF_BLOCK_IDS = _tag_numbers(_LEAF_BLOCK_TAGS)


def body_blocks(container: LexborNode, nodes: list[LexborNode] | None = None) -> list[Block]:
    """Walk a body container child by child into typed blocks.

    Containers inside it (``div``, ``section``, ...) are walked into with an
    explicit stack rather than by recursion, so nesting depth is no limit.
    ``nodes``, when given (a trace: :mod:`crawler.extraction.trace`), gets one
    element per block: the element it was read from, or for running text the
    container it runs in.
    """
    blocks: list[Block] = []
    pending: list[str] = []  # running inline content between block elements
    owner = container  # traced only: the element the running text is in

    def flush() -> None:
        texts = _split_paragraphs(_fold(pending))
        blocks.extend(Block("p", text) for text in texts)
        if nodes is not None:
            nodes.extend([owner] * len(texts))
        pending.clear()

    # Walked from sibling to sibling as in _collect; the stack holds where to go on after a container.
    stack: list[LexborNode | None] = []
    child = container.first_child
    while True:
        if child is None:  # the end of a container: the running text before it is one paragraph
            if pending:
                flush()
            if not stack:
                return blocks
            child = stack.pop()
            continue
        tag = child.tag_id
        if nodes is not None and not pending and child.parent is not None:
            owner = child.parent
        if tag == TEXT_NODE_ID:
            # Whitespace that starts a run folds away: the indentation between blocks never starts one.
            # lexbor tells ASCII whitespace without making a string of it.  (It counts an empty text as
            # whitespace too, which no parsed page has; and one would only start an empty run.)
            if pending:
                pending.append(child.text_content or "")
            elif not child.is_empty_text_node and not (text := child.text_content or "").isspace():
                pending.append(text)
        elif tag == _BR_ID:
            pending.append(_BREAK)
        elif tag in _SKIP_IDS:
            pass
        elif tag not in _BLOCK_IDS:
            _collect(child, pending)
        else:
            if pending:
                flush()
            if tag in _LEAF_BLOCK_IDS:
                blocks.extend(_block_element(child, tag, nodes))
            else:
                stack.append(child.next)
                child = child.first_child
                continue
        child = child.next


_LI_ID = tag_number("li")


def _list_items(node: LexborNode) -> list[LexborNode]:
    """The list's items: its ``<li>`` children, and those of wrappers between it and them.

    Templates wrap items in ``<div>``s, and hand-made pages nest a ``<ul>`` straight
    in a ``<ul>``; an item's own sub-lists are read with it, as part of its line.
    """
    items: list[LexborNode] = []
    stack = [child for child in node.iter() if child.is_element_node]
    stack.reverse()
    while stack:
        child = stack.pop()
        tag = child.tag_id
        if tag == _LI_ID:
            items.append(child)
        elif tag not in _SKIP_IDS:
            grandchildren = [item for item in child.iter() if item.is_element_node]
            grandchildren.reverse()
            stack.extend(grandchildren)
    return items


#: The block types of headings, by tag number: the page's ``<h1>`` is its headline, one in the body a subheading.
_HEADING_TYPES = {tag_number(name): "h2" if name == "h1" else name for name in HEADING_TAGS}
_PARAGRAPH_IDS = _tag_numbers(["p", "pre"])
_QUOTE_ID = tag_number("blockquote")
_LIST_IDS = _tag_numbers(["ul", "ol"])
_NO_TEXT_IDS = _tag_numbers(["figcaption", "hr"])


def _block_element(node: LexborNode, tag: int, nodes: list[LexborNode] | None = None) -> list[Block]:
    """The blocks of the element, of tag number ``tag`` (its element per block appended to ``nodes``, when traced)."""
    blocks: list[Block]
    if tag in _HEADING_TYPES:
        text = inline_text(node)
        blocks = [Block(_HEADING_TYPES[tag], text)] if text else []
    elif tag in _PARAGRAPH_IDS:
        blocks = [Block("p", text) for text in paragraphs(node)]
    elif tag == _QUOTE_ID:
        blocks = [Block("quote", text) for text in paragraphs(node)]
    elif tag in _LIST_IDS:
        items = [(item, text) for item in _list_items(node) if (text := inline_text(item))]
        if nodes is not None:
            nodes.extend(item for item, _ in items)
        return [Block("li", text) for _, text in items]
    elif tag in _NO_TEXT_IDS:
        return []
    else:
        # Images and their captions are read apart, never into the body; but a figure may
        # frame a table or a code listing (``<figure class="wp-block-table">``): that is text.
        return body_blocks(node, nodes)
    if nodes is not None:
        nodes.extend([node] * len(blocks))
    return blocks
