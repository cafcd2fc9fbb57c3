"""The article's headline, without the site's name that page titles carry.

Titles (JSON-LD ``headline``, ``og:title``, ``<title>``) are written for search results and browser
tabs, so most append or prepend the site: "Rates rise again | Example News", "الجزيرة نت - ...".  The
``<h1>`` is written for the reader and rarely does.  The rules, in order:

1. **The h1 the title confirms.**  An ``<h1>`` (not the site's logo) whose text is a title candidate,
   or is one with site matter added: the title is the h1, a separator, and a part that is identified
   as the site's name (below) or is no longer than the h1 and at most :data:`MAX_EXTRA_WORDS` words
   (a section, a site name in another script).  A title cut off with an ellipsis confirms the h1 it
   starts.  The h1 is returned as published.  A page's h1 alone, unconfirmed, may be the site's
   logo or a section name, so it is used only when no title gives a headline (rule 3).
2. **The title, its site name stripped.**  The first candidate (in the caller's order, then
   ``<title>``) loses a segment at its start or end, cut at a separator (:data:`SEPARATORS`: " | ",
   " - ", " – ", " — ", " :: ", " · ", " • ", " / ", " » ", " ؛ ", ": " ...), when that segment is
   identified as the site's name, in any script:

   * it is a site name the page states (the ``site_name`` argument, ``og:site_name``,
     ``application-name``, the ``twitter:site`` handle), compared by letters and digits only
     ("Example News" = "example-news"), or starts or ends with it word for word ("Al Jazeera
     English" for "Al Jazeera") while being the shorter part;
   * its letters are the domain's ("Example News" on examplenews.com, "NYTimes.com" on
     nytimes.com, "The Partnership for Student Success" on partnershipstudentsuccess.org: short
     words like "the" and "for" may be left out), or start with them while it is the shorter part
     ("BBC News" on bbc.co.uk); a name in another script than the domain's ("الجزيرة نت" on
     aljazeera.net) needs the page's own statement of it (``og:site_name``);
   * it is the title's part of which no word is in the page's h1, while the rest of the title is
     (an h1 worded a little otherwise than the title).

   A dash inside a word ("Covid-19") is no separator: a dash separates only with spaces around it.
   A segment that is not identified stays, whatever separators the headline holds.  Titles are
   compared case-, quote- and dash-folded; HTML-escaped candidates ("Full &#038; Part", as CMSs
   write JSON-LD) are read as the text they stand for.
3. **The h1 alone**, when no title gives a headline (none, or each only the site's name).

Work is bounded: at most :data:`MAX_H1` headings are read, titles longer than :data:`MAX_TITLE_CHARS`
are cut.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.extraction.blocks import inline_text
from crawler.text import normalize_space

#: Headings read: a page has one h1 or a few; a page of thousands has none worth choosing.
MAX_H1 = 10
#: A title longer than this is no title (a page stuffing keywords): it is cut before it is compared.
MAX_TITLE_CHARS = 500
#: A part added to the h1 in the title that is not identified as the site's name, at most this long.
MAX_EXTRA_WORDS = 5
#: A segment identified only by sharing the domain's letters is at most this many words.
MAX_SITE_WORDS = 5
#: What separates a site's name from the headline.  Dashes, colons and slashes only with white space
#: around them (a colon with space after it), so that "Covid-19", "9/11" and "10:30" are never cut.
SEPARATORS = re.compile(
    r"\s*(?:\||｜|::|·|•|»|«|؛|\u2016)\s*"
    r"|\s+(?:-{1,2}|–|—|/|~|:)\s+"
    r"|:\s+"
    r"|(?<=\S)_(?=\S)"
)
#: Separators between an h1 and what the title adds to it (rule 1).  Not the colon: "Topic: the
#: rest" titles are headlines whose h1 may show only the topic.
_H1_SEPARATORS = re.compile(r"\s*(?:\||｜|::|·|•|»|«|؛|\u2016)\s*|\s+(?:-{1,2}|–|—|/|~)\s+|(?<=\S)_(?=\S)")
#: Short words a domain often leaves out of the name it spells ("The Partnership for ..." on partnership...).
NAME_FILLERS = frozenset({"the", "a", "an", "of", "for", "and", "&", "on", "in", "at", "to"})
_WORD = re.compile(r"\w+")
#: What is not a letter or digit: ``str.isalnum`` is false of exactly the characters ``[\W_]`` matches.
_NOT_ALNUM = re.compile(r"[\W_]+")
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)$")
#: Second-level labels under a country code: the site's name is the label before them.
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go", "gob", "nic"})

_QUOTES = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "′": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"', "″": '"',
    "«": '"', "»": '"', "–": "-", "—": "-", "\u00a0": " ",
})  # fmt: skip


#: The ``<meta>`` s that name the site, most trusted first: (attribute, value).
SITE_NAME_METAS = (
    ("property", "og:site_name"), ("name", "og:site_name"), ("name", "application-name"),
    ("name", "apple-mobile-web-app-title"), ("name", "twitter:site"), ("property", "twitter:site"),
)  # fmt: skip
#: The ``<meta>`` s that give the page's title (read by :mod:`crawler.extraction.shown_dates`).
TITLE_METAS = (("property", "og:title"), ("name", "twitter:title"))
#: The metas :class:`PageMarks` keeps, each under its (attribute, value).
_MARK_METAS = frozenset((*SITE_NAME_METAS, *TITLE_METAS))


@dataclass(frozen=True)
class PageMarks:
    """The page's ``<h1>`` s, in page order, and the first ``<meta>`` of each (attribute, value) of
    :data:`SITE_NAME_METAS` and :data:`TITLE_METAS` the page has.

    Found by one search of the page (:func:`page_marks`): they were found by one search each, up to nine.
    """

    h1s: list[LexborNode]
    metas: dict[tuple[str, str], LexborNode]

    def meta_content(self, name: str, value: str) -> str | None:
        """The ``content`` of the first ``<meta {name}="{value}">``, as ``tree.css_first(...)`` would find it."""
        node = self.metas.get((name, value))
        return node.attributes.get("content") if node is not None else None

    def site_names(self, site_name: str | None = None) -> list[str]:
        """See :func:`site_names`."""
        names = [site_name] if site_name else []
        for name, value in SITE_NAME_METAS:
            content = self.meta_content(name, value)
            if content:
                names.append(content.strip().lstrip("@"))
        cleaned = (normalize_space(name)[:MAX_TITLE_CHARS] for name in names)
        return list(dict.fromkeys(name for name in cleaned if _compact(name)))


def page_marks(tree: LexborHTMLParser) -> PageMarks:
    """The page's h1s and its metas of the site's name and the title (see :class:`PageMarks`).

    One search for ``h1, meta``, the metas told apart here (a page has some 30): on a real page that
    is ~60 µs, where a search for the nine selectors is ~100 and the nine searches were ~120.  A meta
    matches ``meta[property="og:title"]`` when its ``property`` is that exactly (selectors compare
    attribute values case-sensitively), as ``attributes.get`` compares it here.
    """
    h1s: list[LexborNode] = []
    metas: dict[tuple[str, str], LexborNode] = {}
    for node in tree.css("h1, meta"):
        if node.tag == "h1":
            h1s.append(node)
            continue
        attributes = node.attributes
        for name in ("property", "name"):
            key = (name, attributes.get(name) or "")
            if key in _MARK_METAS and key not in metas:
                metas[key] = node
    return PageMarks(h1s, metas)


def choose_headline(
    tree: LexborHTMLParser,
    candidates: Sequence[str],
    site_name: str | None,
    url: str,
    found: list[LexborNode] | None = None,
    marks: PageMarks | None = None,
) -> str | None:
    """The headline: the h1 a title confirms, else the first title with the site's name stripped.

    ``candidates`` are the page's titles, most trusted first (JSON-LD ``headline``, ``og:title``);
    ``<title>`` is read from the tree and tried last.  ``site_name`` is the site's name when the
    caller knows it (``og:site_name`` is also read from the tree).  ``found``, when given (a trace),
    gets the ``<h1>`` returned, when the headline is one (rules 1 and 3).  ``marks``: the tree's
    :func:`page_marks`, when the caller has them (the date finders read them too).
    """
    titles = _titles(tree, candidates)
    marks = marks if marks is not None else page_marks(tree)
    names = marks.site_names(site_name)
    label = domain_label(url)
    elements = _headings(marks.h1s)
    headings = [heading for heading in elements if _site_tier(heading, "", names, label, for_heading=True) < 3]
    for title in titles:
        for heading in headings:
            if _confirms(title, heading, names, label):
                if found is not None:
                    found.append(elements[heading])
                return heading
    for title in titles:
        stripped = strip_site_name(title, names, label, headings)
        if stripped:
            return stripped
    if headings and found is not None:
        found.append(elements[headings[0]])
    return headings[0] if headings else None


def site_names(tree: LexborHTMLParser, site_name: str | None = None) -> list[str]:
    """The names the page gives its site: the caller's, ``og:site_name``, ``application-name``, ``twitter:site``."""
    return page_marks(tree).site_names(site_name)


