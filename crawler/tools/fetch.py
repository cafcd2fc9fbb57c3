"""Fetching pages outside a crawl, for the adapter tools (savefixture, newsite, drift): with Scrapy's downloader.

The tools used to fetch with ``requests``, so what a crawl obeys did not
apply to them: ``NEWS_MIRROR_URL`` and replay (they could not be tried
offline), proxies, robots.txt, ``DOWNLOAD_MAXSIZE``.  Here a page is fetched
by a one-request-per-URL crawl with the project's settings and downloader
middlewares, the way ``scrapy fetch`` does it, so the page a tool stores is
the page a crawl would have read, under its real URL (the mirror's handler
answers under it).  A crawl runs once per process (Twisted's reactor cannot be
restarted), so every page a command needs is fetched in one call.

Logging: these commands print one line of their own for what went wrong, so
the crawl's log is kept below ERROR unless ``-L`` asks for it
(:func:`quiet_log`); ``scrapy savefixture -L INFO URL`` shows it all.
"""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcessBase
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
)
from scrapy.http import Response
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.crawling.sites import UnknownSiteError, news_spiders
from crawler.downloader.failures import ForbiddenByRobots, failure_reason

# decode_page is shared with the spider, so both read a page alike; newsite reads a sample file with it too.
from crawler.extraction.decoding import decode_page
from crawler.tools.mirror import real_url

__all__ = [
    "FetchError", "FetchJob", "FetchedPage", "check_on_site", "decode_page", "failure_message", "fetch_pages",
    "quiet_log", "real_page_url", "site_for_url",
]  # fmt: skip

#: What the fetching crawl changes in the project's settings: it only downloads.  Nothing is
#: stored or skipped as already stored, and a site's own spider arguments are not needed.
FETCH_SETTINGS: dict[str, Any] = {"ITEM_PIPELINES": {}, "NEWS_STORE_PATH": ""}
#: The log level of a tool's crawl unless ``-L`` says otherwise: the tool says what failed itself.
QUIET_LOG_LEVEL = "CRITICAL"
LOOPBACK_NAMES = ("localhost",)
#: Longest message part taken from an exception (a server's text can be anything).
MAX_DETAIL_CHARS = 200


class FetchError(Exception):
    """A page that could not be had; the message is one line, for a person."""


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


def quiet_log(settings: BaseSettings) -> None:
    """Keep the fetching crawl's log off stderr unless the command line set a level (``-L``, ``--loglevel``).

    The project logs at INFO; for a tool that fetches one page, that is a
    screenful around the one line saying what happened.  Called from a
    command's ``process_options``, before Scrapy configures logging.
    """
    if (settings.getpriority("LOG_LEVEL") or 0) < SETTINGS_PRIORITIES["cmdline"]:
        settings.set("LOG_LEVEL", QUIET_LOG_LEVEL, priority="cmdline")


