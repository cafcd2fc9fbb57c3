"""``scrapy crawl``: the exit status says whether the crawl did its job; a user's mistake is one line.

The ``scrapy crawl`` command, in replay or, for the network's failures, with
the live settings against a closed port on 127.0.0.1; in the test process
(tests/inprocess.py), but in a real subprocess for a full disk, which is a
limit on that process.  Spiders made for a test are written to a module of
their own (:func:`probe_spiders`).
"""

from __future__ import annotations

import resource
import socket
from pathlib import Path

import pytest

from crawler.storage.store import ArticleStore
from tests.inprocess import ScrapyRun, run_scrapy, run_scrapy_subprocess
from tests.locking import store_locked

#: The store refuses at once and is tried again soon: the crawl reaches its end quickly.
IMPATIENT_STORE = ("-s", "NEWS_STORE_BUSY_TIMEOUT=0.1", "-s", "NEWS_STORE_RETRY_INTERVAL=0.1")


#: A live crawl that gives up at once: no retries, no AutoThrottle or per-site delays.
IMPATIENT_LIVE = ("-s", "RETRY_TIMES=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "NEWS_SITE_POLITENESS=0")


def replay(tmp_path: Path, *command: str, disk_full: bool = False, python_path: tuple[Path, ...] = ()) -> ScrapyRun:
    """A command with the replay settings, its store in ``tmp_path``; on a full disk, a subprocess of its own."""
    argv = (*command, "-s", f"NEWS_STORE_PATH={tmp_path / 'articles.sqlite'}", *IMPATIENT_STORE)
    if disk_full:
        return run_scrapy_subprocess(*argv, project="replay", python_path=python_path, preexec_fn=no_file_may_grow)
    return run_scrapy(*argv, project="replay", python_path=python_path)


def live(tmp_path: Path, *command: str, python_path: tuple[Path, ...] = ()) -> ScrapyRun:
    """A command with the live settings (robots.txt obeyed), its store in ``tmp_path``."""
    argv = (*command, "-s", f"NEWS_STORE_PATH={tmp_path / 'articles.sqlite'}", *IMPATIENT_LIVE)
    return run_scrapy(*argv, python_path=python_path)


def probe_spiders(tmp_path: Path, source: str) -> tuple[tuple[Path], tuple[str, str]]:
    """Spiders of a test's own, importable as ``probe_spiders``: the module path and ``-s`` to crawl them by name."""
    (tmp_path / "probe_spiders.py").write_text(source, encoding="utf-8")
    return (tmp_path,), ("-s", "SPIDER_MODULES=probe_spiders")


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then let go): connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def last_line(result: ScrapyRun) -> str:
    return result.stderr.rstrip().splitlines()[-1]


def no_file_may_grow() -> None:
    """A full disk, for this process only: every write that would grow a file fails (EFBIG), even as root."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def test_a_crawl_that_lost_articles_exits_non_zero_and_says_so_first(tmp_path: Path) -> None:
    store_path = tmp_path / "articles.sqlite"
    ArticleStore(store_path).close()
    # The store is locked by another process and the disk is full: no journal beside it can be written either.
    with store_locked(store_path):
        result = replay(tmp_path, "crawl", "almayadeen", disk_full=True)  # no feed: a feed on a full disk is issue 19's
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "Crawl report: almayadeen (finished): FAILED, 2 articles lost" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("crawl: almayadeen failed: 2 articles lost")


def test_a_crawl_that_stored_its_articles_exits_zero(tmp_path: Path) -> None:
    result = replay(tmp_path, "crawl", "sadaelbalad", "-O", str(tmp_path / "items.jsonl"))
    assert result.returncode == 0, result.stderr
    assert "failed" not in result.stderr.splitlines()[-1]


def test_an_unknown_spider_is_one_line_naming_the_known_ones(tmp_path: Path) -> None:
    result = replay(tmp_path, "crawl", "nosuch")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == (
        "crawl: no spider named 'nosuch'; the spiders are: aljazeera, almayadeen, persian_aggregator, sadaelbalad\n"
    )


# -- a user's mistake: one line, exit status 2, before the crawl starts ---------------------------------------


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("date=2021-13-45", "crawl: -a date='2021-13-45': give the day as YYYY-MM-DD"),
        ("since=yesterday", "crawl: -a since='yesterday': give the day as YYYY-MM-DD"),
        ("until=20211031", "crawl: -a until='20211031': give the day as YYYY-MM-DD"),
        ("refresh=maybe", "crawl: -a refresh='maybe': give 1 or 0 (or true/false, yes/no)"),
        ("start_urls=https://example.com/", "crawl: -a start_urls: that is the spider's own start_urls, not an argument"
                                            " (known: date, since, until, refresh)"),
    ],
    ids=["date", "since", "until", "refresh", "start_urls"],
)  # fmt: skip
def test_a_bad_spider_argument_is_one_line_and_exit_status_2(tmp_path: Path, argument: str, message: str) -> None:
    result = replay(tmp_path, "crawl", "almayadeen", "-a", argument, "-O", str(tmp_path / "items.jsonl"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [message]  # nothing else: the crawl never started
    assert not (tmp_path / "items.jsonl").exists()


def test_an_unknown_spider_argument_is_a_warning_and_the_crawl_goes_on(tmp_path: Path) -> None:
    result = replay(tmp_path, "crawl", "almayadeen", "-a", "bogus=1", "-a", "refresh=yes",
                    "-O", str(tmp_path / "items.jsonl"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        "crawl: warning: -a bogus: no such argument (known: date, since, until, refresh); ignored"
    )
    assert len((tmp_path / "items.jsonl").read_text(encoding="utf-8").splitlines()) == 2


# -- a crawl that could not do its job: exit status 1, and the report's first line says why ----------------------


BROKEN = """
from dataclasses import replace

