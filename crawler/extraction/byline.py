"""Authors read from the page's byline, for pages whose metadata names none.

JSON-LD and ``<meta name=author>`` are the first sources; many pages have neither and show the byline
only: "By Jane Doe and John Roe, Staff Writers | March 3, 2024", "بقلم: محمد علي".  What is read here,
all in the ``<body>``:

* **author marks**: ``a[rel~=author]``, ``[itemprop~=author]`` (its nested ``itemprop=name``, its
  ``content``, or its text), and links to an author page (``/author/jane-doe``);
* **byline elements**: class, id or ``data-testid`` naming a byline, author, writer or contributor
  (``.byline``, ``.author-name``, ``#post-author``), the innermost ones (a ``.byline`` holding an
  ``.author`` is read through the inner one);
* **byline lines**: a line opening with "By", "Written by", "Par", "Von", "Por", "بقلم", "كتب:",
  "نویسنده", "به قلم" ...; a line that is only the word ("By" in a span of its own, an "Article by"
  heading) takes the element after it.

Not everything that names a person is the byline.  Skipped: anything in a comment thread, a
related-stories list or card, a sidebar, widget, ``<aside>``, ``<nav>``, the page's ``<footer>``
(an ``<article>``'s own footer may hold its byline), author boxes ("author-bio", "about the
author"), and names credited for something else ("Reviewed by", "Fact checked by", "Photos by").
The byline sits by the headline: candidates within :data:`BEFORE_H1` nodes before the first ``<h1>``
and :data:`AFTER_H1` after it come first, the nearest winning with those within :data:`GROUP_SPAN`
nodes of it (a byline's several links); only when none is there is the nearest elsewhere taken.
A page without ``<h1>`` reads from its first candidate.

A candidate's text becomes names: prefixes ("By", "Par", "بقلم:") dropped; cut at separators ("|",
"•", ",", "،", ";", " – ", line breaks) and conjunctions ("and", "&", "et", "und", " و "); emails,
handles and links removed; roles ("Staff Writer", "Senior Editor", "مراسل", "خبرنگار") and trailing
credentials ("CPP", "Ph.D.") dropped from either end.  A newsroom's collective byline ("Resy Staff",
"News Desk") keeps its last word: without it the name is the site's, or a section's.  A part is kept
only if it is a plausible name: at most :data:`MAX_NAME_WORDS` words and :data:`MAX_NAME_CHARS`
characters, no digit (dates, "5 min read"), no link, some letter, in Latin script not all lower case
and no lower-case word but a particle ("de", "van", "al"), not a credential ("MS", "Ph.D."), no word
of the page's furniture ("Follow", "Updated"), and not the site's own name (``og:site_name``).  A
one-word name ("Susan") needs a byline word before it or to be its element's only name: beside a full
name, one word is a role or a section ("Founder", "Technology").  Names are kept as published: only
white space and the separators around them are trimmed; Arabic and Persian letters and the zero-width
non-joiner are left as they are.

Work is bounded: at most :data:`MAX_NODES` nodes are walked, the :data:`MAX_CANDIDATES` candidates
nearest the ``<h1>`` read, and a candidate longer than :data:`MAX_CANDIDATE_CHARS` characters is no
byline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.extraction.blocks import BLOCK_TAGS, SKIP_TAGS, TEXT_NODE_ID, tag_number
from crawler.text import normalize_space, word_set

#: Nodes (elements and text) walked in document order to place candidates; the rest of a page is not read.
MAX_NODES = 30_000
#: The byline is this many nodes before the first h1 at most ...
BEFORE_H1 = 150
#: ... or this many after it (a header with a picture, a standfirst, share buttons between them).
AFTER_H1 = 400
#: Candidates this close to the chosen one are part of the same byline (links of several authors).
GROUP_SPAN = 40
#: Candidates read at most, the nearest to the h1 first: a page of thousands of author links has its byline among them.
MAX_CANDIDATES = 60
#: Text longer than this is a box of prose (a bio, an article), not a byline.
MAX_CANDIDATE_CHARS = 400
#: "By ..." texts looked at, and lines kept, at most; each line up to this many characters.
MAX_LINES = 20
MAX_LINE_CHARS = 300
#: Ancestors looked at for a comment thread or a related-stories list around a candidate.
MAX_ANCESTORS = 25
#: Siblings read on either side of a "By" or a candidate (a line's inline parts, what credits it).
MAX_SIBLINGS = 30
MAX_NAME_WORDS = 6
MAX_NAME_CHARS = 60

_AUTHOR_PATHS = (
    "/author/",
    "/authors/",
    "/writer/",
    "/writers/",
    "/contributor/",
    "/contributors/",
    "/journalist/",
    "/byline/",
)
_MARKS = ", ".join(
    ['a[rel~="author" i]', '[itemprop~="author" i]'] + [f'a[href*="{path}" i]' for path in _AUTHOR_PATHS]
)
_BYLINE_CLASSES = ", ".join(
    f'[{attribute}*="{word}" i]'
    for attribute in ("class", "id", "data-testid")
    for word in ("byline", "author", "writer", "contributor")
)
#: Class/id tokens of what holds other people than the article's authors (comments, other stories, bios).
_EXCLUDED = re.compile(
    r"(?:^|[\s_-])(?:comments?|commentlist|disqus|respond|repl(?:y|ies)|related|recommend\w*|read-?next|"
    r"more-?(?:stories|from|by|news|articles|posts)|popular|trending|sidebar|widget|teaser|promo|cards?|"
    r"newsletter|bio|biography|author-?bio|about-?(?:the-?)?author|author-?(?:box|card|desc|description|profile))"
    r"(?=$|[\s_-])",
    re.IGNORECASE,
)
#: The page's footer by its class or id ("footer", "site-footer"), not a part named after it ("post-footer-social").
_FOOTER = re.compile(r"(?:^|\s)(?:(?:site|page|global|main)[-_])?footer(?=$|\s)", re.IGNORECASE)
_EXCLUDED_TAGS = frozenset({"aside", "nav"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Elements whose text is no text of the page; buttons are, in bylines (a tooltip's label).
_SKIP_TEXT = SKIP_TAGS - {"button"}
#: Source white space an element may hold beyond its text's limit before its text is not even looked at.
_RAW_FACTOR = 20
_BOUNDARY = "\ue001"
_GLUED_BOUNDARY = re.compile(f"(?<=[^\\s{_BOUNDARY}]){_BOUNDARY}+(?=[^\\s{_BOUNDARY}])")
#: Class/id tokens of a byline element's parts that are no name (a picture, a job title, links to follow).
_NOT_A_NAME_PART = re.compile(
    r"(?:^|[\s_-])(?:avatar|image|img|photo|picture|pic|thumb\w*|social|follow|title|role|job|position|desc\w*|more|"
    r"category|categories|tags?|section|date|time|des|designation|modal|popup)(?=$|[\s_-])",
    re.IGNORECASE,
)

_PREFIX = re.compile(
    r"^(?:(?:written|words|reported|posted|compiled|story|text|article|reporting)\s+by|"
    r"(?:(?:view|see|read)\s+)?(?:all\s+|more\s+)?(?:posts|articles|stories)\s+by|"
    r"by|par|von|por|autor(?:in|es)?|authors?|auteur|بقلم|نویسنده|نوشته|به\s+قلم)(?=[\s:：\-–—]|$)[\s:：\-–—]*"
    # "ByJane Doe": a byline word glued to the name by markup that spaces them with style only.
    r"|^(?-i:By)(?=[A-Z][a-z])"
    # "كتب" is also "books": a byline word only with its colon or dash.
    r"|^(?:كتب|كتبه|كتبت)\s*[:：\-–—]\s*",
    re.IGNORECASE,
)
#: What credits someone for other work than the text: such a part, or a name after it, is no author.
_OTHER_CREDIT = re.compile(
    r"^(?:(?:medically|fact|expert|peer|legally)[\s-]*)?(?:reviewed|checked|edited|verified|approved)\b"
    r"|^(?:photos?|photography|photographs?|illustrations?|illustrated|images?|video|graphics|produced|design|"
    r"translated|translation|additional\s+reporting|contributing|updated)\b"
    r"|^(?!(?:written|words|reported|reporting|story|text|article|posted|compiled)\s)[^\W\d_]+(?:\s+[^\W\d_]+)?\s+by(?:\s|:|$)",
    re.IGNORECASE,
)
_CREDIT_BEFORE = re.compile(
    r"(?:reviewed|checked|edited|verified|approved|updated|photos?|photograph\w*|illustrat\w*|video|graphics|"
    r"produced|translated|design)\s*(?:by)?\s*[:：]?\s*$"
    # "Data Analysis By", "Updated by": any "<work> by" but the writing's own ("Written by", "Story by").
    r"|(?<![^\W\d_])(?!(?:written|words|reported|reporting|story|text|article|posted|compiled)\s)[^\W\d_]+\s+by\s*[:：]?\s*$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(
    r"\s*(?:\||｜|•|·|⋅|∙|●|▪|◦|‧|・|;|،|,|\n|\s/\s|\s[-–—]\s|\u2014)\s*"
    r"|\s+(?=(?:(?:medically|fact|expert)[\s-]*)?(?:reviewed|checked|edited)\s+by\b)",
    re.IGNORECASE,
)
_CONJUNCTIONS = re.compile(r"(?:^|\s+)(?:and|und|et|و)\s+|\s*&\s*", re.IGNORECASE)
_NOISE = re.compile(r"\S+@\S+\.\S+|(?:https?://|www\.)\S+|(?<!\w)@\w+|\(\s*\)|\[\s*\]")
_TRIM = " \t.,:;|-–—•·⋅*[]{}\"'“”‘’«»"
#: Roles published beside names; dropped from either end of a part.
ROLE_WORDS = word_set(
    "writer writers editor editors reporter reporters correspondent correspondents columnist columnists "
    "contributor contributors journalist journalists producer producers photographer photographers analyst "
    "analysts author authors staff staffer critic critics intern editorial senior chief contributing "
    "associate managing deputy executive assistant freelance special junior editor-in-chief expert experts "
    "specialist founder co-founder cofounder ceo cto director coordinator manager engineer consultant "
    "strategist marketer designer developer researcher professor lecturer president officer "
    "مراسل مراسلة محرر محررة كاتب كاتبة صحفي صحفية خبرنگار نویسنده دبیر سردبیر گزارشگر"
)
#: The last word of a newsroom's collective byline ("Resy Staff", "News Desk"): kept with the name before it.
COLLECTIVE_WORDS = frozenset({"staff", "desk", "team", "editors", "newsroom"})
#: Words of the page's furniture, never in a name.
FURNITURE_WORDS = word_set(
    "updated published posted modified ago minute minutes hour hours read share follow subscribe comments "
    "comment profile view email print menu search home login sign contact more all articles posts stories "
    "admin administrator guest anonymous unknown bio policy privacy sponsored verified checked reviewed "
    "fact-checked sections trending advertisement cookies terms newsletter webmaster this content article "
    "avatar photo image picture headshot logo icon "
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "january february march april june july august september october november december jan feb mar apr jun jul aug "
    "sep sept oct nov dec"
)
#: Credentials in mixed case (the all-capital ones, "MS", "CFP", are told by their shape).
CREDENTIALS = word_set("phd dphil md mba msc bsc mph msw lcsw dds dvm rdn esq llm mfa edd psyd")
#: Lower-case words names carry ("Ludwig van Beethoven", "Oscar de la Hoya", "Ahmad al Said").
PARTICLES = word_set("de da das do dos du des del della di la le van von der den ter ten bin ibn al el y e zu af av st")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
#: A lower-case letter after five letters, then a capital: words run together ("JesudunsinAI"), not
#: "McNamara", "DeSiato", "MaryAnn".
_GLUED = re.compile(r"[^\W\d_]{4}[a-z\u00df-\u00ff][A-Z]")
_NAME_PREFIXES = re.compile(r"^(?:d'|l'|o'|mc|mac)", re.IGNORECASE)


@dataclass(frozen=True)
class _Candidate:
    position: int
    names: tuple[str, ...]
    #: An author mark or a text opening with a byline word, rather than an element only its class names.
    marked: bool
    #: The names a byline word stands right before ("By Susan").
    introduced: frozenset[str] = frozenset()


def find_authors(tree: LexborHTMLParser) -> list[str]:
    """The article's authors as the byline shows them, names only, without repeats; [] when none.

    Why the byline nearest the h1 and not every author mark on the page: comment threads,
    related-story cards and author boxes name other people, and sit elsewhere.
    """
    body = tree.body
    if body is None:
        return []
    site = [name.casefold() for name in _site_names(tree)]
    positions, anchor, lines = _walk(body)
    nodes = _candidate_nodes(body, positions)
    if anchor is None:
        starts = [item[0] for item in nodes] + [position for position, _ in lines]
        if not starts:
            return []
        anchor = min(starts)
    near: list[_Candidate] = []
    far: list[_Candidate] = []
    nodes.sort(key=lambda item: abs(item[0] - anchor))
    for position, node, mark in nodes[:MAX_CANDIDATES]:
        text = _text_of_node(node)
        found = _names_in(text, site) if text else []
        if found:
            candidate = _candidate(position, found, mark or bool(_PREFIX.match(text or "")))
            (near if _is_near(position, anchor) else far).append(candidate)
    for position, line in lines:
        found = _names_in(line, site, require_prefix=True)
        if found:
            (near if _is_near(position, anchor) else far).append(_candidate(position, found, True))
    chosen = _group(near, anchor) or _group(far, anchor)
    if any(candidate.marked for candidate in chosen):
        # Beside a link to the author's page or a "By" line, what an element's class alone names is
        # its neighbourhood: a job title, a section, the site.
        chosen = [candidate for candidate in chosen if candidate.marked]
    names = _dedupe(name for candidate in chosen for name in candidate.names)
    if any(len(name.split()) > 1 for name in names):
        # One word beside a full name is a role, a section or a picture's label, unless "By" names it.
        introduced = {name for candidate in chosen for name in candidate.introduced}
        names = [name for name in names if len(name.split()) > 1 or name in introduced]
    return names


def _is_near(position: int, anchor: int) -> bool:
    return anchor - BEFORE_H1 <= position <= anchor + AFTER_H1


def _walk(body: LexborNode) -> tuple[dict[int, int], int | None, list[tuple[int, str]]]:
    """Document positions of the first :data:`MAX_NODES` elements, the first h1's, and the "By ..." lines.

    The walk visits every node of the page (1,300 on an average news page), so what it does for each
    is kept to the least: nodes are told apart by lexbor's tag number, not by their name (a string
    made for each node, a sixth of the walk), and a text node of white space only (seven in ten) is
    known so without reading its text, which no byline word can open (a fifth of the walk).
    """
    positions: dict[int, int] = {}
    anchor: int | None = None
    lines: list[tuple[int, str]] = []
    looked = 0
    for position, node in enumerate(islice(body.traverse(include_text=True), MAX_NODES)):
        tag_id = node.tag_id
        if tag_id == TEXT_NODE_ID:
            if (
                not node.is_empty_text_node
                and looked < 2 * MAX_LINES
                and len(lines) < MAX_LINES
                and _PREFIX.match((node.text_content or "").lstrip())
            ):
                looked += 1
                if not _excluded(node.parent) and not _credited_otherwise(node) and not _heading_phrase(node):
                    line = _line_from(node)
                    if line:
                        lines.append((position, line))
            continue
        positions[node.mem_id] = position
        if anchor is None and tag_id == _H1_ID and normalize_space(node.text()[:MAX_LINE_CHARS]):
            anchor = position
    return positions, anchor, lines


#: lexbor's number of an ``<h1>`` (the walk tells nodes by number, see :mod:`crawler.extraction.blocks`).
_H1_ID = tag_number("h1")


def _heading_phrase(text_node: LexborNode) -> bool:
    """A heading "By" one word is a heading ("By Functionality", "By Region"), not a byline ("By Jane Doe, Columnist")."""
    parent = text_node.parent
    if parent is None or parent.tag not in _HEADINGS:
        return False
    return len(_PREFIX.sub("", normalize_space(parent.text()[:MAX_LINE_CHARS])).split()) == 1


def _line_from(text_node: LexborNode) -> str | None:
    """The line a "By" text opens: its text and the inline elements after it, up to a block or a break.

    A text that is the byline word alone ("By" in a span, an "Article by" heading) is followed by
    the name in the next element: that element's text is the rest of the line.
    """
    parts = [text_node.text_content or ""]
    length = len(parts[0])
    sibling = text_node.next
    for _ in range(MAX_SIBLINGS):
        if sibling is None or length >= MAX_LINE_CHARS:
            break
        tag = sibling.tag or "-"
        if tag == "br" or tag in BLOCK_TAGS:
            break
        text = sibling.text_content or "" if tag == "-text" else _element_text(sibling)
        parts.append(text)
        length += len(text)
        sibling = sibling.next
    line = "\n".join(filter(None, (normalize_space(part) for part in parts)))
    if line and not _PREFIX.sub("", line).strip():
        line = f"{line} {_text_after(text_node)}".strip()
    return line if 0 < len(line) <= MAX_LINE_CHARS else None


def _text_after(node: LexborNode) -> str:
    """The text of the first element after ``node``'s parent (or grandparent), if it is short."""
    parent = node.parent
    for _ in range(2):
        if parent is None or parent.tag in ("body", "html"):
            return ""
        sibling = parent.next
        while sibling is not None and sibling.tag == "-text" and not (sibling.text_content or "").strip():
            sibling = sibling.next
        if sibling is not None:
            text = normalize_space(sibling.text_content or "") if sibling.tag == "-text" else _element_text(sibling)
            return text if len(text) <= MAX_LINE_CHARS else ""
        parent = parent.parent
    return ""


