"""The SQLite store, on a real file."""

import hashlib
import json
import multiprocessing
import os
import signal
import sqlite3
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawler.storage.fingerprint import fingerprint
from crawler.storage.store import (
    NOT_CONTENT,
    SIMILAR_COPIES,
    WAL_AUTOCHECKPOINT_PAGES,
    ArticleStore,
    content_hash,
    encode_article,
    store_for,
)

BODY = (
    "Russia’s Foreign Minister Sergei Lavrov met Jens Stoltenberg, General- Secretary of the North Atlantic Treaty "
    "Organization (NATO) on Wednesday evening on the sidelines of meetings of the General Assembly of the United "
    "Nations in New York, USA. The chief of the Russian diplomacy met the NATO senior official behind closed doors."
)


def article(url: str = "https://news.example/news/lavrov", **fields: object) -> dict:
    values = {
        "url": url,
        "canonical_url": url,
        "site": "example",
        "headline": "Lavrov",
        "body": BODY,
        "date_published": "2021-09-23T13:19:00+02:00",
        "fetched_at": "2026-11-25T10:00:00+00:00",
    }
    return {**values, **fields}


@pytest.fixture
def store(tmp_path: Path) -> ArticleStore:
    with ArticleStore(tmp_path / "articles.sqlite") as store:
        yield store


def test_new_then_unchanged_then_updated_keeping_the_previous_fetch_time(store: ArticleStore) -> None:
    assert store.save(article(), fingerprint(BODY)) == "new"
    assert store.save(article(fetched_at="2026-11-26T10:00:00+00:00"), fingerprint(BODY)) == "unchanged"
    edited = BODY + " He said Russia never plans to join NATO."
    assert store.save(article(body=edited, fetched_at="2026-11-27T10:00:00+00:00"), fingerprint(edited)) == "updated"
    row = store.connection.execute("SELECT * FROM articles").fetchone()
    assert (row["version"], row["fetched_at"], row["previous_fetched_at"], row["first_fetched_at"]) == (
        2, "2026-11-27T10:00:00+00:00", "2026-11-25T10:00:00+00:00", "2026-11-25T10:00:00+00:00",
    )  # fmt: skip
    assert store.count() == 1


def test_the_file_is_in_wal_mode_and_readable_while_open(store: ArticleStore) -> None:
    store.save(article(), fingerprint(BODY))
    assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with sqlite3.connect(store.path) as reader:  # another connection sees the committed row at once
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_a_save_that_fails_leaves_no_transaction_open(store: ArticleStore) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.save({"canonical_url": "https://news.example/news/a", "url": None}, None)  # url is NOT NULL
    assert not store.connection.in_transaction
    assert store.save(article(), None) == "new"


def test_each_crawl_has_one_store_kept_beside_the_crawler_not_on_it(tmp_path: Path) -> None:
    first = get_crawler(settings_dict={"NEWS_STORE_PATH": str(tmp_path / "a.sqlite")})
    second = get_crawler(settings_dict={"NEWS_STORE_PATH": str(tmp_path / "b.sqlite")})
    attributes = set(vars(first))
    store = store_for(first)
    assert store is not None and store_for(first) is store  # the pipelines and the middleware share it
    assert store_for(second) not in (None, store)
    assert set(vars(first)) == attributes  # nothing of ours added to Scrapy's object
    assert store_for(get_crawler(settings_dict={"NEWS_STORE_PATH": ""})) is None
    store.close()
    store_for(second).close()  # type: ignore[union-attr]


#: The lookup as it was before one query per band: the reference the new one must agree with.
OR_OF_BANDS = """SELECT DISTINCT a.canonical_url, a.body_exact, a.body_simhash, a.first_fetched_at
    FROM simhash_bands b JOIN articles a ON a.canonical_url = b.canonical_url
    WHERE ((b.band = ? AND b.value = ?) OR (b.band = ? AND b.value = ?) OR (b.band = ? AND b.value = ?)
           OR (b.band = ? AND b.value = ?)) AND a.canonical_url != ? AND a.duplicate_of IS NULL
    ORDER BY a.first_fetched_at, a.canonical_url LIMIT 50"""


def edited(number: int) -> str:
    """A body a word or two away from BODY (near copies of it), or far from it for larger numbers."""
    words = BODY.split()
    if number % 3 == 0:
        words[number % len(words)] = f"word{number}"
    else:
        words = [f"{word}{number}" if index % 2 else word for index, word in enumerate(words)]
    return " ".join(words)


def test_similar_copies_finds_what_the_or_of_the_four_bands_found(store: ArticleStore) -> None:
    """First copies, copies (no band rows now), and copies saved before that change (band rows kept):
    one lookup per band answers the same candidates, in the same order, as the OR over the four did."""
    for number in range(60):
        body = edited(number)
        duplicate_of = "https://news.example/news/0" if number % 4 == 1 else None
        fetched = f"2026-11-{1 + number % 28:02d}T10:00:00+00:00"
        store.save(article(f"https://news.example/news/{number}", body=body, duplicate_of=duplicate_of,
                           fetched_at=fetched), fingerprint(body))  # fmt: skip
    old_copy = fingerprint(edited(3))
    assert old_copy is not None
    store.connection.executemany(  # a copy stored by the earlier code, with its band rows
        "INSERT INTO simhash_bands (band, value, canonical_url) VALUES (?, ?, ?)",
        [(band, value, "https://news.example/news/1") for band, value in enumerate(old_copy.bands())],
    )
    for number in range(0, 60, 3):
        value = fingerprint(edited(number))
        assert value is not None
        parameters = [item for pair in enumerate(value.bands()) for item in pair]
        exclude = f"https://news.example/news/{number}"
        expected = [row["canonical_url"] for row in store.connection.execute(OR_OF_BANDS, [*parameters, exclude])]
        assert [found.canonical_url for found in store.similar_copies(value, exclude)] == expected
        assert expected, "every near body shares a band with some other"


