"""HTML -> Article: metadata layers, site selectors, body walk, pruning.

This module is the one path every caller takes (spider, ``scrapy extract``,
snapshot tests, benchmarks), so what is tested is what runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache, partial
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode
from w3lib.url import safe_url_string

from crawler.dates import ParsedDate, ascii_digits, parse_date, seconds_apart
from crawler.extraction import generic
from crawler.extraction.attribution import attributed_source
from crawler.extraction.blocks import Block, body_blocks, paragraphs
from crawler.extraction.byline import find_authors
from crawler.extraction.cleaning import clean_item
from crawler.extraction.decoding import decode_page, utf8_bytes
from crawler.extraction.densest import densest_run
from crawler.extraction.headline import PageMarks, choose_headline, page_marks
from crawler.extraction.language import detect_language
from crawler.extraction.media import image_from, take_embeds, take_images
from crawler.extraction.metadata import (
    Layer,
    clean_layer,
    json_ld_layer,
    meta_layer,
    metadata_elements,
)
from crawler.extraction.nesting import parse_page
from crawler.extraction.noncontent import remove_non_content
from crawler.extraction.page import SitePage
from crawler.extraction.select import all_values, first_node, first_value
from crawler.extraction.shown_dates import find_published_date, page_offset
from crawler.extraction.trace import BodyReading, Trace, ids_of, node_id
from crawler.items import TEXT, TEXT_LIST, Article, Embed, Image, field_names
from crawler.rules import GENERIC_RULES, SELECTOR_FIELDS, SiteRules
from crawler.text import normalize_space, strip_byline_prefix, strip_label
from crawler.urls import absolute_url

logger = logging.getLogger(__name__)

#: Boilerplate removed from every body, whatever the site (rules add their own).
DEFAULT_DROP = (
    "script", "style", "noscript", "template", "form", "button", "svg", "nav", "aside",
    ".share", ".sharing", ".share-bar", ".social-share", ".newsletter",
    ".advertisement", ".ad-slot", ".ads", "[data-ad-slot]",
)  # fmt: skip

#: How a body is found without site rules: the scored finder (``main``), its fallback when that finds
#: nothing plausible (``densest_run``), schema.org JSON-LD's ``articleBody`` when it holds much more
#: text than the page shows (``json_ld``: text rendered by scripts), or not at all (``none``).
GENERIC_PATHS = ("main", "densest_run", "json_ld", "none")

#: The one-line text fields a site's rules select (the Article's text fields that are SiteRules selectors).
TEXT_FIELDS = tuple(name for name in field_names(kind=TEXT) if name in SELECTOR_FIELDS)
#: Labels that credit lines start with ("المصدر : الجزيرة + وكالات" credits "الجزيرة + وكالات").
SOURCE_LABELS = ("Source", "Sources", "المصدر", "مصدر", "منبع")
LIST_FIELDS = field_names(kind=TEXT_LIST)


@dataclass
class Extraction:
    """An Article and where each of its fields came from.

    ``provenance`` maps a field to the layer that gave it: ``site``,
    ``site_metadata``, ``json_ld``, ``meta`` or ``generic``.  The spider
    counts the ``generic`` ones: they mean a rule stopped matching.
    """

    article: Article
    provenance: dict[str, str] = field(default_factory=dict)
    #: Fields whose sources disagree (a shown date an hour off JSON-LD's, say):
    #: the winner is still the first source, but the spider counts these.
    disagreements: list[str] = field(default_factory=list)
    #: Whether the page nested so deep that it was flattened before parsing (logged already;
    #: the spider counts these as ``extract/nesting_flattened``).
    nesting_flattened: bool = False
    #: How the body was found when no site rule gave it (one of :data:`GENERIC_PATHS`), None when one did;
    #: the spider counts these as ``extract/generic_path/<path>``.
    generic_path: str | None = None

    @property
    def fallbacks(self) -> list[str]:
        return sorted(name for name, layer in self.provenance.items() if layer == "generic")


def extract_article(
    html: str | bytes, url: str, rules: SiteRules, trace: Trace | None = None, encoded: bytes | None = None
) -> Extraction:
    """The page's Article, with what could be read of it (an empty one for an empty page).

    Never raises for what a page holds: broken markup, NULs, 10,000-deep
    nesting and unreadable dates give an Article with what could be read.
    Nesting deeper than a browser builds is flattened first, in linear time
    (:mod:`crawler.extraction.nesting`).
    Bytes are decoded as the spider decodes them (BOM, ``<meta charset>``,
    the bytes themselves).  Whether a page is worth extracting at all (not
    empty, not a PDF served as HTML) is the caller's question:
    :func:`crawler.extraction.decoding.check_readable`.

    ``trace``, when given, is filled with the elements each field was read from
    (:mod:`crawler.extraction.trace`, for ``scrapy review``); the Article is the same with or without.
    ``encoded``: from a caller that decoded the page itself, its bytes when they are ``html`` in UTF-8
    exactly (:func:`crawler.extraction.decoding.utf8_bytes`): the parser reads them, not ``html`` encoded again.
    """
    if isinstance(html, bytes):
        text, encoding, _ = decode_page(html, None)
        encoded = utf8_bytes(html, text, encoding)
    else:
        text = html
    tree, flattening = parse_page(text, url, encoded)
    if trace is not None:
        trace.mark(tree)
    page = rules.page(tree, url, rules) if rules.page is not None else None
    site_values = _site_layer(tree, rules, page, trace)
    site_metadata = clean_layer(page.metadata() if page is not None else {})
    elements = metadata_elements(tree)  # one search for the elements of both layers below
    layers: list[tuple[str, Layer]] = [
        ("site", site_values),
        ("site_metadata", site_metadata),
        ("json_ld", clean_layer(json_ld_layer(tree, elements))),
        ("meta", clean_layer(meta_layer(tree, elements))),
    ]
    provenance: dict[str, str] = {}

    def pick(name: str) -> Any:
        for layer_name, layer in layers:
            if layer.get(name):
                provenance[name] = layer_name
                return layer[name]
        return None

    # URLs are output percent-encoded (RFC 3986), however the caller spelled them.
    page_url = safe_url_string(url)
    article = Article(url=page_url, site=rules.site if rules.site != "generic" else None)
    for name in TEXT_FIELDS:
        setattr(article, name, pick(name))
    if article.article_id:  # an identifier, not text: "۱۱۲۷۹۴۸۳" and "11279483" are one id
        article.article_id = ascii_digits(article.article_id)
    if article.source:
        article.source = strip_label(article.source, SOURCE_LABELS) or None
    article.tags = pick("tags") or []
    article.authors = [name for name in map(strip_byline_prefix, pick("authors") or []) if name]
    declared_language = pick("language")
    # The h1s and title metas, found once for the headline and the shown date, and only if either reads the page.
    marks = cache(partial(page_marks, tree))
    _read_page_metadata(tree, url, rules, layers, article, provenance, marks, trace)
    canonical = pick("canonical_url")
    canonical = absolute_url(url, canonical) if canonical else None
    if canonical:  # most often the page's own address, made safe already
        article.canonical_url = page_url if canonical == url else safe_url_string(canonical)

    disagreements: list[str] = []
    published = _pick_date(layers, "date_published", rules, provenance, disagreements)
    # In UTC, on a page of no known zone: the same instant in the offset the page shows its times in.
    if (
        published
        and not rules.timezone
        and published.value.utcoffset() == timedelta(0)
        and (local := page_offset(tree, url, published.value))
    ):
        published = ParsedDate(raw=published.raw, value=published.value.astimezone(local))
    if published:
        article.date_published, article.date_published_raw = published.isoformat(), published.raw
    else:  # unreadable (an impossible date, say): the text is kept, the instant left out
        article.date_published_raw = next(
            (layer["date_published"] for _, layer in layers if layer.get("date_published")), None
        )
    if not article.date_published and _reads_the_page(rules, "date_published"):
        # As the page shows it: <time>, other <meta>s, a dateline near the headline, the URL's day.
        shown = find_published_date(tree, url, rules.timezone or None, article.date_published_raw, marks())
        if shown is not None:
            article.date_published, article.date_published_raw = shown.value, normalize_space(shown.raw) or None
            provenance["date_published"] = "generic"
            if trace is not None:
                trace.notes["date_published"] = shown.where
    modified = _pick_date(layers, "date_modified", rules, provenance, disagreements)
    if modified:
        article.date_modified = modified.isoformat()

    given_image = None
    if page is not None and "main_image" in page.given_fields():
        page.found = trace.nodes_for("site", "main_image") if trace is not None else None
        given_image = page.main_image()  # type: ignore[attr-defined]
        page.found = None
        if trace is not None and not given_image:
            trace.offered.pop(("site", "main_image"), None)  # read, but it gave none: not the image's
    article.main_image = given_image or _main_image(tree, url, rules, pick("image_url"), trace)
    blocks, images, embeds, body_path = _body(tree, url, rules, trace)
    blocks, body_path = _prefer_json_ld_body(blocks, body_path, layers)
    read_blocks = len(blocks)
    blocks, credited = _take_credit_line(blocks)
    credit_node = trace.body.credit(read_blocks, len(blocks)) if trace is not None and body_path != "json_ld" else None
    article.language = rules.language or _language(declared_language, article.headline, blocks)
    if not credited and blocks:
        credited = attributed_source(blocks[0].text, article.language)
    if credited and not article.source:
        article.source, provenance["source"] = credited, "body"
        if trace is not None and body_path != "json_ld":
            trace.source_block = credit_node or (trace.body.block_nodes[0] if trace.body.block_nodes else None)
    if blocks:
        provenance["body"] = {"site": "site", "json_ld": "json_ld"}.get(body_path, "generic")
        article.body = "\n\n".join(block.text for block in blocks)
    main_url = article.main_image.url if article.main_image else None
    article.images = [image for image in images if image.url != main_url]
    article.embeds = embeds
    clean_item(article)
    extraction = Extraction(
        article=article,
        provenance=provenance,
        disagreements=disagreements,
        nesting_flattened=flattening.flattened,
        generic_path=None if body_path == "site" else body_path,
    )
    if trace is not None:
        trace.finish(extraction)
    return extraction


def _reads_the_page(rules: SiteRules, name: str) -> bool:
    """Whether a field missing from the metadata is looked for in the page itself.

    Always on a page of no known site; on a known site only where its rules have a selector
    or a page method for the field (one that missed: the page read stands in, counted as a
    generic fallback), not where the site never shows the field (a site without bylines has
    no author to find).
    """
    if rules.site == GENERIC_RULES.site or getattr(rules, name):
        return True
    return rules.page is not None and name in rules.page.given_fields()


def _read_page_metadata(
    tree: LexborHTMLParser, url: str, rules: SiteRules, layers: list[tuple[str, Layer]], article: Article,
    provenance: dict[str, str], marks: Callable[[], PageMarks], trace: Trace | None = None,
) -> None:  # fmt: skip
    """Headline and byline as the page shows them, where its selectors and metadata fall short.

    ``marks``: the tree's :func:`~crawler.extraction.headline.page_marks`, found at the first call.
    """
    if provenance.get("headline") not in ("site", "site_metadata"):
        titles = [layer["headline"] for name, layer in layers if name in ("json_ld", "meta") and layer.get("headline")]
        heading = trace.nodes_for("generic", "headline") if trace is not None else None
        chosen = choose_headline(tree, titles, rules.site_name or None, url, heading, marks())
        if chosen and chosen != article.headline:  # the <h1> a title confirms, or a title without the site's name
            article.headline, provenance["headline"] = chosen, "generic"
    if not article.authors and _reads_the_page(rules, "authors"):
        found = find_authors(tree)
        if found:
            article.authors, provenance["authors"] = found, "generic"


#: The language is told from this much of the article's text, at most.
LANGUAGE_SAMPLE_CHARS = 5000


def _language(declared: str | None, headline: str | None, blocks: list[Block]) -> str | None:
    """The declared language, unless the text's script says otherwise or nothing is declared."""
    sample: list[str] = [headline or ""]
    length = len(sample[0])  # kept as it grows: summed again for every block, it cost a fifth of the detection
    for block in blocks:
        if length >= LANGUAGE_SAMPLE_CHARS:
            break
        sample.append(block.text)
        length += len(block.text)
    return detect_language(_primary_language(declared), "\n".join(sample)[:LANGUAGE_SAMPLE_CHARS])