def _element_text(node: LexborNode) -> str:
    tag = node.tag or "-"
    if tag in _SKIP_TEXT or tag.startswith("-"):
        return ""
    return _text_lines(node, MAX_LINE_CHARS) or ""


def _text_lines(node: LexborNode, limit: int) -> str | None:
    """The element's text, its blocks and breaks on lines of their own (not "Jane DoeAI Writer"); None past ``limit``.

    Buttons are read: script-rendered bylines put the name in a tooltip's button.
    """
    raw = node.text(deep=True)
    if len(raw) > limit and (len(raw) > _RAW_FACTOR * limit or len(normalize_space(raw)) > limit):
        return None  # a box of prose, or a hostile page: its length is known without walking it
    parts: list[str] = []
    for child in node.traverse(include_text=True):
        tag = child.tag or "-"
        if tag == "-text":
            parent = child.parent
            if parent is None or (parent.tag not in _SKIP_TEXT and not _is_tag_link(parent)):
                parts.append(child.text_content or "")
        elif tag == "br":
            parent = child.parent
            parts.append(" " if parent is not None and parent.tag == "a" else "\n")  # "Maria<br>Mathioudaki" in a link
        elif tag in BLOCK_TAGS:
            parts.append("\n")
        elif child is not node:
            parts.append(_BOUNDARY)
    # Inline elements set apart by style only ("<span>Luke Kim</span><span>December 17</span>") are lines apart.
    text = _GLUED_BOUNDARY.sub("\n", "".join(parts)).replace(_BOUNDARY, "")
    return "\n".join(filter(None, map(normalize_space, text.split("\n"))))


