"""Removing from inside the chosen body what sits in the article but is not of it.

Link lists, comment threads, share bars, forms with their fine print, copies
of a box for another screen size, teasers for other pages.  A box is judged
by its text and links first; its name counts against it only when the body
does not bear the same name (:func:`crawler.extraction.generic.find_main_content`
passes the body's own words).
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from crawler.extraction.evidence import (
    NEGATIVE_RE,
    PRUNE_NAMES_RE,
    class_evidence,
    negative_words,
)
from crawler.extraction.measures import MAX_LEVELS_UP, MIN_BLOCK_CHARS, Measures, folded

#: What may be cut from inside the body: boxes and lists ...
PRUNE_BOXES = frozenset({"ul", "ol", "table", "dl", "div", "section", "aside"})
#: One short selector list, the names then read here: lexbor's case-insensitive substring
#: matching of class and id for each name cost more than all the rest of the pruning.
PRUNE_CANDIDATES = "ul, ol, table, dl, aside, [class], [id]"


#: A paragraph this short whose text is (almost) all one link's is a teaser.
TEASER_LINK_DENSITY = 0.9
MAX_TEASER_CHARS = 200


def prune(container: LexborNode, measures: Measures, own: set[str]) -> None:
    """Remove what sits inside the article but is not of it: link lists, comments, share bars.

    A box named only with the body's ``own`` words (:func:`_own_words`) is judged by its links, as an unnamed one is.
    """
    total = measures.length(container) or 1
    link_chars, linked_paragraphs = _links_inside(container, measures)
    container_id = container.mem_id
    # Only elements that carry class/id evidence or are lists can be boxes of links; bare <p>s are prose.
    for node in container.css(PRUNE_CANDIDATES):
        if node.mem_id == container_id or node.parent is None:
            continue  # lexbor's css() can match the container itself; or inside something removed already
        evidence = class_evidence(node)
        if node.tag not in PRUNE_BOXES and not PRUNE_NAMES_RE.search(evidence):
            continue  # a paragraph, link or span of the article's own
        if evidence.strip() and NEGATIVE_RE.search(evidence) and not negative_words(node) <= own:
            if measures.length(node) < total * 0.5:
                _remove(node, container, link_chars)
            continue
        chars = link_chars.get(node.mem_id)  # none: no links, so no need to measure the text either
        mostly_links = chars is not None and chars > measures.length(node) * 0.5
        if mostly_links and not _holds_prose(node, measures, link_chars):
            _remove(node, container, link_chars)
    _remove_forms(container, measures, link_chars)
    _remove_copies(container, measures, link_chars)
    # A paragraph that is nothing but a link is a teaser for another page ("Who will make the
    # Rock Hall in 2020?"), not a sentence of this one.
    for paragraph in linked_paragraphs:
        if paragraph.parent is None:
            continue  # inside something removed
        length = measures.length(paragraph)
        if length <= MAX_TEASER_CHARS and link_chars.get(paragraph.mem_id, 0) >= length * TEASER_LINK_DENSITY:
            paragraph.decompose()


#: A form and what frames it: longer than this, the box holds more than the form's own text.
MAX_FORM_BOX_CHARS = 600
#: A paragraph this long beside a form is the article's, not the form's fine print.
MIN_FRAMED_PROSE = 100


def _remove_forms(container: LexborNode, measures: Measures, link_chars: dict[int, int]) -> None:
    """Remove each form with the short box that frames it (its heading and fine print).

    A form in the body asks the reader for something (an e-mail address, a comment, a ZIP code);
    it is never the article's text, nor is the "Sign up for our newsletter" around it.
    """
    for form in container.css("form"):
        if form.parent is None:
            continue  # inside something removed
        box = form
        while (
            (parent := box.parent) is not None
            and parent.mem_id != container.mem_id
            and measures.length(parent) <= MAX_FORM_BOX_CHARS
            and not _holds_prose_beside(parent, box, measures)
        ):
            box = parent
        if measures.length(box) <= MAX_FORM_BOX_CHARS:
            _remove(box, container, link_chars)


def _holds_prose_beside(parent: LexborNode, box: LexborNode, measures: Measures) -> bool:
    """Whether the parent has a paragraph of prose outside the box: the article, not the box's frame."""
    inside = {node.mem_id for node in box.css("p")}
    return any(measures.length(p) >= MIN_FRAMED_PROSE and p.mem_id not in inside for p in parent.css("p"))


#: A box this long whose text repeats an earlier sibling's word for word is a copy of it ...
MIN_REPEATED_CHARS = 30
#: ... and copies are whole boxes: a paragraph said twice may be the article's own (a meal plan's
#: "Eat 1-2 hours after your workout", day after day).
COPY_BOXES = frozenset({"div", "section", "article", "figure", "ul", "ol", "dl", "table"})


