"""``scrapy review [SITE] [CASE] [-o DIR]`` and ``scrapy review --accept SITE/CASE``: reviewing snapshot cases.

The first writes one HTML page per case and an index (``DIR/index.html``, printed): the stored page in
a sandboxed frame with what extraction took outlined in place, the Article's fields with where each came
from, and the snapshot test's diff against ``expected.json``.  The second is how a case saved by
``scrapy savefixture`` is accepted once its page has been looked at: its fields are printed (as JSON)
and the ``_unreviewed`` mark is removed from its ``expected.json``.

A mistake (no such site or case, a case whose output no longer matches its file) is one line on
stderr and exit status 2 (1 for the mismatch: the case needs work, not the command line); accepting
a case that is reviewed already says so and changes nothing (exit 0).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.usage import OneLineUsage
from crawler.review.cases import (
    AlreadyReviewed,
    OutputDiffers,
    ReviewError,
    accept_case,
    find_case,
    review_case,
    select_cases,
)
from crawler.review.render import write_review
from crawler.tools.casefiles import format_json
from crawler.tools.fetch import quiet_log


class Command(OneLineUsage, ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[SITE] [CASE] [-o DIR] | --accept SITE/CASE"

    def short_desc(self) -> str:
        return "Write a page per snapshot case showing what extraction took, or accept a reviewed case"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-o", "--output", metavar="DIR", default="review", help="default: review")
        parser.add_argument("--accept", metavar="SITE/CASE", help="print the case's fields and remove its mark")
        parser.add_argument("--snapshots", metavar="DIR", default="snapshots", help="default: snapshots")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        quiet_log(self.settings)  # extraction's notes on odd dates are the cases' business, not the review's

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        snapshots = Path(opts.snapshots)
        if opts.accept is not None:
            if args:
                raise UsageError("--accept takes one SITE/CASE and nothing else", print_help=False)
            self.exitcode = self.accept(snapshots, opts.accept)
            return
        if len(args) > 2:
            raise UsageError("give at most a SITE and a CASE", print_help=False)
        try:
            cases = select_cases(snapshots, *args)
        except ReviewError as error:
            print(f"review: {error}", file=sys.stderr)
            self.exitcode = 2
            return
        try:
            index = write_review([review_case(case) for case in cases], Path(opts.output))
        except OSError as error:
            print(f"review: cannot write {opts.output}: {error.strerror or error}", file=sys.stderr)
            self.exitcode = 1
            return
        print(index)

    def accept(self, snapshots: Path, case_id: str) -> int:
        try:
            accepted = accept_case(find_case(snapshots, case_id))
        except AlreadyReviewed as done:
            print(f"review: {done}; nothing changed")
            return 0
        except ReviewError as error:
            print(f"review: {error}", file=sys.stderr)
            return 1 if isinstance(error, OutputDiffers) else 2
        except OSError as error:
            print(f"review: cannot write {case_id}: {error.strerror or error}", file=sys.stderr)
            return 1
        sys.stdout.write(format_json(accepted.fields))
        print(f"review: accepted {accepted.case.id}; its {accepted.case.expected_path.name} is marked reviewed")
        return 0
