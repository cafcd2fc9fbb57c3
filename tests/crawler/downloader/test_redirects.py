"""Redirect loops, by Location or by meta refresh, end as a RedirectLoop instead of a silent duplicate drop."""

import pytest
from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils.test import get_crawler

from crawler.downloader.redirects import LoopSafeMetaRefreshMiddleware, LoopSafeRedirectMiddleware, RedirectLoop


def middleware(cls: type, **settings: object):
    crawler = get_crawler(settings_dict=settings)
    crawler.spider = Spider.from_crawler(crawler, name="probe")  # the middlewares read the crawl's spider
    return cls.from_crawler(crawler)


def moved(request: Request, location: str, status: int = 301) -> Response:
    return Response(request.url, status=status, headers={"Location": location}, request=request)


def refresh(request: Request, target: str, delay: int = 0) -> HtmlResponse:
    body = f'<html><head><meta http-equiv="refresh" content="{delay}; url={target}"></head><body>Moved</body></html>'
    return HtmlResponse(request.url, body=body.encode(), encoding="utf-8", request=request)


@pytest.fixture
def redirects() -> LoopSafeRedirectMiddleware:
    return middleware(LoopSafeRedirectMiddleware)


@pytest.fixture
def refreshes() -> LoopSafeMetaRefreshMiddleware:
    return middleware(LoopSafeMetaRefreshMiddleware)


def test_they_are_scrapys_middlewares_and_the_loop_an_ignored_request() -> None:
    assert issubclass(LoopSafeRedirectMiddleware, RedirectMiddleware)
    assert issubclass(LoopSafeMetaRefreshMiddleware, MetaRefreshMiddleware)
    assert issubclass(RedirectLoop, IgnoreRequest)


# --- Location ------------------------------------------------------------------------------------------------------


def test_a_redirect_that_leads_somewhere_new_is_followed(redirects: LoopSafeRedirectMiddleware) -> None:
    start = Request("https://news.example/old")
    followed = redirects.process_response(start, moved(start, "/new"))
    assert isinstance(followed, Request)
    assert followed.url == "https://news.example/new"
    assert followed.meta["redirect_urls"] == ["https://news.example/old"]
    assert followed.meta["redirect_times"] == 1


def test_a_response_that_is_no_redirect_passes_through(redirects: LoopSafeRedirectMiddleware) -> None:
    request = Request("https://news.example/a")
    ok = Response(request.url, status=200, request=request)
    assert redirects.process_response(request, ok) is ok
    no_location = Response(request.url, status=302, request=request)
    assert redirects.process_response(request, no_location) is no_location


def test_a_redirect_to_itself_is_a_loop(redirects: LoopSafeRedirectMiddleware) -> None:
    request = Request("https://news.example/a")
    with pytest.raises(RedirectLoop, match=r"^redirect loop: https://news.example/a -> https://news.example/a$"):
        redirects.process_response(request, moved(request, "https://news.example/a", status=302))


def test_a_two_step_loop_is_caught_on_the_way_back(redirects: LoopSafeRedirectMiddleware) -> None:
    first = Request("https://news.example/a")
    second = redirects.process_response(first, moved(first, "https://news.example/b"))
    assert isinstance(second, Request)
    with pytest.raises(RedirectLoop) as loop:
        redirects.process_response(second, moved(second, "/a", status=307))
    assert (
        str(loop.value) == "redirect loop: https://news.example/a -> https://news.example/b -> https://news.example/a"
    )


def test_a_loop_back_to_the_middle_of_the_chain_is_caught(redirects: LoopSafeRedirectMiddleware) -> None:
    request = Request("https://news.example/a")
    for target in ("/b", "/c"):
        followed = redirects.process_response(request, moved(request, target))
        assert isinstance(followed, Request)
        request = followed
    with pytest.raises(
        RedirectLoop, match="/a -> https://news.example/b -> https://news.example/c -> https://news.example/b$"
    ):
        redirects.process_response(request, moved(request, "/b", status=308))


@pytest.mark.parametrize(
    ("start", "back"),
    [
        ("https://news.example/a?x=1&y=2", "https://news.example/a?y=2&x=1"),  # query order
        ("https://news.example/a", "https://news.example/a#comments"),  # a fragment
        ("https://news.example/caf%C3%A9", "https://news.example/café"),  # escaped or not
    ],
)
def test_two_spellings_of_one_url_are_one_url(redirects: LoopSafeRedirectMiddleware, start: str, back: str) -> None:
    request = Request(start)
    middle = redirects.process_response(request, moved(request, "https://news.example/b"))
    assert isinstance(middle, Request)
    with pytest.raises(RedirectLoop):
        redirects.process_response(middle, moved(middle, back))


