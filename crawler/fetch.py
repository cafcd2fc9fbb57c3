"""Fetching one page outside a crawl, for the adapter tools (savefixture, newsite, drift).

A crawl downloads through Scrapy; these tools fetch one page at a time from
the command line, where ``requests`` is the plain choice.  The same care
applies: the project's user agent, a timeout, a size limit enforced while
reading, redirects followed and recorded, and the text decoded once, from
the page's bytes, the way a browser would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import requests
from scrapy.settings import BaseSettings

from crawler.decoding import decode_page  # shared with the spider, so both read a page alike

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


def fetch_options(settings: BaseSettings) -> dict[str, object]:
    """``fetch_page``'s keyword arguments from the project's settings: the crawl's own limits."""
    return {
        "user_agent": settings.get("USER_AGENT"),
        "timeout": settings.getfloat("DOWNLOAD_TIMEOUT", DEFAULT_TIMEOUT),
        "max_bytes": settings.getint("DOWNLOAD_MAXSIZE", DEFAULT_MAX_BYTES),
    }


class FetchError(Exception):
    """A page that could not be had; the message says why, for a person."""


@dataclass
class FetchedPage:
    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    #: The encoding the bytes were in, as found (header, BOM, <meta>, or the bytes themselves).
    encoding: str
    text: str
    fetched_at: str
    redirects: list[dict[str, object]] = field(default_factory=list)
    #: What was odd about the answer (a charset header the bytes contradict, say).
    notes: list[str] = field(default_factory=list)


def fetch_page(
    url: str,
    user_agent: str,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    session: requests.Session | None = None,
) -> FetchedPage:
    """GET one page; raise ``FetchError`` (never a bare traceback) when it cannot be had."""
    client = session or requests.Session()
    try:
        response = client.get(url, headers={"User-Agent": user_agent}, timeout=timeout, stream=True,
                              allow_redirects=True)  # fmt: skip
        body = _read_limited(response, max_bytes)
    except requests.Timeout:
        raise FetchError(f"{url}: no answer within {timeout:g} s") from None
    except requests.TooManyRedirects:
        raise FetchError(f"{url}: too many redirects") from None
    except requests.RequestException as error:
        raise FetchError(f"{url}: {type(error).__name__}: {error}") from None
    if response.status_code >= 400:
        raise FetchError(f"{url}: HTTP {response.status_code} from {response.url}")
    content_type = response.headers.get("Content-Type", "")
    text, encoding, notes = decode_page(body, content_type)
    redirects = [{"url": hop.url, "status": hop.status_code, "location": hop.headers.get("Location")}
                 for hop in response.history]  # fmt: skip
    return FetchedPage(
        url=url,
        final_url=response.url,
        status=response.status_code,
        content_type=content_type,
        body=body,
        encoding=encoding,
        text=text,
        fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        redirects=redirects,
        notes=notes,
    )


def _read_limited(response: requests.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        response.close()
        raise FetchError(f"{response.url}: {int(declared)} bytes, over the {max_bytes}-byte limit")
    chunks, total = [], 0
    for chunk in response.iter_content(CHUNK_BYTES):
        total += len(chunk)
        if total > max_bytes:
            response.close()
            raise FetchError(f"{response.url}: over the {max_bytes}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)
