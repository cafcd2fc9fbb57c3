"""Fetching pages for the adapter tools through Scrapy's downloader, against the mirror on 127.0.0.1 (no network).

The pages are fetched by ``crawler.tools.fetch.fetch_pages`` in a subprocess (a
crawl runs once per process) with the project's live settings and
``NEWS_MIRROR_URL``: hosts like ``news.example`` do not exist, so a page only
arrives if the project's download handler took it from the mirror.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    IgnoreRequest,
)
from scrapy.http import Request
from scrapy.settings import Settings
from twisted.python.failure import Failure

from crawler.crawling.sites import UnknownSiteError
from crawler.tools.fetch import (
    FetchError,
    decode_page,
    failure_message,
    quiet_log,
    real_page_url,
    site_for_url,
)
from crawler.tools.mirror import Answer, Mirror, RunningMirror
from settings import base
from tests.crawling import ROOT

ARABIC_PAGE = '<html><head><meta charset="utf-8"></head><body><p>المصدر : الجزيرة + وكالات</p></body></html>'
STORY = b"<html><body><p>the story</p></body></html>"
LIMIT = 20_000

#: Run in the subprocess: fetch the URLs of argv[1] (JSON) with the project's settings plus argv[2], print the results.
FETCH_SCRIPT = """
import json, sys
from scrapy.crawler import AsyncCrawlerProcess
from scrapy.utils.project import get_project_settings
from crawler.tools.fetch import FetchError, FetchJob, fetch_pages, quiet_log
urls, overrides = json.loads(sys.argv[1]), json.loads(sys.argv[2])
settings = get_project_settings()
settings.setdict(overrides, priority="cmdline")
quiet_log(settings)
results = fetch_pages(AsyncCrawlerProcess(settings), [FetchJob(urls, domains=["news.example"])])
out = {}
for url, page in results.items():
    if isinstance(page, FetchError):
        out[url] = {"error": str(page)}
    else:
        out[url] = {"final_url": page.final_url, "status": page.status, "text": page.text, "encoding": page.encoding,
                    "notes": page.notes, "redirects": page.redirects}
print(json.dumps(out))
"""


def site_pages(url: str) -> Answer | None:
    """What news.example serves besides the mirror's own answers (robots.txt, http -> https)."""
    path = url.split("news.example", 1)[1] if "://news.example/" in url else None
    if path == "/world/story" and url.startswith("https:"):
        return 200, {"Content-Type": "text/html; charset=utf-8"}, STORY
    if path == "/old-story" and url.startswith("https:"):  # the mirror sends http:// to https:// first
        return 301, {"Location": "https://news.example/world/story"}, b""
    if path == "/big":
        return 200, {"Content-Type": "text/html"}, b"<html><body>" + b"x" * (LIMIT * 2) + b"</body></html>"
    if path == "/arabic":
        return 200, {"Content-Type": "text/html; charset=windows-1252"}, ARABIC_PAGE.encode("utf-8")
    if path == "/leaves":
        return 302, {"Location": "https://elsewhere.example/x"}, b""
    return None


@pytest.fixture(scope="module")
def fetched() -> Iterator[tuple[dict[str, Any], list[tuple[str, str]]]]:
    """Every page of the module fetched in one crawl; also the (path, User-Agent) of each request the mirror saw."""
    seen: list[tuple[str, str]] = []
    running = RunningMirror(Mirror(extra=site_pages))

    class Recording(running.server.RequestHandlerClass):  # type: ignore[name-defined,misc]
        def parse_request(self) -> bool:
            parsed = super().parse_request()
            seen.append((self.path, self.headers.get("User-Agent", "")))
            return parsed

    running.server.RequestHandlerClass = Recording
    urls = ["http://news.example/old-story", "https://news.example/gone", "https://news.example/slow?_mirror_delay=3",
            "https://news.example/big", "https://news.example/arabic", "https://news.example/private/page",
            "https://news.example/leaves"]  # fmt: skip
    with running as mirror:
        overrides = {"NEWS_MIRROR_URL": mirror, "DOWNLOAD_TIMEOUT": 1, "DOWNLOAD_MAXSIZE": LIMIT, "RETRY_TIMES": 0,
                     "AUTOTHROTTLE_ENABLED": False}  # fmt: skip
        env = {key: value for key, value in os.environ.items() if key != "SCRAPY_PROJECT"}  # live settings
        result = subprocess.run([sys.executable, "-c", FETCH_SCRIPT, json.dumps(urls), json.dumps(overrides)], cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", "the fetching crawl's log is kept quiet"
    yield json.loads(result.stdout), seen


def test_pages_come_through_the_mirror_with_the_project_user_agent(fetched: tuple[dict[str, Any], list]) -> None:
    results, seen = fetched
    assert results["http://news.example/old-story"]["text"] == STORY.decode()
    assert ("/https/news.example/world/story", base.USER_AGENT) in seen
    assert {agent for _, agent in seen} == {base.USER_AGENT}


def test_redirects_are_followed_and_recorded_under_real_urls(fetched: tuple[dict[str, Any], list]) -> None:
    page = fetched[0]["http://news.example/old-story"]
    assert page["final_url"] == "https://news.example/world/story" and page["status"] == 200
    assert page["redirects"] == [
        {"url": "http://news.example/old-story", "status": 301, "location": "https://news.example/old-story"},
        {"url": "https://news.example/old-story", "status": 301, "location": "https://news.example/world/story"},
    ]
    assert "127.0.0.1" not in json.dumps(page)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://news.example/gone", "https://news.example/gone: HTTP 404"),
        ("https://news.example/slow?_mirror_delay=3", "no answer within 1 s (DOWNLOAD_TIMEOUT)"),
        ("https://news.example/big", f"over the {LIMIT}-byte limit (DOWNLOAD_MAXSIZE)"),
        ("https://news.example/private/page", "forbidden by the site's robots.txt"),
        (
            "https://news.example/leaves",
            "redirected off the site's domains (news.example) to https://elsewhere.example/x",
        ),
    ],
    ids=["404", "timeout", "too-large", "robots", "off-site-redirect"],
)
def test_a_page_that_cannot_be_had_is_one_clear_line(
    fetched: tuple[dict[str, Any], list], url: str, message: str
) -> None:
    error = fetched[0][url]["error"]
    assert message in error and "\n" not in error


