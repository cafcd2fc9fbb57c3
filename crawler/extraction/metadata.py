"""Page metadata as layers of candidate field values.

Each function here reads one kind of metadata and answers in the same shape,
a :data:`Layer`: Article field name -> raw value (``str`` or ``list[str]``),
plus ``image_url`` and ``canonical_url``.  The article assembler then picks,
field by field, the first layer that has a value.  Broken JSON or odd shapes
are skipped with a debug log line: metadata is a hint, never a reason to fail.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.items import TEXT_LIST, field_names
from crawler.text import clean_body, normalize_space

#: Values that keep their paragraphs (blank-line separated) through clean_layer.
PARAGRAPH_KEYS = frozenset({"article_body"})

logger = logging.getLogger(__name__)

Layer = dict[str, Any]

ARTICLE_TYPES = frozenset(
    {
        "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
        "BackgroundNewsArticle", "ReviewNewsArticle", "BlogPosting", "LiveBlogPosting", "Report",
        "ScholarlyArticle", "TechArticle", "VideoObject",
    }
)  # fmt: skip

LIST_FIELDS = frozenset(field_names(kind=TEXT_LIST))


#: JSON nested deeper than this is no metadata anyone writes; the readers below recurse, so it is refused.
MAX_JSON_DEPTH = 64


def _load_json(text: str | None, where: str) -> Any:
    if not text or not text.strip():
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as error:  # RecursionError: arrays nested thousands deep
        logger.debug("Ignoring unreadable JSON in %s: %s", where, error)
        return None
    # Nesting needs an opening bracket per level: most JSON has too few to be worth walking.
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and _too_deep(value):
        logger.debug("Ignoring JSON in %s nested more than %d deep", where, MAX_JSON_DEPTH)
        return None
    return value


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth > MAX_JSON_DEPTH:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def _walk_json_ld(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _walk_json_ld(item)
    elif isinstance(value, dict):
        yield value
        if "@graph" in value:
            yield from _walk_json_ld(value["@graph"])


def _types(obj: Mapping[str, Any]) -> set[str]:
    value = obj.get("@type")
    if isinstance(value, str):
        return {value}
    return {item for item in value if isinstance(item, str)} if isinstance(value, list) else set()


def _names(value: Any) -> list[str]:
    """Names from a JSON-LD person/organisation/string, or a list of them."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",")]
    if isinstance(value, list):
        return [item.strip() for item in value if isinstance(item, str)]
    return []


