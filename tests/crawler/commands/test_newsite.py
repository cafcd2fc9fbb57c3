"""``scrapy newsite``'s work in a scratch project folder (the guide test runs the command itself)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.commands.newsite import _load_rules, new_site
from crawler.extraction import extract
from crawler.tools.mirror import Answer, Mirror, RunningMirror
from crawler.tools.proposals import propose, propose_article_urls
from tests.crawling import ROOT
from tests.inprocess import ScrapyRun, run_scrapy

SAMPLE = ROOT / "tests" / "guide" / "exampledaily-article.html"
SAMPLE_URL = "https://news.example.org/world/2021/10/18/lavrov-nato"
PARAGRAPH = "The minister said on Monday that contacts had stopped well before the mission was suspended, and more. "


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
    assert proposal.drop == []  # its "More stories" box is an <aside>: dropped everywhere already


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        ("/news/2021/10/18/lavrov-says-nato", r"^/news/\d{4}/\d{1,2}/\d{1,2}/[^/]+"),
        ("/2021/10/18/lavrov-says-nato/", r"^/\d{4}/\d{1,2}/\d{1,2}/[^/]+"),
        ("/article/12345/lavrov-says-nato", r"^/article/\d+/"),
        ("/fa/news/1234567/%D9%84%D8%A7%D9%88%D8%B1%D9%88%D9%81", r"^/fa/news/\d+/"),
        ("/news/12345", r"^/news/\d+(?:/|$)"),
        ("/news/12345-lavrov-says-nato", r"^/news/\d+-"),
        ("/news/2021-10-18/lavrov", r"^/news/\d{4}-\d{2}-\d{2}/[^/]+"),
        ("/middle-east/lavrov-says-nato", r"^/middle-east/[^/]+/?$"),
        ("/news/politics/russia-suspends-work-of-nato-office", r"^/news/politics/[^/]+/?$"),
        ("/v1.2/2021/lavrov", r"^/v1\.2/\d{4}/[^/]+"),  # a literal dot is escaped
        ("/lavrov-russia-never-plans-to-join-nato", r"^/[^/-]+(?:-[^/-]+){3,}/?$"),
    ],
)
def test_article_urls_come_from_the_sample_urls_shape(path: str, pattern: str) -> None:
    assert propose_article_urls("https://news.example.org" + path) == [pattern]
    compiled = re.compile(pattern)
    assert compiled.search(path)
    section = next(segment for segment in path.split("/") if segment)
    for listing in [
        "/",
        "/index.html",
        *(["/" + section, "/" + section + "/"] if section not in path[1:].split("/")[-1:] else []),
    ]:
        assert not compiled.search(listing), listing


@pytest.mark.parametrize(
    "url",
    ["https://news.example.org/", "https://news.example.org/about", "https://news.example.org/a-slug-here/x-y-z-w/1",
     "https://news.example.org/" + "a/" * 12 + "slug"],
)  # fmt: skip
def test_a_url_of_no_telling_shape_proposes_nothing_rather_than_everything(url: str) -> None:
    assert propose_article_urls(url) == []


def test_a_long_non_article_path_is_matched_quickly() -> None:
    """The root-slug pattern has no nested quantifiers to backtrack on a long path."""
    (pattern,) = propose_article_urls("https://see.news/lavrov-russia-never-plans-to-join-nato")
    assert re.search(pattern, "/" + "a-" * 50_000 + "/x") is None  # would run for ages with ([^/]+)(-[^/]+){3,}


def page_with_boxes() -> str:
    """An article whose body container holds a related box, a share bar, a sign-up and a "Read more" box."""
    paragraph = f"<p>{PARAGRAPH * 3}</p>"
    return f"""<!DOCTYPE html><html lang="en"><head><title>Lavrov</title></head><body><main><article class="post">
