"""A crawl's stats -> the report's JSON document, and the report's folder: written, found and read back.

One crawl is one folder, ``NEWS_REPORT_DIR/<crawl id>/``, holding ``report.json``
and ``report.html``.  The id starts with the crawl's start time in UTC
(``2026-12-05T07-40-12Z-almayadeen``, ``...-crawlall``), so the folders sort by
time and ``scrapy report reports`` can take the latest.

The document holds, per site, the figures the log report prints
(crawler/extensions/report.py reads the same stats with the same rules:
:func:`~crawler.extensions.report.crawl_failures`, :func:`~crawler.extensions.report.crawl_notes`),
its pages timeline, and the raw counters, so a later version can draw what
this one did not.  The HTML page is rendered from the document alone: what
it shows and what machines read cannot differ.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.extensions.report import REPORTED_FIELDS, crawl_failures, crawl_notes

#: Names the document's layout; ``scrapy report`` refuses a JSON of another format rather than misdraw it.
FORMAT = "newsframe-crawl-report/1"
JSON_NAME = "report.json"
HTML_NAME = "report.html"

#: The single figures of a site, by name, and the stats key each is read from.
FIGURES: dict[str, str] = {
    "pages_seen": "response_received_count",
    "http_errors_ignored": "httperror/response_ignored_count",
    "not_stored_in_replay": "replay/miss",
    "start_pages": "news/start_pages",
    "start_pages_failed": "news/start_pages_failed",
    "listings_and_feeds": "news/listing_pages",
    "articles_kept": "item_scraped_count",
    "new": "store/new",
    "updated": "store/updated",
    "unchanged": "store/unchanged",
    "deferred": "store/deferred",
    "spilled": "store/spilled",
    "lost": "store/lost",
    "duplicates_linked": "dedupe/linked",
    "skipped_already_stored": "news/skipped/already_stored",
    "skipped_out_of_range": "news/skipped/out_of_range",
    "skipped_not_text": "news/skipped/not_text",
    "charset_corrected": "news/charset_corrected",
    "mojibake": "news/mojibake",
    "spider_errors": "spider_exceptions/count",
    "feeds_not_written": "feedexport/write_failed",
}

#: The counts by reason (or by field) of a site, by name, and the stats prefix each is read from.
BREAKDOWNS: dict[str, str] = {
    "dropped": "item_dropped_reasons/",
    "download_failures": "news/download_failed/",
    "unreadable": "news/dropped/",
    "validation": "validation/",
    "generic_fallbacks": "extract/generic_fallback/",
    "generic_paths": "extract/generic_path/",
    "date_disagreements": "extract/disagreement/",
    "spider_exceptions": "spider_exceptions/",
}

#: What each crawl-wide exit status means, as the crawl commands set it.
EXIT_STATUS_MEANING = {
    0: "0: every site did its job (a site that kept nothing says why in its notes)",
    1: "1: at least one site failed: see failures",
}


class ReportError(Exception):
    """A report folder or document that cannot be used; ``status`` is the exit status ``scrapy report`` gives."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def site_section(site: str, stats: Mapping[str, Any], timeline: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One site's part of the report, from its crawl's stats (and its pages timeline, when one was kept)."""
    stats = dict(stats)
    failures = crawl_failures(stats)
    kept = int(stats.get("item_scraped_count", 0))
    breakdowns = {name: _with_prefix(stats, prefix) for name, prefix in BREAKDOWNS.items()}
    breakdowns["spider_exceptions"].pop("count", None)  # the total is the spider_errors figure
    elapsed = stats.get("elapsed_time_seconds")
    figures = {name: int(stats.get(key, 0)) for name, key in FIGURES.items()}
    pages = list((timeline or {}).get("pages", []))
    return {
        "site": site,
        "finish_reason": stats.get("finish_reason"),
        "status": "failed" if failures else ("ok" if kept else "nothing kept"),
        "failures": failures,
        "notes": crawl_notes(stats),
        "started": _timestamp(stats.get("start_time")),
        "finished": _timestamp(stats.get("finish_time")),
        "duration_seconds": None if elapsed is None else round(float(elapsed), 3),
        "figures": figures,
        "totals": _totals(figures, breakdowns, elapsed),
        **breakdowns,
        "coverage": {name: int(stats.get(f"coverage/{name}", 0)) for name in REPORTED_FIELDS},
        "timeline": {"bucket_seconds": float((timeline or {}).get("bucket_seconds", 1.0)), "pages": pages},
        "stats": {key: _json_value(value) for key, value in sorted(stats.items())},
    }


def _totals(figures: dict[str, int], breakdowns: dict[str, dict[str, int]], elapsed: Any) -> dict[str, Any]:
    """The sums a reader wants at a glance (the overview table's columns), and the crawl's mean pace."""
    return {
        "skipped": sum(figures[f"skipped_{kind}"] for kind in ("already_stored", "out_of_range", "not_text")),
        "dropped": sum(breakdowns["dropped"].values()),
        "download_failures": sum(breakdowns["download_failures"].values()),
        "validation_notes": sum(breakdowns["validation"].values()),
        "generic_fallbacks": sum(breakdowns["generic_fallbacks"].values()),
        "date_disagreements": sum(breakdowns["date_disagreements"].values()),
        "pages_per_second": round(figures["pages_seen"] / float(elapsed), 2) if elapsed else 0.0,
    }


