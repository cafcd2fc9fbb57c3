"""A case's review status and diff, and accepting a case: only on copies of the cases (tmp_path)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.review.cases import (
    BROKEN,
    FAIL,
    PASS,
    UNREVIEWED,
    AlreadyReviewed,
    ReviewError,
    accept_case,
    find_case,
    review_case,
    select_cases,
)
from crawler.testing.snapshots import check_case, field_diff
from crawler.tools.casefiles import UNREVIEWED_KEY, UNREVIEWED_NOTE, SnapshotCase, format_json
from tests.crawler.review.hostile import REAL_CASE, copy_snapshots

LISTING = "almayadeen/listing-politics"


def mark_unreviewed(case: SnapshotCase) -> dict:
    expected = json.loads(case.expected_path.read_text(encoding="utf-8"))
    case.expected_path.write_text(format_json({UNREVIEWED_KEY: UNREVIEWED_NOTE, **expected}), encoding="utf-8")
    return expected


def test_statuses_and_the_diff_are_the_snapshot_tests(tmp_path: Path) -> None:
    snapshots = copy_snapshots(tmp_path, REAL_CASE, LISTING)
    passing = review_case(find_case(snapshots, REAL_CASE))
    assert passing.status == PASS and passing.diff == [] and passing.trace is not None
    assert review_case(find_case(snapshots, LISTING)).status == PASS  # links, no trace
    case = find_case(snapshots, REAL_CASE)
    expected = json.loads(case.expected_path.read_text(encoding="utf-8"))
    changed = {**expected, "headline": "Another headline"}
    case.expected_path.write_text(format_json(changed), encoding="utf-8")
    failing = review_case(case)
    assert failing.status == FAIL and failing.diff == field_diff(changed, failing.output)
    mark_unreviewed(case)
    assert review_case(case).status == UNREVIEWED
    case.expected_path.unlink()
    assert review_case(case).status == BROKEN


def test_accept_removes_the_mark_and_keeps_the_files_one_form(tmp_path: Path) -> None:
    case = find_case(copy_snapshots(tmp_path, REAL_CASE), REAL_CASE)
    original = case.expected_path.read_text(encoding="utf-8")
    expected = mark_unreviewed(case)
    accepted = accept_case(case)
    assert accepted.fields == expected
    assert case.expected_path.read_text(encoding="utf-8") == original  # the one form: format_json
    check_case(case)
    with pytest.raises(AlreadyReviewed, match="reviewed already"):
        accept_case(case)


def test_accept_refuses_a_file_the_output_no_longer_matches(tmp_path: Path) -> None:
    case = find_case(copy_snapshots(tmp_path, REAL_CASE), REAL_CASE)
    expected = json.loads(case.expected_path.read_text(encoding="utf-8"))
    stale = format_json({UNREVIEWED_KEY: UNREVIEWED_NOTE, **expected, "headline": "Saved before a rule changed"})
    case.expected_path.write_text(stale, encoding="utf-8")
    with pytest.raises(ReviewError, match="differs from expected.json in headline"):
        accept_case(case)
    assert case.expected_path.read_text(encoding="utf-8") == stale


def test_unknown_sites_and_cases_are_review_errors(tmp_path: Path) -> None:
    snapshots = copy_snapshots(tmp_path, REAL_CASE)
    with pytest.raises(ReviewError, match="no site 'nosuch'"):
        select_cases(snapshots, "nosuch")
    with pytest.raises(ReviewError, match="no case almayadeen/nosuch"):
        find_case(snapshots, "almayadeen/nosuch")
    for wrong in ("almayadeen", "../x", "a/b/c", "/"):
        with pytest.raises(ReviewError):
            find_case(snapshots, wrong)
    with pytest.raises(ReviewError, match="no snapshots folder"):
        select_cases(tmp_path / "none")
