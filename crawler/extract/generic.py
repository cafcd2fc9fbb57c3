"""The generic main-content finder: the body of a page with no site rules.

Used when a site's body selector matches nothing (the spider counts it: a
rule stopped matching) and for pages of no known site.  Readability's idea,
on selectolax and with multilingual signals:

1. Paragraph-like blocks (``p``, ``pre``, ``blockquote``, subheadings, and
   ``div``s with no block children) of some length vote for their parent
   (fully) and grandparent (half): one point, one per comma (Latin, Arabic
   or CJK), and up to three for length; prose written straight into a
   container votes for that container.  Length is counted in characters,
   never in English words, so Arabic, Persian and Chinese score alike.
   Hidden elements (by attribute or inline style) never vote.
2. A candidate's score is cut by its link density and nudged by class/id
   evidence (``article``, ``content``, ``story`` up; ``comment``,
   ``sidebar``, ``related``, ``share``, ``footer`` down); schema.org
   ``articleBody`` markup is evidence, not a verdict.
3. The best candidate widens to an ancestor with much more paragraph text,
   and its siblings that score well, or are long paragraphs with few links,
   join it; so do containers of its own tag and classes in neighbouring
   wrappers (cousins): bodies split across containers stay whole.
4. Inside, link lists, comment threads, share bars and cookie notices go.

When this finds nothing plausible, :mod:`crawler.extract.densest` reads the
page's densest run of text blocks instead.
"""

from __future__ import annotations

import itertools
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from crawler.text import is_clean_line

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
    """Whether an element found by MAYBE_HIDDEN is hidden or navigation by its attributes' values."""
    attributes = node.attrs
    if attributes.get("role") in NOT_CONTENT_ROLES or attributes.get("aria-hidden") == "true" or "hidden" in attributes:
        return True
    style = attributes.get("style")
    return style is not None and HIDING_STYLE_RE.search(style) is not None


def _any_of(words: str, word_starts: str = "") -> re.Pattern[str]:
    """A pattern for any of ``words`` anywhere, or of the ``word_starts`` patterns at a word's start.

    The alternatives are grouped by their first letter, and none starts with ``\\b``
    (a lookbehind after the letter stands for it): ``re`` then skips at once every
    position whose letter starts none of them, where a plain alternation tries every
    word at every position, about four times slower on real class names.
    """
    alternatives = [(word[0], re.escape(word[1:])) for word in words.split()]
    alternatives += [(start[0], r"(?<!\w\w)" + start[1:]) for start in word_starts.split()]
    grouped = []
    for letter, group in itertools.groupby(sorted(alternatives), key=lambda alternative: alternative[0]):
        rests = [rest for _, rest in group]
        grouped.append(re.escape(letter) + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")"))
    return re.compile("|".join(grouped))


#: Class/id words that speak for or against a container being the article, matched in the
#: lower-cased class and id (much faster than an IGNORECASE search of this many alternatives).
POSITIVE_RE = _any_of("article body content entry main news post story text blog prose paragraph")
NEGATIVE_RE = _any_of(
    "comment combx disqus sidebar side-bar related recommend share social sharing promo sponsor advert banner-ad"
    " cookie consent newsletter subscribe signup breadcrumb pagination popup outbrain taboola trending most-read"
    " mostread popular footer masthead menu widget tags byline author-bio caption credit navigation tooltip popover"
    " rollover hovercard",
    word_starts=r"ads?\b ad- nav\b prev\b next\b",
)
#: Commas of Latin, Arabic and CJK text.
COMMAS = (",", "،", "，", "、")
#: A block shorter than this casts no vote.
MIN_BLOCK_CHARS = 25
#: Below this many characters of paragraph text nothing is an article body (a video page's title and summary are not).
MIN_BODY_CHARS = 250
#: How far up a paragraph's text is counted for its ancestors: bounds the work on pathologically
#: deep pages (thousands of nested elements), far above where article bodies sit.
MAX_LEVELS_UP = 40
#: Block-level children: a div with one of these is a container, not a paragraph.
BLOCK_CHILDREN = frozenset({"p", "div", "section", "article", "table", "ul", "ol", "pre", "blockquote", "h1", "h2", "h3",
                            "h4", "h5", "h6", "figure", "header", "main", "dl", "form"})  # fmt: skip


