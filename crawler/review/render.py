"""The review's HTML: one page per snapshot case, and an index of them all.

Every page is one self-contained file: no script, no stylesheet or font from anywhere, under a
Content-Security-Policy that lets nothing load (the browser tests open them with the network off).
Everything that comes from a stored page or from what was extracted of it is escaped
(:func:`html.escape`); the stored page itself is shown only inside a sandboxed frame, cleaned by
:mod:`crawler.review.sanitize`, with what extraction took outlined by :mod:`crawler.review.highlight`.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape
from pathlib import Path
from urllib.parse import quote

from crawler.extraction.nesting import parse_page
from crawler.extraction.trace import BLOCK, CONTAINER, DROPPED
from crawler.review.cases import BROKEN, FAIL, PASS, UNREVIEWED, CaseReview
from crawler.review.highlight import ROLES, highlight_css, role_of
from crawler.review.sanitize import safe_document
from crawler.tools.casefiles import EXPECTED_NAME, UNREVIEWED_KEY, CaseError

#: The review pages' own policy: their inline styles and nothing else (the frame's document is inline).
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
INDEX_NAME = "index.html"
#: A feed shown as text is cut here: the review is for reading, not for holding a sitemap of 50,000 URLs.
MAX_SOURCE_CHARS = 200_000

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #222; }
header { padding: 8px 16px; border-bottom: 1px solid #ccc; background: #f7f7f7; }
header h1 { font-size: 18px; margin: 4px 0; }
main.case { display: flex; gap: 12px; padding: 12px; align-items: flex-start; }
.page { flex: 3; min-width: 0; }
.page iframe { width: 100%; height: 85vh; border: 1px solid #999; background: #fff; }
.side { flex: 2; min-width: 0; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #ddd; padding: 4px 6px; vertical-align: top; text-align: left; }
.status { display: inline-block; padding: 1px 8px; border-radius: 8px; font-weight: bold; color: #fff; }
.status.pass { background: #2a7d2a; } .status.fail { background: #c0392b; }
.status.unreviewed { background: #d68910; } .status.broken { background: #7b241c; }
.swatch { display: inline-block; width: 12px; height: 12px; border: 3px solid; vertical-align: middle;
  margin-right: 4px; }
ul.legend { list-style: none; padding: 0; columns: 2; }
.diff { background: #fff8e6; padding: 6px; border: 1px solid #eed; }
.muted { color: #666; }
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{PAGE_POLICY}">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def _status(status: str) -> str:
    return f'<span class="status {escape(status)}">{escape(status)}</span>'


def case_file(review: CaseReview) -> str:
    """Where a case's page goes, relative to the review folder (``site/case.html``)."""
    return f"{review.case.site}/{review.case.name}.html"


def case_page(review: CaseReview) -> str:
    """The page of one case: the stored page with what was taken outlined, the fields, the diff."""
    case = review.case
    header = (
        f'<header><a href="../{INDEX_NAME}">all cases</a>'
        f"<h1>{escape(case.id)} {_status(review.status)}</h1>"
        f"<div>{escape(_meta_line(review))}</div></header>"
    )
    side = [_problem(review), _legend(review), _diff(review), _fields(review)]
    body = f'{header}\n<main class="case"><section class="page">{_stored_page(review)}</section>'
    body += f'<section class="side">{"".join(side)}</section></main>'
    return _page(f"review: {case.id}", body)


def _meta_line(review: CaseReview) -> str:
    try:
        return f"{review.case.kind}: {review.case.url}"
    except CaseError:  # a broken meta.json: the problem says why
        return ""


def _problem(review: CaseReview) -> str:
    if review.problem is None:
        return ""
    return f'<h2>Problem</h2><p class="diff">{escape(review.problem)}</p>'


def _stored_page(review: CaseReview) -> str:
    """The stored page in a sandboxed frame (an HTML page), or its text (a feed, a sitemap)."""
    case = review.case
    if case.page_path is None:
        return '<p class="muted">no stored page</p>'
    if case.page_path.suffix == ".xml":
        text = case.page_text()
        cut = f"\n… ({len(text) - MAX_SOURCE_CHARS} more characters)" if len(text) > MAX_SOURCE_CHARS else ""
        return f"<pre>{escape(text[:MAX_SOURCE_CHARS] + cut)}</pre>"
    fields = review.trace.fields if review.trace is not None else {}
    if review.trace is not None and review.trace.tree is not None:
        tree = review.trace.tree
    else:  # a listing page, or a case whose output could not be had: shown as parsed, nothing marked
        tree = parse_page(case.page_text(), None)[0]
    document = safe_document(tree, f"<style>{highlight_css(fields)}</style>")
    return f'<iframe sandbox="" title="the stored page" srcdoc="{escape(document, quote=True)}"></iframe>'


