"""Feeds and sitemaps from strangers, parsed without trusting them.

A feed is XML a site (or whoever took it over) wrote, and XML can attack its
parser: the "billion laughs" nest entities until ~1 KB expands to gigabytes,
a quadratic blowup repeats one large entity, an external entity
(``<!ENTITY x SYSTEM "file:///etc/passwd">``) reads local files into the
output, and a small ``.xml.gz`` sitemap can expand to gigabytes.  RSS, Atom
and sitemaps never need an entity declaration, so a document that declares
any is refused outright (defusedxml's ``forbid_entities`` rule); lxml parses
the rest with entity substitution, DTD loading and network access off and
libxml2's size limits on (no ``huge_tree``).  A gzipped body is unpacked up
to ``max_size`` bytes and refused beyond.

Malformed XML is parsed as far as lxml's recovery gets (an entry cut off at
the end costs only that entry) and reported as such; a body with nothing to
recover is refused.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from lxml import etree

GZIP_MAGIC = b"\x1f\x8b"


class FeedRefused(ValueError):
    """A feed not read at all; ``reason`` is the short name the crawl counts it under."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@dataclass(frozen=True)
class ParsedFeed:
    root: etree._Element
    #: The first error lxml recovered from, when the XML was malformed.
    malformed: str | None = None


def is_gzip(body: bytes) -> bool:
    return body[:2] == GZIP_MAGIC


def gunzip(body: bytes, max_size: int) -> bytes:
    """A gzip body unpacked, refused once it passes ``max_size`` bytes (never unpacked further).

    Every member is read, as ``gzip -d`` reads them: a sitemap written in parts (``cat a.gz b.gz``)
    is one file.  What follows the last member and is no gzip (zero padding) is ignored.
    """
    unpacked: list[bytes] = []
    size, rest = 0, body
    while True:
        inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        try:
            data = inflater.decompress(rest, max_size + 1 - size)
        except zlib.error as error:
            raise FeedRefused("bad_gzip", str(error)) from None
        size += len(data)
        if size > max_size:
            raise FeedRefused("too_large", f"unpacks to more than {max_size} bytes")
        unpacked.append(data)
        rest = inflater.unused_data
        if not inflater.eof or not is_gzip(rest):  # cut short (kept as far as it goes), or the last member
            return b"".join(unpacked)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        recover=True, remove_comments=True, resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
    )


def parse_feed(body: bytes, max_size: int) -> ParsedFeed:
    """The feed's root element, or :class:`FeedRefused` (``entities``, ``malformed``, ``too_large``, ``bad_gzip``)."""
    if is_gzip(body):
        body = gunzip(body, max_size)
    parser = _parser()
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as error:
        raise FeedRefused("malformed", str(error)) from None
    if root is None:
        raise FeedRefused("malformed", "no element could be recovered")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and (names := [entity.name for entity in dtd.iterentities()]):
        raise FeedRefused("entities", f"declares entities ({', '.join(names[:3])}{', ...' if len(names) > 3 else ''})")
    errors = [entry for entry in parser.error_log if entry.level >= etree.ErrorLevels.ERROR]
    return ParsedFeed(root, malformed=f"line {errors[0].line}: {errors[0].message}" if errors else None)
