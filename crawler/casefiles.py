"""The on-disk layout of stored pages: ``snapshots/<site>/<case>/``.

A case folder holds ``meta.json`` (at least ``url``), the page as fetched
(``page.html``, or ``page.xml`` for feeds and sitemaps) and, once a person
has checked it, ``expected.json``.  Replay, the snapshot tests, ``scrapy
extract`` and the benchmarks all read cases through this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

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


def format_json(value: Any) -> str:
    """The one JSON form of expected files and command output: diffable, readable in any script."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def case_output(case: SnapshotCase, site: str | None = None) -> dict[str, Any]:
    """What the framework makes of a stored page: what ``expected.json`` pins.

    Articles go through ``extract``; listing pages and feeds through link
    discovery, so the cases pin what the spider would follow.
    """
    from crawler.discovery import discover_feed, discover_links
    from crawler.extract import extract, resolve_rules

    site = site or case.site
    if case.kind == "article":
        return extract(case.page_text(), case.url, site).to_dict()
    rules = resolve_rules(case.url, site)
    if case.kind == "listing":
        return discover_links(case.page_text(), case.url, rules).to_dict()
    if case.kind == "feed":
        return discover_feed(case.page_bytes(), case.url, rules).to_dict()
    raise CaseError(f"{case.id}: unknown kind {case.kind!r} in {META_NAME} (article, listing or feed)")