from spiders.sadaelbalad import SadaElBaladSpider


class BrokenSpider(SadaElBaladSpider):
    name = "broken"
    rules = replace(SadaElBaladSpider.rules, site="broken")

    def parse_article(self, response):
        raise ZeroDivisionError("a bug in the spider")
"""


def test_a_spider_error_fails_the_crawl(tmp_path: Path) -> None:
    path, settings = probe_spiders(tmp_path, BROKEN)
    result = replay(tmp_path, "crawl", "broken", *settings, python_path=path)
    assert result.returncode == 1, result.stderr
    assert "Crawl report: broken (finished): FAILED, 3 spider errors (ZeroDivisionError 3; tracebacks in the log)" in (
        result.stderr
    )
    assert last_line(result) == "crawl: broken failed: 3 spider errors (ZeroDivisionError 3; tracebacks in the log)"


UNREACHABLE = """
from dataclasses import replace

from spiders.sadaelbalad import SadaElBaladSpider


class ClosedPortSpider(SadaElBaladSpider):
    name = "closed_port"
    rules = replace(SadaElBaladSpider.rules, site="closed_port")
    allowed_domains = ["127.0.0.1"]
    start_urls = ["http://127.0.0.1:{port}/rss", "http://127.0.0.1:{port}/category/world"]
"""


def test_a_crawl_none_of_whose_start_pages_could_be_fetched_fails(tmp_path: Path) -> None:
    """No network, a wrong host, a site that moved: nothing was crawled, and a cron job must hear of it."""
    port = closed_port()
    path, settings = probe_spiders(tmp_path, UNREACHABLE.replace("{port}", str(port)))
    result = live(tmp_path, "crawl", "closed_port", *settings, python_path=path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    # robots.txt (obeyed: live settings) could not be had either: one line, and the crawl went on to fail alone.
    assert f"WARNING: robots.txt of 127.0.0.1:{port} not fetched (connection refused); crawling 127.0.0.1:{port} as if" \
           " it allowed everything" in result.stderr  # fmt: skip
    reason = "no start page could be fetched (DownloadConnectionRefusedError 2)"
    assert f"Crawl report: closed_port (finished): FAILED, {reason}" in result.stderr
    assert last_line(result) == f"crawl: closed_port failed: {reason}"


def test_a_crawl_that_kept_nothing_exits_zero_and_its_last_line_says_why(tmp_path: Path) -> None:
    result = replay(tmp_path, "crawl", "sadaelbalad", "-a", "since=2030-01-01")
    assert result.returncode == 0, result.stderr
    assert "Crawl report: sadaelbalad (finished)\n  no articles kept: 1 outside -a since/until," in result.stderr
    assert last_line(result).startswith("crawl: sadaelbalad: no articles kept: 1 outside -a since/until")


@pytest.mark.parametrize("command", ["crawl almayadeen", "crawlall"])
def test_a_shared_store_that_cannot_be_reached_is_one_line_without_its_password(tmp_path: Path, command: str) -> None:
    url = f"postgresql://newsframe:s3cret@127.0.0.1:{closed_port()}/articles"
    result = replay(tmp_path, *command.split(), "-s", f"NEWS_STORE_URL={url}")
    assert result.returncode == 1
    name = command.split()[0]
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{name}: store: cannot connect to postgresql://newsframe:***@127.0.0.1:")
    assert "s3cret" not in result.stderr + result.stdout
