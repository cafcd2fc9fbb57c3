"""The headline chosen from titles and the h1, the site's name stripped, on made-up pages in English, Arabic and Persian."""

import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from crawler.extraction.headline import (
    SITE_NAME_METAS,
    TITLE_METAS,
    _compact,
    choose_headline,
    domain_label,
    page_marks,
    site_names,
    strip_site_name,
)

ZWNJ = "\u200c"


def tree(
    title: str | None = None, h1: str | None = None, site_name: str | None = None, body: str = ""
) -> LexborHTMLParser:
    head = f"<title>{title}</title>" if title is not None else ""
    if site_name is not None:
        head += f'<meta property="og:site_name" content="{site_name}">'
    heading = f"<h1>{h1}</h1>" if h1 is not None else ""
    return LexborHTMLParser(f"<html><head>{head}</head><body>{body}{heading}<p>Text of the story.</p></body></html>")


URL = "https://www.example.com/news/story-1"


def test_the_h1_the_title_confirms_wins() -> None:
    page = tree(title="Rates rise again | Example News", h1="Rates rise again")
    assert choose_headline(page, [], None, URL) == "Rates rise again"


def test_the_h1_is_returned_as_published() -> None:
    page = tree(h1="Rates Rise Again, The Bank Says")
    assert (
        choose_headline(page, ["Rates rise again, the bank says - Example News"], None, URL)
        == "Rates Rise Again, The Bank Says"
    )


def test_site_name_prefix_stated_by_og_site_name() -> None:
    page = tree(site_name="Al Example")
    assert choose_headline(page, ["Al Example - Rates rise again"], None, "https://news.test/x") == "Rates rise again"


def test_site_name_prefix_spelled_by_the_domain() -> None:
    page = tree()
    assert (
        choose_headline(page, ["Al Example - Rates rise again"], None, "https://www.alexample.com/x")
        == "Rates rise again"
    )


def test_site_name_suffix_stated_or_spelled_by_the_domain() -> None:
    candidates = ["Rates rise again | Example News"]
    assert (
        choose_headline(tree(site_name="Example News"), candidates, None, "https://news.test/x") == "Rates rise again"
    )
    assert choose_headline(tree(), candidates, None, "https://examplenews.com/x") == "Rates rise again"
    assert choose_headline(tree(), candidates, None, URL) == "Rates rise again"  # "Example News" starts with "example"
    assert choose_headline(tree(), candidates, "Example News", "https://news.test/x") == "Rates rise again"


def test_arabic_site_name_from_og_site_name() -> None:
    headline = "الحكومة تعلن خطة جديدة للنقل العام"
    page = tree(site_name="أخبار المثال")
    assert choose_headline(page, [f"{headline} - أخبار المثال"], None, "https://akhbar.example/news/1") == headline


def test_arabic_site_name_repeated_in_the_title_beside_the_h1() -> None:
    headline = "الحكومة تعلن خطة جديدة للنقل العام"
    page = tree(title=f"{headline} | أخبار المثال", h1=headline)
    assert choose_headline(page, [], None, "https://akhbar.example/news/1") == headline


def test_persian_headline_keeps_its_zero_width_non_joiner() -> None:
    headline = f"افزایش قیمت{ZWNJ}ها در بازار تهران"
    page = tree(site_name="خبرگزاری نمونه")
    assert choose_headline(page, [f"{headline} - خبرگزاری نمونه"], None, "https://www.namoone.ir/x") == headline


def test_a_dash_inside_the_headline_is_kept() -> None:
    assert choose_headline(tree(), ["Covid-19 - what we know"], None, URL) == "Covid-19 - what we know"
    assert choose_headline(tree(), ["Covid-19 - what we know | Example News"], None, URL) == "Covid-19 - what we know"
    assert choose_headline(tree(), ["Example News - Covid-19 - what we know"], None, URL) == "Covid-19 - what we know"
    page = tree(h1="Covid-19")  # an h1 shorter than what the title adds does not cut the title
    assert choose_headline(page, ["Covid-19 - what we know and what we do not know yet"], None, URL) == (
        "Covid-19 - what we know and what we do not know yet"
    )


def test_a_segment_not_identified_as_the_site_stays() -> None:
    assert choose_headline(tree(), ["Rates rise - and markets fall"], None, URL) == "Rates rise - and markets fall"
    assert choose_headline(tree(), ["Markets: the week ahead"], None, URL) == "Markets: the week ahead"


def test_the_titles_part_absent_from_the_h1_is_the_site() -> None:
    page = tree(h1="Rates rise again, the bank says, and markets wobble")
    assert (
        choose_headline(page, ["Rates rise again, the bank says | Foo"], None, URL) == "Rates rise again, the bank says"
    )


