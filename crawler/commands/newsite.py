"""``scrapy newsite NAME DOMAIN [--sample URL_OR_FILE]``: the files of a new site adapter.

Writes ``spiders/NAME.py`` (rules to fill in, first guesses from the sample
page when there is one), the sample as the site's first snapshot case
(output marked unreviewed), and ``tests/spiders/test_NAME.py``, a test stub
that fails until it is written.  Nothing in ``crawler/`` changes: that is
the point.  ``docs/adding-a-site.md`` walks through the rest.

The spider is Python that every later ``scrapy`` command imports, and what
goes into it comes from outside: a sample page anyone could have written, a
URL, the command line.  So every such value is written as a Python literal
(``repr``), after a check of its shape where it has one (a language code,
CSS selectors, an http(s) URL), and the rules are read back with ``ast``,
never by running the file.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.usage import OneLineUsage
from crawler.rules import SiteRules
from crawler.tools.casefiles import CaseError, new_case_directory, write_case
from crawler.tools.fetch import (
    FetchedPage,
    FetchError,
    FetchJob,
    check_on_site,
    decode_page,
    fetch_pages,
    quiet_log,
    real_page_url,
)
from crawler.tools.proposals import Proposal, checked_selector, language_code, propose

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
DOMAIN_RE = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")

#: Filled with ``str.format``: values from outside go in with ``!r`` (or as literals made by ``repr``)
#: only; ``name`` and ``domain`` also appear bare in the docstring, which their patterns make safe.
SPIDER_TEMPLATE = '''"""{name}: {domain}.

Written by ``scrapy newsite``.  The selectors are first guesses from the
sample page: check each one against the page (``scrapy extract --spider
{name} snapshots/{name}/<case>/page.html``), then fill in what is empty.
"""

from collections.abc import Iterator

from scrapy.http import Response

from crawler.items import Article
from crawler.rules import SiteRules
from crawler.crawling.spiders import NewsSpider

#: What the sample page showed; delete once the rules are checked.
SAMPLE_NOTES = {notes}

RULES = SiteRules(
    site={name!r},
    site_name="",  # the site's own name, as it writes it
    language={language!r},
    timezone="UTC",  # the site's IANA time zone, e.g. "Africa/Cairo": shown times are read in it
    headline={headline!r},
    body={body!r},
    date_published={date!r},
    date_formats=(),  # strptime formats of the shown date, e.g. "%d %b %Y %H:%M"
    tags={tags!r},
    drop={drop},  # boilerplate inside the body: related boxes, ad slots, ...
    article_urls={article_urls},  # regular expressions that article URL paths match (not the root, not listings)
    listing_links=(),  # where a listing page's article links are
    next_page=(),  # a listing's next-page link, e.g. "a.next::attr(href)"
)


class {class_name}Spider(NewsSpider):
    name = {name!r}
    allowed_domains = [{domain!r}]
    start_urls = [{start_url!r}]
    rules = RULES

    def parse_article(self, response: Response) -> Iterator[Article]:
        """One article page.

        @url {contract_url}
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
        {todo!r}
        {review!r}
    )