def test_a_wrong_charset_header_does_not_garble_arabic(fetched: tuple[dict[str, Any], list]) -> None:
    page = fetched[0]["https://news.example/arabic"]
    assert "المصدر : الجزيرة + وكالات" in page["text"] and page["encoding"] == "utf-8"
    assert page["notes"] == ["the charset header said cp1252, but the bytes are UTF-8 (as <meta> says: utf-8)"]


def test_transport_errors_read_as_words() -> None:
    settings = Settings({"DOWNLOAD_TIMEOUT": 5})
    request = Request("https://no-such-host.example/a")
    dns = Failure(CannotResolveHostError("no-such-host.example"))
    dns.request = request  # type: ignore[attr-defined]
    assert failure_message(dns, settings) == "no such host (no-such-host.example): the DNS lookup failed"
    assert failure_message(Failure(DownloadConnectionRefusedError()), settings) == "connection refused"
    odd = Failure(IgnoreRequest("line one\nline two " + "x" * 500))
    assert "\n" not in failure_message(odd, settings) and len(failure_message(odd, settings)) < 300


def test_a_mirror_address_is_turned_back_into_the_real_url() -> None:
    mirror = "http://127.0.0.1:8080"
    assert real_page_url(f"{mirror}/https/see.news/a?b=1", mirror) == "https://see.news/a?b=1"
    assert real_page_url("https://see.news/a", mirror) == "https://see.news/a"
    with pytest.raises(
        FetchError,
        match=r"give the page's real URL and the mirror, https://see.news/a -s NEWS_MIRROR_URL=http://127.0.0.1:8080",
    ):
        real_page_url(f"{mirror}/https/see.news/a", None)
    for not_web in ("ftp://see.news/a", "see.news/a", "https://[::1/a"):
        with pytest.raises(FetchError, match="not an http"):
            real_page_url(not_web, None)


def test_the_site_comes_from_the_url_domain() -> None:
    assert site_for_url("https://see.news/lavrov") == "sadaelbalad"
    assert site_for_url("https://www.aljazeera.net/news/2021/10/18/x") == "aljazeera"
    with pytest.raises(UnknownSiteError) as raised:
        site_for_url("https://news.example.org/a")
    message = str(raised.value)
    assert (
        "\n" not in message and "sadaelbalad (see.news)" in message and "almayadeen (english.almayadeen.net)" in message
    )


def test_the_log_is_quiet_unless_asked_for() -> None:
    settings = Settings({"LOG_LEVEL": "INFO"}, priority="project")
    quiet_log(settings)
    assert settings.get("LOG_LEVEL") == "CRITICAL"
    asked = Settings()
    asked.set("LOG_LEVEL", "DEBUG", priority="cmdline")  # scrapy savefixture -L DEBUG
    quiet_log(asked)
    assert asked.get("LOG_LEVEL") == "DEBUG"


def test_legacy_arabic_encodings_and_byte_order_marks() -> None:
    windows_1256 = ARABIC_PAGE.replace('charset="utf-8"', 'charset="windows-1256"').encode("cp1256")
    text, encoding, notes = decode_page(windows_1256, None)  # charset only in <meta>
    assert "الجزيرة" in text and encoding == "cp1256" and notes == []
    text, encoding, _ = decode_page(b"\xef\xbb\xbf" + ARABIC_PAGE.encode("utf-8"), "text/html; charset=iso-8859-1")
    assert "الجزيرة" in text and encoding == "utf-8"
