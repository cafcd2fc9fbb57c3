"""First guesses at a new site's rules, from one sample page and its URL.

``scrapy newsite --sample`` writes these into the new spider as a starting
point for a person to check: what the page's structure suggests for the
headline, the body container (and the related-stories, share and newsletter
boxes inside it, to ``drop``), the date and the tags, and what the sample
URL's shape suggests for ``article_urls``.  Nothing here is trusted; it saves
the first ten minutes of reading the page's source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import cssselect
from selectolax.lexbor import LexborNode
from w3lib.url import safe_url_string

from crawler.extraction import generic
from crawler.extraction.article import DEFAULT_DROP
from crawler.extraction.metadata import json_ld_layer, meta_layer
from crawler.extraction.nesting import parse_page


@dataclass
class Proposal:
    headline: str | None = None
    body: str | None = None
    date_published: str | None = None
    tags: str | None = None
    language: str | None = None
    #: Boxes inside the proposed body that are no part of the article (related stories, share bars, ...).
    drop: list[str] = field(default_factory=list)
    #: Regular expressions for article URL paths, from the sample URL's shape; empty when it shows none.
    article_urls: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


#: A plain CSS identifier: the only tag names, ids and classes a proposed selector uses.  Anything
#: else (quotes, brackets, backslashes, newlines) would need CSS escapes, and comes from a page we
#: do not trust; the selector is a first guess, so it does without that name.
CSS_IDENTIFIER_RE = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*")
#: An ISO 639 code, as the primary subtag of ``<html lang>``.
LANGUAGE_RE = re.compile(r"[a-z]{2,3}")


def is_css_identifier(name: str) -> bool:
    return CSS_IDENTIFIER_RE.fullmatch(name) is not None


def language_code(lang: str | None) -> str | None:
    """The language code in an ``<html lang>`` value ("en-GB" -> "en"), or None if it is not a plain one.

    The code is written into the new spider; a page decides what its lang
    says, so only a value of the known shape is taken.
    """
    code = re.split(r"[-_]", (lang or "").strip(), maxsplit=1)[0].lower()
    return code if LANGUAGE_RE.fullmatch(code) else None


def checked_selector(selector: str | None) -> str | None:
    """The selector if it parses as CSS (``::attr()`` included), else None: a rule that cannot run is no guess."""
    if not selector:
        return None
    try:
        cssselect.parse(selector)
    except cssselect.SelectorError:
        return None
    return selector


def _own_selector(element: LexborNode) -> str | None:
    """The element's tag with its id, or with its first two usable classes; None if its tag is no identifier."""
    tag = element.tag or ""
    if not is_css_identifier(tag):
        return None
    element_id = element.id or ""
    if is_css_identifier(element_id) and not any(char.isdigit() for char in element_id):  # "post-132517": one page
        return f"{tag}#{element_id}"
    classes = [name for name in (element.attributes.get("class") or "").split() if is_css_identifier(name)]
    return tag + "".join(f".{name}" for name in classes[:2])


def css_path(node: LexborNode) -> str | None:
    """A short selector for the node: its id, or its tag and first classes, under a parent with an id.

    Only plain identifiers are used (see ``CSS_IDENTIFIER_RE``); None when
    the node's own tag is not one, or the result does not parse.
    """
    selector = _own_selector(node)
    if selector is None:
        return None
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html", "-undef"):
        if parent.id or parent.attributes.get("class"):
            context = _own_selector(parent)
            if context is not None:
                return checked_selector(f"{context} {selector}" if "#" not in selector else selector)
        parent = parent.parent
    return checked_selector(selector)


