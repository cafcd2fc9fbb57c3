"""``scrapy savefixture``'s work, with the page served by ``responses``."""

import json
from pathlib import Path

import pytest
import responses

from crawler.casefiles import UNREVIEWED_KEY, CaseError, SnapshotCase, new_case_directory, safe_case_name
from crawler.commands.savefixture import save_fixture
from crawler.sites import UnknownSiteError
from crawler.testing.snapshots import check_case

ROOT = Path(__file__).resolve().parents[3]
STORED = ROOT / "snapshots" / "sadaelbalad" / "lavrov-russia-never-join-nato" / "page.html"
URL = "https://see.news/lavrov-russia-never-plans-to-join-nato"
OPTIONS = {"user_agent": "newsframe-test", "timeout": 5.0, "max_bytes": 1_000_000}


@responses.activate
def test_a_saved_case_fails_until_reviewed_then_passes(tmp_path: Path) -> None:
    responses.add(responses.GET, "https://see.news/lavrov-old-link", status=301, headers={"Location": URL})
    responses.add(responses.GET, URL, body=STORED.read_bytes(), headers={"Content-Type": "text/html; charset=UTF-8"})
    folder = save_fixture("https://see.news/lavrov-old-link", "sadaelbalad", tmp_path, None, "article", OPTIONS)
    assert folder == tmp_path / "sadaelbalad" / "lavrov-old-link"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["url"] == URL and meta["requested_url"] == "https://see.news/lavrov-old-link"
    assert meta["redirects"][0]["status"] == 301 and meta["original_encoding"] == "utf-8"
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert expected[UNREVIEWED_KEY] and expected["date_published"] == "2021-09-23T13:19:00+02:00"
    case = SnapshotCase(folder)
    with pytest.raises(CaseError, match="not reviewed yet"):
        check_case(case)
    del expected[UNREVIEWED_KEY]  # the person has read it against the page
    (folder / "expected.json").write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    check_case(case)


@responses.activate
def test_case_names_are_safe_and_never_clash(tmp_path: Path) -> None:
    responses.add(responses.GET, URL, body=STORED.read_bytes(), headers={"Content-Type": "text/html"})
    first = save_fixture(URL, "sadaelbalad", tmp_path, "../../../etc/passwd", "article", OPTIONS)
    second = save_fixture(URL, "sadaelbalad", tmp_path, "../../../etc/passwd", "article", OPTIONS)
    assert first == tmp_path / "sadaelbalad" / "etc-passwd"
    assert second == tmp_path / "sadaelbalad" / "etc-passwd-2"
    assert safe_case_name("https://www.aljazeera.net/news/2021/10/18/ردا-على").startswith("news-2021-10-18-")
    with pytest.raises(UnknownSiteError):
        save_fixture(URL, "../sadaelbalad", tmp_path, None, "article", OPTIONS)
    with pytest.raises(CaseError, match="not a spider name"):
        new_case_directory(tmp_path, "../sadaelbalad", "x")


@responses.activate
def test_a_failed_fetch_writes_nothing(tmp_path: Path) -> None:
    from crawler.fetch import FetchError

    responses.add(responses.GET, URL, status=404)
    with pytest.raises(FetchError):
        save_fixture(URL, "sadaelbalad", tmp_path, None, "article", OPTIONS)
    assert not (tmp_path / "sadaelbalad").exists() or not any((tmp_path / "sadaelbalad").iterdir())