def _site_layer(tree: LexborHTMLParser, rules: SiteRules, page: SitePage | None, trace: Trace | None = None) -> Layer:
    """What the site's rules give: a method of its page class where it has one, else its selectors.

    Traced, the elements each field was read from are offered as the ``site`` layer's.
    """
    given = page.given_fields() if page is not None else ()
    layer: Layer = {}
    for name in (*TEXT_FIELDS, *LIST_FIELDS, "date_published", "date_modified", "canonical_url"):
        found = trace.nodes_for("site", name) if trace is not None else None
        if name in given:
            page.found = found  # type: ignore[union-attr]
            layer[name] = getattr(page, name)()
            page.found = None  # type: ignore[union-attr]
        elif name in LIST_FIELDS:
            layer[name] = all_values(tree, getattr(rules, name), found)
        elif name != "canonical_url":  # no selector: <link rel=canonical> is the metadata's
            layer[name] = first_value(tree, getattr(rules, name), found)
    return clean_layer(layer)


#: Sources further apart than this disagree (a minute covers rounding to the minute).
DATE_TOLERANCE_SECONDS = 60


def _pick_date(
    layers: list[tuple[str, Layer]],
    name: str,
    rules: SiteRules,
    provenance: dict[str, str],
    disagreements: list[str],
) -> ParsedDate | None:
    """The first readable date; a later source that names another instant is a disagreement."""
    chosen: ParsedDate | None = None
    for layer_name, layer in layers:
        raw = layer.get(name)
        parsed = parse_date(raw, rules.timezone, rules.date_formats, rules.calendar)
        if parsed is None:
            if raw and chosen is None:
                logger.info("Unreadable %s %r from %s; trying the next source", name, raw, layer_name)
        elif chosen is None:
            chosen, provenance[name] = parsed, layer_name
        elif (apart := seconds_apart(parsed.value, chosen.value)) is not None and apart > DATE_TOLERANCE_SECONDS:
            logger.info(
                "%s: %s says %s, %s says %s; keeping the first",
                name,
                provenance[name],
                chosen.isoformat(),
                layer_name,
                parsed.isoformat(),
            )
            disagreements.append(name)
            break
    return chosen