def propose(html: str, url: str | None = None) -> Proposal:
    """Everything a sample page (and its real URL, when known) suggests; see the module's docstring."""
    tree, _ = parse_page(html)
    proposal = Proposal()
    if url is not None:
        proposal.article_urls = propose_article_urls(url)
        if not proposal.article_urls:
            proposal.notes.append("the sample URL shows no article URL shape; article_urls is empty until you write it")
    metadata, json_ld = meta_layer(tree), json_ld_layer(tree)
    if json_ld:
        proposal.notes.append("JSON-LD article found: headline, dates and authors fill in from it if selectors miss")
    if metadata.get("headline"):
        proposal.notes.append("OpenGraph title found")
    h1 = tree.css_first("h1")
    if h1 is not None:
        proposal.headline = css_path(h1)
    time_node = tree.css_first("time[datetime]")
    if time_node is not None and (time_path := css_path(time_node)) is not None:
        proposal.date_published = checked_selector(f"{time_path}::attr(datetime)")
    elif metadata.get("date_published") or json_ld.get("date_published"):
        proposal.notes.append("no shown date found; the date will come from metadata")
    tag_links = tree.css('a[rel="tag"], a[href*="/tag/"], a[href*="/tags/"], a[href*="/topics/"]')
    if tag_links:
        parent = tag_links[0].parent
        proposal.tags = checked_selector(f"{(css_path(parent) or '') if parent else ''} a".strip())
    containers = generic.find_main_content(tree.clone())  # it cuts up the tree it reads
    if containers:
        proposal.body = css_path(containers[0])
    body = tree.css_first(proposal.body) if proposal.body else None  # what the rules will read, boxes and all
    if body is not None:
        proposal.drop, unnamed = boilerplate_boxes(body)
        if unnamed:
            proposal.notes.append(
                f'the body holds {unnamed} box(es) like "Related" without a class or id to drop them by'
            )
    html_node = tree.css_first("html")
    lang = html_node.attributes.get("lang") if html_node else None
    proposal.language = language_code(lang)
    if lang and proposal.language is None:
        proposal.notes.append("the page's <html lang> is not a language code; the rules say en until you set language")
    return proposal


# -- boxes inside the body ----------------------------------------------------------------------------------

#: Class and id words of boxes that sit inside an article's container but are not the article: other
#: stories, share bars, sign-up forms, promotions.  Whole words of the class ("related-posts", "relatedPosts"),
#: never parts of one ("shared", "promotion" are not boxes).  Not "social": "social-embed" holds a tweet,
#: which belongs in ``embeds`` and would go with its box (drop comes first).
BOX_WORDS = (
    "related", "share", "sharing", "newsletter", "subscribe", "subscription", "signup", "sign-?up",
    "promo", "read-?more", "read-?next", "read-?also", "also-?read", "more-?stories", "more-?news", "most-?read",
    "most-?popular", "recommended", "recommendations", "outbrain", "taboola",
)  # fmt: skip
BOX_CLASS_RE = re.compile(r"(?:^|[^a-z])(?:" + "|".join(BOX_WORDS) + r")s?(?![a-z])", re.IGNORECASE)
#: Headings that announce such a box, in the project's languages: "Related", "Read more", "Most read", ...
BOX_HEADING_RE = re.compile(
    r"^\W*(?:related(?: (?:news|stories|articles|posts|content))?|read more|read also|also read|more stories|more news"
    r"|most read|most popular|you may (?:also )?like|recommended|see also|sign up|subscribe"
    r"|اقرأ أيضا|اقرأ أيضاً|اقرأ المزيد|مواضيع ذات صلة|أخبار ذات صلة|الأكثر قراءة|ذات صلة"
    r"|بیشتر بخوانید|بیشتر بخوانيد|اخبار مرتبط|مطالب مرتبط|پربازدیدترین)\W*$",
    re.IGNORECASE,
)
HEADINGS = "h2, h3, h4, h5, h6, strong, header"
HEADING_TAGS = frozenset(HEADINGS.split(", "))
#: A box holding more than this share of the body's text is taken to be the body, never dropped.
MAX_BOX_SHARE = 0.5
#: At most this many drop selectors are proposed (and this many elements looked at): a first guess, bounded.
MAX_DROP = 6
MAX_ELEMENTS = 5000
MAX_CANDIDATES = 50
#: A heading longer than this is a title of something, not a box's label.
MAX_HEADING_CHARS = 60


def _is_default_boilerplate(node: LexborNode) -> bool:
    """Whether the framework drops the node anyway (``DEFAULT_DROP``): no rule needed for it."""
    return any(node.css_matches(selector) for selector in DEFAULT_DROP)


