"""First guesses at a new site's selectors, from one sample page.

``scrapy newsite --sample`` writes these into the new spider as a starting
point for a person to check: what the page's structure suggests for the
headline, the body container, the date and the tags.  Nothing here is
trusted; it saves the first ten minutes of reading the page's source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.extract import generic
from crawler.extract.metadata import json_ld_layer, meta_layer


@dataclass
class Proposal:
    headline: str | None = None
    body: str | None = None
    date_published: str | None = None
    tags: str | None = None
    language: str | None = None
    notes: list[str] = field(default_factory=list)


def css_path(node: LexborNode) -> str:
    """A short selector for the node: its id, or its tag and first classes, under a parent with an id."""
    def own(element: LexborNode) -> str:
        if element.id and not any(char.isdigit() for char in element.id):  # "post-132517" names one page only
            return f"{element.tag}#{element.id}"
        classes = (element.attributes.get("class") or "").split()
        return element.tag + "".join(f".{name}" for name in classes[:2])

    selector = own(node)
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html", "-undef"):
        if parent.id or parent.attributes.get("class"):
            return f"{own(parent)} {selector}" if "#" not in selector else selector
        parent = parent.parent
    return selector


def propose(html: str) -> Proposal:
    tree = LexborHTMLParser(html)
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
    if time_node is not None:
        proposal.date_published = f"{css_path(time_node)}::attr(datetime)"
    elif metadata.get("date_published") or json_ld.get("date_published"):
        proposal.notes.append("no shown date found; the date will come from metadata")
    tag_links = tree.css('a[rel="tag"], a[href*="/tag/"], a[href*="/tags/"], a[href*="/topics/"]')
    if tag_links:
        proposal.tags = f"{css_path(tag_links[0].parent) if tag_links[0].parent else ''} a".strip()
    containers = generic.find_main_content(LexborHTMLParser(html))
    if containers:
        proposal.body = css_path(containers[0])
    html_node = tree.css_first("html")
    proposal.language = ((html_node.attributes.get("lang") if html_node else None) or "").split("-")[0] or None
    return proposal
