"""``scrapy drift``: the pinned cases against the pages the (mirrored) sites serve now; no network."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from crawler.commands.drift import drift_of
from crawler.tools.casefiles import SnapshotCase
from crawler.tools.fetch import FetchedPage, FetchError
from crawler.tools.mirror import Mirror, RunningMirror
from tests.crawling import ROOT
from tests.inprocess import run_scrapy

CASE = SnapshotCase(ROOT / "snapshots" / "almayadeen" / "russia-suspends-nato-office")
FAST = ("-s", "AUTOTHROTTLE_ENABLED=0", "-s", "NEWS_SITE_POLITENESS=0", "-s", "RETRY_TIMES=0")


def markup_changed(page: bytes) -> bytes:
    """The page after a redesign that renames the tags list and empties the keywords: its tags are gone."""
    changed = page.replace(b'<h1 class="title">', b'<h1 class="headline-v2">')
    changed = changed.replace(b'class="tags"', b'class="topics-v2"').replace(
        b'"keywords": "Nato,Sergey Lavrov,Russia,Belgium"', b'"keywords": ""'
    )
    return changed.replace(b'<meta name="keywords" content="Nato, Sergey Lavrov, Russia, Belgium">', b"")


def fetched(body: bytes) -> FetchedPage:
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    return FetchedPage(url=CASE.url, final_url=CASE.url, status=200, content_type="text/html; charset=utf-8", body=body,
                       encoding="utf-8", text=body.decode("utf-8"), fetched_at=fetched_at)  # fmt: skip


def test_an_unchanged_page_reports_nothing() -> None:
    report = drift_of(CASE, fetched(CASE.page_bytes()))
    assert report.text.endswith(": unchanged") and report.lost == []


def test_a_markup_change_that_empties_fields_is_reported_as_lost() -> None:
    report = drift_of(CASE, fetched(markup_changed(CASE.page_bytes())))
    assert report.lost == ["tags"]
    assert "LOST tags" in report.text and "- tags: missing" in report.text


def test_a_page_that_is_gone_is_a_fetch_failure() -> None:
    report = drift_of(CASE, FetchError(f"{CASE.url}: HTTP 404"))
    assert report.failed and "HTTP 404" in report.text


def copy_case(name: str, root: Path, page: bytes | None = None) -> None:
    """The almayadeen case ``name`` into ``root``, its page replaced by ``page`` if given."""
    folder = root / "almayadeen" / name
    shutil.copytree(ROOT / "snapshots" / "almayadeen" / name, folder)
    if page is not None:
        (folder / "page.html").write_bytes(page)


def test_drift_fetches_every_case_through_the_mirror(tmp_path: Path) -> None:
    """Three pinned cases; the site now serves one as it was, one redesigned, and has lost the third."""
    pinned, served = tmp_path / "pinned", tmp_path / "served"
    for name in ("lavrov-us-army-central-asia", CASE.name, "no-image-no-tags"):
        copy_case(name, pinned)
    copy_case("lavrov-us-army-central-asia", served)
    copy_case(CASE.name, served, markup_changed(CASE.page_bytes()))
    gone = SnapshotCase(pinned / "almayadeen" / "no-image-no-tags").url
    with RunningMirror(Mirror(served)) as mirror:  # live settings (no SCRAPY_PROJECT), in the test process
        result = run_scrapy("drift", "--snapshots", str(pinned), "-s", f"NEWS_MIRROR_URL={mirror}", *FAST)
    assert result.returncode == 1, result.stderr  # a field was lost
    assert result.stderr == "" and "Traceback" not in result.stdout
    lines = result.stdout.splitlines()
    assert "almayadeen/lavrov-us-army-central-asia: unchanged" in lines
    assert f"almayadeen/{CASE.name}: LOST tags" in lines
    assert f"almayadeen/no-image-no-tags: could not fetch: {gone}: HTTP 404" in lines
    assert lines[-1] == "drift: 3 cases checked; fields lost: yes; fetch failures: yes"