def _is_tag_link(node: LexborNode) -> bool:
    """A link to a tag or category page (``rel=tag``): a topic, never a name."""
    return node.tag == "a" and any(
        word in ("tag", "category") for word in (node.attributes.get("rel") or "").lower().split()
    )


def _candidate_nodes(body: LexborNode, positions: dict[int, int]) -> list[tuple[int, LexborNode, bool]]:
    """Author marks and byline elements (position, node, whether a mark) in document order, the innermost of nested ones."""
    found: dict[int, tuple[int, LexborNode, bool]] = {}
    for selector, mark in ((_MARKS, True), (_BYLINE_CLASSES, False)):
        for node in body.css(selector):
            position = positions.get(node.mem_id)
            if position is None:
                break  # beyond the walked part of the page: so are the rest, in document order
            if mark or not _not_a_name_part(node):  # an avatar inside a byline does not stand for it
                found.setdefault(node.mem_id, (position, node, mark))
    # The innermost: an element holding another candidate is read through that one.
    holders: set[int] = set()
    for _, node, _ in found.values():
        parent = node.parent
        for _ in range(MAX_ANCESTORS):
            if parent is None:
                break
            if parent.mem_id in found:
                holders.add(parent.mem_id)
            parent = parent.parent
    kept = [item for mem_id, item in found.items() if mem_id not in holders]
    kept.sort(key=lambda item: item[0])
    return kept


