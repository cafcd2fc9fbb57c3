"""``scrapy drift``: live pages against the pinned cases, served by ``responses``."""

from pathlib import Path

import responses

from crawler.casefiles import SnapshotCase
from crawler.commands.drift import drift_of

ROOT = Path(__file__).resolve().parents[3]
CASE = SnapshotCase(ROOT / "snapshots" / "almayadeen" / "russia-suspends-nato-office")
OPTIONS = {"user_agent": "newsframe-test", "timeout": 5.0, "max_bytes": 1_000_000}


def serve(body: bytes, status: int = 200) -> None:
    responses.add(responses.GET, CASE.url, body=body, status=status, headers={"Content-Type": "text/html; charset=utf-8"})


@responses.activate
def test_an_unchanged_page_reports_nothing() -> None:
    serve(CASE.page_bytes())
    report = drift_of(CASE, OPTIONS)
    assert report.text.endswith(": unchanged") and report.lost == []


@responses.activate
def test_a_markup_change_that_empties_fields_is_reported_as_lost() -> None:
    changed = CASE.page_bytes().replace(b'<h1 class="title">', b'<h1 class="headline-v2">')
    changed = changed.replace(b'class="tags"', b'class="topics-v2"').replace(b'"keywords": "Nato,Sergey Lavrov,Russia,Belgium"', b'"keywords": ""')
    changed = changed.replace(b'<meta name="keywords" content="Nato, Sergey Lavrov, Russia, Belgium">', b"")
    serve(changed)
    report = drift_of(CASE, OPTIONS)
    assert report.lost == ["tags"]
    assert "LOST tags" in report.text and "- tags: missing" in report.text


@responses.activate
def test_a_page_that_is_gone_is_a_fetch_failure() -> None:
    serve(b"", status=404)
    report = drift_of(CASE, OPTIONS)
    assert report.failed and "HTTP 404" in report.text
