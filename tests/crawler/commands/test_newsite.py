"""``scrapy newsite``'s work in a scratch project folder (the guide test runs the command itself)."""

from pathlib import Path

import pytest
import responses

from crawler.commands.newsite import new_site
from crawler.proposals import propose

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "tests" / "guide" / "exampledaily-article.html"
OPTIONS = {"user_agent": "newsframe-test", "timeout": 5.0}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for folder in ("spiders", "tests/spiders", "snapshots"):
        (tmp_path / folder).mkdir(parents=True)
    return tmp_path


def test_proposals_come_from_the_page_structure() -> None:
    proposal = propose(SAMPLE.read_text(encoding="utf-8"))
    assert proposal.headline == "article.story h1.story-title"
    assert proposal.body == "article.story div.story-body"
    assert proposal.date_published == "p.byline time.published::attr(datetime)"
    assert proposal.tags == "ul.story-tags li a" and proposal.language == "en"


@responses.activate
def test_a_sample_url_is_fetched_into_the_first_case(project: Path) -> None:
    url = "https://news.example.org/world/2021/10/18/lavrov-nato"
    responses.add(responses.GET, url, body=SAMPLE.read_bytes(), headers={"Content-Type": "text/html; charset=utf-8"})
    written = new_site("exampledaily", "news.example.org", project, url, None, OPTIONS)
    case = written[-1]
    assert case.parent == project / "snapshots" / "exampledaily"
    assert '"_unreviewed"' in (case / "expected.json").read_text(encoding="utf-8")
    assert "pytest.fail(" in (project / "tests" / "spiders" / "test_exampledaily.py").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "domain", "message"),
    [
        ("Example", "news.example.org", "lowercase"),
        ("../evil", "news.example.org", "lowercase"),
        ("example", "not a domain", "not a domain"),
    ],
)
def test_bad_names_are_refused(project: Path, name: str, domain: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        new_site(name, domain, project, None, None, OPTIONS)
    assert not any((project / "spiders").iterdir())


def test_an_existing_site_is_never_overwritten(project: Path) -> None:
    (project / "spiders" / "example.py").write_text("# the site's adapter")
    with pytest.raises(ValueError, match="exists already"):
        new_site("example", "news.example.org", project, None, None, OPTIONS)
    assert (project / "spiders" / "example.py").read_text() == "# the site's adapter"