def _not_a_name_part(node: LexborNode) -> bool:
    """Whether a byline element's class or id names a part that holds no name (an avatar, a job title)."""
    attributes = node.attributes
    if node.tag == "a" or "author" in (attributes.get("itemprop") or "").lower():
        return False
    return bool(_NOT_A_NAME_PART.search(f"{attributes.get('class') or ''} {attributes.get('id') or ''}"))


def _excluded(node: LexborNode | None) -> bool:
    """Whether the node is in a comment thread, a list of other stories, an author box or the page's furniture.

    A ``<footer>`` is the page's, and excluded, unless an ``<article>`` holds it: articles' own footers
    carry bylines on some sites.
    """
    in_footer = False
    for _ in range(MAX_ANCESTORS):
        if node is None or node.tag in ("body", "html"):
            break
        tag = node.tag
        if tag in _EXCLUDED_TAGS:
            return True
        if tag == "article":
            return False  # nothing above an article is about this node any more
        attributes = node.attributes
        marks = f"{attributes.get('class') or ''} {attributes.get('id') or ''}"
        if marks.strip():
            if _EXCLUDED.search(marks):
                return True
            in_footer = in_footer or bool(_FOOTER.search(marks))
        in_footer = in_footer or tag == "footer"
        node = node.parent
    return in_footer


