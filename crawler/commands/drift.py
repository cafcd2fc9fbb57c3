"""``scrapy drift [--spider NAME]``: has a site changed its markup since its cases were pinned?

For every article case, the live page at the case's URL is fetched again and
extracted, and each field is compared with ``expected.json``.  Text that
changed is news being edited; a field that was filled and is now empty is a
rule that stopped matching.  Exit status: 1 when any field was lost, 2 when
a page could not be fetched (and none was lost), 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from scrapy.commands import ScrapyCommand

from crawler.casefiles import UNREVIEWED_KEY, CaseError, SnapshotCase, iter_cases
from crawler.extract import extract
from crawler.fetch import FetchError, fetch_options, fetch_page
from crawler.items import is_empty
from crawler.testing.snapshots import field_diff


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--spider NAME]"

    def short_desc(self) -> str:
        return "Fetch every snapshot case's live page again and report the fields that changed"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--spider", metavar="NAME", help="only this site's cases")
        parser.add_argument("--snapshots", metavar="DIR", default="snapshots", help="default: snapshots")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        options = fetch_options(self.settings)
        cases = [case for case in iter_cases(Path(opts.snapshots), opts.spider) if _is_article(case)]
        lost_any = failed_any = False
        for case in cases:
            report = drift_of(case, options)
            print(report.text)
            lost_any |= bool(report.lost)
            failed_any |= report.failed
        print(f"drift: {len(cases)} cases checked; fields lost: {'yes' if lost_any else 'no'};"
              f" fetch failures: {'yes' if failed_any else 'no'}")
        self.exitcode = 1 if lost_any else 2 if failed_any else 0


@dataclass
class DriftReport:
    text: str
    lost: list[str]
    failed: bool = False


def _is_article(case: SnapshotCase) -> bool:
    try:
        return case.kind == "article" and case.expected_path.is_file()
    except CaseError:
        return False


def drift_of(case: SnapshotCase, fetch_options: dict[str, object]) -> DriftReport:
    """What changed on the live page of one case."""
    try:
        page = fetch_page(case.url, **fetch_options)  # type: ignore[arg-type]
    except FetchError as error:
        return DriftReport(f"{case.id}: could not fetch: {error}", [], failed=True)
    expected = json.loads(case.expected_path.read_text(encoding="utf-8"))
    expected.pop(UNREVIEWED_KEY, None)
    actual = extract(page.text, case.url, case.site).to_dict()
    lost = sorted(name for name, value in expected.items() if not is_empty(value) and is_empty(actual.get(name)))
    differences = field_diff(expected, actual)
    if not differences:
        return DriftReport(f"{case.id}: unchanged", [])
    heading = f"{case.id}: " + (f"LOST {', '.join(lost)}" if lost else "changed")
    return DriftReport("\n".join([heading, *differences]), lost)
