import asyncio
import json
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawler.downloader.replay import ReplayMiddleware, SnapshotStore


@pytest.fixture
def store(tmp_path: Path) -> SnapshotStore:
    article = tmp_path / "site" / "story"
    article.mkdir(parents=True)
    (article / "meta.json").write_text(json.dumps({"url": "https://news.example/news/a/story?b=2&a=1"}))
    (article / "page.html").write_text("<html><body><p>stored</p></body></html>")
    feed = tmp_path / "site" / "rss"
    feed.mkdir()
    (feed / "meta.json").write_text(
        json.dumps({"url": "https://news.example/rss", "content_type": "application/rss+xml; charset=utf-8"})
    )
    (feed / "page.xml").write_text("<?xml version='1.0'?><rss/>")
    broken = tmp_path / "site" / "broken"
    broken.mkdir()
    (broken / "meta.json").write_text("{not json")
    return SnapshotStore(tmp_path)


def test_stored_pages_are_found_under_any_spelling_of_their_url(store: SnapshotStore) -> None:
    response = store.response_for(Request("https://news.example/news/a/story?a=1&b=2&utm_source=x#top"))
    assert isinstance(response, HtmlResponse)
    assert response.status == 200
    assert b"stored" in response.body


def test_feeds_are_served_with_their_recorded_content_type(store: SnapshotStore) -> None:
    response = store.response_for(Request("https://news.example/rss"))
    assert isinstance(response, XmlResponse)
    assert response.headers[b"Content-Type"] == b"application/rss+xml; charset=utf-8"


def test_unknown_urls_get_404_and_are_counted(store: SnapshotStore) -> None:
    crawler = get_crawler(settings_dict={"REPLAY_SNAPSHOTS_DIR": "unused"})
    crawler.stats.open_spider()
    middleware = ReplayMiddleware(store, crawler.stats)
    assert asyncio.run(middleware.process_request(Request("https://news.example/missing"))).status == 404
    assert asyncio.run(middleware.process_request(Request("https://news.example/rss"))).status == 200
    assert crawler.stats.get_value("replay/miss") == 1
    assert crawler.stats.get_value("replay/hit") == 1


def test_a_broken_case_is_skipped_not_fatal(store: SnapshotStore) -> None:
    assert len(store) == 2


def snapshots_linking_out(tmp_path: Path) -> Path:
    """A snapshots folder whose page, case folder and meta.json link out of it, and a page linked inside it.

    Also used by the mirror's tests: the mirror serves through the same SnapshotStore.
    """
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("a file of the machine, not a stored page")
    (outside / "meta.json").write_text(json.dumps({"url": "https://news.example/whole-folder"}))
    (outside / "page.html").write_text("a file of the machine, not a stored page")
    (outside / "meta-out.json").write_text(json.dumps({"url": "https://news.example/meta-out"}))
    root = tmp_path / "snapshots"
    for name in ("ordinary", "linked-out", "linked-in", "meta-out", "no-page"):
        (root / "site" / name).mkdir(parents=True)
        (root / "site" / name / "meta.json").write_text(json.dumps({"url": f"https://news.example/{name}"}))
    (root / "site" / "ordinary" / "page.html").write_text("<p>stored</p>")
    (root / "site" / "linked-out" / "page.html").symlink_to(outside / "secret.txt")
    (root / "site" / "linked-in" / "page.html").symlink_to(root / "site" / "ordinary" / "page.html")
    (root / "site" / "meta-out" / "meta.json").unlink()
    (root / "site" / "meta-out" / "meta.json").symlink_to(outside / "meta-out.json")
    (root / "site" / "meta-out" / "page.html").write_text("<p>stored</p>")
    (root / "site" / "whole-folder").symlink_to(outside, target_is_directory=True)
    return root


def test_pages_linked_out_of_the_snapshots_are_not_replayed(tmp_path: Path) -> None:
    root = snapshots_linking_out(tmp_path)
    store = SnapshotStore(root)
    assert store.response_for(Request("https://news.example/ordinary")).body == b"<p>stored</p>"
    assert store.response_for(Request("https://news.example/linked-in")).body == b"<p>stored</p>"
    for name in ("linked-out", "whole-folder", "meta-out"):
        response = store.response_for(Request(f"https://news.example/{name}"))
        assert response.status == 404 and b"machine" not in response.body, name
    assert store.find("https://news.example/whole-folder") is None


def test_a_page_not_stored_is_logged_at_debug_only(store: SnapshotStore, caplog: pytest.LogCaptureFixture) -> None:
    """A stored listing links to many pages nobody stored: one line each drowned the log; the report counts them."""
    crawler = get_crawler(settings_dict={"REPLAY_SNAPSHOTS_DIR": "unused"})
    crawler.stats.open_spider()
    middleware = ReplayMiddleware(store, crawler.stats)
    with caplog.at_level("DEBUG", logger="crawler.downloader.replay"):
        asyncio.run(middleware.process_request(Request("https://news.example/missing")))
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        ("DEBUG", "Not stored, answering 404: https://news.example/missing")
    ]