def _primary_language(tag: str | None) -> str | None:
    """``"en-US"`` -> ``"en"``; ISO 639-1 is what the Article promises."""
    if not tag:
        return None
    return tag.replace("_", "-").split("-")[0].lower() or None


def _main_image(
    tree: LexborHTMLParser, url: str, rules: SiteRules, image_url: str | None, trace: Trace | None = None
) -> Image | None:
    node = first_node(tree, rules.main_image)
    image = image_from(node, url) if node is not None else None
    if trace is not None and image is not None and node is not None:
        trace.nodes_for("site", "main_image").append(node)
    if image is None and image_url and (absolute := absolute_url(url, image_url)):
        image = Image(url=absolute)
    return image


def _body(
    tree: LexborHTMLParser, url: str, rules: SiteRules, trace: Trace | None = None
) -> tuple[list[Block], list[Image], list[Embed], str]:
    """The body's blocks, images and embeds, and the path that found them (:data:`GENERIC_PATHS`, or ``site``).

    Reading a body cuts boilerplate, figures and embeds out of what it reads, so it reads a copy of the
    page of its own: every other field sees the page as published, whichever is read first.  Traced,
    the reading whose blocks are kept becomes the trace's body.
    """
    own = tree.clone()
    page = rules.page(own, url, rules) if rules.page is not None else None
    taken = trace.embeds if trace is not None else None
    embeds = [embed for container in _nodes(own, rules.embeds) for embed in take_embeds(container, url, taken)]
    given = page is not None and "body" in page.given_fields()
    container = page.body() if given else first_node(own, rules.body)  # type: ignore[union-attr]
    reading = BodyReading() if trace is not None else None
    if container is not None:
        blocks, images, found = _read_body([container], url, rules, reading)
        if trace is not None and reading is not None:
            trace.body = reading
        return blocks, images, embeds + found, "site"
    blocks, images, found = _read_body(generic.find_main_content(own), url, rules, reading)
    path = "main" if blocks else "none"
    if _chars(blocks) < generic.MIN_BODY_CHARS:
        # Nothing plausible, or too little left once pruned.  The finder has cut up its copy, so the
        # cruder reading starts again from another.
        fresh = tree.clone()
        if fresh.body is not None:
            for node in _nodes(fresh, rules.embeds):  # read from the first copy already
                node.decompose()
            remove_non_content(fresh.body)
            run_reading = BodyReading() if trace is not None else None
            run_blocks, run_images, run_found = _read_body(densest_run(fresh.body), url, rules, run_reading)
            if _chars(run_blocks) > _chars(blocks):
                blocks, images, found, path = run_blocks, run_images, run_found, "densest_run"
                reading = run_reading
    if trace is not None and reading is not None:
        trace.body = reading
    return blocks, images, embeds + found, path


