"""``scrapy extract`` as a user runs it: a subprocess in the project folder."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SEED_CASES = [
    ("almayadeen", "russia-suspends-nato-office"),
    ("almayadeen", "lavrov-us-army-central-asia"),
    ("aljazeera", "ajn-russia-ends-nato-mission"),
    ("aljazeera", "old-layout-russia-ends-nato-mission"),
    ("sadaelbalad", "lavrov-russia-never-join-nato"),
    ("persian_aggregator", "lavrov-nato-buried-consultation"),
]


def scrapy(*args: str, project: str = "replay") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SCRAPY_PROJECT": project}
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


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
