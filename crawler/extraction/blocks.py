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
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

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

    Walked with an explicit stack, not by recursion: a page nested 10,000
    elements deep is odd but still a page, and must not hit Python's recursion limit.
    """
    first = node.first_child
    if first is not None and first.next is None and first.is_text_node:
        parts.append(first.text_content or "")  # one text node, as most paragraphs are: no walk
        return
    stack: list[LexborNode | str] = _children_reversed(node)
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        tag = item.tag or "-"  # lexbor gives a processing instruction ("<?x ...>") no tag name
        if tag == "-text":
            parts.append(item.text_content or "")
        elif tag == "br":
            parts.append(_BREAK)
        elif tag in SKIP_TAGS or tag.startswith("-"):
            continue
        elif tag in BLOCK_TAGS:
            parts.append(_BREAK * 2)
            stack.append(_BREAK * 2)  # after the children, which go on the stack above it
            stack.extend(_children_reversed(item))
        else:
            stack.extend(_children_reversed(item))


def _children_reversed(node: LexborNode) -> list[LexborNode | str]:
    """The node's children (text included), last first: popping them off a stack reads them in order."""
    children: list[LexborNode | str] = list(node.iter(include_text=True))
    children.reverse()
    return children


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
#: Marks the end of a container on the walk's stack: the running text before it is one paragraph.
_END_OF_CONTAINER = "end of container"


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

    stack: list[LexborNode | str] = _children_reversed(container)
    while stack:
        child = stack.pop()
        if isinstance(child, str):  # _END_OF_CONTAINER
            if pending:
                flush()
            continue
        tag = child.tag or "-"  # as in _collect
        if nodes is not None and not pending and child.parent is not None:
            owner = child.parent
        if tag == "-text":
            text = child.text_content or ""
            # Whitespace that starts a run folds away: the indentation between blocks never starts one.
            if pending or not text.isspace():
                pending.append(text)
        elif tag == "br":
            pending.append(_BREAK)
        elif tag in SKIP_TAGS or tag.startswith("-"):
            continue
        elif tag not in BLOCK_TAGS:
            _collect(child, pending)
        elif tag in _LEAF_BLOCK_TAGS:
            if pending:
                flush()
            blocks.extend(_block_element(child, nodes))
        else:
            if pending:
                flush()
            stack.append(_END_OF_CONTAINER)
            stack.extend(_children_reversed(child))
    if pending:
        flush()
    return blocks


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
        if child.tag == "li":
            items.append(child)
        elif child.tag not in SKIP_TAGS:
            grandchildren = [item for item in child.iter() if item.is_element_node]
            grandchildren.reverse()
            stack.extend(grandchildren)
    return items


def _block_element(node: LexborNode, nodes: list[LexborNode] | None = None) -> list[Block]:
    """The element's blocks (its element per block appended to ``nodes``, when traced)."""
    tag = node.tag
    blocks: list[Block]
    if tag in HEADING_TAGS:
        text = inline_text(node)
        blocks = [Block("h2" if tag == "h1" else tag, text)] if text else []
    elif tag == "p" or tag == "pre":
        blocks = [Block("p", text) for text in paragraphs(node)]
    elif tag == "blockquote":
        blocks = [Block("quote", text) for text in paragraphs(node)]
    elif tag in ("ul", "ol"):
        items = [(item, text) for item in _list_items(node) if (text := inline_text(item))]
        if nodes is not None:
            nodes.extend(item for item, _ in items)
        return [Block("li", text) for _, text in items]
    elif tag in ("figcaption", "hr"):
        return []
    else:
        # Images and their captions are read apart, never into the body; but a figure may
        # frame a table or a code listing (``<figure class="wp-block-table">``): that is text.
        return body_blocks(node, nodes)
    if nodes is not None:
        nodes.extend([node] * len(blocks))
    return blocks