def _read_body(
    containers: list[LexborNode], url: str, rules: SiteRules, reading: BodyReading | None = None
) -> tuple[list[Block], list[Image], list[Embed]]:
    """The containers' blocks, images and embeds (what was read, by element, in ``reading`` when traced)."""
    blocks: list[Block] = []
    images: list[Image] = []
    embeds: list[Embed] = []
    taken = reading.media if reading is not None else None
    # One selector list, matched in one pass (removing a node only unlinks it, so a match
    # inside another removed match is harmless).
    boilerplate = ", ".join(rules.drop + DEFAULT_DROP)
    for part in containers:
        # Boilerplate goes first, so that a related-stories box takes its pictures with it.
        for node in part.css(boilerplate):
            node.decompose()
        embeds += take_embeds(part, url, taken)
        images += take_images(part, url, taken)
        if reading is None:
            blocks += body_blocks(part) if part.tag != "p" else [Block("p", text) for text in paragraphs(part)]
        else:
            blocks += _read_traced(part, reading)
    return blocks, images, embeds


def _read_traced(part: LexborNode, reading: BodyReading) -> list[Block]:
    """A container's blocks as :func:`_read_body` reads them, with what they were read from."""
    if part.tag != "p":
        nodes: list[LexborNode] = []
        blocks = body_blocks(part, nodes)
    else:
        blocks = [Block("p", text) for text in paragraphs(part)]
        nodes = [part] * len(blocks)
    reading.containers += ids_of([part])
    reading.block_nodes += [node_id(node) or "" for node in nodes]
    reading.kept.update(name for node in part.traverse() if (name := node_id(node)) is not None)
    return blocks


