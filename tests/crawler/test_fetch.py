"""Fetching one page with requests, answered by ``responses`` (no network)."""

import pytest
import requests
import responses

from crawler.fetch import FetchError, decode_page, fetch_page

URL = "https://news.example/world/story"
UA = "newsframe-test"
ARABIC_PAGE = '<html><head><meta charset="utf-8"></head><body><p>المصدر : الجزيرة + وكالات</p></body></html>'


@responses.activate
def test_redirects_are_followed_and_recorded() -> None:
    responses.add(responses.GET, "http://news.example/world/story", status=301, headers={"Location": URL})
    responses.add(responses.GET, URL, body="<html><body>ok</body></html>", content_type="text/html")
    page = fetch_page("http://news.example/world/story", UA)
    assert page.final_url == URL and page.status == 200
    assert page.redirects == [{"url": "http://news.example/world/story", "status": 301, "location": URL}]
    assert responses.calls[0].request.headers["User-Agent"] == UA


@responses.activate
def test_a_404_is_a_clear_error() -> None:
    responses.add(responses.GET, URL, status=404)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_page(URL, UA)


@responses.activate
def test_a_timeout_is_a_clear_error() -> None:
    responses.add(responses.GET, URL, body=requests.Timeout("read timed out"))
    with pytest.raises(FetchError, match="no answer within 5 s"):
        fetch_page(URL, UA, timeout=5)


@responses.activate
def test_a_page_over_the_size_limit_is_refused() -> None:
    responses.add(responses.GET, URL, body=b"x" * 5000, content_type="text/html")
    with pytest.raises(FetchError, match="over the 1000-byte limit"):
        fetch_page(URL, UA, max_bytes=1000)


@responses.activate
def test_a_wrong_charset_header_does_not_garble_arabic() -> None:
    responses.add(responses.GET, URL, body=ARABIC_PAGE.encode("utf-8"),
                  headers={"Content-Type": "text/html; charset=windows-1252"})  # fmt: skip
    page = fetch_page(URL, UA)
    assert "المصدر : الجزيرة + وكالات" in page.text and page.encoding == "utf-8"
    assert page.notes == ["the charset header said cp1252, but the bytes are UTF-8 (as <meta> says: utf-8)"]


def test_legacy_arabic_encodings_and_byte_order_marks() -> None:
    windows_1256 = ARABIC_PAGE.replace('charset="utf-8"', 'charset="windows-1256"').encode("cp1256")
    text, encoding, notes = decode_page(windows_1256, None)  # charset only in <meta>
    assert "الجزيرة" in text and encoding == "cp1256" and notes == []
    text, encoding, _ = decode_page(b"\xef\xbb\xbf" + ARABIC_PAGE.encode("utf-8"), "text/html; charset=iso-8859-1")
    assert "الجزيرة" in text and encoding == "utf-8"
