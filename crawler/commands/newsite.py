"""``scrapy newsite NAME DOMAIN [--sample URL_OR_FILE]``: the files of a new site adapter.

Writes ``spiders/NAME.py`` (rules to fill in, first guesses from the sample
page when there is one), the sample as the site's first snapshot case
(output marked unreviewed), and ``tests/spiders/test_NAME.py``, a test stub
that fails until it is written.  Nothing in ``crawler/`` changes: that is
the point.  ``docs/adding-a-site.md`` walks through the rest.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.casefiles import CaseError, new_case_directory, write_case
from crawler.fetch import FetchError, decode_page, fetch_options, fetch_page
from crawler.proposals import Proposal, propose
from crawler.rules import SiteRules

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
DOMAIN_RE = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")

SPIDER_TEMPLATE = '''"""{name}: {domain}.

Written by ``scrapy newsite``.  The selectors are first guesses from the
sample page: check each one against the page (``scrapy extract --spider
{name} snapshots/{name}/<case>/page.html``), then fill in what is empty.
{notes}"""

from collections.abc import Iterator

from scrapy.http import Response

from crawler.items import Article
from crawler.rules import SiteRules
from crawler.spiders import NewsSpider

RULES = SiteRules(
    site="{name}",
    site_name="",  # the site's own name, as it writes it
    language="{language}",
    timezone="UTC",  # the site's IANA time zone, e.g. "Africa/Cairo": shown times are read in it
    headline={headline!r},
    body={body!r},
    date_published={date!r},
    date_formats=(),  # strptime formats of the shown date, e.g. "%d %b %Y %H:%M"
    tags={tags!r},
    drop=(),  # boilerplate inside the body: related boxes, ad slots, ...
    article_urls=(r"^/",),  # regular expressions that article URL paths match
    listing_links=(),  # where a listing page's article links are
    next_page=(),  # a listing's next-page link, e.g. "a.next::attr(href)"
)


class {class_name}Spider(NewsSpider):
    name = "{name}"
    allowed_domains = ["{domain}"]
    start_urls = ["https://{domain}/"]
    rules = RULES

    def parse_article(self, response: Response) -> Iterator[Article]:
        """One article page.

        @url {sample_url}
        @returns items 1 1
        @fills url headline body
        """
        return super().parse_article(response)
'''

TEST_TEMPLATE = '''"""The {name} spider's own tests: written by ``scrapy newsite``, to be filled in.

Its snapshot cases are tested with every other site's (tests/test_snapshot_cases.py).
"""

import pytest


def test_the_adapter_is_finished() -> None:
    pytest.fail(
        "{name}: fill in spiders/{name}.py (timezone, site_name, article_urls, listing rules), review "
        "snapshots/{name}/*/expected.json, add a replayed crawl test here, then delete this test"
    )
'''


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "NAME DOMAIN [--sample URL_OR_FILE]"

    def short_desc(self) -> str:
        return "Write a new site's spider, first snapshot case and test stub"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--sample", metavar="URL_OR_FILE", help="an article page of the site")
        parser.add_argument("--sample-url", metavar="URL", help="the real URL of a --sample file")
        parser.add_argument("--root", metavar="DIR", default=".", help="the project folder (default: here)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 2:
            raise UsageError("give NAME and DOMAIN")
        try:
            written = new_site(args[0], args[1].lower(), Path(opts.root), opts.sample, opts.sample_url, self._fetch_options())
        except (FetchError, CaseError, ValueError, OSError) as error:
            print(f"newsite: {error}", file=sys.stderr)
            self.exitcode = 2
            return
        for path in written:
            print(f"newsite: wrote {path}")

    def _fetch_options(self) -> dict[str, object]:
        assert self.settings is not None
        return fetch_options(self.settings)


def new_site(name: str, domain: str, root: Path, sample: str | None, sample_url: str | None,
             fetch_options: dict[str, object]) -> list[Path]:  # fmt: skip
    if not NAME_RE.match(name):
        raise ValueError(f"{name!r}: a spider name is lowercase letters, digits and _, starting with a letter")
    if not DOMAIN_RE.match(domain):
        raise ValueError(f"{domain!r} is not a domain name")
    spider_path, test_path = root / "spiders" / f"{name}.py", root / "tests" / "spiders" / f"test_{name}.py"
    for path in (spider_path, test_path, root / "snapshots" / name):
        if path.exists():
            raise ValueError(f"{path} exists already: this site has an adapter")
    html, page_url, meta = _sample_page(sample, sample_url, domain, fetch_options) if sample else ("", None, None)
    proposal = propose(html) if html else Proposal()
    written = []
    spider_path.write_text(_spider_source(name, domain, proposal, page_url), encoding="utf-8")
    written.append(spider_path)
    test_path.parent.mkdir(parents=True, exist_ok=True)
    test_path.write_text(TEST_TEMPLATE.format(name=name), encoding="utf-8")
    written.append(test_path)
    if meta is not None:
        rules = _load_rules(spider_path)  # the file just written, wherever the project's spiders import from
        case = write_case(new_case_directory(root / "snapshots", name, page_url or "sample"), html, meta, rules)
        written.append(case.directory)
    return written


def _load_rules(spider_path: Path) -> SiteRules:
    spec = importlib.util.spec_from_file_location(f"_newsite_{spider_path.stem}", spider_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.RULES


def _sample_page(sample: str, sample_url: str | None, domain: str, fetch_options: dict[str, object]) -> tuple[str, str, dict]:
    if sample.startswith(("http://", "https://")):
        page = fetch_page(sample, **fetch_options)  # type: ignore[arg-type]
        meta = {"url": page.final_url, "requested_url": page.url, "redirects": page.redirects, "status": page.status,
                "fetched": page.fetched_at, "original_encoding": page.encoding}  # fmt: skip
        return page.text, page.final_url, {**meta, "encoding": "utf-8", "content_type": "text/html; charset=utf-8",
                                           "kind": "article", "note": "sample page of scrapy newsite"}  # fmt: skip
    path = Path(sample)
    text, encoding, _ = decode_page(path.read_bytes(), None)
    url = sample_url or f"https://{domain}/{path.stem}"
    fetched = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")
    meta = {"url": url, "fetched": fetched, "status": 200, "original_encoding": encoding, "encoding": "utf-8",
            "content_type": "text/html; charset=utf-8", "kind": "article", "note": f"sample file {path.name}"}  # fmt: skip
    return text, url, meta


def _spider_source(name: str, domain: str, proposal: Proposal, sample_url: str | None) -> str:
    notes = "".join(f"\nFrom the sample: {note}." for note in proposal.notes)
    return SPIDER_TEMPLATE.format(
        name=name,
        domain=domain,
        class_name="".join(part.title() for part in name.split("_")),
        language=proposal.language or "en",
        headline=proposal.headline or "h1",
        body=proposal.body or "",
        date=proposal.date_published or "",
        tags=proposal.tags or "",
        notes=notes + ("\n" if notes else ""),
        sample_url=sample_url or f"https://{domain}/",
    )
