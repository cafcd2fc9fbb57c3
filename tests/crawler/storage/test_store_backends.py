"""The store's contract, on both backends: SQLite (a file) and PostgreSQL (a real server, tests/postgres_server.py).

The same cases run against each: one row per canonical URL, a new version
when the content changes, the SimHash band lookup, ``knows()`` for the
incremental skip, articles by site and date; and, for the server, two
processes writing the same URLs at once, a server that goes away, and error
lines that never show the password.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from crawler.storage.backend import Store, StoreConnectError, StoreError, mask_url, open_store
from crawler.storage.fingerprint import fingerprint
from crawler.storage.postgres import PostgresStore
from crawler.storage.store import ArticleStore, store_for
from tests.crawler.storage.test_store import BODY, article


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    store: Store
    if request.param == "sqlite":
        store = ArticleStore(tmp_path / "articles.sqlite")
    else:
        store = PostgresStore(request.getfixturevalue("postgres_url"), journal_path=tmp_path / "articles.postgres")
    try:
        yield store
    finally:
        store.close()


def row_of(store: Store, key: str) -> tuple[Any, ...]:
    """(version, fetched_at, previous_fetched_at, first_fetched_at) as stored, read with the backend's own SQL."""
    query = "SELECT version, fetched_at, previous_fetched_at, first_fetched_at FROM articles WHERE canonical_url = "
    if isinstance(store, PostgresStore):
        row = store.connection.execute(query + "%s", (key,)).fetchone()
    else:
        assert isinstance(store, ArticleStore)
        row = store.connection.execute(query + "?", (key,)).fetchone()
    assert row is not None
    return tuple(row)


def test_new_then_unchanged_then_updated_keeping_the_previous_fetch_time(any_store: Store) -> None:
    assert any_store.save(article(), fingerprint(BODY)) == "new"
    assert any_store.save(article(fetched_at="2026-11-26T10:00:00+00:00"), fingerprint(BODY)) == "unchanged"
    edited = BODY + " He said Russia never plans to join NATO."
    assert (
        any_store.save(article(body=edited, fetched_at="2026-11-27T10:00:00+00:00"), fingerprint(edited)) == "updated"
    )
    assert row_of(any_store, "https://news.example/news/lavrov") == (
        2, "2026-11-27T10:00:00+00:00", "2026-11-25T10:00:00+00:00", "2026-11-25T10:00:00+00:00",
    )  # fmt: skip
    assert any_store.count() == 1
    assert [item["body"] for item in any_store.articles()] == [edited]


def test_knows_urls_however_they_are_spelled(any_store: Store) -> None:
    any_store.save(article("https://akhbar.example/news/a/%D8%B1%D8%AF%D8%A7"), None)
    assert any_store.knows("https://akhbar.example/news/a/ردا?utm_source=rss#top")
    assert not any_store.knows("https://akhbar.example/news/a/other")


def test_similar_copies_are_found_by_band_first_copies_only(any_store: Store) -> None:
    any_store.save(article(), fingerprint(BODY))
    near = BODY.replace("Wednesday", "Thursday")
    any_store.save(article("https://news.example/news/copy", body=near, duplicate_of="https://news.example/news/lavrov"),
                   fingerprint(near))  # fmt: skip
    copy = fingerprint(BODY.replace("evening", "night"))
    assert copy is not None
    found = list(any_store.similar_copies(copy, exclude="https://news.example/news/other"))
    assert [stored.canonical_url for stored in found] == ["https://news.example/news/lavrov"]
    assert found[0].fingerprint == fingerprint(BODY)  # the 64-bit SimHash comes back unsigned, as it went in
    assert list(any_store.similar_copies(copy, exclude="https://news.example/news/lavrov")) == []


def test_an_update_replaces_the_bands(any_store: Store) -> None:
    any_store.save(article(), fingerprint(BODY))
    other = "A different story entirely about the weather in Cairo, rain and sandstorms. " * 4
    any_store.save(article(body=other), fingerprint(other))
    value = fingerprint(BODY)
    assert value is not None
    assert list(any_store.similar_copies(value, exclude="https://news.example/news/x")) == []


