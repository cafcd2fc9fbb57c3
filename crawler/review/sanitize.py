"""A stored page made safe to look at: nothing of it runs and nothing of it loads.

Stored pages are other people's HTML, and hostile ones are expected: a page is fixture material
because it is odd.  The review shows each one in ``<iframe sandbox="" srcdoc="...">``; the sandbox,
without ``allow-scripts`` or ``allow-same-origin``, is what keeps its scripts from running and from
reaching the review page.  This module is the second wall, so that a browser that ignores the
sandbox (or a person who opens the frame's document on its own) still gets an inert page:

* elements that run or fetch are removed: ``<script>`` (SVG's too), ``<noscript>`` (its markup shows
  when scripts are off, and is mostly tracking pixels), ``<base>``, ``<link>``, ``<meta http-equiv>``
  (refresh, a policy of the page's own, cookies), ``<portal>``, ``<applet>``, ``<frameset>``;
* elements that embed keep their place (an embed is highlighted where it stood) but lose what they
  would load: every URL attribute (``src``, ``srcset``, ``href``, ``action``, ``data``, ``poster``,
  ``xlink:href`` ...) is renamed ``data-nf-<name>`` (removed from ``<iframe srcdoc>``), and an ``<img>``
  gets a placeholder picture written inline (``data:``), so the reviewer sees where pictures were;
* every inline event handler (``on*``) goes, and so do attributes whose name is not a plain name
  (``a"b``: a parser accepts it; nothing needs it);
* style sheets keep their rules but not what they would fetch: ``url(...)``, ``@import``, ``image-set(...)``
  (and CSS escapes, which could spell them otherwise) are broken in ``<style>`` and ``style=""``;
* a Content-Security-Policy comes first in ``<head>``: ``default-src 'none'; style-src 'unsafe-inline';
  img-src data:``, so whatever got through still loads nothing from the network.

The page's own ``<style>`` stays (inline styles cannot fetch under that policy), so the page looks
as its markup makes it look, short of its stylesheets and pictures.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

#: The policy the page is shown under: its own inline styles and inline pictures, nothing else.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
#: Removed with what they hold.
REMOVED = (
    "script, noscript, base, link, meta[http-equiv], portal, applet, frameset, frame"
)  # fmt: skip
#: Attributes that name something to load or go to: renamed ``data-nf-<name>``, their value kept to read.
URL_ATTRIBUTES = frozenset(
    {
        "src", "srcset", "href", "action", "formaction", "data", "poster", "background", "ping", "xlink:href",
        "codebase", "classid", "archive", "cite", "longdesc", "lowsrc", "dynsrc", "manifest", "imagesrcset",
        "profile", "icon", "itemtype",
    }
)  # fmt: skip
#: Attributes removed outright: a document of its own (``<iframe srcdoc>``) has nothing to show here.
DROPPED_ATTRIBUTES = frozenset({"srcdoc", "http-equiv"})
#: The attribute names kept: plain ones (a parser accepts ``a"b``; no page needs it).
PLAIN_NAME_RE = re.compile(r"^[A-Za-z_][-A-Za-z0-9_.:]*$")
#: What in CSS fetches: broken (renamed), so that the rule is dropped by the browser rather than tried.
CSS_LOADING_RE = re.compile(r"url\s*\(|@import|image-set\s*\(|image\s*\(|src\s*\(", re.IGNORECASE)
#: What an ``<img>`` shows instead of its picture: a grey box that says so.
IMAGE_PLACEHOLDER = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='160' height='90'%3E"
    "%3Crect width='100%25' height='100%25' fill='%23ddd'/%3E"
    "%3Ctext x='50%25' y='55%25' font-size='14' text-anchor='middle' fill='%23666'%3Eimage%3C/text%3E%3C/svg%3E"
)


def safe_document(tree: LexborHTMLParser, head_html: str = "") -> str:
    """The page as an inert HTML document, ``head_html`` (the review's own styles) after its policy.

    ``tree`` itself is left as it is: a copy is cleaned.
    """
    copy = tree.clone()
    for node in copy.css(REMOVED):
        node.decompose()
    for style in copy.css("style"):
        text = style.text(deep=True) or ""
        if CSS_LOADING_RE.search(text) or "\\" in text:
            for child in list(style.iter(include_text=True)):
                child.decompose()
            style.insert_child(inert_css(text))
    root = copy.root
    if root is not None:
        for node in root.traverse():
            if node.is_element_node:
                _clean_attributes(node)
    head = copy.head
    policy = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
    if head is not None:
        extra = LexborHTMLParser(f"<html><head>{policy}{head_html}</head></html>").head
        added = list(extra.iter()) if extra is not None else []
        first = head.first_child
        for node in added:
            if first is not None:
                first.insert_before(node)
            else:
                head.insert_child(node)
    return "<!DOCTYPE html>\n" + _without_doctype(copy.html or "")


def inert_css(text: str) -> str:
    """CSS that fetches nothing: escapes dropped (``\\75 rl(`` is ``url(``), fetching functions renamed.

    Dropping escapes could make ``<\\/style>`` in a CSS string end the element, so ``<`` (never CSS
    syntax outside strings) goes too.
    """
    text = text.replace("\\", "").replace("<", " ")
    return CSS_LOADING_RE.sub(lambda match: "nf-blocked-" + match.group(0).lstrip("@"), text)


def _clean_attributes(node: LexborNode) -> None:
    attributes = node.attrs
    for name, value in list(node.attributes.items()):
        lowered = name.lower()
        if lowered.startswith("on") or lowered in DROPPED_ATTRIBUTES or not PLAIN_NAME_RE.match(name):
            del attributes[name]
        elif lowered == "style" and value and (CSS_LOADING_RE.search(value) or "\\" in value):
            attributes[name] = inert_css(value)
        elif lowered in URL_ATTRIBUTES:
            del attributes[name]
            attributes["data-nf-" + lowered.replace(":", "-")] = value or ""
    if node.tag == "img":
        attributes["src"] = IMAGE_PLACEHOLDER


def _without_doctype(document: str) -> str:
    """The serialised page without the page's own doctype (the review writes the standard one)."""
    if document[:9].lower() == "<!doctype":
        end = document.find(">")
        return document[end + 1 :] if end >= 0 else document
    return document