class _Measures:
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
    return len(_folded(node.text(deep=True) or ""))


def _folded(text: str) -> str:
    """Whitespace runs as one space, as a reader sees them: lengths are counted in this form."""
    return text if is_clean_line(text) else " ".join(text.split())


def _class_weight(node: LexborNode) -> float:
    evidence = _evidence(node)
    weight = 0.0
    if evidence.strip():
        if NEGATIVE_RE.search(evidence):
            weight -= 25
        if POSITIVE_RE.search(evidence):
            weight += 25
    if node.is_element_node and node.attrs.get("itemprop") == "articleBody":
        weight += 25
    return weight


def _paragraph_selector() -> str:
    """Paragraph-like blocks: text elements and containers with no block-level child.

    Only leaves vote: a quote holding paragraphs is voted for by them, and a page
    of ten thousand nested quotes costs one vote, not ten thousand deep texts.
    """
    children = ", ".join(f"> {tag}" for tag in sorted(BLOCK_CHILDREN))
    leaves = ", ".join(f"{tag}:not(:has({children}))" for tag in ("div", "section", "article", "blockquote", "pre", "dd"))
    return f"p, h2, h3, h4, {leaves}"


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
        number = segment.attrs.get("id", "")[2:]
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

    _place_streamed_segments(root)  # before templates (junk) and hidden elements go
    # Unlinked whole (not node by node): nothing after this looks into them again.
    boxes = []
    for junk in root.css(JUNK):
        if junk.tag in WRAPPING_JUNK:
            boxes.append(junk)  # weighed once the scripts are gone: their text is not the page's
        else:
            junk.decompose(recursive=False)
    for box in boxes:
        if box.parent is not None and not most_of_page(box):
            box.decompose(recursive=False)
    for node in root.css(MAYBE_HIDDEN):  # searched after the junk went: none is inside it
        if _hidden(node) and not most_of_page(node):
            node.decompose(recursive=False)


def find_main_content(tree: LexborHTMLParser) -> list[LexborNode]:
    """The article's container(s), in document order; empty when the page has no article body."""
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
        text = _folded(text)
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
    measures = _Measures()
    # A candidate's score is its votes plus class evidence, cut by its link density; since the cut
    # only lowers it, candidates are measured best-first until none could win any more.
    ranked = sorted(scores.values(), key=lambda entry: entry[1], reverse=True)[:8]
    bounded = sorted(((raw + _class_weight(node), node) for node, raw in ranked), key=lambda pair: pair[0], reverse=True)
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
        _prune(part, measures, own)
    return parts


def _enough_text(node: LexborNode, paragraph_text: int, measures: _Measures) -> bool:
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


def _widen(best: LexborNode, paragraph_chars: dict[int, int], measures: _Measures, own: set[str]) -> LexborNode:
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
        if not _negative_words(parent) <= own or measures.link_density(parent) > MAX_WIDEN_LINK_DENSITY:
            break
        if landmark is not None:
            return landmark
        current, current_chars = parent, chars
        if _lone_landmark(parent, paragraph_chars):
            landmark = parent
        parent = parent.parent
    return current


def _with_siblings(
    best: LexborNode, best_score: float, scores: dict[int, list], blocks: set[int], measures: _Measures, own: set[str]
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
        and measures.length(anchor.parent) <= measures.length(anchor)
    ):
        anchor = anchor.parent
    parent = anchor.parent
    if parent is None:
        return [best]
    threshold = max(10.0, best_score * 0.2)
    parts, sibling = [], parent.first_child
    while sibling is not None:
        if sibling.mem_id == anchor.mem_id:
            parts.append(sibling)
        elif sibling.tag not in ("-text", "-comment") and _negative_words(sibling) <= own:
            voted = scores.get(sibling.mem_id, [None, 0.0])[1] >= threshold
            prose = sibling.tag == "p" or (sibling.mem_id in blocks and POSITIVE_RE.search(_evidence(sibling)))
            # Measured only if it could join (most siblings are bylines, menus, ads: neither).
            if (voted and measures.link_density(sibling) < 0.3) or (
                prose and measures.length(sibling) > 80 and measures.link_density(sibling) < 0.25
            ):
                parts.append(sibling)
        sibling = sibling.next
    return parts if len(parts) > 1 else [best]  # alone, the best candidate itself (its classes find cousins)