def _legend(review: CaseReview) -> str:
    if review.trace is None:
        return ""
    fields = review.trace.fields
    used = {role_of(name).name for name in fields}
    items = []
    for role in reversed(ROLES):
        count = sum(len(nodes) for name, nodes in fields.items() if role_of(name).name == role.name)
        css = f"border-color: {role.colour};"
        if role.name == DROPPED:
            css += " background: rgba(0, 0, 0, 0.12);"
        muted = "" if role.name in used else ' class="muted"'
        items.append(f'<li{muted}><span class="swatch" style="{css}"></span>{escape(role.label)} ({count})</li>')
    return '<h2>Outlined on the page</h2><ul class="legend">' + "".join(items) + "</ul>"


def _diff(review: CaseReview) -> str:
    if review.expected is None:
        return ""
    title = f"Differences from {EXPECTED_NAME}"
    if review.status == UNREVIEWED:
        title += f" (not reviewed yet: it has the {UNREVIEWED_KEY!r} mark)"
    if not review.diff:
        return f"<h2>{escape(title)}</h2><p>none: the output is as {escape(EXPECTED_NAME)} says.</p>"
    return f'<h2>{escape(title)}</h2><pre class="diff">{escape(chr(10).join(review.diff))}</pre>'


def _fields(review: CaseReview) -> str:
    if not review.output:
        return ""
    provenance = review.extraction.provenance if review.extraction is not None else {}
    trace = review.trace
    rows = []
    for name, value in review.output.items():
        source = provenance.get(name, "")
        if trace is not None and name in trace.notes:
            source += f" ({trace.notes[name]})"
        marked = ""
        if trace is not None:
            nodes = trace.fields.get(name) or (trace.fields.get(BLOCK) if name == "body" else None)
            if nodes:
                role = role_of(BLOCK if name == "body" else name)
                marked = f'<span class="swatch" style="border-color: {role.colour};"></span>{len(nodes)}'
            elif name in provenance:
                marked = '<span class="muted">no element (metadata)</span>'
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=2)
        rows.append(
            f"<tr><th>{escape(name)}</th><td><pre>{escape(text)}</pre></td>"
            f"<td>{escape(source)}</td><td>{marked}</td></tr>"
        )
    extra = ""
    if trace is not None:
        parts = {CONTAINER: "body containers", BLOCK: "body blocks", DROPPED: "dropped boxes"}
        extra = (
            "<p class='muted'>"
            + escape(", ".join(f"{len(trace.fields.get(key, []))} {label}" for key, label in parts.items()))
            + "</p>"
        )
    head = "<tr><th>field</th><th>value</th><th>from</th><th>outlined</th></tr>"
    return f"<h2>Fields</h2>{extra}<table>{head}{''.join(rows)}</table>"


def index_page(reviews: list[CaseReview]) -> str:
    """Every case with its status and a link to its page."""
    counts = Counter(review.status for review in reviews)
    summary = ", ".join(f"{counts[status]} {status}" for status in (PASS, FAIL, UNREVIEWED, BROKEN) if counts[status])
    rows = []
    for review in reviews:
        case = review.case
        note = review.problem or (
            f"{len(_differing(review.diff))} fields differ: {', '.join(_differing(review.diff))}" if review.diff else ""
        )
        try:
            kind = case.kind
        except CaseError:  # a broken meta.json: the note says why
            kind = "?"
        rows.append(
            f'<tr><td><a href="{escape(quote(case_file(review)), quote=True)}">{escape(case.id)}</a></td>'
            f"<td>{escape(kind)}</td><td>{_status(review.status)}</td><td>{escape(note)}</td></tr>"
        )
    body = (
        f"<header><h1>Snapshot cases</h1><div>{escape(summary or 'no cases')}</div></header>\n<main>"
        "<table><tr><th>case</th><th>kind</th><th>status</th><th>note</th></tr>" + "".join(rows) + "</table></main>"
    )
    return _page("review: snapshot cases", body)


def _differing(diff: list[str]) -> list[str]:
    """The field names of a diff's lines (``- body: differs`` -> ``body``)."""
    return [line[2:].split(":", 1)[0] for line in diff if line.startswith("- ")]


def write_review(reviews: list[CaseReview], folder: Path) -> Path:
    """Write every case's page and the index into ``folder``; the index's path."""
    folder.mkdir(parents=True, exist_ok=True)
    for review in reviews:
        path = folder / case_file(review)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(case_page(review), encoding="utf-8")
    index = folder / INDEX_NAME
    index.write_text(index_page(reviews), encoding="utf-8")
    return index
