"""A page's bytes -> its text, the same way for the crawl and for the one-page tools.

The spider (``NewsSpider.parse_article``), ``scrapy extract`` and the
adapter tools (``crawler.tools.fetch``) all decode a page here, so a page comes
out the same whichever way it was fetched.  w3lib's order is followed (BOM,
then the HTTP header, then ``<meta charset>``, then the bytes themselves),
with two corrections for headers that contradict the bytes, each noted.

Also here: telling a page that is no text at all (a PDF or an image served
as ``text/html``) from an odd one, and noticing mojibake a page already had
when it was published.  Text is kept as published: mojibake is reported,
never "repaired" into text the page did not hold.
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    resolve_encoding,
)

from crawler.errors import UnreadablePage

_UNICODE_ENCODINGS = ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


def decode_page(body: bytes, content_type: str | None) -> tuple[str, str, list[str]]:
    """The page's text, the encoding it was in, and notes on anything odd.

    Corrections to the header, each noted: a header naming a legacy charset
    for bytes that are valid, non-ASCII UTF-8 is wrong far more often than
    the bytes are, so the bytes win; and a header saying UTF-8 for bytes
    that are not, while ``<meta>`` names a charset they do decode in, yields
    to ``<meta>`` (a server default overriding what the page says of itself).
    """
    notes: list[str] = []
    encoding, text = html_to_unicode(content_type, body)
    encoding = resolve_encoding(encoding) or encoding
    if encoding not in _UNICODE_ENCODINGS and not body.isascii() and not body.startswith(codecs.BOM_UTF8):
        try:
            utf8_text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            declared = html_body_declared_encoding(body)
            notes.append(f"the charset header said {encoding}, but the bytes are UTF-8"
                         + (f" (as <meta> says: {declared})" if declared else ""))  # fmt: skip
            encoding, text = "utf-8", utf8_text
    elif encoding == "utf-8" and "\ufffd" in text and not body.startswith(codecs.BOM_UTF8):
        declared = html_body_declared_encoding(body)
        legacy = resolve_encoding(declared) if declared else None
        if legacy and legacy not in _UNICODE_ENCODINGS:
            try:
                legacy_text = body.decode(legacy)
            except (UnicodeDecodeError, LookupError):
                pass
            else:
                notes.append(f"the charset header said utf-8, but the bytes are not; <meta> says {declared}")
                encoding, text = legacy, legacy_text
    return text, encoding, notes


def utf8_bytes(body: bytes, text: str, encoding: str) -> bytes | None:
    """``body`` when it is exactly ``text`` in UTF-8, as :func:`decode_page` decoded it to ``text`` and
    ``encoding``; ``None`` when it may not be.

    Why: lexbor parses UTF-8, and given the text, selectolax encodes it again: a fifth of the parse
    of a real page (whose text Python keeps in two or four bytes a character).  Decoded as UTF-8
    with no BOM and no replacement character, the text is the bytes' one decoding, and encoding it
    gives the bytes back (a U+FFFD the page really holds is taken for a replacement: the text is
    encoded then, as before).
    """
    if encoding != "utf-8" or body.startswith(codecs.BOM_UTF8) or "\ufffd" in text:
        return None
    return body


#: What a page's first bytes say it is, when it is no text at all.
SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x1f\x8b\x08", "gzip data"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"OggS", "an Ogg file"),
    (b"ID3", "an MP3 file"),
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
#: Control characters that no text page holds (tab, newlines and form feed are text).
_BINARY_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])
_BINARY_CHARS_RE = re.compile("[" + re.escape(_BINARY_BYTES.decode("ascii")) + "]")
#: How much of a page is looked at, and the share of control characters that makes it binary.
SAMPLE = 4096
MAX_CONTROL_SHARE = 0.05


def binary_kind(page: bytes | str) -> str | None:
    """What the page is when it is no text (``"a PDF document"``), or ``None`` for a text page.

    A stray NUL or two is an odd text page, not a binary one: only a known
    file signature or a sample with more than 5% control characters is.
    """
    if isinstance(page, str):
        sample_text = page[:SAMPLE]
        head = sample_text.lstrip()[:16].encode("latin-1", "replace")
        controls = len(_BINARY_CHARS_RE.findall(sample_text))
        size = len(sample_text)
    else:
        if page.startswith(_BOMS):
            return None  # UTF-16/32 text has NULs in it, and says so
        sample = page[:SAMPLE]
        head = sample.lstrip()[:16]
        controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))
        size = len(sample)
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    if size and controls / size > MAX_CONTROL_SHARE:
        return "binary data"
    return None


def check_readable(page: bytes | str) -> None:
    """Raise :class:`UnreadablePage` for a page with nothing to read: empty, or not text."""
    if not page.strip():
        raise UnreadablePage("empty", "no content" if not page else "only whitespace")
    kind = binary_kind(page)
    if kind is not None:
        raise UnreadablePage("binary", f"{kind}, not an HTML page")


#: Two or more characters that are how UTF-8 lead and continuation bytes look when read as
#: windows-1252 or ISO 8859-1 ("Ø§Ù„" for "ال", "Ã©" for "é").
_MOJIBAKE_RE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                          "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]+")  # fmt: skip
#: Runs found before a text counts as mojibake (one "Ã©" could be a name).
MIN_MOJIBAKE_RUNS = 3


def looks_like_mojibake(text: str) -> bool:
    """Whether ``text`` holds UTF-8 that was read as windows-1252 / ISO 8859-1 before it was published.

    A run counts only when it really is such UTF-8: read back as those bytes,
    it decodes as UTF-8.  Used to warn and count, never to rewrite the text.
    """
    runs = 0
    for match in _MOJIBAKE_RE.finditer(text):
        if _is_utf8_misread(match.group()):
            runs += 1
            if runs >= MIN_MOJIBAKE_RUNS:
                return True
    return False


def _is_utf8_misread(run: str) -> bool:
    raw = bytearray()
    for char in run:
        try:
            raw += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                return False
            raw.append(ord(char))  # ISO 8859-1 reads 0x80-0x9F as C1 controls
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
