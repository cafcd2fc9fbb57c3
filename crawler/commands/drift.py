"""``scrapy drift [--spider NAME]``: has a site changed its markup since its cases were pinned?

For every article case, the page at the case's URL is fetched again and
extracted, and each field is compared with ``expected.json``.  Text that
changed is news being edited; a field that was filled and is now empty is a
rule that stopped matching.  Exit status: 1 when any field was lost, 2 when
a page could not be fetched (and none was lost), 0 otherwise.

The pages are fetched in one crawl through Scrapy's downloader with the
project's settings and each site's own spider (``crawler.tools.fetch``): robots.txt,
the user agent, the site's download slots, ``DOWNLOAD_MAXSIZE``; and with
``-s NEWS_MIRROR_URL=...`` from the local mirror, so drift runs offline too.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from scrapy.commands import ScrapyCommand

from crawler.commands.usage import OneLineUsage
from crawler.crawling.sites import UnknownSiteError, spider_for
from crawler.extraction import extract
from crawler.items import is_empty
from crawler.testing.snapshots import field_diff
from crawler.tools.casefiles import UNREVIEWED_KEY, CaseError, SnapshotCase, iter_cases
from crawler.tools.fetch import (
    FetchedPage,
    FetchError,
    FetchJob,
    fetch_pages,
    quiet_log,
)


class Command(OneLineUsage, ScrapyCommand):
    requires_project = True
    requires_crawler_process = True

    def syntax(self) -> str:
        return "[--spider NAME]"

    def short_desc(self) -> str:
        return "Fetch every snapshot case's live page again and report the fields that changed"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--spider", metavar="NAME", help="only this site's cases")
        parser.add_argument("--snapshots", metavar="DIR", default="snapshots", help="default: snapshots")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        quiet_log(self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process is not None
        cases = [case for case in iter_cases(Path(opts.snapshots), opts.spider) if _is_article(case)]
        jobs, unfetchable = fetch_jobs(cases)
        pages = fetch_pages(self.crawler_process, jobs) if jobs else {}
        lost_any = failed_any = False
        for case in cases:
            report = drift_of(case, unfetchable.get(case.id) or pages[case.url])
            print(report.text)
            lost_any |= bool(report.lost)
            failed_any |= report.failed
        print(
            f"drift: {len(cases)} cases checked; fields lost: {'yes' if lost_any else 'no'};"
            f" fetch failures: {'yes' if failed_any else 'no'}"
        )
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


def fetch_jobs(cases: list[SnapshotCase]) -> tuple[list[FetchJob], dict[str, FetchError]]:
    """One fetch job per site, with the site's spider; the cases whose site has no spider, with why."""
    urls: dict[str, list[str]] = defaultdict(list)
    for case in cases:
        if case.url not in urls[case.site]:
            urls[case.site].append(case.url)
    jobs: list[FetchJob] = []
    unfetchable: dict[str, FetchError] = {}
    for site, site_urls in urls.items():
        try:
            jobs.append(FetchJob(site_urls, spider_for(site)))
        except UnknownSiteError as error:
            unfetchable |= {case.id: FetchError(str(error)) for case in cases if case.site == site}
    return jobs, unfetchable


def drift_of(case: SnapshotCase, page: FetchedPage | FetchError) -> DriftReport:
    """What changed on the live page of one case (``page``: as fetched now, or why it could not be)."""
    if isinstance(page, FetchError):
        return DriftReport(f"{case.id}: could not fetch: {page}", [], failed=True)
    expected = json.loads(case.expected_path.read_text(encoding="utf-8"))
    expected.pop(UNREVIEWED_KEY, None)
    actual = extract(page.text, case.url, case.site).to_dict()
    lost = sorted(name for name, value in expected.items() if not is_empty(value) and is_empty(actual.get(name)))
    differences = field_diff(expected, actual)
    if not differences:
        return DriftReport(f"{case.id}: unchanged", [])
    heading = f"{case.id}: " + (f"LOST {', '.join(lost)}" if lost else "changed")
    return DriftReport("\n".join([heading, *differences]), lost)
