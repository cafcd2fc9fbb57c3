"""Comparing a case's output with its ``expected.json``, field by field.

A failing case prints only the fields that differ: short values side by
side, long text (a body) as a unified diff by paragraph, so a reviewer sees
"paragraph 7 lost its last sentence" rather than two walls of JSON.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from crawler.tools.casefiles import (
    UNREVIEWED_KEY,
    UNREVIEWED_NOTE,
    CaseError,
    SnapshotCase,
    case_output,
    format_json,
)

UPDATE_HINT = "pytest --snapshot-update -k '{case}'"


class SnapshotMismatch(AssertionError):
    pass


def field_diff(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Readable lines for every field whose value differs."""
    lines: list[str] = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if want == got:
            continue
        if name not in actual:
            lines.append(f"- {name}: missing (expected {_short(want)})")
        elif name not in expected:
            lines.append(f"- {name}: unexpected {_short(got)}")
        elif isinstance(want, str) and isinstance(got, str) and ("\n" in want or "\n" in got):
            lines.append(f"- {name}: differs")
            diff = difflib.unified_diff(want.split("\n"), got.split("\n"), "expected", "actual", lineterm="", n=1)
            lines.extend(f"    {line}" for line in diff)
        else:
            lines.append(f"- {name}:\n    expected {_short(want)}\n    actual   {_short(got)}")
    return lines


def _short(value: Any, limit: int = 400) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[:limit] + "…"


def check_case(case: SnapshotCase, update: bool = False) -> None:
    """Raise ``SnapshotMismatch`` (or ``CaseError``) unless the case's output is as pinned."""
    actual = case_output(case)
    if update:
        # An unreviewed file stays marked: rewriting it is no review.
        if case.expected_path.is_file() and UNREVIEWED_KEY in json.loads(
            case.expected_path.read_text(encoding="utf-8")
        ):
            actual = {UNREVIEWED_KEY: UNREVIEWED_NOTE, **actual}
        case.expected_path.write_text(format_json(actual), encoding="utf-8")
        return
    if not case.expected_path.is_file():
        raise CaseError(
            f"{case.id}: no expected.json yet. Write it with `{UPDATE_HINT.format(case=case.name)}`, "
            "then read every field against the page before committing it."
        )
    expected = json.loads(case.expected_path.read_text(encoding="utf-8"))
    if UNREVIEWED_KEY in expected:
        raise CaseError(
            f"{case.id}: expected.json is not reviewed yet: read every field against the page, "
            f"then delete its {UNREVIEWED_KEY!r} line."
        )
    differences = field_diff(expected, actual)
    if differences:
        raise SnapshotMismatch(
            f"{case.id}: output differs from expected.json\n"
            + "\n".join(differences)
            + f"\nIf the new output is right, `{UPDATE_HINT.format(case=case.name)}` and say why in the commit."
        )
