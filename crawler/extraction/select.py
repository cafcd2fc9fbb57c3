"""CSS selection with parsel's ``::attr(name)`` suffix, over selectolax nodes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.extraction.blocks import inline_text
from crawler.text import normalize_space

_ATTR_SUFFIX_RE = re.compile(r"::attr\(\s*([^)\s]+)\s*\)\s*$")

Root = LexborHTMLParser | LexborNode


@lru_cache(maxsize=1024)
def split_selector(selector: str) -> tuple[str, str | None]:
    """``"meta[name=x]::attr(content)"`` -> ``("meta[name=x]", "content")``.

    Selectors are the rules' (written in code, a few hundred in all) and every page reads them again:
    each is split once (a bounded cache).
    """
    match = _ATTR_SUFFIX_RE.search(selector)
    if match is None:
        return selector.strip(), None
    return selector[: match.start()].strip(), match.group(1)


def iter_values(root: Root, selector: str, found: list[LexborNode] | None = None) -> Iterator[str]:
    """Every non-empty value the selector yields, in document order.

    ``found``, when given, gets the element of each value yielded (a trace: :mod:`crawler.extraction.trace`).
    """
    css, attribute = split_selector(selector)
    for node in root.css(css):
        value = _value(node, attribute)
        if value:
            if found is not None:
                found.append(node)
            yield value


def _value(node: LexborNode, attribute: str | None) -> str:
    """The element's value: its attribute's, or its text, on one line."""
    raw = node.attributes.get(attribute) if attribute else inline_text(node)
    return normalize_space(raw or "")


def first_value(root: Root, selectors: tuple[str, ...], found: list[LexborNode] | None = None) -> str | None:
    """The first value of the first selector that yields one (its element appended to ``found``, if given).

    A selector's first match is looked for first: that search stops where it is, and mostly it has the
    value.  Only when it is empty are all the matches listed (a search for all walks the whole page).
    """
    for selector in selectors:
        css, attribute = split_selector(selector)
        first = root.css_first(css)
        if first is None:  # no match at all
            continue
        value = _value(first, attribute)
        if value:
            if found is not None:
                found.append(first)
            return value
        for value in iter_values(root, selector, found):  # the first match again, empty, then the others
            return value
    return None


def all_values(root: Root, selectors: tuple[str, ...], found: list[LexborNode] | None = None) -> list[str]:
    """All values of the first selector that yields any, without repeats (their elements appended to ``found``)."""
    for selector in selectors:
        values = list(dict.fromkeys(iter_values(root, selector, found)))
        if values:
            return values
    return []


def first_node(root: Root, selectors: tuple[str, ...], found: list[LexborNode] | None = None) -> LexborNode | None:
    """The first element of the first selector that matches (appended to ``found``, if given)."""
    for selector in selectors:
        css, _ = split_selector(selector)
        node = root.css_first(css)
        if node is not None:
            if found is not None:
                found.append(node)
            return node
    return None