def _credited_otherwise(node: LexborNode) -> bool:
    """Whether the text just before the node credits something else ("Reviewed by", "Photo:")."""
    before: list[str] = []
    length = 0
    current: LexborNode | None = node
    for _ in range(3):
        if current is None:
            break
        sibling = current.prev
        for _ in range(MAX_SIBLINGS):
            if sibling is None or length >= 80:
                break
            text = sibling.text_content or "" if sibling.tag == "-text" else _element_text(sibling)
            before.append(text)
            length += len(text)
            sibling = sibling.prev
        if length:
            break
        current = current.parent
    return bool(_CREDIT_BEFORE.search(normalize_space(" ".join(reversed(before))[-80:])))


def _candidate(position: int, found: list[tuple[str, bool]], marked: bool) -> _Candidate:
    names = tuple(name for name, _ in found)
    return _Candidate(position, names, marked, frozenset(name for name, introduced in found if introduced))


def _text_of_node(node: LexborNode) -> str | None:
    """The text of an author mark or byline element to read names from; None for one not to read."""
    attributes = node.attributes
    if _excluded(node) or _credited_otherwise(node):
        return None
    if "author" in (attributes.get("itemprop") or "").lower():
        inner = node.css_first('[itemprop~="name" i]')
        if inner is not None:
            node = inner
            attributes = node.attributes
    content = attributes.get("content")
    if content is not None or node.tag in ("meta", "link"):
        text = normalize_space(content or "")
    else:
        lines = _text_lines(node, MAX_CANDIDATE_CHARS)
        if lines is None:
            return None
        text = lines or (_link_label(node) if node.tag == "a" else "")
    return text


