"""One fetched article page as a WARC request record and a response record (warcio).

What is kept is what the spider read: the response body as Scrapy handed it
over, after its HTTP compression middleware decoded it, with the headers it
arrived with.  A header that would then lie about the payload
(``Content-Encoding: gzip`` on decoded bytes, a ``Content-Length`` of the
compressed size, ``Transfer-Encoding: chunked``) is kept under
``X-Archive-Orig-<name>`` instead, the convention of pywb and other WARC
tools, so a replay tool reads the payload as it is and the header as received
is still there.  ``WARC-Newsframe-Payload: decoded`` says so in the record
itself.

Every response record is marked ``WARC-Newsframe-Kind: article`` (the spider
extracted an article from it): only article pages are archived today, but the
mark lets listings be added later without every reader having to guess.
The target URI is the page's real URL: in a mirrored or replayed crawl,
Scrapy's response already carries it, not the mirror's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from io import BytesIO
from urllib.parse import urlsplit

from w3lib.url import safe_url_string
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import BufferWARCWriter

#: The WARC header naming what kind of page a response record holds.
KIND_HEADER = "WARC-Newsframe-Kind"
ARTICLE = "article"
#: The WARC header saying the payload is the decoded body (see the module's docstring).
PAYLOAD_HEADER = "WARC-Newsframe-Payload"
#: HTTP headers that describe the bytes on the wire, not the payload kept; renamed with this prefix.
WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})
ORIGINAL_PREFIX = "X-Archive-Orig-"


@dataclass(frozen=True)
class FetchedPage:
    """What a crawl had of one page: the request sent and the response as the spider read it."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    fetched_at: str | None = None  # ISO 8601 UTC, the WARC-Date; None: now


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def payload_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The response's headers, the wire-only ones renamed so that none contradicts the decoded payload."""
    return [(f"{ORIGINAL_PREFIX}{name}" if name.lower() in WIRE_HEADERS else name, value) for name, value in headers]


def page_records(page: FetchedPage) -> bytes:
    """The page's response record then its request record (linked by ``WARC-Concurrent-To``), gzipped per record.

    Built in memory first so that the file gets either both records whole or,
    on a failing disk, a torn tail the reader skips: never a record that reads
    back as whole but is missing its payload.
    """
    writer = BufferWARCWriter(gzip=True)
    dated = {"WARC-Date": page.fetched_at} if page.fetched_at else {}
    response = writer.create_warc_record(
        page.url,
        "response",
        payload=BytesIO(page.body),
        length=len(page.body),
        http_headers=StatusAndHeaders(_status_line(page.status), payload_headers(page.response_headers), "HTTP/1.1"),
        warc_headers_dict={KIND_HEADER: ARTICLE, PAYLOAD_HEADER: "decoded", **dated},
    )
    writer.write_record(response)
    request = _request_record(writer, page, response)
    writer.write_record(request)
    return writer.get_contents()


def _request_record(writer: BufferWARCWriter, page: FetchedPage, response: ArcWarcRecord) -> ArcWarcRecord:
    parts = urlsplit(safe_url_string(page.url))  # an HTTP request line is ASCII: a non-ASCII path percent-encoded
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = list(page.request_headers)
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    request_line = f"{page.method} {target} HTTP/1.1"
    return writer.create_warc_record(
        page.url,
        "request",
        payload=BytesIO(b""),
        length=0,
        http_headers=StatusAndHeaders(request_line, headers, is_http_request=True),
        warc_headers_dict={
            "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            "WARC-Date": response.rec_headers.get_header("WARC-Date"),
        },
    )
