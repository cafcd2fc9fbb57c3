"""CSV feeds: what a newsroom user opens first, so flat cells and one header, never Python reprs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from crawler.feeds.exporters import CSV_LIST_SEPARATOR, ArticleCsvExporter, csv_columns
from crawler.items import Article, Embed, Image
from tests.crawling import expected_output
from tests.inprocess import run_scrapy

#: The columns in the Article's field order, main_image spread over its parts.
COLUMNS = (
    "url", "canonical_url", "site", "language", "headline", "description", "authors", "source",
    "date_published", "date_published_raw", "date_modified", "section", "tags", "body",
    "main_image_url", "main_image_caption", "main_image_alt", "images", "embeds", "article_id", "fetched_at",
    "duplicate_of", "validation_messages",
)  # fmt: skip


def crawl_to_csv(spider: str, tmp_path: Path) -> tuple[str, list[dict[str, str]]]:
    """``scrapy crawl SPIDER -O items.csv`` from the stored pages (in this process): the file's text and its rows."""
    feed = tmp_path / f"{spider}.csv"
    store = tmp_path / f"{spider}.sqlite"
    result = run_scrapy("crawl", spider, "-O", str(feed), "-s", f"NEWS_STORE_PATH={store}", project="replay")
    assert result.returncode == 0, result.stderr
    text = feed.read_bytes().decode("utf-8")
    return text, list(csv.DictReader(io.StringIO(text, newline="")))


def test_a_replayed_crawl_to_csv_has_flat_cells(tmp_path: Path) -> None:
    text, rows = crawl_to_csv("almayadeen", tmp_path)
    assert tuple(rows[0]) == COLUMNS
    assert "Image(" not in text and "Embed(" not in text and not text.startswith("\ufeff")
    row = next(row for row in rows if "russia-suspends" in row["url"])
    expected = expected_output("almayadeen", "russia-suspends-nato-office")
    assert row["main_image_url"] == expected["main_image"]["url"]
    assert row["main_image_caption"] == expected["main_image"]["caption"]
    assert row["tags"] == CSV_LIST_SEPARATOR.join(expected["tags"])
    assert json.loads(row["embeds"]) == expected["embeds"]
    assert row["body"] == expected["body"]  # paragraphs and their blank lines, in one quoted cell
    assert row["images"] == ""  # empty is an empty cell, as it is absent from JSON


def test_a_persian_crawl_to_csv_keeps_the_text_as_published(tmp_path: Path) -> None:
    _, rows = crawl_to_csv("persian_aggregator", tmp_path)
    assert len(rows) == 3 and tuple(rows[0]) == COLUMNS
    for row in rows:
        assert row["section"] == "بین\u200cالملل"  # ZWNJ kept
    expected = expected_output("persian_aggregator", "lavrov-nato-buried-consultation")
    row = next(row for row in rows if row["url"] == expected["url"])
    assert row["headline"] == expected["headline"] and row["body"] == expected["body"]


def export_rows(*items: object, **options: object) -> list[list[str]]:
    out = io.BytesIO()
    exporter = ArticleCsvExporter(out, **options)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))


def test_the_header_is_the_same_whatever_the_first_item_holds() -> None:
    bare = Article(url="https://example.com/a")
    full = Article(
        url="https://example.com/b", authors=["Jane Roe", "John Doe"],
        main_image=Image(url="https://example.com/i.jpg", alt="a"),
        images=[Image(url="https://example.com/j.jpg", caption="Port")],
        embeds=[Embed(type="tweet", url="https://x.com/s/1")],
    )  # fmt: skip
    header, first, second = export_rows(bare, full)
    assert tuple(header) == COLUMNS == csv_columns()
    assert export_rows(full, bare)[0] == header
    assert set(first) == {"", "https://example.com/a"}
    cells = dict(zip(header, second, strict=True))
    assert cells["authors"] == "Jane Roe; John Doe"
    main_image = (cells["main_image_url"], cells["main_image_caption"], cells["main_image_alt"])
    assert main_image == ("https://example.com/i.jpg", "", "a")
    assert json.loads(cells["images"]) == [{"url": "https://example.com/j.jpg", "caption": "Port"}]
    assert json.loads(cells["embeds"]) == [{"type": "tweet", "url": "https://x.com/s/1"}]


def test_a_stored_article_dict_is_written_as_the_article_is() -> None:
    article = Article(url="https://example.com/a", tags=["Russia"], main_image=Image(url="https://example.com/i.jpg"))
    assert export_rows(article.to_dict()) == export_rows(article)


def test_feed_export_fields_still_choose_the_columns() -> None:
    article = Article(url="https://example.com/a", main_image=Image(url="https://example.com/i.jpg"))
    assert export_rows(article, fields_to_export=["main_image_url", "url"]) == [
        ["main_image_url", "url"], ["https://example.com/i.jpg", "https://example.com/a"],
    ]  # fmt: skip