def _link_label(link: LexborNode) -> str:
    """What an author link without text says: its label, its title, its picture's ``alt`` ("Posts by Jane Doe")."""
    attributes = link.attributes
    label = attributes.get("aria-label") or attributes.get("title")
    if not label:
        image = link.css_first("img[alt]")
        label = image.attributes.get("alt") if image is not None else None
    return normalize_space(label or "")[:MAX_LINE_CHARS]


def names_from_text(text: str, site_names: Iterable[str] = (), require_prefix: bool = False) -> list[str]:
    """The plausible names a byline's text holds, in order ("By A, B and C | March 3" -> A, B, C).

    ``require_prefix``: the text must open with a byline word ("By", "بقلم"), as a line of running
    text must to be a byline at all.
    """
    return [name for name, _ in _names_in(text, site_names, require_prefix)]


def _names_in(text: str, site_names: Iterable[str] = (), require_prefix: bool = False) -> list[tuple[str, bool]]:
    """:func:`names_from_text`'s names, each with whether a byline word stands right before it."""
    text = text[:MAX_CANDIDATE_CHARS].strip()
    if require_prefix and _PREFIX.match(text) is None:
        return []
    site = {name.casefold() for name in site_names}
    line = bool(_PREFIX.match(text))
    found: list[tuple[str, bool]] = []  # (name, whether a byline word came before it)
    credit_ahead = False
    for part in _SEPARATORS.split(text):
        if not part.strip():
            continue
        if credit_ahead:  # the name a "Researched by" line break put apart from it
            credit_ahead = False
            continue
        if _OTHER_CREDIT.match(part.strip()):
            if line and found:
                break
            credit_ahead = _CREDIT_BEFORE.search(part.strip()) is not None
            continue
        prefixed = bool(_PREFIX.match(part.strip()))
        names = [name for name in map(clean_name, _CONJUNCTIONS.split(part)) if name]
        names = [name for name in names if name.casefold() not in site and is_plausible_name(name)]
        if line and found and not names:
            break  # "By Jane Doe | Mar 11 | Brakes, Repair": the names end where the line goes on to other things
        found += [(name, prefixed) for name in names]
    full = any(len(name.split()) > 1 for name, _ in found)
    # One word beside a full name is a role or a section ("Jane Doe | Technology"), unless a byline word names it.
    kept: dict[str, tuple[str, bool]] = {}
    for name, prefixed in found:
        if prefixed or not full or len(name.split()) > 1:
            kept.setdefault(name.casefold(), (name, prefixed))
    return list(kept.values())