def test_a_copy_stored_after_the_dedupe_stage_looked_is_linked_by_the_save(any_store: Store) -> None:
    """Another worker stored the first copy between this worker's dedupe lookup and its save."""
    any_store.save(article(), fingerprint(BODY))
    near = BODY.replace("Wednesday", "Thursday")
    late = article("https://news.example/news/copy", body=near)  # the dedupe stage found no copy: no duplicate_of
    assert any_store.save(late, fingerprint(near)) == "new"
    assert late["duplicate_of"] == "https://news.example/news/lavrov"  # the pipeline hands it on to the item
    stored = {item["canonical_url"]: item for item in any_store.articles()}
    assert stored["https://news.example/news/copy"]["duplicate_of"] == "https://news.example/news/lavrov"
    value = fingerprint(BODY.replace("evening", "night"))
    assert value is not None  # a copy is no link target: only the first copy is found
    assert [copy.canonical_url for copy in any_store.similar_copies(value, exclude="")] == [
        "https://news.example/news/lavrov"
    ]


def test_two_copies_saved_at_once_by_two_workers_are_linked(postgres_url: str, tmp_path: Path) -> None:
    """Worker 1's save of the first copy is not committed yet when worker 2 saves a copy: worker 2 waits for it
    (the band locks), then links to it, instead of storing a second first copy."""
    first, second = (PostgresStore(postgres_url, journal_path=tmp_path / name) for name in ("w1", "w2"))
    near = BODY.replace("Wednesday", "Thursday")
    late = article("https://news.example/news/copy", body=near)
    try:
        with first.connection.transaction():  # worker 1's save, held open until worker 2 is seen waiting
            first.save(article(), fingerprint(BODY))
            saving = threading.Thread(target=second.save, args=(late, fingerprint(near)))
            saving.start()
            deadline = time.monotonic() + 30
            while not first.connection.execute(
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            ).fetchone():
                assert time.monotonic() < deadline, "worker 2 saved without waiting for worker 1's copy"
                time.sleep(0.01)
        saving.join(timeout=30)
        assert late["duplicate_of"] == "https://news.example/news/lavrov"
    finally:
        first.close()
        second.close()


def test_articles_by_site_and_date_in_the_same_order(any_store: Store) -> None:
    any_store.save(article("https://news.example/news/b", date_published="2021-10-01T09:00:00+02:00"), None)
    any_store.save(article("https://news.example/news/a", date_published="2021-09-23T13:19:00+02:00"), None)
    any_store.save(article("https://akhbar.example/news/c", site="akhbar"), None)
    any_store.save(article("https://news.example/news/undated", date_published=None), None)
    urls = lambda **query: [item["url"] for item in any_store.articles(**query)]  # noqa: E731
    # No date first (SQLite's NULL order), then by date, then by URL.
    assert urls(site="example") == [
        "https://news.example/news/undated", "https://news.example/news/a", "https://news.example/news/b",
    ]  # fmt: skip
    assert urls(since="2021-09-24") == ["https://news.example/news/b"]
    assert urls(site="example", until="2021-09-23") == ["https://news.example/news/a"]


# -- two processes on one store ---------------------------------------------------------------------------

SAVES_PER_PROCESS = 1500


def opened(address: str) -> Store:
    """The store at ``address``: a PostgreSQL URL or a SQLite file's path."""
    return PostgresStore(address) if address.startswith("postgresql://") else ArticleStore(address)