def _box_candidates(body: LexborNode) -> list[LexborNode]:
    """The elements of ``body`` named as boxes, and the parents of headings that announce one, in page order.

    Found from attributes and headings only, so the work is one pass over
    the body's first ``MAX_ELEMENTS`` elements; text is measured later, for
    the few candidates (at most ``MAX_CANDIDATES``).
    """
    elements = body.css("*")[:MAX_ELEMENTS]
    order = {element.mem_id: index for index, element in enumerate(elements)}
    found: dict[int, LexborNode] = {}
    for element in elements:
        if BOX_CLASS_RE.search(f"{element.attributes.get('class') or ''} {element.id or ''}"):
            found.setdefault(element.mem_id, element)
        elif element.tag in HEADING_TAGS and BOX_HEADING_RE.match(element.text(strip=True)[: MAX_HEADING_CHARS + 1]):
            box = element.parent
            if box is not None and box.mem_id in order:  # a heading straight in the body announces no box of its own
                found.setdefault(box.mem_id, box)
            else:
                found.setdefault(element.mem_id, element)  # counted as a box without a name
    return sorted(found.values(), key=lambda node: order[node.mem_id])[:MAX_CANDIDATES]


def boilerplate_boxes(body: LexborNode) -> tuple[list[str], int]:
    """Drop selectors for the boxes in ``body`` that are not the article; and how many had no usable name.

    A box is named by its class or id words (``BOX_CLASS_RE``) or announced
    by its heading (``BOX_HEADING_RE``), holds at most half the body's text,
    and is not dropped by the framework already.  Its selector is its own tag
    with its id or classes (plain identifiers only, see ``_own_selector``):
    the drop rules apply inside the body.  A box with no such name is only
    counted: a bare tag would drop every element of that kind.
    """
    total = len(body.text(strip=True)) or 1
    selectors: list[str] = []
    unnamed = 0
    for node in _box_candidates(body):
        if len(selectors) >= MAX_DROP:
            break
        if (
            node.tag in HEADING_TAGS
            and BOX_CLASS_RE.search(f"{node.attributes.get('class') or ''} {node.id or ''}") is None
        ):
            unnamed += 1  # a "Related" heading straight in the body: its list has no box to drop
            continue
        if len(node.text(strip=True)) > total * MAX_BOX_SHARE or _is_default_boilerplate(node):
            continue
        if any(node.css_matches(selector) for selector in selectors) or _inside_dropped(node, body, selectors):
            continue
        selector = checked_selector(_own_selector(node))
        if selector is None or selector == node.tag:
            unnamed += 1
            continue
        selectors.append(selector)
    return selectors, unnamed


def _inside_dropped(node: LexborNode, body: LexborNode, selectors: list[str]) -> bool:
    parent = node.parent
    while parent is not None and parent.mem_id != body.mem_id:
        if any(parent.css_matches(selector) for selector in selectors):
            return True
        parent = parent.parent
    return False


# -- article URLs ------------------------------------------------------------------------------------------

YEAR, DAY_PART, ID = "year", "day part", "id"
#: Path segments by shape, tried in order: the regular expression each becomes, and what it is.
SEGMENT_SHAPES = (
    (re.compile(r"(?:19|20)\d{2}"), r"\d{4}", YEAR),
    (re.compile(r"(?:19|20)\d{2}-\d{2}-\d{2}"), r"\d{4}-\d{2}-\d{2}", DAY_PART),  # a day in one segment
    (re.compile(r"(?:19|20)\d{6}"), r"\d{8}", DAY_PART),  # the same, without dashes
    (re.compile(r"\d+"), r"\d+", ID),  # a month or day after a year (see _segment_pattern), else an id
    (re.compile(r"\d+\.html?"), r"\d+\.html?", ID),
    (re.compile(r"\d+-[^/]+"), r"\d+-", ID),  # an id starting a slug ("12345-lavrov-says")
)
#: A literal segment (a section: "news", "middle-east", "ar") is short, and at most two words.
SECTION_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.]*(?:-[A-Za-z0-9_.]+)?")
MAX_SECTION_CHARS = 30
MAX_SEGMENTS = 8
#: A slug of at least this many dash-joined words, alone at the root, is an article's ("/lavrov-says-nato-buried").
MIN_SLUG_WORDS = 4
#: ``[^/-]`` words, so that matching is linear: ``[^/]+`` around the dashes would backtrack on long paths.
ROOT_SLUG_PATTERN = r"^/[^/-]+(?:-[^/-]+){" + str(MIN_SLUG_WORDS - 1) + r",}/?$"


