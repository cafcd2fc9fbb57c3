"""The generic main-content finder: the body of a page with no site rules.

Used when a site's body selector matches nothing (the spider counts it: a
rule stopped matching) and for pages of no known site.  Readability's idea,
on selectolax and with multilingual signals:

0. What is never the article goes first (:mod:`crawler.extraction.noncontent`):
   scripts, navigation, hidden elements.
1. Paragraph-like blocks (``p``, ``pre``, ``blockquote``, subheadings, and
   ``div``s with no block children) of some length vote for their parent
   (fully) and grandparent (half): one point, one per comma (Latin, Arabic
   or CJK), and up to three for length; prose written straight into a
   container votes for that container.  Length is counted in characters,
   never in English words, so Arabic, Persian and Chinese score alike.
2. A candidate's score is cut by its link density and nudged by class/id
   evidence (:mod:`crawler.extraction.evidence`); schema.org ``articleBody``
   markup is evidence, not a verdict.
3. The best candidate widens to an ancestor with much more paragraph text
   (never past a lone ``<article>`` or ``<main>``: the page's own article
   ends there), and its siblings that score well, or are long paragraphs
   with few links, join it; so do containers of its own tag and classes in
   neighbouring wrappers (cousins): bodies split across containers stay whole.
4. Inside, link lists, comment threads, share bars and forms go
   (:mod:`crawler.extraction.pruning`).

Class names are the weakest evidence: a word the body bears itself (page
builders name every block of an article a ``widget``) speaks against none
of its boxes.  When all this finds nothing plausible,
:mod:`crawler.extraction.densest` reads the page's densest run of text blocks.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from crawler.extraction.evidence import (
    POSITIVE_RE,
    PRUNE_NAMES_RE,
    class_evidence,
    class_weight,
    negative_words,
)
from crawler.extraction.measures import (
    MAX_LEVELS_UP,
    MIN_BLOCK_CHARS,
    Measures,
    folded,
    text_length,
)
from crawler.extraction.noncontent import remove_non_content
from crawler.extraction.pruning import prune

#: Commas of Latin, Arabic and CJK text.
COMMAS = (",", "،", "，", "、")
#: Below this many characters of paragraph text nothing is an article body (a video page's title and summary are not).
MIN_BODY_CHARS = 250
#: Block-level children: a div with one of these is a container, not a paragraph.
BLOCK_CHILDREN = frozenset({"p", "div", "section", "article", "table", "ul", "ol", "pre", "blockquote", "h1", "h2", "h3",
                            "h4", "h5", "h6", "figure", "header", "main", "dl", "form"})  # fmt: skip


def _paragraph_selector() -> str:
    """Paragraph-like blocks: text elements and containers with no block-level child.

    Only leaves vote: a quote holding paragraphs is voted for by them, and a page
    of ten thousand nested quotes costs one vote, not ten thousand deep texts.
    The containers share one ``:is()`` entry: lexbor tries each entry of a list on
    every element, and six entries with a ``:has()`` each made the search a third
    slower (130 µs a real page, not 100).  Not ``:has(> :is(...))`` though: lexbor
    misses block children that way.
    """
    children = ", ".join(f"> {tag}" for tag in sorted(BLOCK_CHILDREN))
    return f"p, h2, h3, h4, :is(div, section, article, blockquote, pre, dd):not(:has({children}))"


#: Selected in one pass by lexbor rather than tested node by node in Python.
PARAGRAPH_BLOCKS = _paragraph_selector()
#: Containers with line breaks of their own: where prose is written straight into a container.
PROSE_CONTAINER_TAGS = frozenset({"div", "section", "article", "td"})


def _voters(root: LexborNode) -> list[tuple[LexborNode, bool]]:
    """The paragraph-like blocks (True), then the containers with prose of their own (False).

    A container with prose written straight into it (text and <br>s beside its blocks)
    votes for itself: that text is the article on many hand-made pages.  Both are
    found in one pass over the tree (the <br>s name their containers), each pass
    costing about as much as the rest of the scoring.
    """
    blocks: list[tuple[LexborNode, bool]] = []
    containers: dict[int, tuple[LexborNode, bool]] = {}
    for node in root.css(PARAGRAPH_BLOCKS + ", br"):
        if node.tag != "br":
            blocks.append((node, True))
            continue
        parent = node.parent
        if parent is not None and parent.tag in PROSE_CONTAINER_TAGS:
            containers.setdefault(parent.mem_id, (parent, False))
    return blocks + list(containers.values())


def find_main_content(tree: LexborHTMLParser) -> list[LexborNode]:
    """The article's container(s), in document order; empty when the page has no article body.

    Finding them removes what is not content from ``tree``: give it a copy (``tree.clone()``) when
    the page is read again after.
    """
    root = tree.body
    if root is None:
        return []
    remove_non_content(root)
    # Votes and paragraph text are summed per receiving container first: the paragraphs of one
    # container share its ancestors, which are then walked once for all of them.
    received: dict[int, list] = {}  # mem_id -> [container, votes, characters]
    voters = _voters(root)
    for node, is_block in voters:
        minimum = MIN_BLOCK_CHARS if is_block else MIN_BLOCK_CHARS * 4
        text = node.text(deep=is_block) or ""
        if len(text) < minimum:  # folding whitespace only shortens it
            continue
        text = folded(text)
        length = len(text)
        if length < minimum:
            continue
        start = node.parent if is_block else node  # receives the full vote, its parent half
        if start is None:
            continue
        entry = received.get(start.mem_id)
        if entry is None:
            entry = received[start.mem_id] = [start, 0, 0]
        entry[1] += 1 + sum(map(text.count, COMMAS)) + min(length // 100, 3)
        entry[2] += length
    scores: dict[int, list] = {}  # mem_id -> [node, score]
    paragraph_chars: dict[int, int] = {}  # mem_id -> characters of voting blocks inside
    chars_in = paragraph_chars.get
    for start, votes, length in received.values():
        parent = start
        for share in (1.0, 0.5):
            if parent is None or parent.tag in ("html", "-undef"):
                break
            entry = scores.setdefault(parent.mem_id, [parent, 0.0])
            entry[1] += votes * share
            parent = parent.parent
        ancestor, levels = start, MAX_LEVELS_UP  # the body is never this far above its paragraphs
        while ancestor is not None and levels:
            key = ancestor.mem_id
            paragraph_chars[key] = chars_in(key, 0) + length
            ancestor, levels = ancestor.parent, levels - 1
    if not scores:
        return []
    measures = Measures()
    # A candidate's score is its votes plus class evidence, cut by its link density; since the cut
    # only lowers it, candidates are measured best-first until none could win any more.
    ranked = sorted(scores.values(), key=lambda entry: entry[1], reverse=True)[:8]
    bounded = sorted(((raw + class_weight(node), node) for node, raw in ranked), key=lambda pair: pair[0], reverse=True)
    best, best_score = None, 0.0
    for bound, node in bounded:
        if bound <= best_score:
            break
        score = bound * (1 - measures.link_density(node))
        if score > best_score:
            best, best_score = node, score
    if best is None:
        return []
    own = _own_words(best, paragraph_chars)
    best = _widen(best, paragraph_chars, measures, own)
    blocks = {node.mem_id for node, is_block in voters if is_block}
    parts = _with_siblings(best, best_score, scores, blocks, measures, own)
    parts = _with_cousins(parts, paragraph_chars, measures)
    if not _enough_text(best, sum(paragraph_chars.get(part.mem_id, 0) for part in parts), measures):
        return []  # menus, a title and a summary line: no article here
    for part in parts:
        prune(part, measures, own)
    return parts


def _enough_text(node: LexborNode, paragraph_text: int, measures: Measures) -> bool:
    if paragraph_text >= MIN_BODY_CHARS:
        return True
    # prose in lists or cells: enough text, and not mostly links
    return measures.length(node) >= MIN_BODY_CHARS and measures.link_density(node) < 0.5


#: An ancestor with this much more paragraph text than the chosen container holds the rest of the body.
WIDEN_RATIO = 2.0
MAX_WIDEN_LINK_DENSITY = 0.35


#: Elements that hold one article (or the page's main content) by the markup's own word ...
LANDMARK_TAGS = frozenset({"article", "main"})
#: ... when they hold this much paragraph text (less is a title and a summary: the body is elsewhere).
MIN_LANDMARK_CHARS = 1000


def _lone_landmark(node: LexborNode, paragraph_chars: dict[int, int]) -> bool:
    """Whether the node is an ``<article>`` or ``<main>`` with an article's worth of paragraph text
    and no sibling of its tag (not one teaser among many, not a title and summary)."""
    if node.tag not in LANDMARK_TAGS or node.parent is None or paragraph_chars.get(node.mem_id, 0) < MIN_LANDMARK_CHARS:
        return False
    return not any(sibling.tag == node.tag and sibling.mem_id != node.mem_id for sibling in node.parent.iter())


def _widen(best: LexborNode, paragraph_chars: dict[int, int], measures: Measures, own: set[str]) -> LexborNode:
    """Climb to the ancestor that holds the whole body when it is split into several containers.

    Never above an ``<article>`` or ``<main>`` that is the only one among its siblings: the
    page's own article ends there, and what lies beside it (comments, testimonials, a footer)
    is not more of it.
    """
    current, current_chars = best, paragraph_chars.get(best.mem_id, 0)
    landmark = best if _lone_landmark(best, paragraph_chars) else None  # the nearest lone <article>/<main> holding it
    parent = best.parent
    while parent is not None and parent.tag not in ("body", "html", "-undef"):
        chars = paragraph_chars.get(parent.mem_id, 0)
        if chars < current_chars * WIDEN_RATIO:
            if landmark is None and _lone_landmark(parent, paragraph_chars):
                landmark = parent
            parent = parent.parent
            continue  # a wrapper with nothing more in it: look further up
        if not negative_words(parent) <= own or measures.link_density(parent) > MAX_WIDEN_LINK_DENSITY:
            break
        if landmark is not None:
            return landmark
        current, current_chars = parent, chars
        if _lone_landmark(parent, paragraph_chars):
            landmark = parent
        parent = parent.parent
    return current


def _with_siblings(
    best: LexborNode, best_score: float, scores: dict[int, list], blocks: set[int], measures: Measures, own: set[str]
) -> list[LexborNode]:
    """The best candidate and the siblings that continue it (a body split across containers).

    A sibling joins when it scored well itself, or when it is a paragraph of some
    length with few links: a ``<p>``, or a ``<div>`` of text named as one
    (``zn-body__paragraph``), as some templates put the opening paragraphs before
    the container that holds the rest.  The siblings are those of the outermost
    wrapper holding nothing but the best candidate (templates wrap a body, or
    each of its parts, in stacks of ``div``s), below the page's own regions.
    """
    anchor = best
    while (
        anchor.parent is not None
        and anchor.parent.parent is not None
        and anchor.parent.parent.tag not in ("body", "html", "-undef")
        and _holds_only(anchor.parent, anchor)
    ):
        anchor = anchor.parent
    parent = anchor.parent
    if parent is None:
        return [best]
    threshold = max(10.0, best_score * 0.2)
    anchor_id = anchor.mem_id
    parts, sibling = [], parent.first_child
    while sibling is not None:
        if sibling.mem_id == anchor_id:
            parts.append(sibling)
        elif (tag := sibling.tag) not in ("-text", "-comment"):
            voted = scores.get(sibling.mem_id, [None, 0.0])[1] >= threshold
            prose = tag == "p" or (sibling.mem_id in blocks and POSITIVE_RE.search(class_evidence(sibling)))
            # Named and measured only if it could join (most siblings are bylines, menus, ads: neither;
            # reading every sibling's names was 15 µs a real page).
            if (
                (voted or prose)
                and negative_words(sibling) <= own
                and (
                    (voted and measures.link_density(sibling) < 0.3)
                    or (prose and measures.length(sibling) > 80 and measures.link_density(sibling) < 0.25)
                )
            ):
                parts.append(sibling)
        sibling = sibling.next
    return parts if len(parts) > 1 else [best]  # alone, the best candidate itself (its classes find cousins)


def _holds_only(parent: LexborNode, child: LexborNode) -> bool:
    """Whether the parent's text is the child's alone: all else it holds is whitespace.

    The same as its text length being no more than the child's (a text only grows longer
    with words around it), read from the child's siblings alone: measuring each wrapper
    read the whole body's text again (140 µs a real page, the most of finding siblings).
    """
    child_id = child.mem_id
    return not any(
        (node.text(deep=True) or "").strip() for node in parent.iter(include_text=True) if node.mem_id != child_id
    )


#: A container of the body's own kind elsewhere on the page joins it with this much paragraph text.
MIN_COUSIN_CHARS = 100
MAX_COUSIN_LINK_DENSITY = 0.3
CSS_IDENTIFIER_RE = re.compile(r"-?[_a-zA-Z\u00a0-\uffff][-_a-zA-Z0-9\u00a0-\uffff]*")
#: How far up cousins may share an ancestor.
COUSIN_DEPTH = 3


def _with_cousins(parts: list[LexborNode], paragraph_chars: dict[int, int], measures: Measures) -> list[LexborNode]:
    """Add the containers that repeat the body's own tag and classes in neighbouring wrappers.

    Templates that interleave the body with pictures, quotes or ads often close
    the body's container and open another of the same kind in a new wrapper:
    the pieces are cousins, not siblings (siblings were judged already), and
    they share a near ancestor.
    """
    best = parts[0] if len(parts) == 1 else None
    classes = (best.attrs.get("class") or "").split() if best is not None else []
    # Only class names that are plain CSS identifiers make the selector: a page's class may hold anything.
    if best is None or not classes or not all(CSS_IDENTIFIER_RE.fullmatch(name) for name in classes):
        return parts
    near = _ancestors(best, COUSIN_DEPTH)
    scope = best  # cousins share an ancestor this near, so only its subtree is searched
    for _ in range(COUSIN_DEPTH):
        scope = scope.parent if scope.parent is not None else scope
    try:
        same_kind = scope.css((best.tag or "") + "".join("." + name for name in classes))
    except SelectolaxError:  # a tag name lexbor accepts in a page but not in a selector
        return parts
    cousins = []
    for node in same_kind:
        if node.mem_id == best.mem_id:
            cousins.append(node)
            continue
        if paragraph_chars.get(node.mem_id, 0) < MIN_COUSIN_CHARS:
            continue
        ancestors = _ancestors(node, COUSIN_DEPTH)
        if (
            ancestors[:1] != near[:1]  # a sibling, judged already
            and node.mem_id not in near  # around the body, not beside it
            and best.mem_id not in ancestors  # inside the body
            and not set(ancestors).isdisjoint(near)
            and measures.link_density(node) <= MAX_COUSIN_LINK_DENSITY
        ):
            cousins.append(node)
    return cousins if len(cousins) > 1 else parts


def _ancestors(node: LexborNode, depth: int) -> list[int]:
    """The mem_ids of the node's nearest ``depth`` ancestors, nearest first."""
    ids: list[int] = []
    parent = node.parent
    while parent is not None and len(ids) < depth:
        ids.append(parent.mem_id)
        parent = parent.parent
    return ids