def _one_line(text: object) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_DETAIL_CHARS else line[:MAX_DETAIL_CHARS] + "..."


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def real_page_url(url: str, mirror_url: str | None) -> str:
    """The real URL a command is asked for: a mirror address is turned back into the URL it mirrors.

    A case stores the page's real URL (replay and the mirror look pages up by
    it).  ``http://127.0.0.1:8080/https/see.news/a`` with ``NEWS_MIRROR_URL``
    set to that mirror is ``https://see.news/a``, fetched through the mirror;
    a mirror address without that setting is refused, saying what to type.
    Anything that is no http(s) URL is refused too.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # an unbalanced "[" in the host, a port out of range
        raise FetchError(f"{_one_line(url)!r} is not an http(s) URL") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise FetchError(f"{_one_line(url)!r} is not an http(s) URL")
    mirror = (mirror_url or "").rstrip("/")
    if mirror and url.startswith(mirror + "/"):
        mirrored = real_url(url[len(mirror) :])
        if mirrored is None:
            raise FetchError(
                f"{_one_line(url)} is the mirror's address of no page (its form: {mirror}/https/HOST/PATH)"
            )
        return mirrored
    mirrored = real_url(urlsplit(url)._replace(scheme="", netloc="").geturl()) if _is_loopback(host) else None
    if mirrored is not None:
        origin = f"{parts.scheme}://{parts.netloc}"
        raise FetchError(f"{_one_line(url)} is a mirror's address: give the page's real URL and the mirror,"
                         f" {mirrored} -s NEWS_MIRROR_URL={origin}")  # fmt: skip
    return url


def _host_is_under(host: str, domains: Sequence[str]) -> bool:
    """``allowed_domains`` as Scrapy reads them: the domain itself or any of its subdomains."""
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def site_for_url(url: str) -> str:
    """The spider whose ``allowed_domains`` hold the URL's host; ``UnknownSiteError`` (one line) when none does."""
    host = (urlsplit(url).hostname or "").lower()
    spiders = news_spiders()
    for name, spider_class in sorted(spiders.items()):
        if _host_is_under(host, getattr(spider_class, "allowed_domains", None) or ()):
            return name
    known = "; ".join(f"{name} ({', '.join(getattr(spider_class, 'allowed_domains', None) or ())})"
                      for name, spider_class in sorted(spiders.items())) or "none"  # fmt: skip
    raise UnknownSiteError(f"no site's spider covers {host or url!r}: give --spider NAME (known: {known})")


def check_on_site(url: str, name: str, domains: Sequence[str]) -> None:
    """Refuse a URL off the site's domains before fetching: the crawl would drop it, and the case would be wrong."""
    host = (urlsplit(url).hostname or "").lower()
    if domains and not _host_is_under(host, domains):
        raise FetchError(f"{_one_line(url)} is not on {name}'s domains ({', '.join(domains)})")


def failure_message(failure: Failure, settings: BaseSettings, asked: str = "") -> str:
    """Why a page could not be had, in words: what ``news/download_failed/<reason>`` counts, for a person."""
    error = failure.value
    request = getattr(failure, "request", None)
    if isinstance(error, HttpError):
        response = error.response
        return f"HTTP {response.status}" + (f" from {response.url}" if response.url != asked else "")
    if isinstance(error, ForbiddenByRobots):
        return "forbidden by the site's robots.txt"
    if isinstance(error, CannotResolveHostError):
        return f"no such host ({urlsplit(request.url).hostname if request else '?'}): the DNS lookup failed"
    if isinstance(error, DownloadConnectionRefusedError):
        return "connection refused"
    if isinstance(error, DownloadTimeoutError):
        return f"no answer within {settings.getfloat('DOWNLOAD_TIMEOUT'):g} s (DOWNLOAD_TIMEOUT)"
    reason = failure_reason(failure, request, settings)
    if reason == "too_large":
        return f"over the {settings.getint('DOWNLOAD_MAXSIZE')}-byte limit (DOWNLOAD_MAXSIZE)"
    if reason == "too_many_redirects":
        return f"more than {settings.getint('REDIRECT_MAX_TIMES')} redirects (REDIRECT_MAX_TIMES)"
    detail = _one_line(failure.getErrorMessage())
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


def page_from_response(url: str, response: Response) -> FetchedPage:
    """What a tool keeps of a response: the bytes, decoded once as the spider decodes them, and the redirects."""
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    text, encoding, notes = decode_page(response.body, content_type)
    chain = [*response.meta.get("redirect_urls", []), response.url]
    reasons = response.meta.get("redirect_reasons", [])
    redirects: list[dict[str, object]] = [
        {"url": hop, "status": reason, "location": chain[index + 1]}
        for index, (hop, reason) in enumerate(zip(chain, reasons, strict=False))
    ]
    return FetchedPage(
        url=url,
        final_url=response.url,
        status=response.status,
        content_type=content_type,
        body=response.body,
        encoding=encoding,
        text=text,
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        redirects=redirects,
        notes=notes,
    )


@dataclass
class FetchJob:
    """Pages to fetch as one site: with its spider (its download slots, ``allowed_domains``, settings)."""

    urls: Sequence[str]
    #: The site's spider; ``None`` for a site with no spider yet (``newsite``), kept to ``domains``.
    spider_class: type[scrapy.Spider] | None = None
    domains: Sequence[str] = ()