def _chars(blocks: list[Block]) -> int:
    return sum(len(block.text) for block in blocks)


#: JSON-LD's articleBody replaces a generic extraction only when it is this much longer: a page
#: whose text is rendered by scripts has it there, while a normal page's DOM body is trusted first.
JSON_LD_BODY_RATIO = 1.5


def _prefer_json_ld_body(blocks: list[Block], path: str, layers: list[tuple[str, Layer]]) -> tuple[list[Block], str]:
    if path == "site":
        return blocks, path
    article_body = next((values["article_body"] for _, values in layers if values.get("article_body")), None)
    if article_body and len(article_body) > max(_chars(blocks) * JSON_LD_BODY_RATIO, generic.MIN_BODY_CHARS):
        return [Block("p", text) for text in article_body.split("\n\n")], "json_ld"
    return blocks, path


#: A credit line is short; a longer paragraph that starts with "Source:" is text.
MAX_CREDIT_LINE = 80


def _take_credit_line(blocks: list[Block]) -> tuple[list[Block], str | None]:
    """Split off a closing "Source: ..." / "المصدر : ..." line: metadata, not body text."""
    if blocks and blocks[-1].type == "p" and len(blocks[-1].text) <= MAX_CREDIT_LINE:
        credited = strip_label(blocks[-1].text, SOURCE_LABELS)
        if credited != blocks[-1].text:
            return blocks[:-1], credited or None
    return blocks, None


def _nodes(tree: LexborHTMLParser, selectors: tuple[str, ...]) -> list[LexborNode]:
    return [node for selector in selectors for node in tree.css(selector)]
