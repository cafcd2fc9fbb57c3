"""A stored page that tries everything a page can to run, load or break out of its frame, as a case folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from crawler.tools.casefiles import format_json

ROOT = Path(__file__).resolve().parents[3]
SNAPSHOTS = ROOT / "snapshots"
#: A stored page with a headline, a body, a figure, a tweet and a related box: every role.
REAL_CASE = "almayadeen/russia-suspends-nato-office"
URL = "https://see.news/hostile-page"
TITLE = "Hostile page"

HOSTILE_PAGE = f"""<!DOCTYPE html>
<html><head><title>{TITLE}</title>
<base href="http://evil.example/">
<meta http-equiv="refresh" content="0; url=http://evil.example/">
<meta http-equiv="Content-Security-Policy" content="default-src *">
<link rel="stylesheet" href="http://evil.example/style.css">
<link rel="prefetch" href="http://evil.example/next">
<script>document.title = "pwned"; window.pwned = 1; document.documentElement.setAttribute("data-ran", "1")</script>
<style>@import url("http://evil.example/import.css"); body {{ background: url("http://evil.example/bg.png") }}</style>
</head>
<body onload="window.pwned = 2; document.title = 'pwned'"><article>
<h1 class="entry-title" title='" onmouseover="window.pwned=3' data-x="&quot;&gt;&lt;script&gt;window.pwned=4&lt;/script&gt;">
Hostile &lt;/iframe&gt;&lt;script&gt;parent.document.title='pwned'&lt;/script&gt; headline</h1>
<div class="entry-content">
<p>The first paragraph writes &lt;/iframe&gt;&lt;script&gt;window.top.pwned=5&lt;/script&gt; as text, which is what it is.</p>
<p>A second paragraph, long enough to be read as text of the article by any reader of it at all.</p>
<img src="http://evil.example/pixel.gif" onerror="window.pwned = 6" alt="a pixel">
<iframe src="http://evil.example/frame" srcdoc="&lt;script&gt;parent.pwned=7&lt;/script&gt;"></iframe>
<object data="http://evil.example/x.swf"></object><embed src="http://evil.example/y.swf">
<svg><script>window.pwned = 8</script><a xlink:href="javascript:window.pwned=9"><text>svg</text></a></svg>
<a href="javascript:window.pwned=10" id="js-link">a link</a>
<form action="http://evil.example/post"><input name="q" autofocus onfocus="window.pwned=11"></form>
<noscript><img src="http://evil.example/noscript.gif"></noscript>
<video poster="http://evil.example/poster.jpg" src="http://evil.example/v.mp4"></video>
</div></article></body></html>
"""


def copy_snapshots(destination: Path, *case_ids: str) -> Path:
    """Copies of real cases under ``destination`` (a snapshots folder of the test's own); its path."""
    for case_id in case_ids:
        shutil.copytree(SNAPSHOTS / case_id, destination / case_id)
    return destination


def write_hostile_case(snapshots: Path, expected: dict | None = None) -> Path:
    """The hostile page as a case of Sada El Balad (a real site: its rules read it), unreviewed."""
    folder = snapshots / "sadaelbalad" / "hostile"
    folder.mkdir(parents=True)
    (folder / "page.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    (folder / "meta.json").write_text(format_json({"url": URL, "kind": "article"}), encoding="utf-8")
    (folder / "expected.json").write_text(format_json(expected or {"_unreviewed": "read it"}), encoding="utf-8")
    return folder