def _fetcher_class(job: FetchJob, results: dict[str, FetchedPage | FetchError]) -> type[scrapy.Spider]:
    """A subclass of the site's spider that requests the job's URLs and keeps what comes back."""
    base = job.spider_class or scrapy.Spider
    attributes: dict[str, Any] = {
        "custom_settings": {**(getattr(base, "custom_settings", None) or {}), **FETCH_SETTINGS},
    }
    if job.spider_class is None:
        attributes |= {"name": "fetch", "allowed_domains": list(job.domains)}

    async def start(self: Any) -> AsyncIterator[scrapy.Request]:  # the class made below, with fetched
        for url in job.urls:
            yield scrapy.Request(url, callback=self.fetched, errback=self.fetch_failed,
                                 cb_kwargs={"asked": url}, meta={"fetch_asked": url})  # fmt: skip

    def fetched(self: scrapy.Spider, response: Response, asked: str) -> None:
        results[asked] = page_from_response(asked, response)

    def fetch_failed(self: scrapy.Spider, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        if request is not None and "fetch_asked" in request.meta:
            asked = request.meta["fetch_asked"]
            results[asked] = FetchError(f"{asked}: {failure_message(failure, self.crawler.settings, asked)}")

    attributes |= {"start": start, "fetched": fetched, "fetch_failed": fetch_failed}
    return type(f"Fetch{base.__name__}", (base,), attributes)


def fetch_pages(process: CrawlerProcessBase, jobs: Sequence[FetchJob]) -> dict[str, FetchedPage | FetchError]:
    """Every job's pages, fetched in one run of ``process``: the page, or a one-line ``FetchError``, by URL.

    Runs the process (so: once per process).  Scrapy drops some requests
    without an errback: a redirect off the spider's ``allowed_domains`` (its
    offsite filter), a redirect to a page this crawl already fetched (the
    duplicate filter).  Those are errors too, saying so, and a URL that got
    nothing at all still gets an error: every URL has a result.
    """
    results: dict[str, FetchedPage | FetchError] = {}
    receivers = []
    for job in jobs:
        if not job.urls:
            continue
        crawler = process.create_crawler(_fetcher_class(job, results))
        receivers += _watch_drops(crawler, results)
        process.crawl(crawler)
    if receivers:
        process.start()
    for job in jobs:
        for url in job.urls:
            results.setdefault(url, FetchError(f"{url}: no answer and no error (run with -L DEBUG to see why)"))
    return results


def _watch_drops(crawler: Crawler, results: dict[str, FetchedPage | FetchError]) -> list[Callable[..., None]]:
    """Record the requests the crawl will drop unanswered; the receivers, which the caller must keep alive.

    Scrapy holds signal receivers weakly, so they live as long as the list
    returned.  ``request_scheduled`` comes before the offsite filter acts on
    it, and that filter (``scrapy.downloadermiddlewares.offsite``) lets a
    ``dont_filter`` or ``allow_offsite`` request through, as this check does.
    """

    def scheduled(request: scrapy.Request, spider: scrapy.Spider) -> None:
        asked = request.meta.get("fetch_asked")
        domains = getattr(spider, "allowed_domains", None) or ()
        if not asked or not domains or request.dont_filter or request.meta.get("allow_offsite"):
            return
        if not _host_is_under((urlsplit(request.url).hostname or "").lower(), domains):
            where = ", ".join(domains)
            results.setdefault(
                asked, FetchError(f"{asked}: redirected off the site's domains ({where}) to {request.url}")
            )

    def dropped(request: scrapy.Request, spider: scrapy.Spider) -> None:
        asked = request.meta.get("fetch_asked")
        if asked:
            results.setdefault(asked, FetchError(f"{asked}: redirected to {request.url}, fetched already in this run"))

    crawler.signals.connect(scheduled, signal=signals.request_scheduled)
    crawler.signals.connect(dropped, signal=signals.request_dropped)
    return [scheduled, dropped]