<h1 class="post-title">Lavrov says NATO buried consultation</h1>
<div class="entry-content">{paragraph}
<div class="related-posts"><h3>Related</h3><ul><li><a href="/a">Another story about NATO</a></li></ul></div>
{paragraph}
<div class="box"><h4>Read more</h4><p><a href="/b">What the Kremlin said about the office</a></p></div>
<div id="newsletter-signup"><p>Get the morning briefing in your inbox every day.</p></div>
<div class="sd-sharing-enabled"><span>Share this: Facebook, Twitter, Email</span></div>
<section><h3>Most read</h3><p><a href="/c">A story everyone read today</a></p></section>
<div class="shared-content">{paragraph}</div>
</div></article></main></body></html>"""


def test_related_share_and_newsletter_boxes_are_proposed_as_drop() -> None:
    proposal = propose(page_with_boxes(), "https://news.example.org/news/2021/10/18/lavrov")
    assert proposal.body == "article.post div.entry-content"
    assert proposal.drop == ["div.related-posts", "div.box", "div#newsletter-signup", "div.sd-sharing-enabled"]
    assert any("without a class or id" in note for note in proposal.notes)  # the bare <section>: said, not guessed


def test_the_proposed_rules_keep_the_boxes_out_of_the_body(project: Path) -> None:
    sample = project / "sample.html"
    sample.write_text(page_with_boxes(), encoding="utf-8")
    new_site("boxes", "news.example.org", project, str(sample), "https://news.example.org/news/2021/10/18/lavrov")
    rules = _load_rules(project / "spiders" / "boxes.py")
    assert rules.drop == ("div.related-posts", "div.box", "div#newsletter-signup", "div.sd-sharing-enabled")
    assert rules.article_urls == (r"^/news/\d{4}/\d{1,2}/\d{1,2}/[^/]+",)
    assert rules.is_article_url("/news/2021/10/19/other-story") and not rules.is_article_url("/news/2021/10/19/")
    body = extract(page_with_boxes(), "https://news.example.org/news/2021/10/18/lavrov", rules).body
    # The shared-content paragraph is the article's: kept.  (The unnamed "Most read" box stays: noted, not guessed.)
    assert body.split("\n\n").count((PARAGRAPH * 3).strip()) == 3
    for boilerplate in ("Another story", "Kremlin said", "morning briefing", "Share this"):
        assert boilerplate not in body


def test_a_sample_file_without_its_url_proposes_no_article_urls(project: Path) -> None:
    new_site("exampledaily", "news.example.org", project, str(SAMPLE), None)
    source = (project / "spiders" / "exampledaily.py").read_text(encoding="utf-8")
    assert "article_urls=()," in source and 'article_urls=(r"^/"' not in source


def serve_sample(url: str) -> Answer | None:
    if url == SAMPLE_URL:
        return 200, {"Content-Type": "text/html; charset=utf-8"}, SAMPLE.read_bytes()
    return None


def newsite(project: Path, *arguments: str) -> ScrapyRun:
    """``scrapy newsite`` with the live settings (no SCRAPY_PROJECT), in the test process."""
    return run_scrapy("newsite", "exampledaily", "news.example.org", "--root", str(project), *arguments,
                      "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "RETRY_TIMES=0")  # fmt: skip


def test_a_sample_url_is_fetched_through_the_mirror_into_the_first_case(project: Path) -> None:
    with RunningMirror(Mirror(project / "snapshots", extra=serve_sample)) as mirror:
        result = newsite(project, "--sample", SAMPLE_URL, "-s", f"NEWS_MIRROR_URL={mirror}")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    (case,) = (project / "snapshots" / "exampledaily").iterdir()
    assert '"url": "https://news.example.org/world/2021/10/18/lavrov-nato"' in (case / "meta.json").read_text(
        encoding="utf-8"
    )
    assert '"_unreviewed"' in (case / "expected.json").read_text(encoding="utf-8")
    assert "pytest.fail(" in (project / "tests" / "spiders" / "test_exampledaily.py").read_text(encoding="utf-8")
    rules = _load_rules(project / "spiders" / "exampledaily.py")
    assert rules.article_urls == (r"^/world/\d{4}/\d{1,2}/\d{1,2}/[^/]+",)


def test_a_sample_url_off_the_new_sites_domain_is_one_line(project: Path) -> None:
    result = newsite(project, "--sample", "https://elsewhere.example/world/2021/10/18/lavrov")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "not on the new site's domains (news.example.org)" in result.stderr
    assert not any((project / "spiders").iterdir())


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
        new_site(name, domain, project, None, None)
    assert not any((project / "spiders").iterdir())


def test_an_existing_site_is_never_overwritten(project: Path) -> None:
    (project / "spiders" / "example.py").write_text("# the site's adapter")
    with pytest.raises(ValueError, match="exists already"):
        new_site("example", "news.example.org", project, None, None)
    assert (project / "spiders" / "example.py").read_text() == "# the site's adapter"
