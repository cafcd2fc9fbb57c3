"""The report's JSON document -> one self-contained HTML page: what a person sends a colleague.

Self-contained: inline CSS and SVG, no script, no font, no image or style
sheet from anywhere, and a Content-Security-Policy that forbids loading any,
so the page opens the same from a mail attachment on a machine with no
network.  Hostile by assumption: reasons, URLs, field names, messages and
even spider names come from pages and sites, and every one of them passes
through ``html.escape`` (quotes included, for attributes).

Each figure shown is marked ``data-site`` / ``data-figure="<group>/<name>"``,
the path of its value in ``report.json``'s section of that site
(``figures/articles_kept``, ``dropped/missing_body``, ``coverage/headline``):
a test, or a person with the browser's inspector, can check the page against
the JSON.
"""

from __future__ import annotations

from html import escape
from typing import Any

from crawler.reporting.charts import bar, line_chart
from crawler.reporting.timeline import pages_per_second

#: No network at all: nothing may be fetched, styles only from the page's own <style>.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

#: The overview table's columns: heading and the path of the value in a site's section.
OVERVIEW = (
    ("pages", "figures/pages_seen"),
    ("kept", "figures/articles_kept"),
    ("new", "figures/new"),
    ("updated", "figures/updated"),
    ("unchanged", "figures/unchanged"),
    ("skipped", "totals/skipped"),
    ("dropped", "totals/dropped"),
    ("download failures", "totals/download_failures"),
    ("generic fallbacks", "totals/generic_fallbacks"),
    ("date disagreements", "totals/date_disagreements"),
    ("pages/s", "totals/pages_per_second"),
)

#: The paths whose value above zero is a drift signal: the site may have changed its markup.
DRIFT = ("totals/generic_fallbacks", "totals/date_disagreements")

#: A site's single figures, in the log report's order, with the words it uses.
FIGURE_ROWS = (
    ("pages seen", "pages_seen"),
    ("HTTP errors ignored", "http_errors_ignored"),
    ("not stored in replay", "not_stored_in_replay"),
    ("start pages", "start_pages"),
    ("start pages not fetched", "start_pages_failed"),
    ("listings and feeds", "listings_and_feeds"),
    ("articles kept", "articles_kept"),
    ("stored new", "new"),
    ("stored updated", "updated"),
    ("stored unchanged", "unchanged"),
    ("store deferred", "deferred"),
    ("store spilled to journal", "spilled"),
    ("lost", "lost"),
    ("duplicates linked", "duplicates_linked"),
    ("skipped: already stored", "skipped_already_stored"),
    ("skipped: out of range", "skipped_out_of_range"),
    ("skipped: not text", "skipped_not_text"),
    ("charset header corrected", "charset_corrected"),
    ("mojibake as published", "mojibake"),
    ("spider errors", "spider_errors"),
    ("feeds not written in full", "feeds_not_written"),
)

#: Figures that are a failure when above zero (the rules of crawler.extensions.report.crawl_failures).
FAILING = {"lost", "spider_errors", "feeds_not_written"}

#: The counts by reason, with their headings: what was lost on the way, and why.
BREAKDOWN_TABLES = (
    ("Dropped, by reason", "dropped"),
    ("Download failures, by reason", "download_failures"),
    ("Unreadable pages, by reason", "unreadable"),
    ("Validation notes (kept, with a message)", "validation"),
    ("Spider errors, by exception", "spider_exceptions"),
)

STYLE = """
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6577; --line: #d9dee7; --ok: #1e7b3a; --bad: #b3261e;
        --warn-bg: #fff1d6; --warn: #8a5300; --bar: #3d6fd9; --track: #e8ecf3; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 1.6em; margin: 0 0 4px; } h2 { font-size: 1.3em; margin: 0; } h3 { font-size: 1em; margin: 16px 0 6px; }
.muted, .empty { color: var(--muted); }
.status { display: inline-block; padding: 1px 10px; border-radius: 10px; font-weight: 600; font-size: .85em; }
.status-ok { background: #dff3e4; color: var(--ok); } .status-failed { background: #fbe0de; color: var(--bad); }
.status-nothing-kept { background: var(--warn-bg); color: var(--warn); }
dl.crawl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.crawl dt { color: var(--muted); } dl.crawl dd { margin: 0; }
ul.failures li { color: var(--bad); } ul.notes li { color: var(--warn); }
table { border-collapse: collapse; margin: 4px 0 8px; }
th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid var(--line); vertical-align: middle; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.overview td, table.overview th { padding-right: 12px; } table.overview thead th { font-size: .85em; }
.scroll { overflow-x: auto; } td.zero { color: var(--muted); }
section.site { border-top: 3px solid var(--line); margin-top: 28px; padding-top: 14px; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 8px 32px; }
.drift-alert { background: var(--warn-bg); color: var(--warn); font-weight: 700; }
.failing { color: var(--bad); font-weight: 700; }
.bar .bar-track { fill: var(--track); } .bar .bar-fill { fill: var(--bar); }
.line-chart { width: 100%; max-width: 720px; height: auto; }
.line-chart .axis { stroke: var(--muted); stroke-width: 1; } .line-chart .rate { fill: none; stroke: var(--bar); stroke-width: 2; }
.line-chart .tick { font-size: 11px; fill: var(--muted); }
code { overflow-wrap: anywhere; }
footer { margin-top: 32px; color: var(--muted); font-size: .85em; }
"""


