"""``scrapy crawlall``: every site in one process, one summary table at the end, and an exit status that is true.

The ``scrapy crawlall`` command: in replay, through a mirror that is not there
(every site fails), in the test process (tests/inprocess.py); with the store
locked on a full disk (articles lost), in a real subprocess.
"""

from __future__ import annotations

from pathlib import Path

from crawler.storage.store import ArticleStore
from tests.crawler.commands.test_crawl import closed_port, live, replay
from tests.inprocess import ScrapyRun
from tests.locking import store_locked

SITES = ("aljazeera", "almayadeen", "persian_aggregator", "sadaelbalad")
#: The articles each site's replayed crawl keeps (tests/crawler/tools/test_mirror.py names them).
KEPT = {"aljazeera": "2", "almayadeen": "2", "persian_aggregator": "3", "sadaelbalad": "3"}
HEADING = "site                pages  kept  new/updated/unchanged  skipped  failures  status"


def summary(result: ScrapyRun) -> dict[str, list[str]]:
    """The summary table's rows by site, from the first line after its heading."""
    lines = result.stderr.splitlines()
    start = lines.index(f"  {HEADING}") + 1
    rows = [line.split(maxsplit=6) for line in lines[start : start + len(SITES)]]
    return {row[0]: row[1:] for row in rows}


def test_a_replayed_crawlall_ends_with_one_table_of_every_site(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    result = replay(tmp_path, "crawlall", "-a", "date=2021-10-18", "--output-dir", str(feeds))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.rstrip().splitlines()
    assert lines[-6:-4] == ["Crawl summary: 4 sites, 0 failed", f"  {HEADING}"]
    rows = summary(result)
    assert list(rows) == list(SITES)
    for site, (pages, kept, stored, skipped, failures, status) in rows.items():
        # Every stored article kept and new; the failures are the links to pages nobody stored (replay's 404s).
        assert (kept, stored, skipped, status) == (KEPT[site], f"{KEPT[site]}/0/0", "0", "ok"), site
        assert int(pages) > int(kept) and int(failures) > 0, site
    assert [line.split()[0] for line in lines[-4:]] == list(SITES)  # the table ends the output
    # The routine per-page lines are gone (counted in each report), and Scrapy's setup is logged once, not 4 times.
    assert "Not stored, answering 404" not in result.stderr and "Gave up on" not in result.stderr
    assert result.stderr.count("Enabled downloader middlewares") == 1
    assert result.stderr.count("Crawl report: ") == 4
    again = replay(tmp_path, "crawlall", "-a", "date=2021-10-18", "--output-dir", str(feeds))
    assert again.returncode == 0, again.stderr
    # A replayed crawl writes its items every time: the same articles, now unchanged in the store.
    assert {site: (row[1], row[2]) for site, row in summary(again).items()} == {
        site: (kept, f"0/0/{kept}") for site, kept in KEPT.items()
    }
    written = {site: len((feeds / f"{site}.jsonl").read_text(encoding="utf-8").splitlines()) for site in SITES}
    assert written == {site: int(kept) for site, kept in KEPT.items()}


def test_a_bad_spider_argument_is_one_line_not_one_traceback_a_spider(tmp_path: Path) -> None:
    result = replay(tmp_path, "crawlall", "-a", "date=bad", "--output-dir", str(tmp_path / "feeds"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["crawlall: -a date='bad': give the day as YYYY-MM-DD"]


def test_crawlall_exits_non_zero_when_its_sites_could_not_be_reached(tmp_path: Path) -> None:
    mirror = f"http://127.0.0.1:{closed_port()}"  # the mirror's crawl, with no mirror running
    result = live(tmp_path, "crawlall", "-a", "date=2021-10-18", "-s", f"NEWS_MIRROR_URL={mirror}",
                  "--output-dir", str(tmp_path / "feeds"))  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "Crawl summary: 4 sites, 4 failed" in result.stderr
    for site, row in summary(result).items():
        assert row[:5] == ["0", "0", "0/0/0", "0", row[4]] and int(row[4]) > 0, site
        assert row[5].startswith("FAILED: no start page could be fetched (DownloadConnectionRefusedError "), site
    failed = [line.split()[1] for line in result.stderr.splitlines() if line.startswith("crawlall: ")]
    assert failed == list(SITES)


def test_crawlall_exits_non_zero_when_one_site_lost_articles(tmp_path: Path) -> None:
    store_path = tmp_path / "articles.sqlite"
    ArticleStore(store_path).close()
    with store_locked(store_path):
        result = replay(tmp_path, "crawlall", "-a", "date=2021-10-18", "--output-dir", str(tmp_path / "feeds"),
                        disk_full=True)  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    failed = [line for line in result.stderr.splitlines() if line.startswith("crawlall: ")]
    assert {line.split()[1] for line in failed} == set(SITES)
    assert "Crawl summary: 4 sites, 4 failed" in result.stderr
