"""A snapshot case as the review sees it: its status, its output traced, its diff; and accepting it.

The status and the diff are the snapshot test's own (:func:`crawler.testing.snapshots.field_diff`
against ``expected.json``), so the review page and ``pytest`` never disagree about a case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.crawling.sites import UnknownSiteError
from crawler.extraction import resolve_rules
from crawler.extraction.article import Extraction, extract_article
from crawler.extraction.trace import Trace
from crawler.testing.snapshots import field_diff
from crawler.tools.casefiles import (
    EXPECTED_NAME,
    UNREVIEWED_KEY,
    CaseError,
    SnapshotCase,
    case_output,
    format_json,
    iter_cases,
)

PASS, FAIL, UNREVIEWED, BROKEN = "pass", "fail", "unreviewed", "broken"


class ReviewError(ValueError):
    """A review asked of something that cannot be reviewed (no such site or case): one line for the user."""


@dataclass
class CaseReview:
    """What the review shows of one case."""

    case: SnapshotCase
    status: str
    #: What the framework makes of the page now: an Article's fields, or a listing's or feed's links.
    output: dict[str, Any] = field(default_factory=dict)
    #: ``expected.json`` without its unreviewed mark (None: there is none).
    expected: dict[str, Any] | None = None
    #: The snapshot test's per-field diff of ``expected`` and ``output``.
    diff: list[str] = field(default_factory=list)
    #: For an article: the extraction (with provenance) and what it took, element by element.
    extraction: Extraction | None = None
    trace: Trace | None = None
    #: Why the case cannot be checked (a broken meta.json, no page), when it cannot.
    problem: str | None = None


def review_case(case: SnapshotCase) -> CaseReview:
    """The case extracted with a trace (an article) or discovered (a listing, a feed), and compared."""
    try:
        extraction: Extraction | None = None
        trace: Trace | None = None
        if case.kind == "article":
            trace = Trace()
            extraction = extract_article(case.page_text(), case.url, resolve_rules(case.url, case.site), trace)
            output = extraction.article.to_dict()
        else:
            output = case_output(case)
        expected, marked = read_expected(case)
    except (CaseError, UnknownSiteError) as error:  # a folder of no site, a broken meta.json, no page
        return CaseReview(case, BROKEN, problem=str(error))
    if expected is None:
        return CaseReview(case, BROKEN, output, None, [], extraction, trace, f"no {EXPECTED_NAME} yet")
    diff = field_diff(expected, output)
    status = UNREVIEWED if marked else FAIL if diff else PASS
    return CaseReview(case, status, output, expected, diff, extraction, trace)


def read_expected(case: SnapshotCase) -> tuple[dict[str, Any] | None, bool]:
    """``expected.json`` without its unreviewed mark, and whether it had one; (None, False) when there is none."""
    if not case.expected_path.is_file():
        return None, False
    try:
        expected = json.loads(case.expected_path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise CaseError(f"{case.id}: {EXPECTED_NAME} is not valid JSON: {error}") from None
    if not isinstance(expected, dict):
        raise CaseError(f"{case.id}: {EXPECTED_NAME} is not a JSON object")
    marked = expected.pop(UNREVIEWED_KEY, None) is not None
    return expected, marked


def select_cases(snapshots: Path, site: str | None = None, name: str | None = None) -> list[SnapshotCase]:
    """The cases asked for: all, one site's, or one; an unknown site or case is a :class:`ReviewError`."""
    if not snapshots.is_dir():
        raise ReviewError(f"no snapshots folder {snapshots}")
    if site is not None and not (snapshots / site).is_dir():
        known = ", ".join(sorted(path.name for path in snapshots.iterdir() if path.is_dir()))
        raise ReviewError(f"no site {site!r} in {snapshots} (sites: {known or 'none'})")
    cases = iter_cases(snapshots, site)
    if name is not None:
        cases = [case for case in cases if case.name == name]
        if not cases:
            raise ReviewError(f"no case {site}/{name} in {snapshots}")
    return cases


def find_case(snapshots: Path, case_id: str) -> SnapshotCase:
    """The case named ``SITE/CASE`` (a :class:`ReviewError` when there is none)."""
    site, slash, name = case_id.strip("/").partition("/")
    if not slash or not site or not name or "/" in name or name in (".", "..") or site in (".", ".."):
        raise ReviewError(f"name a case as SITE/CASE, not {case_id!r}")
    return select_cases(snapshots, site, name)[0]


@dataclass
class Accepted:
    """A case accepted: its fields, as now pinned."""

    case: SnapshotCase
    fields: dict[str, Any]


def accept_case(case: SnapshotCase) -> Accepted:
    """Remove the unreviewed mark from the case's ``expected.json``, written in its one form (``format_json``).

    Refused (a :class:`ReviewError`) when the case has no mark (reviewed already: nothing to do) or
    when the framework's output differs from the file: the page the reviewer looked at shows the
    output, so the file must hold it, or accepting would pin what nobody saw (update it first with
    ``pytest --snapshot-update``, look again, then accept).
    """
    try:
        expected, marked = read_expected(case)
    except CaseError as error:
        raise ReviewError(str(error)) from None
    if expected is None:
        raise ReviewError(f"{case.id} has no {EXPECTED_NAME} to accept")
    if not marked:
        raise AlreadyReviewed(f"{case.id} is reviewed already ({EXPECTED_NAME} has no {UNREVIEWED_KEY!r} mark)")
    try:
        output = case_output(case)
    except (CaseError, UnknownSiteError) as error:
        raise ReviewError(str(error)) from None
    differing = sorted(name for name in set(expected) | set(output) if expected.get(name) != output.get(name))
    if differing:
        raise OutputDiffers(
            f"{case.id}: the output differs from {EXPECTED_NAME} in {', '.join(differing)}; "
            f"run pytest --snapshot-update -k '{case.name}', review the page again, then accept"
        )
    case.expected_path.write_text(format_json(expected), encoding="utf-8")
    return Accepted(case, expected)


class AlreadyReviewed(ReviewError):
    """Accepting a case that has no unreviewed mark: nothing to do, and nothing wrong."""


class OutputDiffers(ReviewError):
    """Accepting a case whose file no longer holds the output: the case needs work, not the command line."""