def test_an_h1_that_is_the_sites_logo_is_not_the_headline() -> None:
    page = tree(title="Example News | Rates rise again", h1="Example News")
    assert choose_headline(page, [], None, URL) == "Rates rise again"


def test_a_title_that_is_only_the_site_name_leaves_the_h1() -> None:
    page = tree(title="Example News", h1="Rates rise again")
    assert choose_headline(page, [], "Example News", URL) == "Rates rise again"


def test_a_truncated_title_confirms_the_h1() -> None:
    page = tree(h1="Rates rise again as the bank fights prices that will not come down")
    assert choose_headline(page, ["Rates rise again as the bank fights..."], None, URL) == (
        "Rates rise again as the bank fights prices that will not come down"
    )


def test_escaped_json_ld_headline_is_read_as_text() -> None:
    assert choose_headline(tree(), ["Full &#038; Part Time Programs"], None, URL) == "Full & Part Time Programs"


def test_no_title_and_no_h1() -> None:
    assert choose_headline(tree(), [], None, URL) is None
    assert choose_headline(tree(h1="Rates rise again"), [], None, URL) == "Rates rise again"


def test_strip_site_name_of_a_home_page_title() -> None:
    assert strip_site_name("Example News", ["Example News"], "example") is None


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://www.bbc.co.uk/news/1", "bbc"),
        ("https://edition.example.com/x", "example"),
        ("https://www.al-example.com/", "alexample"),
        ("https://example.com.au/", "example"),
        ("http://192.168.1.1/x", None),
        ("not a url", None),
    ],
)
def test_domain_label(url: str, label: str | None) -> None:
    assert domain_label(url) == label


def test_site_names_from_the_page() -> None:
    page = LexborHTMLParser(
        '<head><meta property="og:site_name" content="Example News"><meta name="twitter:site" content="@examplenews"></head>'
    )
    assert site_names(page, "Example") == ["Example", "Example News", "examplenews"]


def test_hostile_many_headings_and_a_long_title_finish() -> None:
    page = LexborHTMLParser("<title>" + "Word | " * 100_000 + "</title>" + "<h1>Word</h1>" * 100_000)
    started = time.perf_counter()
    choose_headline(page, ["x - " * 100_000], None, URL)
    assert time.perf_counter() - started < 5


# --- shortcuts give what the long way gives ---------------------------------------------------


def test_compact_keeps_what_isalnum_keeps_of_every_character() -> None:
    every = "".join(chr(code) for code in range(sys.maxunicode + 1))
    compact = _compact.__wrapped__  # not remembered: a million characters are no name
    assert compact(every) == "".join(character for character in every.casefold() if character.isalnum())
    assert _compact("Al-Example News!") == _compact("al example news") == "alexamplenews"


def test_compact_remembers_a_bounded_number_of_answers() -> None:
    for index in range(3000):
        _compact(f"Example News {index}")
    assert _compact.cache_info().currsize <= 1024


#: Markup around the metas and h1s: head or body, nested, foreign content, a template, a closed html.
_PLACES = ["<head>", "</head>", "<body>", "<div class='x'>", "</div>", "<svg>", "</svg>", "<template>", "</template>",
           "<noscript>", "</noscript>", "</html>", "<p>", "<table>", "</table>", "<math>", "</math>"]  # fmt: skip
_ATTRIBUTES = ["property", "name", "PROPERTY", "Name", "itemprop", "xlink:name", "content"]
_VALUES = [value for _, value in (*SITE_NAME_METAS, *TITLE_METAS)] + [
    "OG:site_name", "og:site_name ", " og:title", "twitter:Title", "", "other"
]  # fmt: skip
_METAS = st.builds(
    lambda pairs, content: "<meta " + " ".join(f'{name}="{value}"' for name, value in pairs) + content + ">",
    st.lists(st.tuples(st.sampled_from(_ATTRIBUTES), st.sampled_from(_VALUES)), max_size=3),
    st.sampled_from(["", " content", ' content=""', ' content="Example News"', ' content=" @example "']),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PLACES), _METAS, st.sampled_from(["<h1>A</h1>", "<H1>B", "<h1 x=1>C</h1>"])),
                max_size=30))  # fmt: skip
def test_page_marks_are_what_a_search_for_each_finds(parts: list[str]) -> None:
    """One search for ``h1, meta``, the metas told apart in Python, finds what a search for each selector finds."""
    tree = LexborHTMLParser("".join(parts))
    marks = page_marks(tree)
    assert [node.mem_id for node in marks.h1s] == [node.mem_id for node in tree.css("h1")]
    for name, value in (*SITE_NAME_METAS, *TITLE_METAS):
        first = tree.css_first(f'meta[{name}="{value}"]')
        found = marks.metas.get((name, value))
        assert (found.mem_id if found is not None else None) == (first.mem_id if first is not None else None)
