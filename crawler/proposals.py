"""First guesses at a new site's selectors, from one sample page.

``scrapy newsite --sample`` writes these into the new spider as a starting
point for a person to check: what the page's structure suggests for the
headline, the body container, the date and the tags.  Nothing here is
trusted; it saves the first ten minutes of reading the page's source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cssselect
from selectolax.lexbor import LexborNode

from crawler.extract import generic
from crawler.extract.metadata import json_ld_layer, meta_layer
from crawler.extract.nesting import parse_page


@dataclass
class Proposal:
    headline: str | None = None
    body: str | None = None
    date_published: str | None = None
    tags: str | None = None
    language: str | None = None
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


def propose(html: str) -> Proposal:
    tree, _ = parse_page(html)
    proposal = Proposal()
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
    containers = generic.find_main_content(parse_page(html)[0])
    if containers:
        proposal.body = css_path(containers[0])
    html_node = tree.css_first("html")
    lang = html_node.attributes.get("lang") if html_node else None
    proposal.language = language_code(lang)
    if lang and proposal.language is None:
        proposal.notes.append("the page's <html lang> is not a language code; the rules say en until you set language")
    return proposal
