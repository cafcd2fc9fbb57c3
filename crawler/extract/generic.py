"""The last resort for the body: find the main content with no site rules.

Used when a site's body selector matches nothing (a sign its markup changed;
the spider counts every use in the crawl stats) and for pages of no known
site.  Deliberately simple for now: the element holding the most paragraph
text directly, outside page chrome.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.extract.blocks import inline_text

CANDIDATES = "article, main, section, div, td"
#: Page chrome that never holds the article, whatever its text density.
CHROME = "header, footer, nav, aside, form, [role=navigation], [role=complementary], [role=contentinfo]"
#: Below this many characters of paragraph text nothing is taken to be an article body.
MIN_BODY_CHARACTERS = 140


def _paragraph_chars(node: LexborNode) -> int:
    return sum(len(inline_text(child)) for child in node.iter() if child.tag == "p")


def find_main_content(tree: LexborHTMLParser) -> LexborNode | None:
    root = tree.body
    if root is None:
        return None
    for chrome in root.css(CHROME):
        chrome.decompose()
    best, best_chars = None, MIN_BODY_CHARACTERS - 1
    for candidate in root.css(CANDIDATES):
        chars = _paragraph_chars(candidate)
        if chars > best_chars:
            best, best_chars = candidate, chars
    return best