#: A container of the body's own kind elsewhere on the page joins it with this much paragraph text.
MIN_COUSIN_CHARS = 100
MAX_COUSIN_LINK_DENSITY = 0.3
CSS_IDENTIFIER_RE = re.compile(r"-?[_a-zA-Z\u00a0-\uffff][-_a-zA-Z0-9\u00a0-\uffff]*")
#: How far up cousins may share an ancestor.
COUSIN_DEPTH = 3


def _with_cousins(parts: list[LexborNode], paragraph_chars: dict[int, int], measures: _Measures) -> list[LexborNode]:
    """Add the containers that repeat the body's own tag and classes in neighbouring wrappers.

    Templates that interleave the body with pictures, quotes or ads often close
    the body's container and open another of the same kind in a new wrapper:
    the pieces are cousins, not siblings (siblings were judged already), and
    they share a near ancestor.
    """
    best = parts[0] if len(parts) == 1 else None
    classes = (best.attrs.get("class") or "").split() if best is not None else []
    # Only class names that are plain CSS identifiers make the selector: a page's class may hold anything.
    if not classes or not all(CSS_IDENTIFIER_RE.fullmatch(name) for name in classes):
        return parts
    near = _ancestors(best, COUSIN_DEPTH)
    scope = best  # cousins share an ancestor this near, so only its subtree is searched
    for _ in range(COUSIN_DEPTH):
        scope = scope.parent if scope.parent is not None else scope
    try:
        same_kind = scope.css(best.tag + "".join("." + name for name in classes))
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
    ids, parent = [], node.parent
    while parent is not None and len(ids) < depth:
        ids.append(parent.mem_id)
        parent = parent.parent
    return ids


def _evidence(node: LexborNode) -> str:
    """The node's class and id, lower-cased: what NEGATIVE_RE and POSITIVE_RE read."""
    if not node.is_element_node:  # a processing instruction among siblings, say: no attributes at all
        return " "
    attributes = node.attrs  # a view: half the cost of .attributes, which copies them all into a dict
    return f"{attributes.get('class') or ''} {attributes.get('id') or ''}".lower()


def _negative_words(node: LexborNode) -> set[str]:
    """The words of NEGATIVE_RE in the node's class and id."""
    evidence = _evidence(node)
    return {match.group() for match in NEGATIVE_RE.finditer(evidence)} if evidence.strip() else set()


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
    own = _negative_words(best)
    total = paragraph_chars.get(best.mem_id, 0)
    if not total:
        return own
    held: dict[str, int] = {}
    last: dict[str, LexborNode] = {}
    counted: dict[str, set[int]] = {}  # word -> boxes counted already, so that nested boxes count once
    for node in best.css("[class], [id]"):
        if node.mem_id == best.mem_id:
            continue  # lexbor's css() can match the node itself
        for word in _negative_words(node) - own:
            boxes = counted.setdefault(word, set())
            if not _inside_any(node, boxes, best):
                boxes.add(node.mem_id)
                held[word] = held.get(word, 0) + paragraph_chars.get(node.mem_id, 0)
                last[word] = node
    words = {word for word, chars in held.items() if chars >= total * OWN_WORD_SHARE and not PRUNE_NAMES_RE.search(word)}
    if words:  # ... and the body goes on after the last of them
        order = {node.mem_id: index for index, node in enumerate(best.traverse())}
        blocks = [node for node in best.css(PARAGRAPH_BLOCKS) if text_length(node) >= MIN_BLOCK_CHARS]
        last_block = max((order.get(node.mem_id, -1) for node in blocks), default=-1)
        words = {word for word in words if last_block > max(order.get(node.mem_id, -1) for node in last[word].traverse())}
    return own | words


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


