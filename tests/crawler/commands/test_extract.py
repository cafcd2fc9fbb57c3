"""``scrapy extract`` as a user runs it, in the project folder: the command in the test process
(tests/inprocess.py), and a real subprocess where its stdout is a closed pipe."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.inprocess import ScrapyRun, run_scrapy

ROOT = Path(__file__).resolve().parents[3]
SEED_CASES = [
    ("almayadeen", "russia-suspends-nato-office"),
    ("almayadeen", "lavrov-us-army-central-asia"),
    ("aljazeera", "ajn-russia-ends-nato-mission"),
    ("aljazeera", "old-layout-russia-ends-nato-mission"),
    ("sadaelbalad", "lavrov-russia-never-join-nato"),
    ("persian_aggregator", "lavrov-nato-buried-consultation"),
]


def scrapy(*args: str, project: str = "replay") -> ScrapyRun:
    return run_scrapy(*args, project=project)


@pytest.mark.parametrize(("site", "case"), SEED_CASES)
def test_a_stored_page_prints_its_expected_article(site: str, case: str) -> None:
    folder = ROOT / "snapshots" / site / case
    result = scrapy("extract", "--spider", site, str(folder / "page.html"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def test_a_file_outside_a_case_takes_its_url_from_the_option(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes((ROOT / "snapshots/almayadeen/russia-suspends-nato-office/page.html").read_bytes())
    url = "https://english.almayadeen.net/news/politics/russia-suspends-work-of-nato-information-office-in-moscow"
    result = scrapy("extract", "--url", url, str(page))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["date_published"] == "2021-10-18T16:51:00+03:00"

    no_url = scrapy("extract", str(page))
    assert no_url.returncode != 0
    assert "--url" in no_url.stderr and "Traceback" not in no_url.stderr


def test_a_url_is_fetched_through_the_settings_here_from_replay() -> None:
    url = "https://english.almayadeen.net/news/politics/lavrov-russia-does-not-want-us-army-in-central-asia"
    result = scrapy("extract", url)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["headline"] == "Lavrov: Russia Does not want US Army in Central Asia"


def test_a_missing_file_is_a_clear_error() -> None:
    result = scrapy("extract", "--spider", "almayadeen", "no/such/page.html")
    assert result.returncode == 2
    assert "extract:" in result.stderr and "Traceback" not in result.stderr


# --- the first hour: pages of no known site, mistakes, a quiet stderr, a closed pipe --------------

NO_SITE_URL = "https://www.example.com/news/1"
NO_SITE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour reopens after the storm | Example News</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour reopens after the storm</h1>
<p>The harbour reopened on Tuesday morning after three days in which no ship could enter or leave, the port
authority said.</p>
<p>Crews worked through the night to clear the debris that the storm had left across the two main berths and
the fuel quay.</p>
<p>Fishermen, who lost a week of work, said they were relieved but that several boats would need repairs.</p>
</article><footer>Copyright Example News</footer></body></html>
"""


def stored_pages_of_no_known_site(root: Path) -> Path:
    """A replay folder holding one page of a host no spider covers."""
    case = root / "other" / "harbour"
    case.mkdir(parents=True)
    (case / "page.html").write_text(NO_SITE_PAGE, encoding="utf-8")
    meta = {"url": NO_SITE_URL, "content_type": "text/html; charset=utf-8", "kind": "article"}
    (case / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return case / "page.html"


def test_a_url_of_no_known_site_is_fetched_and_read_with_the_generic_rules(tmp_path: Path) -> None:
    page = stored_pages_of_no_known_site(tmp_path / "snapshots")
    fetched = scrapy("extract", "-s", f"REPLAY_SNAPSHOTS_DIR={tmp_path / 'snapshots'}", NO_SITE_URL)
    assert fetched.returncode == 0, fetched.stderr
    article = json.loads(fetched.stdout)
    assert article["headline"] == "Harbour reopens after the storm"
    assert article["body"].count("\n\n") == 2 and "Copyright" not in article["body"]
    assert fetched.stderr == ""  # the generic rules are the point here, not a warning
    # The same page saved anywhere, with its URL given, reads the same.
    copy = tmp_path / "saved.html"
    copy.write_bytes(page.read_bytes())
    from_file = scrapy("extract", "--url", NO_SITE_URL, str(copy))
    assert from_file.returncode == 0, from_file.stderr
    assert json.loads(from_file.stdout) == article


def test_a_url_replay_does_not_hold_is_one_line() -> None:
    result = scrapy("extract", "https://www.example.com/news/2")
    assert result.returncode == 1
    assert result.stderr.startswith("extract: no article from https://www.example.com/news/2: HTTP 404")
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


def test_a_directory_says_what_to_give_instead() -> None:
    result = scrapy("extract", "snapshots")
    assert result.returncode == 2
    assert result.stderr == (
        "extract: snapshots is a directory: give a page file (snapshots/<site>/<case>/page.html) or a URL\n"
    )
    case = scrapy("extract", "snapshots/almayadeen/rss")
    assert case.returncode == 2
    assert case.stderr == (
        "extract: snapshots/almayadeen/rss is a directory: give its page, snapshots/almayadeen/rss/page.xml\n"
    )


def test_a_file_that_cannot_be_read_is_one_line(tmp_path: Path) -> None:
    # A link to itself: open() fails with ELOOP (a permission error cannot be made where tests run as root).
    loop = tmp_path / "page.html"
    loop.symlink_to(loop.name)
    result = scrapy("extract", "--url", NO_SITE_URL, str(loop))
    assert result.returncode == 2
    assert result.stderr == f"extract: cannot read {loop}: Too many levels of symbolic links\n"


def test_a_clean_extract_writes_nothing_on_stderr_unless_asked() -> None:
    page = "snapshots/almayadeen/russia-suspends-nato-office/page.html"
    quiet = scrapy("extract", page)
    assert quiet.returncode == 0 and json.loads(quiet.stdout)["site"] == "almayadeen"
    assert quiet.stderr == ""
    url = "https://english.almayadeen.net/news/politics/lavrov-russia-does-not-want-us-army-in-central-asia"
    fetched = scrapy("extract", url)
    assert fetched.returncode == 0 and fetched.stderr == ""
    # The user's own level wins: the log is back.
    for option in (["-L", "INFO"], ["-s", "LOG_LEVEL=INFO"]):
        told = scrapy("extract", *option, page)
        assert told.returncode == 0 and "Scrapy" in told.stderr and "started" in told.stderr


def test_a_closed_stdout_ends_quietly() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte, as `| head -c 10` is after ten
    try:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "extract", "snapshots/almayadeen/russia-suspends-nato-office/page.html"],
            cwd=ROOT, env={**os.environ, "SCRAPY_PROJECT": "replay"}, stdout=write_end, stderr=subprocess.PIPE,
            text=True, timeout=120,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 141  # as a shell reports a writer ended by SIGPIPE


NO_WAITING = ("-s", "RETRY_BACKOFF_BASE=0", "-s", "NEWS_SITE_POLITENESS=0", "-s", "AUTOTHROTTLE_ENABLED=0")


def test_a_url_that_cannot_be_reached_is_one_line() -> None:
    # A .invalid host never resolves: no network needed to see what a user without one sees.  Retried as
    # usual (robots.txt too), without the waits: the backoff's 1 + 2 + 4 s, the per-site delay, AutoThrottle's.
    result = scrapy("extract", "--spider", "generic", "https://news.invalid/a", *NO_WAITING, project="live")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "extract: no article from https://news.invalid/a: no such host (news.invalid): the DNS lookup failed"
    ]