def _remove_copies(container: LexborNode, measures: Measures, link_chars: dict[int, int]) -> None:
    """Remove boxes that repeat an earlier sibling word for word.

    Templates write some text twice, one copy for wide screens and one for narrow ones (the
    stylesheet shows one): the reader sees it once.
    """
    for parent in [container, *container.css("div, section, ul, ol")]:
        if parent.parent is None and parent.mem_id != container.mem_id:
            continue  # inside something removed
        by_length: dict[int, list[LexborNode]] = {}
        for child in parent.iter():
            if child.tag in COPY_BOXES and (length := measures.length(child)) >= MIN_REPEATED_CHARS:
                by_length.setdefault(length, []).append(child)
        for twins in by_length.values():
            if len(twins) < 2:
                continue
            seen: set[str] = set()
            for child in twins:  # siblings of one length, in document order
                text = folded(child.text(deep=True) or "")
                if text in seen:
                    _remove(child, container, link_chars)
                seen.add(text)


#: A box of links is kept whole when its paragraphs hold this much text besides their links ...
MIN_UNLINKED_PROSE = 150
#: ... and a list when its items do, this much each on average (a reference list's authors, journal, year).
MIN_UNLINKED_PER_ITEM = 40
#: How a sentence that announces a list ends ("Here are some of the courses you can take:") ...
COLONS = (":", "：")
#: ... and its least length: a sentence, not a label ("YOU MIGHT ALSO LIKE:", "Related:").
MIN_INTRODUCTION_CHARS = 40


def _holds_prose(node: LexborNode, measures: Measures, link_chars: dict[int, int]) -> bool:
    """Whether a box that is mostly link text is still text of the article.

    A list that the paragraph before it announces is; so is a list whose items say more than
    their links.  A section whose paragraphs lead into lists of links is kept whole, and its
    lists judged one by one.
    """
    if node.tag in ("ul", "ol") and _introduced(node):
        return True
    if node.tag in ("ul", "ol"):
        lists = [node]
    else:  # outermost lists only: a nested list's items are its parent's too
        lists = [
            box for box in node.css("ul, ol") if box.parent is not None and box.parent.tag not in ("li", "ul", "ol")
        ]
    items = sum(len(box.css("li")) for box in lists)
    unlinked = sum(measures.length(box) - link_chars.get(box.mem_id, 0) for box in lists)
    if items and unlinked >= items * MIN_UNLINKED_PER_ITEM:
        return True
    if node.tag in ("ul", "ol", "dl", "table"):
        return False
    prose = 0
    for paragraph in node.css("p"):
        unlinked = measures.length(paragraph) - link_chars.get(paragraph.mem_id, 0)
        if unlinked >= MIN_BLOCK_CHARS:
            prose += unlinked
            if prose >= MIN_UNLINKED_PROSE:
                return True
    return False


def _introduced(node: LexborNode) -> bool:
    """Whether the list is announced by the sentence just before it, ending with a colon."""
    previous = node.prev
    while previous is not None and previous.tag in ("-comment", "-text"):
        if previous.tag == "-text" and (previous.text_content or "").strip():
            break  # text straight before the list: it may announce it
        previous = previous.prev
    if previous is None or previous.tag not in ("p", "-text"):
        return False
    text = folded((previous.text(deep=True) if previous.tag == "p" else previous.text_content) or "").strip()
    return len(text) >= MIN_INTRODUCTION_CHARS and text.endswith(COLONS)


def _links_inside(container: LexborNode, measures: Measures) -> tuple[dict[int, int], list[LexborNode]]:
    """The characters of link text under each element of the container, and its paragraphs with links.

    Each link's length is added to its ancestors on one walk up, rather than
    searching for links under every element weighed (nested boxes would search
    the same links again and again).  A link counts at most MAX_LEVELS_UP levels up.
    Each step reads one ``mem_id`` (a call into lexbor): the walks were 40 µs a real page.
    """
    link_chars: dict[int, int] = {}
    paragraphs: dict[int, LexborNode] = {}
    container_id = container.mem_id
    for link in container.css("a"):
        chars = measures.length(link)
        node: LexborNode | None = link
        levels = MAX_LEVELS_UP
        while node is not None and levels and (key := node.mem_id) != container_id:
            link_chars[key] = link_chars.get(key, 0) + chars
            if node.tag == "p":
                paragraphs.setdefault(key, node)
            node, levels = node.parent, levels - 1
    return link_chars, list(paragraphs.values())


def _remove(node: LexborNode, container: LexborNode, link_chars: dict[int, int]) -> None:
    """Decompose the node, and take its link text off its ancestors' counts."""
    chars = link_chars.get(node.mem_id, 0)
    ancestor, levels = node.parent, MAX_LEVELS_UP
    while chars and ancestor is not None and levels and ancestor.mem_id != container.mem_id:
        link_chars[ancestor.mem_id] = max(0, link_chars.get(ancestor.mem_id, 0) - chars)
        ancestor, levels = ancestor.parent, levels - 1
    node.decompose()