'''


class Command(OneLineUsage, ScrapyCommand):
    requires_project = True
    requires_crawler_process = True

    def syntax(self) -> str:
        return "NAME DOMAIN [--sample URL_OR_FILE]"

    def short_desc(self) -> str:
        return "Write a new site's spider, first snapshot case and test stub"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--sample", metavar="URL_OR_FILE", help="an article page of the site")
        parser.add_argument("--sample-url", metavar="URL", help="the real URL of a --sample file")
        parser.add_argument("--root", metavar="DIR", default=".", help="the project folder (default: here)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        quiet_log(self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 2:
            raise UsageError("give NAME and DOMAIN")
        try:
            written = new_site(args[0], args[1].lower(), Path(opts.root), opts.sample, opts.sample_url, self._fetch)
        except (FetchError, CaseError, ValueError, OSError) as error:
            print(f"newsite: {error}", file=sys.stderr)
            self.exitcode = 2
            return
        for path in written:
            print(f"newsite: wrote {path}")

    def _fetch(self, url: str, domain: str) -> FetchedPage:
        """The sample page, through Scrapy's downloader with the project's settings, kept to the new site's domain."""
        assert self.settings is not None and self.crawler_process is not None
        url = real_page_url(url, self.settings.get("NEWS_MIRROR_URL"))
        check_on_site(url, "the new site", [domain])
        page = fetch_pages(self.crawler_process, [FetchJob([url], domains=[domain])])[url]
        if isinstance(page, FetchError):
            raise page
        return page


#: Fetches a sample URL for the new site's domain: ``(url, domain) -> page``; ``FetchError`` when it cannot.
Fetcher = Callable[[str, str], FetchedPage]


def _no_fetching(url: str, domain: str) -> FetchedPage:
    raise FetchError(f"{url}: fetching a sample URL needs the scrapy command (save the page and give the file)")


def new_site(name: str, domain: str, root: Path, sample: str | None, sample_url: str | None,
             fetch: Fetcher = _no_fetching) -> list[Path]:  # fmt: skip
    check_name(name)
    check_domain(domain)
    if sample_url is not None:
        contract_url(sample_url)  # a bad --sample-url is refused before anything is fetched or written
    spider_path, test_path = root / "spiders" / f"{name}.py", root / "tests" / "spiders" / f"test_{name}.py"
    for path in (spider_path, test_path, root / "snapshots" / name):
        if path.exists():
            raise ValueError(f"{path} exists already: this site has an adapter")
    html, page_url, meta = _sample_page(sample, sample_url, domain, fetch) if sample else ("", None, None)
    # The URL's shape says what article URLs look like only if it is the page's real URL, not one made up.
    real_url = page_url if sample and (sample_url or sample.startswith(("http://", "https://"))) else None
    proposal = propose(html, real_url) if html else Proposal()
    source = _spider_source(name, domain, proposal, page_url)
    rules = rules_from_source(source, str(spider_path))  # what the case is extracted with; checked before writing
    written = []
    spider_path.write_text(source, encoding="utf-8")
    written.append(spider_path)
    test_path.parent.mkdir(parents=True, exist_ok=True)
    test_path.write_text(_test_source(name), encoding="utf-8")
    written.append(test_path)
    if meta is not None:
        case = write_case(new_case_directory(root / "snapshots", name, page_url or "sample"), html, meta, rules)
        written.append(case.directory)
    return written


def check_name(name: str) -> None:
    """Refuse a spider name of any other shape: it becomes file names and appears bare in docstrings.

    ``fullmatch``, not ``match``: the pattern's ``$`` also matches before a
    trailing newline, which would end a docstring line early.
    """
    if not NAME_RE.fullmatch(name):
        raise ValueError(f"{name!r}: a spider name is lowercase letters, digits and _, starting with a letter")


def check_domain(domain: str) -> None:
    """Refuse anything but a plain domain name: it appears bare in the spider's docstring (see ``check_name``)."""
    if not DOMAIN_RE.fullmatch(domain):
        raise ValueError(f"{domain!r} is not a domain name")


#: Characters a URL keeps as they are in a docstring: RFC 3986's unreserved and reserved ones, minus the
#: quote ``'``, plus ``%`` (escapes already made).  Everything else is percent-encoded as UTF-8.
URL_SAFE = "/:?#[]@!$&()*+,;=%~"
PLAIN_URL_RE = re.compile(r"(?i:https?)://[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]+")


def contract_url(url: str) -> str:
    """The URL as the ``@url`` line of a docstring can hold it: http(s), and no quote, backslash or space.

    Scrapy's contracts read ``@url`` from the docstring, so the URL cannot be
    a literal there; it is percent-encoded instead, down to characters that
    can end neither the docstring (three quotes, a backslash) nor the line.
    """
    try:
        parts = urlsplit(url)
        web_address = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # an unbalanced "[" in the host, say
        web_address = False
    if not web_address:
        raise ValueError(f"{url!r} is not an http(s) URL")
    encoded = quote(url, safe=URL_SAFE)
    if not PLAIN_URL_RE.fullmatch(encoded):  # leading spaces or control characters, say: refused, not guessed at
        raise ValueError(f"{url!r} is not an http(s) URL that can be written into the spider")
    return encoded


def _load_rules(spider_path: Path) -> SiteRules:
    """The ``RULES`` of a spider file, read without running the file (see ``rules_from_source``)."""
    return rules_from_source(spider_path.read_text(encoding="utf-8"), str(spider_path))


def rules_from_source(source: str, where: str) -> SiteRules:
    """``SiteRules(**kwargs)`` from the module-level ``RULES = SiteRules(...)`` call, its arguments literals.

    Executing the file would run whatever a sample page smuggled into it;
    ``ast.literal_eval`` only ever builds values.  A file of any other shape
    is a ValueError whose message is one line.
    """
    try:
        tree = ast.parse(source, filename=where)
    except (SyntaxError, ValueError) as error:  # ValueError: a null byte
        reason = _one_line(getattr(error, "msg", error))
        raise ValueError(f"{where}: not valid Python (line {getattr(error, 'lineno', '?')}: {reason})") from None
    call = _rules_call(tree)
    if call is None:
        raise ValueError(f"{where}: no module-level RULES = SiteRules(...) with keyword arguments only")
    kwargs: dict[str, Any] = {}
    for keyword in call.keywords:
        try:
            kwargs[str(keyword.arg)] = ast.literal_eval(keyword.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            line = keyword.value.lineno
            raise ValueError(f"{where}: RULES {keyword.arg}= is not a literal value (line {line})") from None
    try:
        return SiteRules(**kwargs)
    except (TypeError, ValueError, re.error) as error:
        raise ValueError(f"{where}: RULES: {_one_line(error)}") from None


def _rules_call(tree: ast.Module) -> ast.Call | None:
    """The one ``RULES = SiteRules(k=v, ...)`` statement at module level, or None if there is not exactly one."""
    calls = []
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "RULES":
            calls.append(value)
    if len(calls) != 1:
        return None
    (call,) = calls
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "SiteRules"):
        return None
    if call.args or any(keyword.arg is None for keyword in call.keywords):  # positional or **mapping
        return None
    return call


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def _sample_page(sample: str, sample_url: str | None, domain: str, fetch: Fetcher) -> tuple[str, str, dict]:
    if sample.startswith(("http://", "https://")):
        page = fetch(sample, domain)
        meta = {"url": page.final_url, "requested_url": page.url, "redirects": page.redirects, "status": page.status,
                "fetched": page.fetched_at, "original_encoding": page.encoding}  # fmt: skip
        return page.text, page.final_url, {**meta, "encoding": "utf-8", "content_type": "text/html; charset=utf-8",
                                           "kind": "article", "note": "sample page of scrapy newsite"}  # fmt: skip
    path = Path(sample)
    text, encoding, _ = decode_page(path.read_bytes(), None)
    url = sample_url or f"https://{domain}/{path.stem}"
    fetched = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
    meta = {"url": url, "fetched": fetched, "status": 200, "original_encoding": encoding, "encoding": "utf-8",
            "content_type": "text/html; charset=utf-8", "kind": "article", "note": f"sample file {path.name}"}  # fmt: skip
    return text, url, meta


def _spider_source(name: str, domain: str, proposal: Proposal, sample_url: str | None) -> str:
    """The new spider's source.  Proposal values are checked again here: a Proposal is plain data."""
    check_name(name)
    check_domain(domain)
    class_name = "".join(part.title() for part in name.split("_"))
    if not class_name.isidentifier():
        raise ValueError(f"{name!r} makes no class name")
    language = language_code(proposal.language) or "en"
    notes = list(proposal.notes)
    if proposal.language and language_code(proposal.language) is None:
        notes.append("the proposed language is not a language code; the rules say en until you set language")
    return SPIDER_TEMPLATE.format(
        name=name,
        domain=domain,
        class_name=class_name,
        language=language,
        headline=checked_selector(proposal.headline) or "h1",
        body=checked_selector(proposal.body) or "",
        date=checked_selector(proposal.date_published) or "",
        tags=checked_selector(proposal.tags) or "",
        drop=repr(tuple(selector for selector in proposal.drop if _is_plain_selector(selector))),
        article_urls=_patterns_literal(proposal.article_urls),
        notes=_tuple_literal(f"From the sample: {note}." for note in notes),
        start_url=f"https://{domain}/",
        contract_url=contract_url(sample_url or f"https://{domain}/"),
    )


#: A drop selector as ``proposals`` makes them: tags, ids and classes of plain identifiers, and spaces.
PLAIN_SELECTOR_RE = re.compile(r"[A-Za-z0-9_.#\- ]{1,200}")
#: The longest article URL pattern written; a proposal is short, a longer one came from somewhere odd.
MAX_PATTERN_CHARS = 200


def _is_plain_selector(selector: str) -> bool:
    """A drop selector of the shape proposals make, and valid CSS: nothing else goes into the spider."""
    return PLAIN_SELECTOR_RE.fullmatch(selector) is not None and checked_selector(selector) == selector


def _checked_pattern(pattern: str) -> str | None:
    """The pattern if it compiles, is short, and matches neither the site's root nor every page (``^/``)."""
    if not isinstance(pattern, str) or not 0 < len(pattern) <= MAX_PATTERN_CHARS or "\n" in pattern:
        return None
    try:
        compiled = re.compile(pattern)
    except re.error:
        return None
    return None if compiled.search("/") or compiled.search("/index.html") else pattern


def _patterns_literal(patterns: Iterable[str]) -> str:
    """Regular expressions as a tuple of raw-string literals where that reads the same, else ``repr``s.

    A pattern comes from a URL: it is written as ``r"..."`` only when
    ``ast`` reads that back as exactly the pattern (no quote, no newline, no
    trailing backslash can end the literal early).
    """
    literals = []
    for pattern in filter(None, map(_checked_pattern, patterns)):
        raw = f'r"{pattern}"'
        try:
            same = '"' not in pattern and ast.literal_eval(raw) == pattern
        except (SyntaxError, ValueError):
            same = False
        literals.append(raw if same else repr(pattern))
    return "(" + "".join(f"{literal}," for literal in literals) + ")"


def _tuple_literal(values: Iterable[str]) -> str:
    """A tuple of strings as source, one ``repr`` a line: readable, and nothing in a value can end it."""
    lines = [f"    {value!r}," for value in values]
    return "(\n" + "\n".join(lines) + "\n)" if lines else "()"


def _test_source(name: str) -> str:
    """The test stub; its message names the site, so it is written as literals too."""
    check_name(name)
    return TEST_TEMPLATE.format(
        name=name,
        todo=f"{name}: fill in spiders/{name}.py (timezone, site_name, article_urls, listing rules), review ",
        review=f"snapshots/{name}/*/expected.json, add a replayed crawl test here, then delete this test",
    )