#: What may be cut from inside the body: boxes and lists ...
PRUNE_BOXES = frozenset({"ul", "ol", "table", "dl", "div", "section", "aside"})
#: ... and any element named as a caption, credit or teaser (a <span class="caption"> between
#: paragraphs is not prose of the article).
PRUNE_NAMES_RE = _any_of("caption credit related promo newsletter popup tooltip popover rollover")
#: One short selector list, the names then read here: lexbor's case-insensitive substring
#: matching of class and id for each name cost more than all the rest of the pruning.
PRUNE_CANDIDATES = "ul, ol, table, dl, aside, [class], [id]"


#: A paragraph this short whose text is (almost) all one link's is a teaser.
TEASER_LINK_DENSITY = 0.9
MAX_TEASER_CHARS = 200


def _prune(container: LexborNode, measures: _Measures, own: set[str]) -> None:
    """Remove what sits inside the article but is not of it: link lists, comments, share bars.

    A box named only with the body's ``own`` words (:func:`_own_words`) is judged by its links, as an unnamed one is.
    """
    total = measures.length(container) or 1
    link_chars, linked_paragraphs = _links_inside(container, measures)
    # Only elements that carry class/id evidence or are lists can be boxes of links; bare <p>s are prose.
    for node in container.css(PRUNE_CANDIDATES):
        if node.mem_id == container.mem_id or node.parent is None:
            continue  # lexbor's css() can match the container itself; or inside something removed already
        evidence = _evidence(node)
        if node.tag not in PRUNE_BOXES and not PRUNE_NAMES_RE.search(evidence):
            continue  # a paragraph, link or span of the article's own
        if evidence.strip() and NEGATIVE_RE.search(evidence) and not _negative_words(node) <= own:
            if measures.length(node) < total * 0.5:
                _remove(node, container, link_chars)
            continue
        chars = link_chars.get(node.mem_id)  # none: no links, so no need to measure the text either
        mostly_links = bool(chars) and chars > measures.length(node) * 0.5
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


def _remove_forms(container: LexborNode, measures: _Measures, link_chars: dict[int, int]) -> None:
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


def _holds_prose_beside(parent: LexborNode, box: LexborNode, measures: _Measures) -> bool:
    """Whether the parent has a paragraph of prose outside the box: the article, not the box's frame."""
    inside = {node.mem_id for node in box.css("p")}
    return any(measures.length(p) >= MIN_FRAMED_PROSE and p.mem_id not in inside for p in parent.css("p"))


#: A box this long whose text repeats an earlier sibling's word for word is a copy of it ...
MIN_REPEATED_CHARS = 30
#: ... and copies are whole boxes: a paragraph said twice may be the article's own (a meal plan's
#: "Eat 1-2 hours after your workout", day after day).
COPY_BOXES = frozenset({"div", "section", "article", "figure", "ul", "ol", "dl", "table"})


def _remove_copies(container: LexborNode, measures: _Measures, link_chars: dict[int, int]) -> None:
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
                text = _folded(child.text(deep=True) or "")
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


def _holds_prose(node: LexborNode, measures: _Measures, link_chars: dict[int, int]) -> bool:
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
        lists = [box for box in node.css("ul, ol") if box.parent is not None and box.parent.tag not in ("li", "ul", "ol")]
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
    text = _folded((previous.text(deep=True) if previous.tag == "p" else previous.text_content) or "").strip()
    return len(text) >= MIN_INTRODUCTION_CHARS and text.endswith(COLONS)


def _links_inside(container: LexborNode, measures: _Measures) -> tuple[dict[int, int], list[LexborNode]]:
    """The characters of link text under each element of the container, and its paragraphs with links.

    Each link's length is added to its ancestors on one walk up, rather than
    searching for links under every element weighed (nested boxes would search
    the same links again and again).  A link counts at most MAX_LEVELS_UP levels up.
    """
    link_chars: dict[int, int] = {}
    paragraphs: dict[int, LexborNode] = {}
    for link in container.css("a"):
        chars = measures.length(link)
        node, levels = link, MAX_LEVELS_UP
        while node is not None and levels and node.mem_id != container.mem_id:
            key = node.mem_id
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