def domain_label(url: str) -> str | None:
    """The label that names the site in its host: ``www.bbc.co.uk`` -> ``bbc``, ``al-example.com`` -> ``alexample``."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2 or host.replace(".", "").isdigit():
        return None
    index = -2
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        index = -3
    label = labels[index]
    if label.startswith("xn--"):
        return None  # an internationalised name: its letters are compared through the page's statement
    compact = _compact(label)
    return compact if len(compact) >= 2 else None


def strip_site_name(title: str, names: Sequence[str], label: str | None, headings: Sequence[str] = ()) -> str | None:
    """``title`` without segments identified as the site's name at its start or end (see the module's rules).

    None when nothing is left (the title is the site's name: a home page).
    """
    title = normalize_space(title[:MAX_TITLE_CHARS])
    heading_keys = [_key(heading) for heading in headings]
    for _ in range(2):  # a name at each end at most ("Site | Headline | Site")
        if _compact(title) and any(_compact(title) == _compact(name) for name in names):
            return None
        cut = _best_cut(title, names, label, heading_keys)
        if cut is None:
            break
        title = cut
    return title or None


def _best_cut(title: str, names: Sequence[str], label: str | None, heading_keys: Sequence[str]) -> str | None:
    separators = list(SEPARATORS.finditer(title))
    if not separators:
        return None
    first, last = separators[0], separators[-1]
    prefix, after_prefix = title[: first.start()], title[first.end() :]
    suffix, before_suffix = title[last.end() :], title[: last.start()]
    options = [
        (_site_tier(suffix, before_suffix, names, label), 1, before_suffix),
        (_site_tier(prefix, after_prefix, names, label), 0, after_prefix),
    ]
    if heading_keys:
        options += [
            (1 if _absent_from_headings(suffix, before_suffix, heading_keys) else 0, 1, before_suffix),
            (1 if _absent_from_headings(prefix, after_prefix, heading_keys) else 0, 0, after_prefix),
        ]
    tier, _, rest = max(options, key=lambda option: option[:2])
    rest = rest.strip()
    return rest if tier > 0 and _compact(rest) else None


def _site_tier(segment: str, rest: str, names: Sequence[str], label: str | None, for_heading: bool = False) -> int:
    """How surely ``segment`` is the site's name: 3 stated or the domain exactly, 2 or 1 partly, 0 not.

    A partial match counts only for the shorter part of a title (the site name is the short one).
    """
    compact = _compact(segment)
    if not compact:
        return 0
    if any(compact == _compact(name) for name in names) or compact == label:
        return 3
    if label and _compact(" ".join(word for word in segment.casefold().split() if word not in NAME_FILLERS)) == label:
        return 3  # "The Partnership for Student Success" on partnershipstudentsuccess.org
    if for_heading:
        return 0
    words = segment.split()
    shorter = len(segment) < len(rest)
    if not shorter or len(words) > MAX_SITE_WORDS:
        return 0
    folded = [word.casefold() for word in words]
    for name in names:
        name_words = [word.casefold() for word in name.split()]
        n = min(len(name_words), len(folded))
        if n and (folded[:n] == name_words[:n] or folded[-n:] == name_words[-n:]):
            return 2
    if label and len(label) >= 3:
        for letters in (compact, _compact(" ".join(word for word in folded if word not in NAME_FILLERS))):
            if letters.startswith(label) or (len(letters) >= 4 and label.startswith(letters)):
                return 2
    return 0


def _absent_from_headings(segment: str, rest: str, heading_keys: Sequence[str]) -> bool:
    """No word of the segment is in the h1, while the rest of the title is (the h1 worded a little otherwise).

    Word by word: a segment that shares a word with the h1 ("Beginner's Guide" beside an h1 ending
    "Beginner Guide") is the headline's own, worded otherwise.
    """
    segment_key, rest_key = _key(segment), _key(rest)
    if not segment_key or not rest_key or len(segment.split()) > MAX_SITE_WORDS or len(segment) >= len(rest):
        return False
    segment_words = set(_WORD.findall(segment_key))
    return any(rest_key in heading and not segment_words & set(_WORD.findall(heading)) for heading in heading_keys)


def _confirms(title: str, heading: str, names: Sequence[str], label: str | None) -> bool:
    """Whether the title is the heading, or the heading plus site matter (rule 1)."""
    title_key, heading_key = _key(title), _key(heading)
    if not heading_key:
        return False
    if title_key == heading_key:
        return True
    if _ELLIPSIS.search(title):
        cut = _key(_ELLIPSIS.sub("", title))
        return len(cut) >= 20 and heading_key.startswith(cut)
    heading_words = len(heading.split())
    for separator in _H1_SEPARATORS.finditer(title):
        before, after = title[: separator.start()], title[separator.end() :]
        for part, extra in ((before, after), (after, before)):
            if _key(part) != heading_key:
                continue
            if _extra_is_short(extra, heading_words) or any(
                _site_tier(segment, part, names, label) for segment in SEPARATORS.split(extra)
            ):  # "h1 – Site – Site's tagline" too
                return True
    return False


def _extra_is_short(extra: str, heading_words: int) -> bool:
    words = len(extra.split())
    return 0 < words <= min(MAX_EXTRA_WORDS, heading_words)


def _titles(tree: LexborHTMLParser, candidates: Iterable[str]) -> list[str]:
    # JSON-LD strings are often HTML-escaped by the CMS ("Full &#038; Part Time"): no headline means "&#038;".
    titles = [normalize_space(_unescape(candidate[:MAX_TITLE_CHARS])) for candidate in candidates if candidate]
    node = tree.css_first("title")
    if node is not None:
        titles.append(normalize_space(node.text()[:MAX_TITLE_CHARS]))
    return list(dict.fromkeys(title for title in titles if title))


def _unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _headings(h1s: list[LexborNode]) -> dict[str, LexborNode]:
    """The h1s' texts, without repeats, in page order, each with the first h1 that reads so."""
    headings: dict[str, LexborNode] = {}
    for node in h1s[:MAX_H1]:
        text = inline_text(node)[:MAX_TITLE_CHARS]
        if text and text not in headings:
            headings[text] = node
    return headings


def _key(text: str) -> str:
    """Text as compared: compatibility forms, quotes and dashes unified, case and white space folded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(text.casefold().split()).strip(" .!?,;:'\"")


@lru_cache(maxsize=1024)
def _compact(text: str) -> str:
    """Only the letters and digits, case folded: how a name is compared with a domain or another spelling.

    By a regex, not character by character in Python: titles and names are compacted tens of times a
    page (each name again for each segment compared), and a generator over their characters was a
    third of the time headlines took.  Remembered (at most 1024 texts: names, titles and their parts,
    cut at 500 characters, and hosts' labels): the same names and titles come back within a page.
    """
    return _NOT_ALNUM.sub("", text.casefold())
