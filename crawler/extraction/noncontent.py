"""Removing what is never the article, wherever it is: scripts, navigation, hidden elements.

Done first, so that nothing after it votes for a menu or reads a script's
text.  Two kinds of page hide their content in what looks like boilerplate,
and are read as a browser shows them: React's streamed segments are put
where their scripts would put them, and a box that holds (nearly) the whole
page is kept.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from crawler.extraction.measures import text_length

#: Never content, wherever they are: these elements ...
JUNK = "script, style, noscript, template, svg, canvas, iframe, button, select, textarea, input, nav, footer, aside"
#: Junk that can wrap a page by mistake or design (scripts and styles hold no prose to keep) ...
WRAPPING_JUNK = frozenset({"nav", "footer", "aside"})
#: ... kept when it holds more than this share of the page's text: it is the page, not a box on it.
MOST_OF_PAGE = 0.8
#: ... and those whose attributes hide them or name them as navigation.  lexbor tries every
#: entry of a selector list on every element, so the attributes are found by name in one
#: short list and their values read here, not by eleven attribute-value selectors.
MAYBE_HIDDEN = "[role], [aria-hidden], [hidden], [style]"
NOT_CONTENT_ROLES = frozenset({"navigation", "complementary", "contentinfo"})
#: Inline styles that hide an element, or push it off screen (text for search engines, not readers).
HIDING_STYLE_RE = re.compile(r"display: ?none|visibility: ?hidden|-9999px|-10000px")


#: Where React's streaming renderer sends the parts of a page that were not ready at once (often the
#: article, section by section): ``<div hidden id="S:1f">``, each moved by a script to the place
#: its ``<template id="P:1f">`` (or the boundary its ``<template id="B:1f">``) marks.
STREAMED_SEGMENTS = 'div[hidden][id^="S:"]'
STREAM_PLACES = 'template[id^="P:"], template[id^="B:"]'
#: A page streamed in more segments than this is odd; the rest stay hidden (it bounds the work).
MAX_STREAMED_SEGMENTS = 1000


def _hidden(node: LexborNode) -> bool:
    """Whether an element found by MAYBE_HIDDEN is hidden or navigation by its attributes' values.

    Read from one copy of its attributes: a lookup in the ``attrs`` view scans them in lexbor,
    and four of them cost twice the copy (30 µs a real page).
    """
    attributes = node.attributes
    if attributes.get("role") in NOT_CONTENT_ROLES or attributes.get("aria-hidden") == "true" or "hidden" in attributes:
        return True
    style = attributes.get("style")
    return style is not None and HIDING_STYLE_RE.search(style) is not None


def _place_streamed_segments(root: LexborNode) -> None:
    """Move each segment React streamed to where its script would: the article whole, in order, and not hidden.

    lexbor inserts copies, so the places a moved segment brings with it are looked for in
    the copies alone, and the copying is bounded by the page's size.
    """
    segments = root.css(STREAMED_SEGMENTS)[:MAX_STREAMED_SEGMENTS]  # more stay hidden, as they say they are
    if not segments:
        return
    places = _places(root)
    # A segment placed inside another that is moved later is copied again: a page can nest them so
    # that each copy holds all the ones before it.  Copying stops at twice the page's own size.
    budget = 2 * len(root.html or "")
    for segment in segments:
        number = (segment.attrs.get("id") or "")[2:]
        place = places.pop("P:" + number, None) or places.pop("B:" + number, None)
        if place is None or place.parent is None:
            continue  # no place for it: hidden, as it says
        budget -= len(segment.html or "")
        if budget < 0:
            return
        before = place.prev
        for child in list(segment.iter(include_text=True)):
            place.insert_before(child)
        copy = place.prev
        while copy is not None and (before is None or copy.mem_id != before.mem_id):
            if copy.is_element_node:
                places.update(_places(copy))
            copy = copy.prev
        place.decompose()
        segment.decompose()


def _places(node: LexborNode) -> dict[str, LexborNode]:
    """The templates under ``node`` that mark where a streamed segment goes, by id."""
    return {template.attrs.get("id") or "": template for template in node.css(STREAM_PLACES)}


def remove_non_content(root: LexborNode) -> None:
    """Unlink scripts, navigation, asides and hidden elements: never the article, wherever they are.

    Unless one holds most of the page's text: then it is the page, not a box on it.  An
    ``<aside>`` left unclosed swallows everything after it, and frameworks that stream a
    page (React's Suspense) send its content in a ``hidden`` element that a script reveals.
    """
    page_chars: list[int] = []  # measured once, and only if a box of the page's own size turns up

    def most_of_page(node: LexborNode) -> bool:
        if not page_chars:
            page_chars.append(text_length(root))
        enough = page_chars[0] * MOST_OF_PAGE
        # The raw text is never shorter than the folded: most boxes are ruled out without folding theirs.
        return len(node.text(deep=True) or "") > enough and text_length(node) > enough

    junk = root.css(JUNK)
    tags = [node.tag for node in junk]
    # Streamed segments are placed at templates (junk), before templates and hidden elements go.  With no
    # template none could be placed: the search for segments (30 µs a real page) is then not made.
    if "template" in tags:
        _place_streamed_segments(root)
        junk = root.css(JUNK)  # the segments placed brought junk of their own
        tags = [node.tag for node in junk]
    # Unlinked whole (not node by node): nothing after this looks into them again.
    boxes = []
    for node, tag in zip(junk, tags, strict=True):
        if tag in WRAPPING_JUNK:
            boxes.append(node)  # weighed once the scripts are gone: their text is not the page's
        else:
            node.decompose(recursive=False)
    for box in boxes:
        if box.parent is not None and not most_of_page(box):
            box.decompose(recursive=False)
    for node in root.css(MAYBE_HIDDEN):  # searched after the junk went: none is inside it
        if _hidden(node) and not most_of_page(node):
            node.decompose(recursive=False)