def save_every_url(address: str, start: Any, results: Any) -> None:
    """One of two processes: save the same canonical URLs as the other, at the same time, and report."""
    outcomes: dict[str, int] = {}
    errors: list[str] = []
    store = opened(address)
    try:
        start.wait()
        for number in range(SAVES_PER_PROCESS):
            body = f"story {number} " * 30
            try:
                outcome = store.save(article(f"https://news.example/news/story-{number}", body=body), fingerprint(body))
            except (sqlite3.Error, StoreError) as error:
                errors.append(f"{type(error).__name__}: {error}")
                continue
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    finally:
        store.close()
    results.put((outcomes, errors))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_processes_saving_the_same_urls_at_once_store_each_once(backend: str, tmp_path: Path,
                                                                    request: pytest.FixtureRequest) -> None:  # fmt: skip
    """Two crawls or workers racing on every article: each save is atomic, and each URL is stored once."""
    address = str(tmp_path / "articles.sqlite") if backend == "sqlite" else request.getfixturevalue("postgres_url")
    opened(address).close()  # the schema, made before the race
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()
    processes = [context.Process(target=save_every_url, args=(address, start, results)) for _ in range(2)]
    for process in processes:
        process.start()
    reports = [results.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    errors = [error for _, process_errors in reports for error in process_errors]
    assert errors == [], f"{len(errors)} errors, first: {errors[0]}"
    outcomes = [process_outcomes for process_outcomes, _ in reports]
    # Each URL is new to exactly one of the two processes, and unchanged to the other.
    assert sum(counts.get("new", 0) for counts in outcomes) == SAVES_PER_PROCESS
    assert sum(counts.get("unchanged", 0) for counts in outcomes) == SAVES_PER_PROCESS
    store = opened(address)
    try:
        assert store.count() == SAVES_PER_PROCESS
        query = "SELECT max(version), count(*) FROM simhash_bands JOIN articles USING (canonical_url)"
        connection = store.connection  # type: ignore[attr-defined]
        assert tuple(connection.execute(query).fetchone()) == (1, 4 * SAVES_PER_PROCESS)
    finally:
        store.close()


# -- PostgreSQL only: the server's side ----------------------------------------------------------------------


def test_two_stores_creating_the_schema_at_once_take_turns(postgres_url: str) -> None:
    """Workers starting together: ``CREATE TABLE IF NOT EXISTS`` races in PostgreSQL without the advisory lock."""
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=PostgresStore, args=(postgres_url,)) for _ in range(3)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [process.exitcode for process in processes] == [0, 0, 0]


def test_a_row_locked_past_the_busy_timeout_is_a_store_error_and_the_store_goes_on(postgres_url: str) -> None:
    with PostgresStore(postgres_url, busy_timeout=0.2) as store, PostgresStore(postgres_url) as other:
        store.save(article(), None)
        with other.connection.transaction():
            other.connection.execute("SELECT 1 FROM articles FOR UPDATE")
            with pytest.raises(StoreError, match="lock"):
                store.save(article(headline="Changed"), None)
        assert store.save(article(headline="Changed"), None) == "updated"


def test_a_dropped_connection_is_a_store_error_then_made_again(postgres_url: str) -> None:
    with PostgresStore(postgres_url) as store, PostgresStore(postgres_url) as admin:
        pid = store.connection.info.backend_pid
        admin.connection.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(StoreError):
            store.save(article(), None)
        assert store.save(article(), None) == "new"  # a new connection
        assert store.knows(article()["url"])


def test_errors_are_one_line_with_the_password_masked(postgres_url: str, tmp_path: Path) -> None:
    wrong = postgres_url.replace(":s3cret-pw@", ":not-it@")
    with pytest.raises(StoreConnectError) as caught:
        PostgresStore(wrong)
    message = str(caught.value)
    assert message.startswith("store: cannot connect to postgresql://newsframe:***@127.0.0.1:")
    assert "password authentication failed" in message and "not-it" not in message and "\n" not in message
    closed = "postgresql://newsframe:s3cret-pw@127.0.0.1:9/articles"
    with pytest.raises(
        StoreConnectError, match=r"^store: cannot connect to postgresql://newsframe:\*\*\*@127\.0\.0\.1:9/"
    ):
        PostgresStore(closed)
    assert mask_url("postgresql://u:p%40ss@h:5432/db?sslmode=require") == "postgresql://u:***@h:5432/db?sslmode=require"
    assert mask_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_a_read_only_store_refuses_writes_and_a_database_without_a_store(postgres_url: str) -> None:
    with pytest.raises(StoreConnectError, match="no article store"):
        PostgresStore(postgres_url, read_only=True)
    PostgresStore(postgres_url).close()
    with PostgresStore(postgres_url, read_only=True) as reader, pytest.raises(StoreError, match="read-only"):
        reader.save(article(), None)


def test_the_settings_choose_the_backend(postgres_url: str, tmp_path: Path) -> None:
    crawler = get_crawler(settings_dict={"NEWS_STORE_URL": postgres_url, "NEWS_STORE_PATH": str(tmp_path / "a.sqlite"),
                                         "NEWS_STORE_JOURNAL_PATH": str(tmp_path / "journal")})  # fmt: skip
    store = store_for(crawler)
    assert isinstance(store, PostgresStore) and store.shared and store.path == tmp_path / "journal"
    assert "s3cret" not in repr(store)
    store.close()
    sqlite = open_store(get_crawler(settings_dict={"NEWS_STORE_PATH": str(tmp_path / "a.sqlite")}).settings)
    assert isinstance(sqlite, ArticleStore) and not sqlite.shared
    sqlite.close()
