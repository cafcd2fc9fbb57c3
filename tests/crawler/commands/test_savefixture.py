"""``scrapy savefixture``: run as a user runs it, the page taken from the mirror on 127.0.0.1 (no network)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.commands.savefixture import save_fixture
from crawler.crawling.sites import UnknownSiteError
from crawler.errors import UnreadablePage
from crawler.testing.snapshots import check_case
from crawler.tools.casefiles import (
    UNREVIEWED_KEY,
    CaseError,
    SnapshotCase,
    new_case_directory,
    safe_case_name,
)
from crawler.tools.fetch import FetchedPage
from crawler.tools.mirror import Mirror, RunningMirror
from tests.crawling import ROOT
from tests.inprocess import ScrapyRun, run_scrapy

STORED = ROOT / "snapshots" / "sadaelbalad" / "lavrov-russia-never-join-nato" / "page.html"
URL = "https://see.news/lavrov-russia-never-plans-to-join-nato"
#: Fast against loopback: no AutoThrottle, no per-site delay, no retries of a page that is not there.
FAST = ("-s", "AUTOTHROTTLE_ENABLED=0", "-s", "NEWS_SITE_POLITENESS=0", "-s", "RETRY_TIMES=0")


@pytest.fixture(scope="module")
def mirror() -> Iterator[str]:
    with RunningMirror(Mirror(ROOT / "snapshots")) as base_url:
        yield base_url


def savefixture(snapshots: Path, *arguments: str) -> ScrapyRun:
    """``scrapy savefixture`` in the project (in the test process), live settings, cases written to ``snapshots``."""
    return run_scrapy("savefixture", *arguments, "--snapshots", str(snapshots), *FAST)


def assert_one_line_error(result: ScrapyRun, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("savefixture: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and all(word in result.stderr for word in words), result.stderr


def free_port() -> int:
    """A port nothing listens on (the connection is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_saved_case_holds_the_real_url_fails_until_reviewed_then_passes(tmp_path: Path, mirror: str) -> None:
    """No --spider (the site comes from the domain); http:// redirects to https:// on the (mirrored) site."""
    result = savefixture(
        tmp_path, "http://see.news/lavrov-russia-never-plans-to-join-nato", "-s", f"NEWS_MIRROR_URL={mirror}"
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    folder = tmp_path / "sadaelbalad" / "lavrov-russia-never-plans-to-join-nato"
    assert f"wrote {folder}" in result.stdout
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["url"] == URL and meta["requested_url"] == "http://see.news/lavrov-russia-never-plans-to-join-nato"
    assert meta["redirects"] == [{"url": meta["requested_url"], "status": 301, "location": URL}]
    assert meta["original_encoding"] == "utf-8" and "127.0.0.1" not in json.dumps(meta)
    assert (folder / "page.html").read_bytes() == STORED.read_bytes()
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert expected[UNREVIEWED_KEY] and expected["url"] == URL
    assert expected["date_published"] == "2021-09-23T13:19:00+02:00"
    case = SnapshotCase(folder)
    with pytest.raises(CaseError, match="not reviewed yet"):
        check_case(case)
    del expected[UNREVIEWED_KEY]  # the person has read it against the page
    (folder / "expected.json").write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    check_case(case)


def test_the_mirror_address_itself_is_stored_under_the_real_url(tmp_path: Path, mirror: str) -> None:
    result = savefixture(tmp_path, f"{mirror}/https/see.news/lavrov-russia-never-plans-to-join-nato", "--case", "lavrov",
                         "-s", f"NEWS_MIRROR_URL={mirror}")  # fmt: skip
    assert result.returncode == 0, result.stderr
    meta = json.loads((tmp_path / "sadaelbalad" / "lavrov" / "meta.json").read_text(encoding="utf-8"))
    assert meta["url"] == meta["requested_url"] == URL


def test_an_unknown_domain_is_one_line_naming_the_known_sites(tmp_path: Path) -> None:
    result = savefixture(tmp_path, "https://news.example.org/world/story")
    assert_one_line_error(
        result, "'news.example.org'", "--spider", "sadaelbalad (see.news)", "aljazeera (www.aljazeera.net)"
    )
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_a_url_off_the_given_spiders_domains_is_refused(tmp_path: Path) -> None:
    result = savefixture(tmp_path, URL, "--spider", "almayadeen")
    assert_one_line_error(result, "not on almayadeen's domains (english.almayadeen.net)")


@pytest.mark.parametrize(
    ("url", "mirror_url", "words"),
    [
        ("https://see.news/not-stored", None, ("not-stored: HTTP 404",)),
        ("https://see.news/private/page", None, ("forbidden by the site's robots.txt",)),
        (URL, "http://127.0.0.1:{free_port}", ("connection refused",)),
    ],
    ids=["404", "robots", "refused"],
)
def test_a_page_that_cannot_be_had_is_one_line_and_writes_nothing(tmp_path: Path, mirror: str, url: str,
                                                                  mirror_url: str | None, words: tuple[str, ...]) -> None:  # fmt: skip
    mirror_url = (mirror_url or mirror).format(free_port=free_port())
    result = savefixture(tmp_path, url, "-s", f"NEWS_MIRROR_URL={mirror_url}")
    assert_one_line_error(result, url, *words)
    assert not tmp_path.exists() or not any(tmp_path.rglob("*.json"))


def fetched(body: bytes, url: str = URL) -> FetchedPage:
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    return FetchedPage(url=url, final_url=url, status=200, content_type="text/html", body=body, encoding="utf-8",
                       text=body.decode("utf-8", "replace"), fetched_at=fetched_at)  # fmt: skip


def test_case_names_are_safe_and_never_clash(tmp_path: Path) -> None:
    page = fetched(STORED.read_bytes())
    first = save_fixture(page, "sadaelbalad", tmp_path, "../../../etc/passwd", "article")
    second = save_fixture(page, "sadaelbalad", tmp_path, "../../../etc/passwd", "article")
    assert first == tmp_path / "sadaelbalad" / "etc-passwd"
    assert second == tmp_path / "sadaelbalad" / "etc-passwd-2"
    assert safe_case_name("https://www.aljazeera.net/news/2021/10/18/ردا-على").startswith("news-2021-10-18-")
    with pytest.raises(UnknownSiteError):
        save_fixture(page, "../sadaelbalad", tmp_path, None, "article")
    with pytest.raises(CaseError, match="not a spider name"):
        new_case_directory(tmp_path, "../sadaelbalad", "x")


@pytest.mark.parametrize("body", [b"", b"%PDF-1.4\n" + bytes(range(256)) * 4], ids=["empty", "pdf"])
def test_a_page_with_nothing_to_read_is_no_case(tmp_path: Path, body: bytes) -> None:
    with pytest.raises(UnreadablePage):
        save_fixture(fetched(body), "sadaelbalad", tmp_path, None, "article")
    assert not (tmp_path / "sadaelbalad").exists()