def test_another_scheme_or_host_or_path_is_no_loop(redirects: LoopSafeRedirectMiddleware) -> None:
    for start, target in [
        ("http://news.example/a", "https://news.example/a"),
        ("https://news.example/a", "https://www.news.example/a"),
        ("https://news.example/a", "https://news.example/a/"),
        ("https://news.example/a?page=1", "https://news.example/a?page=2"),
    ]:
        request = Request(start)
        assert isinstance(redirects.process_response(request, moved(request, target)), Request), (start, target)


def test_a_long_chain_without_repeats_ends_at_the_limit_as_scrapy_ends_it() -> None:
    redirects = middleware(LoopSafeRedirectMiddleware, REDIRECT_MAX_TIMES=3)
    request = Request("https://news.example/0")
    for step in range(1, 4):
        followed = redirects.process_response(request, moved(request, f"/{step}"))
        assert isinstance(followed, Request)
        request = followed
    with pytest.raises(IgnoreRequest) as ended:
        redirects.process_response(request, moved(request, "/4"))
    assert not isinstance(ended.value, RedirectLoop)
    assert request.meta["redirect_times"] == 3


def test_dont_redirect_is_respected(redirects: LoopSafeRedirectMiddleware) -> None:
    request = Request("https://news.example/a", meta={"dont_redirect": True})
    response = moved(request, "https://news.example/a")
    assert redirects.process_response(request, response) is response


# --- meta refresh --------------------------------------------------------------------------------------------------


def test_a_meta_refresh_somewhere_new_is_followed(refreshes: LoopSafeMetaRefreshMiddleware) -> None:
    request = Request("https://news.example/a")
    followed = refreshes.process_response(request, refresh(request, "/b"))
    assert isinstance(followed, Request) and followed.url == "https://news.example/b"


def test_a_meta_refresh_to_itself_is_a_loop(refreshes: LoopSafeMetaRefreshMiddleware) -> None:
    request = Request("https://news.example/a")
    with pytest.raises(RedirectLoop, match=r"^redirect loop: https://news.example/a -> https://news.example/a$"):
        refreshes.process_response(request, refresh(request, "https://news.example/a"))


def test_a_meta_refresh_loop_through_another_page_is_caught(refreshes: LoopSafeMetaRefreshMiddleware) -> None:
    first = Request("https://news.example/a")
    second = refreshes.process_response(first, refresh(first, "/b"))
    assert isinstance(second, Request)
    with pytest.raises(RedirectLoop):
        refreshes.process_response(second, refresh(second, "/a"))


def test_a_loop_mixing_location_and_meta_refresh_is_caught(
    redirects: LoopSafeRedirectMiddleware, refreshes: LoopSafeMetaRefreshMiddleware
) -> None:
    first = Request("https://news.example/a")
    second = redirects.process_response(first, moved(first, "/b"))
    assert isinstance(second, Request)
    with pytest.raises(
        RedirectLoop, match="https://news.example/a -> https://news.example/b -> https://news.example/a"
    ):
        refreshes.process_response(second, refresh(second, "/a"))


def test_pages_without_a_refresh_or_not_html_pass_through(refreshes: LoopSafeMetaRefreshMiddleware) -> None:
    request = Request("https://news.example/a")
    plain = HtmlResponse(request.url, body=b"<html><body>Article</body></html>", request=request)
    assert refreshes.process_response(request, plain) is plain
    text = TextResponse(request.url, body=b'<meta http-equiv="refresh" content="0; url=/a">', request=request)
    assert refreshes.process_response(request, text) is text


def test_a_slow_refresh_is_no_redirect_and_no_loop() -> None:
    refreshes = middleware(LoopSafeMetaRefreshMiddleware, METAREFRESH_MAXDELAY=100)
    request = Request("https://news.example/a")
    response = refresh(request, "https://news.example/a", delay=600)
    assert refreshes.process_response(request, response) is response


@pytest.mark.parametrize("tracking", ["utm_source=rss", "fbclid=XYZ"])
def test_a_redirect_that_strips_tracking_parameters_is_no_loop(
    redirects: LoopSafeRedirectMiddleware, tracking: str
) -> None:
    # Feed links carry ?utm_source=...; servers commonly answer with a 301 to the clean URL.
    request = Request(f"https://news.example/a?{tracking}")
    followed = redirects.process_response(request, moved(request, "https://news.example/a"))
    assert isinstance(followed, Request) and followed.url == "https://news.example/a"