def clean_name(text: str) -> str:
    """One part of a byline as a name: byline words, emails, handles, links, roles and credentials off its ends."""
    text = _trim(normalize_space(_NOISE.sub(" ", text)))
    for _ in range(3):  # "Written by: By Jane" happens; three layers are plenty
        stripped = _trim(_PREFIX.sub("", text, count=1))
        if stripped == text:
            break
        text = stripped
    words = text.split()
    count = len(words)
    while words and _is_role(words[-1]):
        if words[-1].casefold() in COLLECTIVE_WORDS and len(words) > 1 and not any(map(_is_role, words[:-1])):
            break  # "Resy Staff", "News Desk": the newsroom's own byline
        words.pop()
    while words and _is_role(words[0]):
        words.pop(0)
    if len(words) < min(count, 2):
        return ""  # "Editorial Process", "Staff Clinician": a role beside a word is no name
    # "Jeffrey A. Slotnick CPP": letters after a name (not an all-capitals name's last word).
    while len(words) > 2 and _is_credential(words[-1]) and not all(word.isupper() for word in words[:-1]):
        words.pop()
    return _trim(" ".join(words))


def _trim(text: str) -> str:
    text = text.strip(_TRIM)
    # A bracket is trimmed only when its partner is not in the name ("Jane Doe (CNX)" keeps both).
    while text.endswith(")") and "(" not in text or text.startswith("(") and ")" not in text:
        text = text.strip("()").strip(_TRIM)
    return text