def _first_string(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return next((item for item in map(_first_string, value) if item), None)
    if isinstance(value, dict):
        return _first_string(value.get("url") or value.get("@id"))
    return None


#: The elements the metadata layers read, each kind with a selector of its own.
META_TAGS = "meta[content]"
CANONICAL_LINK = 'link[rel="canonical"]'
JSON_LD_SCRIPTS = 'script[type="application/ld+json"]'


@dataclass
class MetadataElements:
    """The page's ``<meta content>`` tags, first ``<link rel=canonical>`` and JSON-LD scripts, in document order.

    Found in one selector search (:func:`metadata_elements`) instead of three whole-page ones: each
    search walks the whole tree, whatever it finds.  The three selectors name three different tags,
    so no element matches two of them (lexbor lists an element once per selector of a list it
    matches), and an element's tag says which one it matched.
    """

    metas: list[LexborNode] = field(default_factory=list)
    canonical: LexborNode | None = None
    scripts: list[LexborNode] = field(default_factory=list)


def metadata_elements(tree: LexborHTMLParser) -> MetadataElements:
    """What ``tree.css(META_TAGS)``, ``tree.css_first(CANONICAL_LINK)`` and ``tree.css(JSON_LD_SCRIPTS)`` find."""
    found = MetadataElements()
    for node in tree.css(f"{META_TAGS}, {CANONICAL_LINK}, {JSON_LD_SCRIPTS}"):
        tag = node.tag
        if tag == "meta":
            found.metas.append(node)
        elif tag == "script":
            found.scripts.append(node)
        elif found.canonical is None:
            found.canonical = node
    return found


def json_ld_layer(tree: LexborHTMLParser, elements: MetadataElements | None = None) -> Layer:
    """Fields of the page's first JSON-LD article object (``@graph`` included).

    References by ``@id`` are followed: Yoast, for one, names the author only
    in a separate ``Person`` node of the graph.  ``elements``: the page's, when
    found already (:func:`metadata_elements`).
    """
    scripts = elements.scripts if elements is not None else tree.css(JSON_LD_SCRIPTS)
    objects = [obj for script in scripts for obj in _walk_json_ld(_load_json(script.text(), "JSON-LD"))]
    by_id = {obj["@id"]: obj for obj in objects if isinstance(obj.get("@id"), str)}
    for obj in objects:
        if _types(obj) & ARTICLE_TYPES:
            return _article_from_json_ld(obj, by_id)
    # No article object: a page described as a WebPage (or a Course, a Recipe) still dates itself.
    dated = next((obj for obj in objects if obj.get("datePublished")), None)
    return {"date_published": _first_string(dated["datePublished"])} if dated is not None else {}


def _address(value: str | None) -> str | None:
    """A URL as JSON-LD gives it, HTML-unescaped: CMSs escape JSON-LD as HTML (``?w=1&amp;h=2``), and URLs
    are kept verbatim after this (the cleaners never touch them), so no later step would decode it."""
    return html.unescape(value) if value and "&" in value else value


def _resolve(value: Any, by_id: Mapping[str, dict[str, Any]]) -> Any:
    """Replace ``{"@id": ...}`` references with the nodes they name."""
    if isinstance(value, list):
        return [_resolve(item, by_id) for item in value]
    if isinstance(value, dict) and "name" not in value and isinstance(value.get("@id"), str) and value["@id"] in by_id:
        return by_id[value["@id"]]
    return value


def _article_from_json_ld(obj: Mapping[str, Any], by_id: Mapping[str, dict[str, Any]]) -> Layer:
    return {
        "headline": _first_string(obj.get("headline") or obj.get("name")),
        "description": _first_string(obj.get("description")),
        "authors": _names(_resolve(obj.get("author"), by_id)),
        "date_published": _first_string(obj.get("datePublished") or obj.get("uploadDate")),
        "date_modified": _first_string(obj.get("dateModified")),
        "section": _first_string(obj.get("articleSection")),
        "tags": _strings(obj.get("keywords")),
        "image_url": _address(_first_string(obj.get("image") or obj.get("thumbnailUrl"))),
        "canonical_url": _address(_first_string(obj.get("mainEntityOfPage") or obj.get("url"))),
        "language": _first_string(obj.get("inLanguage")),
        "article_id": _first_string(obj.get("identifier")),
        "article_body": _first_string(obj.get("articleBody")),
    }


def meta_layer(tree: LexborHTMLParser, elements: MetadataElements | None = None) -> Layer:
    """OpenGraph, ``article:*``, plain ``<meta>`` tags, ``<link rel=canonical>`` and ``<html lang>``.

    ``elements``: the page's, when found already (:func:`metadata_elements`).
    """
    single: dict[str, str] = {}
    tags: list[str] = []
    for meta in elements.metas if elements is not None else tree.css(META_TAGS):
        # A dict of its two or three attributes: looking up a name the element lacks in the ``attrs`` view
        # ("property" on a <meta name>, half the tags) costs as much as building the dict (40% of this loop).
        attributes = meta.attributes
        key = (attributes.get("property") or attributes.get("name") or "").strip().lower()
        content = attributes.get("content") or ""
        if not key or not content.strip():
            continue
        if key == "article:tag":
            tags.append(content)
        else:
            single.setdefault(key, content)
    canonical = elements.canonical if elements is not None else tree.css_first(CANONICAL_LINK)
    html = tree.root  # the <html> element css_first("html") would find, without a selector search
    return {
        "headline": single.get("og:title") or single.get("twitter:title"),
        "description": single.get("og:description") or single.get("description"),
        "authors": _strings(single.get("author") or single.get("article:author")),
        "date_published": single.get("article:published_time") or single.get("pubdate"),
        "date_modified": single.get("article:modified_time") or single.get("og:updated_time"),
        "section": single.get("article:section"),
        "tags": tags or _strings(single.get("keywords") or single.get("news_keywords")),
        "image_url": single.get("og:image") or single.get("twitter:image"),
        "canonical_url": (canonical.attributes.get("href") if canonical else None) or single.get("og:url"),
        "language": (html.attributes.get("lang") if html else None) or single.get("og:locale"),
    }


def site_metadata_layer(tree: LexborHTMLParser, selector: str | None, field_map: Mapping[str, str]) -> Layer:
    """Fields of a site's own JSON metadata block, through the rules' field map."""
    if not selector:
        return {}
    script = tree.css_first(selector)
    data = _load_json(script.text() if script else None, selector)
    if not isinstance(data, dict):
        return {}
    layer: Layer = {}
    for article_field, key in field_map.items():
        value = data.get(key)
        if value is None or isinstance(value, (dict, bool)):
            continue
        if article_field in LIST_FIELDS:
            layer[article_field] = _strings(value)
        elif isinstance(value, list):  # one value wanted: the first text of a list, never the list's repr
            layer[article_field] = _first_string(value)
        else:
            layer[article_field] = str(value)
    return layer


def clean_layer(layer: Layer) -> Layer:
    """Whitespace-normalise a layer's values and drop the empty ones."""
    cleaned: Layer = {}
    for key, value in layer.items():
        if isinstance(value, list):
            items = [normalize_space(item) for item in value if isinstance(item, str)]
            value = list(dict.fromkeys(item for item in items if item))
        elif isinstance(value, str):
            value = clean_body(value) if key in PARAGRAPH_KEYS else normalize_space(value)
        else:
            continue
        if value:
            cleaned[key] = value
    return cleaned
