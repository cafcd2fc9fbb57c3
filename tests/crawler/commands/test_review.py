"""``scrapy review``: pages written for one site's cases; ``--accept`` on a copied case; one-line mistakes."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.tools.casefiles import UNREVIEWED_KEY, format_json, iter_cases
from tests.crawler.review.hostile import SNAPSHOTS, copy_snapshots, write_hostile_case
from tests.inprocess import ScrapyRun, run_scrapy

SITE = "sadaelbalad"


def review(*arguments: str) -> ScrapyRun:
    return run_scrapy("review", *arguments)


def assert_one_line_error(result: ScrapyRun, status: int, *words: str) -> None:
    assert result.returncode == status, result.stderr
    assert result.stderr.startswith("review: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and all(word in result.stderr for word in words), result.stderr


def test_one_sites_pages_and_its_index(tmp_path: Path) -> None:
    result = review(SITE, "-o", str(tmp_path / "out"))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    index = tmp_path / "out" / "index.html"
    assert result.stdout == f"{index}\n"
    cases = iter_cases(SNAPSHOTS, SITE)
    assert sorted(path.name for path in (tmp_path / "out" / SITE).iterdir()) == sorted(
        f"{case.name}.html" for case in cases
    )
    listed = index.read_text(encoding="utf-8")
    assert all(f'href="{SITE}/{case.name}.html"' in listed for case in cases) and "<script" not in listed
    page = (tmp_path / "out" / SITE / "lavrov-russia-never-join-nato.html").read_text(encoding="utf-8")
    assert '<iframe sandbox="" title="the stored page" srcdoc="' in page and "<script" not in page.lower()


def test_one_case(tmp_path: Path) -> None:
    result = review(SITE, "no-json-ld", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert [path.name for path in (tmp_path / SITE).iterdir()] == ["no-json-ld.html"]


def test_accept_prints_the_fields_and_removes_the_mark(tmp_path: Path) -> None:
    snapshots = copy_snapshots(tmp_path / "snapshots", f"{SITE}/no-json-ld")
    expected_path = snapshots / SITE / "no-json-ld" / "expected.json"
    reviewed = expected_path.read_text(encoding="utf-8")
    fields = json.loads(reviewed)
    expected_path.write_text(format_json({UNREVIEWED_KEY: "read it", **fields}), encoding="utf-8")
    result = review("--accept", f"{SITE}/no-json-ld", "--snapshots", str(snapshots))
    assert result.returncode == 0, result.stderr
    printed, _, last = result.stdout.rpartition("}\n")
    assert json.loads(printed + "}") == fields and f"accepted {SITE}/no-json-ld" in last
    assert expected_path.read_text(encoding="utf-8") == reviewed
    again = review("--accept", f"{SITE}/no-json-ld", "--snapshots", str(snapshots))
    assert again.returncode == 0 and "reviewed already" in again.stdout and again.stderr == ""


def test_accept_refuses_an_output_that_differs(tmp_path: Path) -> None:
    snapshots = tmp_path / "snapshots"
    folder = write_hostile_case(snapshots, {UNREVIEWED_KEY: "read it", "headline": "not what it says"})
    before = (folder / "expected.json").read_text(encoding="utf-8")
    result = review("--accept", f"{SITE}/hostile", "--snapshots", str(snapshots))
    assert_one_line_error(result, 1, "differs from expected.json", "--snapshot-update")
    assert (folder / "expected.json").read_text(encoding="utf-8") == before


def test_mistakes_are_one_line(tmp_path: Path) -> None:
    assert_one_line_error(review("nosuch", "-o", str(tmp_path)), 2, "no site 'nosuch'")
    assert_one_line_error(review(SITE, "nosuch", "-o", str(tmp_path)), 2, f"no case {SITE}/nosuch")
    assert_one_line_error(review("--accept", "nosuch/case"), 2, "no site 'nosuch'")
    assert_one_line_error(review("--accept", SITE), 2, "SITE/CASE")
    assert_one_line_error(review("--accept", f"{SITE}/no-json-ld", "extra"), 2, "--accept")
    assert_one_line_error(review("a", "b", "c"), 2, "at most")
    assert_one_line_error(review("--snapshots", str(tmp_path / "none")), 2, "no snapshots folder")
    assert not list(tmp_path.iterdir())
