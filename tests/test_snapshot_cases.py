"""Every stored page in snapshots/ against its pinned, reviewed output."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.testing.snapshots import SnapshotMismatch, check_case
from crawler.tools.casefiles import CaseError, SnapshotCase, iter_cases

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
CASES = iter_cases(SNAPSHOTS)


def test_there_are_cases() -> None:
    assert CASES, f"no snapshot cases under {SNAPSHOTS}"


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(case: SnapshotCase, snapshot_update: bool) -> None:
    try:
        check_case(case, update=snapshot_update)
    except (CaseError, SnapshotMismatch) as problem:
        pytest.fail(str(problem), pytrace=False)