def _segment_pattern(segment: str, after_year: bool) -> tuple[str, str | None] | None:
    """The segment's regular expression and what it is (year, day part, id; None: a section); None for a slug.

    One or two digits after a year are a month or a day, padded or not
    (``\\d{1,2}``: the sample's "10" says nothing of how the site writes May).
    """
    for shape, pattern, kind in SEGMENT_SHAPES:
        if shape.fullmatch(segment):
            if kind == ID and after_year and len(segment) <= 2:
                return r"\d{1,2}", DAY_PART
            return pattern, kind
    if len(segment) <= MAX_SECTION_CHARS and SECTION_RE.fullmatch(segment):
        return re.escape(segment).replace(r"\-", "-"), None  # a dash outside a [class] needs no escape
    return None


def propose_article_urls(url: str) -> list[str]:
    """A regular expression for the paths of the site's articles, from one article's URL; [] when it shows none.

    ``article_urls=(r"^/",)`` would take every page for an article, listings
    included, so the sample URL's shape is used: its sections (regex-escaped
    literals) and its date or id, generalised.  ``/news/2021/10/18/slug`` ->
    ``^/news/\\d{4}/\\d{1,2}/\\d{1,2}/[^/]+`` (a slug after the day: the day's
    archive is a listing), ``/article/12345/slug`` -> ``^/article/\\d+/``, a
    path ending in an id -> ``^/news/\\d+(?:/|$)``; with no number, the
    sections and a slug after them (``^/world/[^/]+/?$``), or a slug of four
    words or more alone at the root.  Never a pattern matching the root or the
    section pages above the sample.
    """
    try:
        path = urlsplit(safe_url_string(url)).path  # percent-encoded, as the spider matches it
    except ValueError:
        return []
    segments = [segment for segment in path.split("/") if segment]
    if not segments or len(segments) > MAX_SEGMENTS:
        return []
    *sections, last = segments
    parts: list[str] = []
    last_kind, last_index, after_year = None, -1, False
    for index, segment in enumerate(sections):
        shaped = _segment_pattern(segment, after_year)
        if shaped is None:
            return []  # a slug in the middle of the path: no shape to tell
        pattern, kind = shaped
        parts.append(pattern)
        after_year = kind in (YEAR, DAY_PART)
        if kind is not None:
            last_kind, last_index = kind, index
    final = _segment_pattern(last, after_year)
    if final is not None and final[1] == ID:  # the path ends in the article's id
        candidate = "^/" + "/".join([*parts, final[0]]) + ("" if final[0].endswith("-") else "(?:/|$)")
    elif last_kind == ID:
        candidate = "^/" + "/".join(parts[: last_index + 1]) + "/"
    elif last_kind is not None:  # a date: the article is what comes after it
        candidate = "^/" + "/".join(parts[: last_index + 1]) + "/[^/]+"
    elif parts:
        candidate = "^/" + "/".join(parts) + "/[^/]+/?$"
    elif last.count("-") + 1 >= MIN_SLUG_WORDS:
        candidate = ROOT_SLUG_PATTERN
    else:
        return []
    article_depth = last_index + 1 if last_kind == ID else len(segments)  # /article/12345/ is the article already
    return [candidate] if _is_plausible(candidate, segments, article_depth) else []


def _is_plausible(pattern: str, segments: list[str], article_depth: int) -> bool:
    """The pattern matches the sample's path, and neither the root nor the pages above the article.

    For ``/news/2021/10/18/slug`` those are ``/news``, ``/news/2021/``, ...
    ``/news/2021/10/18/`` (section pages and date archives); for
    ``/article/12345/slug``, ``/article`` and ``/article/``.
    """
    try:
        compiled = re.compile(pattern)
    except re.error:
        return False
    above = ["/"] + [
        "/" + "/".join(segments[:depth]) + slash for depth in range(1, article_depth) for slash in ("", "/")
    ]
    return compiled.search("/" + "/".join(segments)) is not None and not any(compiled.search(page) for page in above)