def test_only_first_copies_have_band_rows(store: ArticleStore) -> None:
    """Copies are never candidates (they link to the first copy), so the lookup need not wade through them."""
    store.save(article(), fingerprint(BODY))
    store.save(article("https://news.example/news/copy", duplicate_of="https://news.example/news/lavrov"),
               fingerprint(BODY))  # fmt: skip
    rows = store.connection.execute("SELECT canonical_url, count(*) FROM simhash_bands GROUP BY 1").fetchall()
    assert [tuple(row) for row in rows] == [("https://news.example/news/lavrov", 4)]
    edit = BODY + " He said more."
    store.save(article("https://news.example/news/copy", body=edit), fingerprint(edit))  # now a first copy
    assert store.connection.execute("SELECT count(*) FROM simhash_bands").fetchone()[0] == 8


def test_similar_copies_looks_each_band_up_in_the_index(store: ArticleStore) -> None:
    """The plan: four searches of ``simhash_bands_lookup`` (no MULTI-INDEX OR, no scan of either table)."""
    value = fingerprint(BODY)
    assert value is not None
    parameters = [item for pair in enumerate(value.bands()) for item in pair]
    query = SIMILAR_COPIES.format(limit=ArticleStore.MAX_CANDIDATES)
    plan = [row[3] for row in store.connection.execute(f"EXPLAIN QUERY PLAN {query}", [*parameters, "x"])]
    searches = [step for step in plan if "simhash_bands" in step]
    assert len(searches) == 4
    assert all(step.startswith("SEARCH") and "INDEX simhash_bands_lookup (band=? AND value=?)" in step
               for step in searches), plan  # fmt: skip
    assert not any(step.startswith("SCAN") or "MULTI-INDEX OR" in step for step in plan), plan


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"duplicate_of": "https://news.example/first", "validation_messages": ["date_out_of_range: x"]},
        {"authors": ["A", "B"], "main_image": {"url": "https://news.example/a.jpg", "caption": "«ق»"}, "zz": 1},
        {"fetched_at": None, "language": "fa", "tags": ["\u200c", '"q"']},
    ],
)
def test_an_article_encoded_once_is_the_data_and_the_content_hash_encoded_twice(fields: dict) -> None:
    """``encode_article`` gives the ``data`` column and ``content_hash`` as two whole ``json.dumps`` did."""
    value = article(**fields)
    content = {key: item for key, item in value.items() if key not in NOT_CONTENT}
    expected_hash = hashlib.sha1(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    assert encode_article(value) == (json.dumps(value, ensure_ascii=False, sort_keys=True), expected_hash)
    assert content_hash(value) == expected_hash
    only_fetch = {"fetched_at": "x", "duplicate_of": "y"}
    assert encode_article(only_fetch) == (json.dumps(only_fetch, sort_keys=True), content_hash({}))
    assert encode_article({1: "a", 2: "b"}) == ('{"1": "a", "2": "b"}', content_hash({1: "a", 2: "b"}))


def test_the_wal_is_checkpointed_every_so_many_pages(store: ArticleStore) -> None:
    assert store.connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == WAL_AUTOCHECKPOINT_PAGES


def save_then_die(path: str, count: int) -> None:
    """Save ``count`` articles, each committed, then die by SIGKILL before anything is checkpointed or closed."""
    store = ArticleStore(path)
    for number in range(count):
        store.save(article(f"https://news.example/news/kept-{number}", body=f"{BODY} {number}"), fingerprint(BODY))
    os.kill(os.getpid(), signal.SIGKILL)


def test_commits_not_checkpointed_yet_survive_a_sigkill(tmp_path: Path) -> None:
    """The longer checkpoint interval keeps commits in the WAL longer: each is still there after a kill."""
    path = tmp_path / "articles.sqlite"
    process = multiprocessing.get_context("spawn").Process(target=save_then_die, args=(str(path), 300))
    process.start()
    process.join(timeout=120)
    assert process.exitcode == -signal.SIGKILL
    wal_pages = (path.with_name(path.name + "-wal").stat().st_size - 32) // (4096 + 24)
    # Every commit is in the WAL alone: SQLite's default interval (1000 pages) would have checkpointed it by now.
    assert 1000 < wal_pages < WAL_AUTOCHECKPOINT_PAGES
    with ArticleStore(path) as store:
        assert store.count() == 300
        assert {row[0] for row in store.connection.execute("SELECT url FROM articles")} == {
            f"https://news.example/news/kept-{number}" for number in range(300)
        }