def render_html(document: dict[str, Any]) -> str:
    """The whole page for a report document (as :func:`crawler.reporting.document.crawl_document` makes it)."""
    sites = document.get("sites", {})
    crawl = _text(document.get("crawl_id", "crawl"))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>Crawl report: {crawl}</title>",
        f"<style>{STYLE}</style></head><body>",
        _header(document),
        _overview(sites),
        *(_site(str(site), section) for site, section in sites.items()),
        "<footer>Generated by newsframe from <code>report.json</code> beside this file; "
        "<code>scrapy report &lt;this folder&gt;</code> draws it again.</footer>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _header(document: dict[str, Any]) -> str:
    status = str(document.get("status", "?"))
    failures = document.get("failures") or {}
    rows = [
        ("command", f"scrapy {_text(document.get('command', '?'))}"),
        ("started", _text(_when(document.get("started")))),
        ("finished", _text(_when(document.get("finished")))),
        ("duration", _text(_seconds(document.get("duration_seconds")))),
        ("exit status", _text(document.get("exit_status_meaning", document.get("exit_status", "?")))),
    ]
    failed = "".join(
        f"<li><strong>{_text(site)}</strong>: {_text('; '.join(map(str, reasons)))}</li>"
        for site, reasons in failures.items()
    )
    return (
        f'<header><h1>Crawl report <span class="muted">{_text(document.get("crawl_id", ""))}</span></h1>'
        f'{_status(status)} <span class="muted">{len(document.get("sites", {}))} site(s)</span>'
        f'<dl class="crawl">{"".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)}</dl>'
        + (f'<ul class="failures">{failed}</ul>' if failed else "")
        + "</header>"
    )


def _overview(sites: dict[str, Any]) -> str:
    heading = "".join(f'<th class="n">{_text(name)}</th>' for name, _ in OVERVIEW)
    rows = []
    for site, section in sites.items():
        cells = "".join(_figure_cell(str(site), section, path, drift=path in DRIFT) for _, path in OVERVIEW)
        rows.append(
            f'<tr><th><a href="#{_anchor(str(site))}">{_text(site)}</a></th>{cells}'
            f"<td>{_status(str(section.get('status', '?')))}</td></tr>"
        )
    return (
        '<section class="overview"><h2>Sites</h2><div class="scroll"><table class="overview">'
        f"<thead><tr><th>site</th>{heading}<th>status</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        '<p class="muted">Generic fallbacks and date disagreements are drift signals: above zero, '
        "they are highlighted, and the site may have changed its markup (<code>scrapy drift</code>).</p></section>"
    )


def _site(site: str, section: dict[str, Any]) -> str:
    figures = section.get("figures", {})
    rows = "".join(
        f"<tr><th>{_text(label)}</th>"
        + _figure_cell(site, section, f"figures/{name}", failing=name in FAILING)
        + "</tr>"
        for label, name in FIGURE_ROWS
        if name in figures
    )
    failures = "".join(f"<li>{_text(failure)}</li>" for failure in section.get("failures", []))
    notes = "".join(f"<li>{_text(note)}</li>" for note in section.get("notes", []))
    times = (
        f"{_text(_when(section.get('started')))} to {_text(_when(section.get('finished')))}"
        f" ({_text(_seconds(section.get('duration_seconds')))}, finish reason {_text(section.get('finish_reason'))})"
    )
    return (
        f'<section class="site" id="{_anchor(site)}" data-site="{_text(site)}">'
        f"<h2>{_text(site)} {_status(str(section.get('status', '?')))}</h2>"
        f'<p class="muted">{times}</p>'
        + (f'<ul class="failures">{failures}</ul>' if failures else "")
        + (f'<ul class="notes">{notes}</ul>' if notes else "")
        + '<div class="columns"><div><h3>Figures</h3>'
        + f'<table class="figures">{rows}</table></div><div>'
        + _drift(site, section)
        + "".join(_breakdown(site, section, title, group) for title, group in BREAKDOWN_TABLES)
        + "</div></div>"
        + _coverage(site, section)
        + _pace(site, section)
        + "</section>"
    )