def is_plausible_name(name: str) -> bool:
    """Whether ``name`` can be a person's (or a newsroom's) name as bylines print them."""
    if not name or len(name) > MAX_NAME_CHARS or any(character.isdigit() for character in name):
        return False
    words = name.split()
    if len(words) > MAX_NAME_WORDS or not any(character.isalpha() for character in name):
        return False
    if "/" in name or "@" in name or name.casefold().startswith("www."):
        return False
    folded = [word.casefold().strip(_TRIM) for word in words]
    if any(word in FURNITURE_WORDS for word in folded):
        return False
    collective = len(folded) > 1 and folded[-1] in COLLECTIVE_WORDS
    if any(_is_role(word) for word in (folded[:-1] if collective else folded)):
        return False
    if _LATIN_LETTER.search(name):
        if name == name.lower():
            return False
        for word in words:
            first = next((character for character in word if character.isalpha()), "")
            if first.islower() and word.casefold() not in PARTICLES and not _NAME_PREFIXES.match(word):
                return False
        if any(_GLUED.search(word) for word in words):
            return False  # "ChecklistsJust EngagedWedding": texts of several elements run together
        if words[0].islower():
            return False  # "de la Cruz" alone is a surname cut from its name
        if len(words) == 1 and (_is_credential(name) or len(name) < 2):
            return False
    return True


def _is_credential(word: str) -> bool:
    """Letters after a name, not a name: "MS", "RD", "FAND", "Ph.D.", "PhD", "MBA"."""
    letters = word.replace(".", "").strip(",")
    if letters.casefold() in CREDENTIALS:
        return True
    return "." in word[1:] or (letters.isalpha() and letters.isupper() and len(letters) <= 5)


def _is_role(word: str) -> bool:
    return word.casefold().strip(_TRIM) in ROLE_WORDS


def _group(candidates: list[_Candidate], anchor: int) -> list[_Candidate]:
    """The candidate nearest the anchor, and those within :data:`GROUP_SPAN` of it (one byline's parts)."""
    if not candidates:
        return []
    # Nearest first; at equal distance the one after the h1 (bylines follow headlines more often).
    nearest = min(candidates, key=lambda candidate: (abs(candidate.position - anchor), candidate.position < anchor))
    group = [candidate for candidate in candidates if abs(candidate.position - nearest.position) <= GROUP_SPAN]
    group.sort(key=lambda candidate: candidate.position)
    return group


def _dedupe(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    kept: list[str] = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(name)
    return kept


def _site_names(tree: LexborHTMLParser) -> Iterator[str]:
    for selector in ('meta[property="og:site_name"]', 'meta[name="og:site_name"]', 'meta[name="application-name"]'):
        node = tree.css_first(selector)
        content = node.attributes.get("content") if node is not None else None
        if content and content.strip():
            yield normalize_space(content)