def crawl_document(command: str, sections: list[dict[str, Any]], *, finished: datetime | None = None) -> dict[str, Any]:
    """The whole report: crawl-wide fields (times, status, exit status) and the sites' sections, by site.

    ``finished`` stands for the crawl's times when no section has any (no crawl ever opened); now by default.
    """
    starts = [section["started"] for section in sections if section["started"]]
    ends = [section["finished"] for section in sections if section["finished"]]
    now = _timestamp(finished or datetime.now(UTC)) or ""
    started: str = min(starts) if starts else now
    ended: str = max(ends) if ends else now
    failures = {section["site"]: section["failures"] for section in sections if section["failures"]}
    status = (
        "failed" if failures else ("ok" if any(s["figures"]["articles_kept"] for s in sections) else "nothing kept")
    )
    exit_status = 1 if failures else 0
    name = sections[0]["site"] if command == "crawl" and len(sections) == 1 else command
    return {
        "format": FORMAT,
        "crawl_id": crawl_id(_parse(started), name),
        "command": command,
        "started": started,
        "finished": ended,
        "duration_seconds": round((_parse(ended) - _parse(started)).total_seconds(), 3),
        "status": status,
        "exit_status": exit_status,
        "exit_status_meaning": EXIT_STATUS_MEANING[exit_status],
        "failures": failures,
        "sites": {section["site"]: section for section in sorted(sections, key=lambda section: section["site"])},
    }


def crawl_id(started: datetime, name: str) -> str:
    """``2026-12-05T07-40-12Z-almayadeen``: sortable by time, safe as one folder name whatever the spider is called."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip(".") or "crawl"
    return f"{started.astimezone(UTC):%Y-%m-%dT%H-%M-%SZ}-{safe}"


def write_report(report_dir: str | Path, document: dict[str, Any]) -> Path:
    """A new folder for the crawl under ``report_dir`` with both files; the folder.

    Two crawls of one name started in the same second (two workers of a
    distributed crawl) get ``-2``, ``-3``...: a report never overwrites another.
    """
    base = document["crawl_id"]
    Path(report_dir).mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 1000):
        folder = Path(report_dir) / (base if attempt == 1 else f"{base}-{attempt}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        document["crawl_id"] = folder.name
        write_files(folder, document)
        return folder
    raise ReportError(f"{report_dir}: no free folder name for {base}")


def write_files(folder: Path, document: dict[str, Any]) -> Path:
    """``report.json`` and ``report.html`` in ``folder``, each replaced whole (never left half written); the page."""
    from crawler.reporting.html import render_html  # the page's module needs this one's names, not the reverse

    _replace(folder / JSON_NAME, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return write_html(folder, render_html(document))


def write_html(folder: Path, page: str) -> Path:
    path = folder / HTML_NAME
    _replace(path, page)
    return path


def find_report(path: str | Path) -> Path:
    """The folder of the report ``path`` names: a crawl's folder, its ``report.json``, or a folder of crawls (the latest).

    Raises :class:`ReportError` (exit status 2: a wrong path) when there is none.
    """
    path = Path(path)
    if path.is_file() and path.name == JSON_NAME:
        return path.parent
    if not path.exists():
        raise ReportError(f"no such folder: {path}", status=2)
    if not path.is_dir():
        raise ReportError(f"not a report folder: {path}", status=2)
    if (path / JSON_NAME).is_file():
        return path
    crawls = sorted(child for child in path.iterdir() if (child / JSON_NAME).is_file())
    if not crawls:
        raise ReportError(f"no {JSON_NAME} in {path}", status=2)
    return crawls[-1]


def read_report(folder: Path) -> dict[str, Any]:
    """The document in ``folder/report.json``; :class:`ReportError` if it is unreadable or not a report of this format."""
    path = folder / JSON_NAME
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReportError(f"cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReportError(f"{path} is not valid JSON ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ReportError(f'{path} is not a crawl report (no "format": "{FORMAT}")')
    if not isinstance(document.get("sites"), dict):
        raise ReportError(f'{path} has no "sites" object')
    return document


def _with_prefix(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    return {key[len(prefix) :]: int(value) for key, value in sorted(stats.items()) if key.startswith(prefix)}


def _timestamp(value: Any) -> str | None:
    """ISO 8601 in UTC, to the microsecond (``2026-12-05T07:40:12.083411Z``: sorts as text); ``None`` for no time."""
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


def _json_value(value: Any) -> Any:
    """A stats value as JSON can hold it: numbers, text and flags as they are, times as ISO 8601, the rest as text."""
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, datetime):
        return _timestamp(value)
    return str(value)


def _replace(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
