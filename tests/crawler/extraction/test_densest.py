"""The fallback reading: the densest run of text blocks, when the scored finder finds nothing plausible."""

from selectolax.lexbor import LexborHTMLParser

from crawler.extraction import extract_with_provenance
from crawler.extraction.densest import densest_run
from crawler.extraction.noncontent import remove_non_content
from crawler.rules import GENERIC_RULES
from tests.crawler.extraction.test_generic import (
    ARABIC,
    ENGLISH,
    PERSIAN,
    ZWNJ,
    page,
    paragraphs,
)

MENU = "".join(f'<div class="item"><a href="/s/{n}">Section number {n} of the site</a></div>' for n in range(12))
TEASERS = "".join(
    f'<p><a href="/story/{n}">Another story headline number {n}, a link to a page of its own</a></p>' for n in range(10)
)


def run_texts(html: str) -> list[str]:
    tree = LexborHTMLParser(html)
    assert tree.body is not None
    remove_non_content(tree.body)
    return [node.text(deep=True) for node in densest_run(tree.body)]


def test_the_run_of_prose_wins_over_menus_and_teaser_lists() -> None:
    html = f"<body>{MENU}<h1>Title</h1>{paragraphs(ENGLISH * 2)}{TEASERS}</body>"
    assert run_texts(html) == ENGLISH * 2


def test_a_short_crumb_between_paragraphs_stays_in_the_run() -> None:
    html = f"<body>{MENU}{paragraphs(ENGLISH)}<h2>What he said next</h2>{paragraphs(ENGLISH)}{TEASERS}</body>"
    assert run_texts(html) == ENGLISH + ["What he said next"] + ENGLISH


def test_text_divs_count_as_blocks_and_are_read_once() -> None:
    # A page builder's text is in <div>s, and a <p> wrapped in a <span> of one is read with it, not twice.
    divs = "".join(f'<div class="text-editor"><span>{text}</span></div>' for text in ARABIC)
    html = f'<body>{MENU}<div class="x"><span><p>{ARABIC[0]}</p></span></div>{divs}</body>'
    assert run_texts(html) == ARABIC[:1] + ARABIC


def test_lengths_are_characters_so_persian_counts_like_english() -> None:
    html = f"<body>{MENU}{paragraphs(PERSIAN)}{TEASERS}</body>"
    assert run_texts(html) == PERSIAN


def test_a_page_of_links_and_crumbs_has_no_run() -> None:
    assert run_texts(f"<body>{MENU}{TEASERS}<p>Share</p><p>1 min read</p></body>") == []


def test_too_little_prose_is_no_run() -> None:
    assert run_texts(f"<body>{MENU}<p>{ENGLISH[0]}</p>{TEASERS}</body>") == []


def widget_page(texts: list[str], lang: str = "en") -> str:
    # Every paragraph in a box named as a widget (page builders name them all so): the finder takes the
    # container, then prunes each box as a widget, and nothing is left of the body.
    widgets = "".join(
        f'<div class="builder-widget"><div class="widget-container"><p>{text}</p></div></div>' for text in texts
    )
    return page(f'<div class="post-content">{widgets}</div>', lang=lang)


def test_a_body_the_finder_prunes_away_comes_from_the_densest_run() -> None:
    extraction = extract_with_provenance(widget_page(PERSIAN * 2, "fa"), "https://unknown.example/fa", GENERIC_RULES)
    assert extraction.article.body == "\n\n".join(PERSIAN * 2)
    assert extraction.article.body.count(ZWNJ) == 4
    assert extraction.generic_path == "densest_run"
    assert extraction.provenance["body"] == "generic"


def test_the_scored_finder_is_the_main_path() -> None:
    extraction = extract_with_provenance(page(f"<article>{paragraphs(ENGLISH)}</article>"), "https://unknown.example/a",
                                         GENERIC_RULES)  # fmt: skip
    assert extraction.generic_path == "main"


def test_a_page_with_no_article_takes_no_path() -> None:
    menu = "".join(f'<li><a href="/s/{n}">Section number {n} of the site</a></li>' for n in range(20))
    html = page(f"<ul class='menu'>{menu}</ul><h1>Video: a title</h1><p>A one-line summary of the video.</p>")
    extraction = extract_with_provenance(html, "https://unknown.example/video", GENERIC_RULES)
    assert extraction.article.body is None and extraction.generic_path == "none"
