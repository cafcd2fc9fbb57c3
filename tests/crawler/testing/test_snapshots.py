import json
from pathlib import Path

import pytest

from crawler.testing.snapshots import SnapshotMismatch, check_case, field_diff
from crawler.tools.casefiles import CaseError, SnapshotCase

PAGE = """<html lang="en"><head><meta property="og:title" content="A headline"></head>
<body><article><p>One paragraph that is long enough to be taken for the body of an article by the generic finder,
which wants more than a caption's worth of text before it believes it.</p></article></body></html>"""


def make_case(tmp_path: Path, page: str | None = PAGE, expected: dict | None = None) -> SnapshotCase:
    folder = tmp_path / "generic" / "case"
    folder.mkdir(parents=True)
    (folder / "meta.json").write_text(json.dumps({"url": "https://unknown.example/story"}))
    if page is not None:
        (folder / "page.html").write_text(page)
    if expected is not None:
        (folder / "expected.json").write_text(json.dumps(expected))
    return SnapshotCase(folder)


def test_field_diff_names_only_the_fields_that_differ() -> None:
    lines = field_diff(
        {"headline": "A", "body": "one\n\ntwo", "tags": ["x"], "section": "S"},
        {"headline": "A", "body": "one\n\nTWO", "tags": ["x", "y"], "language": "en"},
    )
    text = "\n".join(lines)
    assert "headline" not in text
    assert "- body: differs" in text and "-two" in text and "+TWO" in text
    assert '- tags:\n    expected ["x"]\n    actual   ["x", "y"]' in text
    assert "- section: missing" in text and "- language: unexpected" in text


def test_a_case_without_expected_output_fails_and_says_how_to_write_it(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="--snapshot-update"):
        check_case(make_case(tmp_path))


def test_an_expected_file_without_a_page_fails(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="no stored page"):
        check_case(make_case(tmp_path, page=None, expected={"url": "https://unknown.example/story"}))


def test_update_writes_what_the_check_then_accepts(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    check_case(case, update=True)
    written = case.expected_path.read_text(encoding="utf-8")
    assert json.loads(written)["headline"] == "A headline"
    check_case(case)
    case.expected_path.write_text(written.replace("A headline", "Another"), encoding="utf-8")
    with pytest.raises(SnapshotMismatch, match="headline"):
        check_case(case)
