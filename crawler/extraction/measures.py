"""Text lengths and link densities, as the generic finder and its fallback count them.

Lengths are characters of text with whitespace folded as a reader sees it,
never English words: Arabic, Persian and Chinese paragraphs measure alike.
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from crawler.text import is_clean_line

#: A block shorter than this casts no vote.
MIN_BLOCK_CHARS = 25
#: How far up a paragraph's text is counted for its ancestors: bounds the work on pathologically
#: deep pages (thousands of nested elements), far above where article bodies sit.
MAX_LEVELS_UP = 40


class Measures:
    """Text lengths and link densities of one page, each computed once.

    The same containers are measured while ranking, widening, joining
    siblings and pruning; selectolax builds a node's text anew on every call.
    """

    def __init__(self) -> None:
        self._lengths: dict[int, int] = {}
        self._densities: dict[int, float] = {}

    def length(self, node: LexborNode) -> int:
        key = node.mem_id
        length = self._lengths.get(key)
        if length is None:
            length = self._lengths[key] = text_length(node)
        return length

    def link_density(self, node: LexborNode) -> float:
        """The share of the node's text that is link text (1.0 for a node with no text)."""
        key = node.mem_id
        density = self._densities.get(key)
        if density is None:
            length = self.length(node)
            links = node.css("a") if length else []
            # Candidates nest, so their links are measured once and looked up after.
            link_chars = sum(self.length(link) for link in links)
            density = self._densities[key] = min(1.0, link_chars / length) if length else 1.0
        return density


def text_length(node: LexborNode) -> int:
    return len(folded(node.text(deep=True) or ""))


def folded(text: str) -> str:
    """Whitespace runs as one space, as a reader sees them: lengths are counted in this form."""
    return text if is_clean_line(text) else " ".join(text.split())
