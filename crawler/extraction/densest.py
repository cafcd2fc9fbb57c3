"""The generic finder's fallback: the densest run of text blocks on the page.

:func:`crawler.extraction.generic.find_main_content` picks one container by
votes, and a page built unlike the pages it learned from (text in ``div``s
a page builder nests ten deep, a body split into as many containers as it
has paragraphs, a template whose every wrapper is named "sidebar") can leave
it with nothing plausible.  Dropping such a page as ``missing_body`` loses an
article that a reader sees at once, so this cruder reading runs instead.

It is Body Text Extraction (Finn, Kushmerick and Smyth, 2001) on blocks
rather than tokens: the page's text blocks, in document order, each worth
its text less twice its link text less a small cost per block; the article
is the contiguous run worth most (the maximum subarray).  Prose
accumulates, menus and link lists cost, and a run of teasers never pays.
It looks at no class name, so it holds on markup nobody has seen, in any
script (lengths are characters, not words).
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from crawler.extraction.generic import MIN_BODY_CHARS, PARAGRAPH_BLOCKS
from crawler.extraction.measures import MAX_LEVELS_UP, text_length

#: What each block costs, whatever it holds: a run of crumbs ("Share", "1 min read", a date) costs
#: more than it brings, while a heading of the article between two paragraphs costs little.
BLOCK_COST = 20
#: Link text counts against a block this many times over: a teaser list loses however long it is.
LINK_WEIGHT = 2


def densest_run(root: LexborNode) -> list[LexborNode]:
    """The text blocks of the best run, in document order; empty when no run holds an article's text.

    ``root`` should already be rid of scripts, navigation and hidden elements
    (:func:`crawler.extraction.noncontent.remove_non_content`).
    """
    blocks = _leaf_blocks(root)
    best_value, best_start, best_end = 0, 0, -1
    value, start = 0, 0
    for index, (_, worth, _) in enumerate(blocks):
        if value <= 0:
            value, start = 0, index
        value += worth
        if value > best_value:
            best_value, best_start, best_end = value, start, index
    run = blocks[best_start : best_end + 1]
    prose = sum(length for _, worth, length in run if worth > 0)
    return [node for node, _, _ in run] if prose >= MIN_BODY_CHARS else []


def _leaf_blocks(root: LexborNode) -> list[tuple[LexborNode, int, int]]:
    """(block, worth, text length) for each text block, outermost only, in document order."""
    blocks: list[tuple[LexborNode, int, int]] = []
    taken: set[int] = set()
    for node in root.css(PARAGRAPH_BLOCKS):
        if _inside(node, taken):
            continue  # a block inside another block (a <p> in a <span> of a text <div>): read with it
        length = text_length(node)
        if not length:
            continue
        taken.add(node.mem_id)
        link_chars = sum(text_length(link) for link in node.css("a"))
        blocks.append((node, length - LINK_WEIGHT * min(link_chars, length) - BLOCK_COST, length))
    return blocks


def _inside(node: LexborNode, taken: set[int]) -> bool:
    if not taken:
        return False
    parent, levels = node.parent, MAX_LEVELS_UP
    while parent is not None and levels:
        if parent.mem_id in taken:
            return True
        parent, levels = parent.parent, levels - 1
    return False