def _drift(site: str, section: dict[str, Any]) -> str:
    """The two drift signals, by field, highlighted when above zero; the generic finder's ways below them."""
    rows = []
    for label, group in (("generic fallbacks", "generic_fallbacks"), ("date disagreements", "date_disagreements")):
        rows.append(f"<tr><th>{label}</th>{_figure_cell(site, section, f'totals/{group}', drift=True)}</tr>")
        rows += [
            f"<tr><td>&nbsp;&nbsp;{_text(name)}</td>{_figure_cell(site, section, f'{group}/{name}', drift=True)}</tr>"
            for name in section.get(group, {})
        ]
    paths = ", ".join(f"{_text(name)} {_text(count)}" for name, count in section.get("generic_paths", {}).items())
    return f'<h3>Drift signals</h3><table class="drift">{"".join(rows)}</table>' + (
        f'<p class="muted">generic finder\'s ways: {paths}</p>' if paths else ""
    )


def _breakdown(site: str, section: dict[str, Any], title: str, group: str) -> str:
    counts = section.get(group) or {}
    if not counts:
        return f'<h3>{_text(title)}</h3><p class="empty">none</p>'
    rows = "".join(
        f"<tr><td><code>{_text(name)}</code></td>{_figure_cell(site, section, f'{group}/{name}')}</tr>"
        for name in counts
    )
    return f'<h3>{_text(title)}</h3><table class="breakdown">{rows}</table>'


def _coverage(site: str, section: dict[str, Any]) -> str:
    """A bar per Article field: of the articles kept, how many have it."""
    kept = _number(section.get("figures", {}).get("articles_kept", 0))
    if not kept:
        return '<h3>Field coverage</h3><p class="empty">no articles kept</p>'
    rows = []
    for name, count in (section.get("coverage") or {}).items():
        share = f"{100 * _number(count) / kept:.0f}%"
        rows.append(
            f"<tr><th><code>{_text(name)}</code></th>"
            f"<td>{bar(int(_number(count)), int(kept), f'{name}: {count} of {kept}')}</td>"
            f"{_figure_cell(site, section, f'coverage/{name}')}"
            f'<td class="muted">of {_text(_format(section["figures"]["articles_kept"]))} ({share})</td></tr>'
        )
    return f'<h3>Field coverage</h3><table class="coverage">{"".join(rows)}</table>'


def _pace(site: str, section: dict[str, Any]) -> str:
    points = pages_per_second(section.get("timeline") or {}, _optional_number(section.get("duration_seconds")))
    return (
        "<h3>Pages/s over the crawl</h3>"
        f'<p class="muted">mean {_figure_cell(site, section, "totals/pages_per_second", tag="span")} pages/s, '
        f"{_text(len(points))} point(s) of {_text(_seconds((section.get('timeline') or {}).get('bucket_seconds')))}</p>"
        + line_chart(points, f"{site}: pages/s over the crawl")
    )


def _figure_cell(
    site: str, section: dict[str, Any], path: str, *, drift: bool = False, failing: bool = False, tag: str = "td"
) -> str:
    """One figure, marked with its site and its path in the JSON; highlighted when it is a signal above zero."""
    group, _, name = path.partition("/")
    value = (section.get(group) or {}).get(name, 0)
    classes = ["n"] if _number(value) else ["n", "zero"]
    if drift and _number(value) > 0:
        classes.append("drift-alert")
    if failing and _number(value) > 0:
        classes.append("failing")
    return (
        f'<{tag} class="{" ".join(classes)}" data-site="{_text(site)}" data-figure="{_text(path)}">'
        f"{_text(_format(value))}</{tag}>"
    )


def _status(status: str) -> str:
    css = {"ok": "status-ok", "failed": "status-failed", "nothing kept": "status-nothing-kept"}.get(status, "")
    word = "FAILED" if status == "failed" else status
    return f'<span class="status {css}">{_text(word)}</span>'


def _anchor(site: str) -> str:
    return _text("site-" + "".join(char if char.isalnum() or char in "-_" else "_" for char in site))


def _text(value: Any) -> str:
    return escape(str(value), quote=True)


def _format(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _number(value: Any) -> float:
    """A count from the document, or 0 for anything else: a hand-edited JSON must not break the page."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _optional_number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _when(timestamp: Any) -> str:
    """``2026-12-05 07:40:12 UTC`` from the document's ISO 8601 time; the text as it is otherwise."""
    if not isinstance(timestamp, str) or "T" not in timestamp:
        return "?" if timestamp is None else str(timestamp)
    day, _, time = timestamp.rstrip("Z").partition("T")
    return f"{day} {time.split('.')[0]} UTC"


def _seconds(value: Any) -> str:
    number = _optional_number(value)
    if number is None:
        return "?"
    return f"{number:.3g} s" if number < 120 else f"{number / 60:.1f} min"
