"""The on-disk layout of stored pages: ``snapshots/<site>/<case>/``.

A case folder holds ``meta.json`` (at least ``url``), the page as fetched
(``page.html``, or ``page.xml`` for feeds and sitemaps) and, once a person
has checked it, ``expected.json``.  Replay, the snapshot tests, ``scrapy
extract`` and the benchmarks all read cases through this module.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from crawler.crawling.discovery import discover_feed, discover_links
from crawler.extraction import extract, resolve_rules
from crawler.rules import SiteRules

PAGE_NAMES = ("page.html", "page.xml")
META_NAME = "meta.json"
EXPECTED_NAME = "expected.json"


class CaseError(ValueError):
    """A case folder that cannot be used as it is."""


@dataclass(frozen=True)
class SnapshotCase:
    directory: Path

    @property
    def site(self) -> str:
        return self.directory.parent.name

    @property
    def name(self) -> str:
        return self.directory.name

    @property
    def id(self) -> str:
        return f"{self.site}/{self.name}"

    @cached_property
    def meta(self) -> dict[str, Any]:
        path = self.directory / META_NAME
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CaseError(f"{self.id}: no {META_NAME} (it needs at least the page's url)") from None
        except ValueError as error:
            raise CaseError(f"{self.id}: {META_NAME} is not valid JSON: {error}") from None
        if not isinstance(meta, dict) or not meta.get("url"):
            raise CaseError(f"{self.id}: {META_NAME} has no url")
        return meta

    @property
    def url(self) -> str:
        return self.meta["url"]

    @property
    def kind(self) -> str:
        """``article`` (extracted), or ``listing``/``feed`` (links discovered)."""
        return self.meta.get("kind", "article")

    @property
    def page_path(self) -> Path | None:
        return next((path for name in PAGE_NAMES if (path := self.directory / name).is_file()), None)

    def page_bytes(self) -> bytes:
        if self.page_path is None:
            raise CaseError(f"{self.id}: no stored page ({' or '.join(PAGE_NAMES)})")
        return self.page_path.read_bytes()

    def page_text(self) -> str:
        return self.page_bytes().decode(self.meta.get("encoding") or "utf-8", "replace")

    @property
    def expected_path(self) -> Path:
        return self.directory / EXPECTED_NAME


def iter_cases(root: Path, site: str | None = None) -> list[SnapshotCase]:
    """Every case folder under ``root`` (one site's only, if given), sorted."""
    pattern = f"{site}/*" if site else "*/*"
    return [SnapshotCase(path) for path in sorted(root.glob(pattern)) if path.is_dir()]


def case_for_page(path: Path) -> SnapshotCase | None:
    """The case a stored page file belongs to, if it sits in a case folder."""
    folder = path if path.is_dir() else path.parent
    return SnapshotCase(folder) if (folder / META_NAME).is_file() else None


#: Written into a machine-made expected.json; the snapshot test fails until a person deletes it.
UNREVIEWED_KEY = "_unreviewed"
UNREVIEWED_NOTE = "read every field against the page, fix what is wrong, then delete this line"
_UNSAFE_RE = re.compile(r"[^a-z0-9]+")
MAX_CASE_NAME = 60


def safe_case_name(text: str) -> str:
    """A folder name made from a URL or a wish: lowercase ASCII, digits and dashes, never a path.

    Non-ASCII slugs (Arabic, Persian) and empty results fall back to a short
    hash of the text, so the name is stable for the same URL.
    """
    path = unquote(urlsplit(text).path if "://" in text else text)
    words = _UNSAFE_RE.sub("-", path.lower()).strip("-")
    if len(words) > MAX_CASE_NAME:
        words = words[-MAX_CASE_NAME:].lstrip("-")
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    if not words:
        return f"page-{digest}"
    return f"{words}-{digest}" if not path.isascii() else words  # an Arabic slug leaves too little to tell apart


def new_case_directory(root: Path, site: str, wanted: str) -> Path:
    """A case folder under ``root/site`` that does not exist yet (``name``, ``name-2``, ...)."""
    name, site_name = safe_case_name(wanted), safe_case_name(site).replace("-", "_")
    if site_name != site:
        raise CaseError(f"{site!r} is not a spider name")
    folder, number = root / site / name, 1
    while folder.exists():
        number += 1
        folder = root / site / f"{name}-{number}"
    resolved_root = root.resolve()
    if resolved_root not in folder.resolve().parents:
        raise CaseError(f"{folder} is outside {root}")
    return folder


def write_case(folder: Path, page_text: str, meta: dict[str, Any], rules: SiteRules | None = None) -> SnapshotCase:
    """Write a new case: the page as UTF-8 text, its meta, and what the framework makes of it, unreviewed."""
    folder.mkdir(parents=True, exist_ok=False)
    name = "page.xml" if meta.get("kind") == "feed" else PAGE_NAMES[0]
    (folder / name).write_text(page_text, encoding="utf-8")
    (folder / META_NAME).write_text(format_json(meta), encoding="utf-8")
    case = SnapshotCase(folder)
    output = case_output(case, rules)
    case.expected_path.write_text(format_json({UNREVIEWED_KEY: UNREVIEWED_NOTE, **output}), encoding="utf-8")
    return case


def format_json(value: Any) -> str:
    """The one JSON form of expected files and command output: diffable, readable in any script."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def case_output(case: SnapshotCase, site: str | SiteRules | None = None) -> dict[str, Any]:
    """What the framework makes of a stored page: what ``expected.json`` pins.

    Articles go through ``extract``; listing pages and feeds through link
    discovery, so the cases pin what the spider would follow.
    """
    site = site or case.site
    if case.kind == "article":
        return extract(case.page_text(), case.url, site).to_dict()
    rules = resolve_rules(case.url, site)
    if case.kind == "listing":
        return discover_links(case.page_text(), case.url, rules).to_dict()
    if case.kind == "feed":
        return discover_feed(case.page_bytes(), case.url, rules).to_dict()
    raise CaseError(f"{case.id}: unknown kind {case.kind!r} in {META_NAME} (article, listing or feed)")