#: A negative word names the body when the boxes bearing it hold this share of the best candidate's paragraph text.
OWN_WORD_SHARE = 0.5


def _own_words(best: LexborNode, paragraph_chars: dict[int, int]) -> set[str]:
    """The negative words that name the body itself, and so are no evidence against its wrappers and boxes.

    Page builders name every block of an article a ``widget`` (``elementor-widget``,
    ``textwidget``, ``c-product-widget``).  A word names the body when the best candidate
    bears it, or when boxes in it that bear it hold most of its paragraph text and the body
    goes on after the last of them: a comment thread, however long, closes the article.
    Only the best candidate and what it holds count (not a thread around it), and the
    names of what is never prose (``caption``, ``related``) never do.
    """
    own = negative_words(best)
    total = paragraph_chars.get(best.mem_id, 0)
    if not total:
        return own
    best_id = best.mem_id
    named = [node for node in best.css("[class], [id]") if node.mem_id != best_id]  # css() can match best itself
    share = total * OWN_WORD_SHARE
    if not _may_name_body(named, own, paragraph_chars, share):
        return own
    held: dict[str, int] = {}
    last: dict[str, LexborNode] = {}
    counted: dict[str, set[int]] = {}  # word -> boxes counted already, so that nested boxes count once
    for node in named:
        for word in negative_words(node) - own:
            boxes = counted.setdefault(word, set())
            if not _inside_any(node, boxes, best):
                boxes.add(node.mem_id)
                held[word] = held.get(word, 0) + paragraph_chars.get(node.mem_id, 0)
                last[word] = node
    words = {word for word, chars in held.items() if chars >= share and not PRUNE_NAMES_RE.search(word)}
    if words:  # ... and the body goes on after the last of them
        order = {node.mem_id: index for index, node in enumerate(best.traverse())}
        blocks = [node for node in best.css(PARAGRAPH_BLOCKS) if text_length(node) >= MIN_BLOCK_CHARS]
        last_block = max((order.get(node.mem_id, -1) for node in blocks), default=-1)
        words = {
            word for word in words if last_block > max(order.get(node.mem_id, -1) for node in last[word].traverse())
        }
    return own | words


def _may_name_body(named: list[LexborNode], own: set[str], paragraph_chars: dict[int, int], share: float) -> bool:
    """Whether a word of the boxes could hold the share of paragraph text that names the body.

    Only the boxes that hold paragraph text are read: a word's outermost boxes hold no more
    than all its boxes that hold any.  On nearly every page no word comes near, and the
    words of the other boxes (most of them) are never read: reading every box's words was
    90 µs a real page, the most of finding the body's own words.
    """
    reach: dict[str, int] = {}
    for node in named:
        if chars := paragraph_chars.get(node.mem_id, 0):
            for word in negative_words(node) - own:
                reach[word] = reach.get(word, 0) + chars
    return any(chars >= share and not PRUNE_NAMES_RE.search(word) for word, chars in reach.items())


def _inside_any(node: LexborNode, ids: set[int], top: LexborNode) -> bool:
    """Whether one of the node's ancestors below ``top`` is among ``ids``."""
    if not ids:
        return False
    parent, levels = node.parent, MAX_LEVELS_UP
    while parent is not None and levels and parent.mem_id != top.mem_id:
        if parent.mem_id in ids:
            return True
        parent, levels = parent.parent, levels - 1
    return False
