"""CSS selection with parsel's ``::attr(name)`` suffix, over selectolax nodes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.extraction.blocks import inline_text
from crawler.text import normalize_space

_ATTR_SUFFIX_RE = re.compile(r"::attr\(\s*([^)\s]+)\s*\)\s*$")

Root = LexborHTMLParser | LexborNode


def split_selector(selector: str) -> tuple[str, str | None]:
    """``"meta[name=x]::attr(content)"`` -> ``("meta[name=x]", "content")``."""
    match = _ATTR_SUFFIX_RE.search(selector)
    if match is None:
        return selector.strip(), None
    return selector[: match.start()].strip(), match.group(1)


def iter_values(root: Root, selector: str) -> Iterator[str]:
    """Every non-empty value the selector yields, in document order."""
    css, attribute = split_selector(selector)
    for node in root.css(css):
        raw = node.attributes.get(attribute) if attribute else inline_text(node)
        value = normalize_space(raw or "")
        if value:
            yield value


def first_value(root: Root, selectors: tuple[str, ...]) -> str | None:
    """The first value of the first selector that yields one."""
    for selector in selectors:
        for value in iter_values(root, selector):
            return value
    return None


def all_values(root: Root, selectors: tuple[str, ...]) -> list[str]:
    """All values of the first selector that yields any, without repeats."""
    for selector in selectors:
        values = list(dict.fromkeys(iter_values(root, selector)))
        if values:
            return values
    return []


def first_node(root: Root, selectors: tuple[str, ...]) -> LexborNode | None:
    for selector in selectors:
        css, _ = split_selector(selector)
        node = root.css_first(css)
        if node is not None:
            return node
    return None
