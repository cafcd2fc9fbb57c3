"""The extraction trace: the elements each field was read from, and the same Article with it as without."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler import SiteRules
from crawler.extraction import resolve_rules
from crawler.extraction.article import Extraction, extract_article
from crawler.extraction.page import SitePage
from crawler.extraction.trace import NODE_ATTRIBUTE, Trace
from crawler.items import Image
from crawler.rules import GENERIC_RULES
from crawler.tools.casefiles import SnapshotCase, iter_cases

ROOT = Path(__file__).resolve().parents[3]
ARTICLES = [case for case in iter_cases(ROOT / "snapshots") if case.kind == "article"]
URL = "https://news.example/news/world/story"

RULES = SiteRules(
    site="example",
    language="en",
    timezone="Europe/London",
    headline="h1.headline",
    date_published="time.shown",
    date_formats=("%d/%m/%Y %H:%M",),
    authors=".byline a",
    body="div.story",
    drop="div.related",
)
PAGE = """<html><head><title>Rates rise | Example</title></head><body>
<nav><a href="/">Home</a></nav>
<h1 class="headline">Rates rise again</h1>
<p class="byline">By <a href="/a/jane">Jane Doe</a></p>
<time class="shown">03/05/2021 10:30</time>
<div class="story">
  <p id="one">The central bank raised rates on Tuesday, for the third time this year.</p>
  <figure id="fig"><img src="/pic.jpg" alt="The bank"><figcaption id="cap">The bank in spring.</figcaption></figure>
  <div class="related" id="related"><a href="/x">Related: other rates</a></div>
  <blockquote class="twitter-tweet" id="tweet"><p>Rates!</p><a href="https://twitter.com/x/status/1">link</a></blockquote>
  <h2 id="sub">What it means</h2>
  <ul id="list"><li id="li1">Loans cost more.</li><li id="li2">Savings pay more.</li></ul>
  <p id="credit">Source: Agencies</p>
</div>
<footer>Example News</footer>
</body></html>"""


def traced(html: str, rules: SiteRules, url: str = URL) -> tuple[Extraction, Trace]:
    trace = Trace()
    return extract_article(html, url, rules, trace), trace


def same(first: Extraction, second: Extraction) -> bool:
    return (
        first.article.to_dict() == second.article.to_dict()
        and first.provenance == second.provenance
        and first.disagreements == second.disagreements
        and first.generic_path == second.generic_path
        and first.nesting_flattened == second.nesting_flattened
    )


def ids(trace: Trace, role: str) -> list[str]:
    """The page's own ``id`` of each element the trace names for ``role`` (the test pages give every one an id)."""
    assert trace.tree is not None
    found = []
    for name in trace.fields.get(role, []):
        node = trace.tree.css_first(f'[{NODE_ATTRIBUTE}="{name}"]')
        assert node is not None, f"{role}: no element named {name}"
        found.append(node.attrs.get("id") or node.attrs.get("class") or node.tag)
    return found


@pytest.mark.parametrize("case", ARTICLES, ids=[case.id for case in ARTICLES])
@pytest.mark.parametrize("generic", [False, True], ids=["site-rules", "generic"])
def test_a_traced_extraction_gives_the_same_article(case: SnapshotCase, generic: bool) -> None:
    """With the site's rules (what expected.json pins), and with none (the generic finder, pruning, densest run)."""
    rules = GENERIC_RULES if generic else resolve_rules(case.url, case.site)
    plain = extract_article(case.page_text(), case.url, rules)
    extraction, trace = traced(case.page_text(), rules, case.url)
    assert same(plain, extraction)
    assert trace.fields.get("block") or not extraction.article.body or extraction.generic_path == "json_ld"


def test_each_field_names_the_element_it_was_read_from() -> None:
    extraction, trace = traced(PAGE, RULES)
    article = extraction.article
    assert article.headline == "Rates rise again" and article.authors == ["Jane Doe"] and article.source == "Agencies"
    assert ids(trace, "headline") == ["headline"]
    assert ids(trace, "date_published") == ["shown"]
    assert ids(trace, "authors") == ["a"]
    assert ids(trace, "container") == ["story"]
    assert ids(trace, "block") == ["one", "sub", "li1", "li2"]  # the credit line left the body ...
    assert ids(trace, "source") == ["credit"]  # ... for source
    assert ids(trace, "image") == ["fig"] and ids(trace, "caption") == ["cap"]
    assert ids(trace, "embed") == ["tweet"]
    assert ids(trace, "dropped") == ["related"]


def test_metadata_fields_name_no_element() -> None:
    page = PAGE.replace('<time class="shown">03/05/2021 10:30</time>', "").replace(
        "<head>", '<head><meta property="article:published_time" content="2021-05-03T10:30:00+01:00">'
    )
    extraction, trace = traced(page, RULES)
    assert extraction.provenance["date_published"] == "meta"
    assert "date_published" not in trace.fields


def test_a_generic_body_names_what_the_finder_pruned() -> None:
    paragraphs = "".join(f'<p id="p{n}">{"A sentence of the article, with a comma. " * 4}</p>' for n in range(5))
    links = "".join(f'<li><a href="/s{n}">Another story number {n}</a></li>' for n in range(8))
    page = f"""<html><head><title>A story | Site</title></head><body><main>
        <h1 id="h">A story</h1><article id="art">{paragraphs}<ul id="links">{links}</ul></article></main></body></html>"""
    extraction, trace = traced(page, GENERIC_RULES, "https://site.example/a-story")
    assert extraction.provenance["body"] == "generic" and extraction.provenance["headline"] == "generic"
    assert ids(trace, "headline") == ["h"]
    assert ids(trace, "container") == ["art"]
    assert ids(trace, "block") == [f"p{n}" for n in range(5)]
    assert ids(trace, "dropped") == ["links"]


class ImagePage(SitePage):
    def main_image(self) -> Image | None:
        return self.image("figure.lead")


def test_a_page_method_names_the_elements_it_read() -> None:
    rules = SiteRules(site="example", language="en", timezone="UTC", headline="h1", body="div.story", page=ImagePage)
    page = (
        '<html><body><h1 id="h">Title</h1><figure class="lead" id="lead"><img src="/a.jpg"></figure>'
        '<div class="story" id="story"><p id="p">Text of the article.</p></div></body></html>'
    )
    extraction, trace = traced(page, rules)
    assert extraction.article.main_image is not None
    assert ids(trace, "main_image") == ["lead"] and ids(trace, "block") == ["p"]


def test_running_text_is_named_by_its_container() -> None:
    page = '<html><body><h1>T</h1><div class="story" id="story">Line one<br><br>Line two<p id="p">Para</p></div></body></html>'
    rules = SiteRules(site="example", language="en", timezone="UTC", headline="h1", body="div.story")
    extraction, trace = traced(page, rules)
    assert extraction.article.body == "Line one\n\nLine two\n\nPara"
    assert ids(trace, "block") == ["story", "p"]


def test_a_page_that_already_uses_the_attribute_is_renamed_throughout() -> None:
    page = f'<html><body><h1 {NODE_ATTRIBUTE}="7" class="headline">A</h1><p {NODE_ATTRIBUTE}="7">b</p></body></html>'
    _, trace = traced(page, RULES)
    assert trace.tree is not None
    names = [node.attrs.get(NODE_ATTRIBUTE) for node in trace.tree.root.traverse() if node.is_element_node]  # type: ignore[union-attr]
    assert len(names) == len(set(names)) and ids(trace, "headline") == ["headline"]
