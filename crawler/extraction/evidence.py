"""What a container's class and id say for or against its being the article.

Words only, matched inside names (``article-body``, ``elementor-widget``):
weak evidence next to the text itself, which the finder weighs first.
"""

from __future__ import annotations

import itertools
import re

from selectolax.lexbor import LexborNode


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
#: ... and any element named as a caption, credit or teaser (a <span class="caption"> between
#: paragraphs is not prose of the article).
PRUNE_NAMES_RE = _any_of("caption credit related promo newsletter popup tooltip popover rollover")


def class_evidence(node: LexborNode) -> str:
    """The node's class and id, lower-cased: what NEGATIVE_RE and POSITIVE_RE read."""
    if not node.is_element_node:  # a processing instruction among siblings, say: no attributes at all
        return " "
    attributes = node.attrs  # a view: half the cost of .attributes, which copies them all into a dict
    return f"{attributes.get('class') or ''} {attributes.get('id') or ''}".lower()


def negative_words(node: LexborNode) -> set[str]:
    """The words of NEGATIVE_RE in the node's class and id."""
    evidence = class_evidence(node)
    return {match.group() for match in NEGATIVE_RE.finditer(evidence)} if evidence.strip() else set()


def class_weight(node: LexborNode) -> float:
    evidence = class_evidence(node)
    weight = 0.0
    if evidence.strip():
        if NEGATIVE_RE.search(evidence):
            weight -= 25
        if POSITIVE_RE.search(evidence):
            weight += 25
    if node.is_element_node and node.attrs.get("itemprop") == "articleBody":
        weight += 25
    return weight
