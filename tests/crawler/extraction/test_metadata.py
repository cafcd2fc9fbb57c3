"""Metadata layers: JSON-LD, <meta> tags and a site's own JSON block, each read as field -> raw value."""

import json
import logging
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.extraction import extract
from crawler.extraction.metadata import (
    CANONICAL_LINK,
    JSON_LD_SCRIPTS,
    MAX_JSON_DEPTH,
    META_TAGS,
    clean_layer,
    json_ld_layer,
    meta_layer,
    metadata_elements,
    site_metadata_layer,
)


def page(head: str = "", body: str = "", html_attributes: str = "") -> LexborHTMLParser:
    return LexborHTMLParser(f"<!doctype html><html{html_attributes}><head>{head}</head><body>{body}</body></html>")


def ld(value: object) -> str:
    """A JSON-LD script element holding ``value`` (a string is written as is: broken JSON, say)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f'<script type="application/ld+json">{text}</script>'


ARTICLE = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Harbour bridge reopens after repairs",
    "description": "The bridge was closed for six weeks.",
    "author": {"@type": "Person", "name": "Jane Roe"},
    "datePublished": "2024-03-05T08:30:00+01:00",
    "dateModified": "2024-03-05T10:00:00+01:00",
    "articleSection": "Local",
    "keywords": "bridge, harbour, traffic",
    "image": {"@type": "ImageObject", "url": "https://news.example/img/bridge.jpg"},
    "mainEntityOfPage": {"@type": "WebPage", "@id": "https://news.example/local/bridge-reopens"},
    "inLanguage": "en",
    "identifier": "4711",
    "articleBody": "First paragraph.\n\nSecond paragraph.",
}


# --- json_ld_layer -------------------------------------------------------------------------------------------------


def test_an_article_object_gives_every_field() -> None:
    assert json_ld_layer(page(ld(ARTICLE))) == {
        "headline": "Harbour bridge reopens after repairs",
        "description": "The bridge was closed for six weeks.",
        "authors": ["Jane Roe"],
        "date_published": "2024-03-05T08:30:00+01:00",
        "date_modified": "2024-03-05T10:00:00+01:00",
        "section": "Local",
        "tags": ["bridge", "harbour", "traffic"],
        "image_url": "https://news.example/img/bridge.jpg",
        "canonical_url": "https://news.example/local/bridge-reopens",
        "language": "en",
        "article_id": "4711",
        "article_body": "First paragraph.\n\nSecond paragraph.",
    }


def test_no_json_ld_at_all_is_an_empty_layer() -> None:
    assert json_ld_layer(page(body="<p>Nothing described here.</p>")) == {}


@pytest.mark.parametrize(
    "broken",
    [
        "{not json",
        '{"@type": "NewsArticle", "headline": "cut off',
        "",
        "   \n  ",
        "[1, 2,",
        "null",
        '"just a string"',
        "42",
    ],
)
def test_unreadable_or_odd_json_ld_is_skipped_without_failing(broken: str) -> None:
    assert json_ld_layer(page(ld(broken))) == {}


def test_a_broken_script_does_not_hide_a_good_one_after_it(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="crawler.extraction.metadata"):
        layer = json_ld_layer(page(ld("{oops") + ld({"@type": "NewsArticle", "headline": "Still read"})))
    assert layer["headline"] == "Still read"
    assert any("unreadable JSON" in record.getMessage() for record in caplog.records)


def test_the_first_article_object_wins() -> None:
    first = {"@type": "BlogPosting", "headline": "First"}
    second = {"@type": "NewsArticle", "headline": "Second"}
    assert json_ld_layer(page(ld([first, second])))["headline"] == "First"
    assert json_ld_layer(page(ld(first) + ld(second)))["headline"] == "First"


def test_objects_that_are_not_articles_are_passed_over() -> None:
    scripts = ld({"@type": "Organization", "name": "News Example"}) + ld(
        {"@type": "ReportageNewsArticle", "headline": "Found"}
    )
    assert json_ld_layer(page(scripts))["headline"] == "Found"


def test_a_list_of_types_counts_if_one_is_an_article_type() -> None:
    layer = json_ld_layer(page(ld({"@type": ["WebPage", "NewsArticle"], "headline": "Two types"})))
    assert layer["headline"] == "Two types"


@pytest.mark.parametrize("odd_type", [None, 7, {"name": "NewsArticle"}, [3, None], "newsarticle"])
def test_an_odd_or_missing_type_is_no_article(odd_type: object) -> None:
    assert json_ld_layer(page(ld({"@type": odd_type, "headline": "Untyped"}))) == {}


def test_graph_nodes_are_searched_and_author_references_followed() -> None:
    # Yoast's shape: the article names its author only by @id, the Person is another node of the graph.
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "https://news.example/#website", "name": "News Example"},
            {"@type": "WebPage", "@id": "https://news.example/a/#webpage", "datePublished": "2024-01-01T00:00:00Z"},
            {
                "@type": "Article",
                "@id": "https://news.example/a/#article",
                "headline": "From the graph",
                "author": [{"@id": "https://news.example/#/person/1"}, {"@id": "https://news.example/#/person/2"}],
                "mainEntityOfPage": {"@id": "https://news.example/a/"},
            },
            {"@type": "Person", "@id": "https://news.example/#/person/1", "name": "Jane Roe"},
            {"@type": "Person", "@id": "https://news.example/#/person/2", "name": "John Doe"},
        ],
    }
    layer = json_ld_layer(page(ld(graph)))
    assert layer["headline"] == "From the graph"
    assert layer["authors"] == ["Jane Roe", "John Doe"]
    assert layer["canonical_url"] == "https://news.example/a/"


def test_a_graph_nested_in_a_list_is_walked() -> None:
    layer = json_ld_layer(page(ld([{"@graph": [{"@graph": [{"@type": "NewsArticle", "headline": "Deep in"}]}]}])))
    assert layer["headline"] == "Deep in"


def test_a_reference_to_no_node_or_a_node_without_a_name_gives_no_author() -> None:
    graph = {"@graph": [{"@type": "NewsArticle", "author": [{"@id": "#nobody"}, {"@id": "#anon"}]}, {"@id": "#anon"}]}
    assert json_ld_layer(page(ld(graph)))["authors"] == []


def test_a_reference_that_carries_its_own_name_is_not_replaced() -> None:
    graph = {
        "@graph": [
            {"@type": "NewsArticle", "author": {"@id": "#p", "name": "Named Inline"}},
            {"@type": "Person", "@id": "#p", "name": "Named In Graph"},
        ]
    }
    assert json_ld_layer(page(ld(graph)))["authors"] == ["Named Inline"]


@pytest.mark.parametrize(
    ("author", "names"),
    [
        ("Jane Roe", ["Jane Roe"]),
        ({"@type": "Person", "name": "Jane Roe"}, ["Jane Roe"]),
        (["Jane Roe", "John Doe"], ["Jane Roe", "John Doe"]),
        ([{"name": "Jane Roe"}, "John Doe", {"@type": "Organization", "name": "Wire Service"}],
         ["Jane Roe", "John Doe", "Wire Service"]),
        ([["Jane Roe"], [{"name": "John Doe"}]], ["Jane Roe", "John Doe"]),  # lists of lists
        ({"@type": "Person", "name": ["not", "a string"]}, []),
        ({"@type": "Person", "url": "https://news.example/jane"}, []),
        (42, []),
        (None, []),
        ([None, 3, True, "Kept"], ["Kept"]),
    ],
)  # fmt: skip
def test_authors_as_strings_objects_or_lists(author: object, names: list[str]) -> None:
    assert json_ld_layer(page(ld({"@type": "NewsArticle", "author": author})))["authors"] == names


@pytest.mark.parametrize(
    ("keywords", "tags"),
    [
        ("a, b ,c", ["a", "b", "c"]),
        (["one ", " two", 3, None], ["one", "two"]),
        ({"not": "keywords"}, []),
        (None, []),
    ],
)
def test_keywords_as_a_comma_list_or_an_array(keywords: object, tags: list[str]) -> None:
    assert json_ld_layer(page(ld({"@type": "NewsArticle", "keywords": keywords})))["tags"] == tags


@pytest.mark.parametrize(
    ("image", "url"),
    [
        ("https://news.example/a.jpg", "https://news.example/a.jpg"),
        (["", "https://news.example/b.jpg", "https://news.example/c.jpg"], "https://news.example/b.jpg"),
        ({"@type": "ImageObject", "url": "https://news.example/d.jpg"}, "https://news.example/d.jpg"),
        ({"@type": "ImageObject", "@id": "https://news.example/e.jpg"}, "https://news.example/e.jpg"),
        ([{"@type": "ImageObject", "width": 10}, {"url": "https://news.example/f.jpg"}], "https://news.example/f.jpg"),
        ({"@type": "ImageObject", "url": 12}, None),
        (False, None),
    ],
)
def test_the_first_usable_string_of_an_image_list_or_object(image: object, url: str | None) -> None:
    assert json_ld_layer(page(ld({"@type": "NewsArticle", "image": image})))["image_url"] == url


def test_fallbacks_name_upload_date_thumbnail_and_url() -> None:
    video = {
        "@type": "VideoObject",
        "name": "Watch: the bridge opens",
        "uploadDate": "2024-03-05",
        "thumbnailUrl": ["https://news.example/thumb.jpg"],
        "url": "https://news.example/video/1",
    }
    layer = json_ld_layer(page(ld(video)))
    assert layer["headline"] == "Watch: the bridge opens"
    assert layer["date_published"] == "2024-03-05"
    assert layer["image_url"] == "https://news.example/thumb.jpg"
    assert layer["canonical_url"] == "https://news.example/video/1"


def test_a_page_with_no_article_object_still_gives_its_date() -> None:
    objects = [
        {"@type": "Organization", "name": "News Example"},
        {"@type": "WebPage", "headline": "Not an article", "datePublished": ["", "2023-12-31T23:59:00Z"]},
    ]
    assert json_ld_layer(page(ld(objects))) == {"date_published": "2023-12-31T23:59:00Z"}


def test_a_node_of_the_article_type_may_be_a_list_item_of_a_script_among_others() -> None:
    scripts = ld({"@type": "BreadcrumbList", "itemListElement": []}) + ld([{"@type": "Report", "headline": "A report"}])
    assert json_ld_layer(page(scripts))["headline"] == "A report"


def test_json_escapes_are_decoded_and_html_entities_left_for_cleaning() -> None:
    # \u0026 is JSON's; "&amp;" inside a <script> is no entity to the HTML parser, it is decoded later by
    # the cleaning stage (crawler.extraction.cleaning), so the layer hands it on as written.
    script = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Tom \\u0026 Jerry", "description": "Fish &amp; chips"}</script>'
    layer = json_ld_layer(page(script))
    assert layer["headline"] == "Tom & Jerry"
    assert layer["description"] == "Fish &amp; chips"


def test_a_script_of_another_type_is_not_json_ld() -> None:
    script = '<script type="application/json">{"@type": "NewsArticle", "headline": "Not LD"}</script>'
    assert json_ld_layer(page(script)) == {}


def nested_article(total_depth: int, headline: str = "Nested") -> dict:
    """An article object whose objects nest ``total_depth`` deep, the article itself the first level."""
    inner: dict = {}
    for _ in range(total_depth - 2):
        inner = {"child": inner}
    return {"@type": "NewsArticle", "headline": headline, "about": inner}


def test_json_nested_past_the_limit_is_refused_and_just_within_it_is_read() -> None:
    # Brackets in a string make the cheap count say "maybe too deep", so the depth itself is measured.
    many_brackets = "[" * (MAX_JSON_DEPTH + 1)
    assert json_ld_layer(page(ld(nested_article(MAX_JSON_DEPTH, many_brackets))))["headline"] == many_brackets
    assert json_ld_layer(page(ld(nested_article(MAX_JSON_DEPTH + 1)))) == {}


def test_json_nested_thousands_deep_is_refused_not_a_crash() -> None:
    assert (
        json_ld_layer(page(ld('{"@type": "NewsArticle", "headline": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}")))
        == {}
    )
    too_deep = (
        '{"@type": "NewsArticle", "headline": "x", "a": '
        + "[" * (MAX_JSON_DEPTH + 5)
        + "]" * (MAX_JSON_DEPTH + 5)
        + "}"
    )
    assert json_ld_layer(page(ld(too_deep))) == {}


def test_many_brackets_inside_strings_do_not_refuse_shallow_json() -> None:
    headline = "[" * (MAX_JSON_DEPTH * 2) + " brackets"
    assert json_ld_layer(page(ld({"@type": "NewsArticle", "headline": headline})))["headline"] == headline


# --- meta_layer ----------------------------------------------------------------------------------------------------


def test_opengraph_article_and_plain_meta_tags() -> None:
    head = """
      <meta property="og:title" content="OG title">
      <meta name="twitter:title" content="Twitter title">
      <meta property="og:description" content="OG description">
      <meta name="description" content="Plain description">
      <meta name="author" content="Jane Roe, John Doe">
      <meta property="article:published_time" content="2024-03-05T08:30:00Z">
      <meta property="article:modified_time" content="2024-03-06T08:30:00Z">
      <meta property="article:section" content="Local">
      <meta property="article:tag" content="bridge">
      <meta property="article:tag" content="harbour">
      <meta name="keywords" content="ignored, because, tags">
      <meta property="og:image" content="https://news.example/og.jpg">
      <meta name="twitter:image" content="https://news.example/tw.jpg">
      <link rel="canonical" href="https://news.example/local/bridge">
      <meta property="og:url" content="https://news.example/og-url">
      <meta property="og:locale" content="en_GB">
    """
    assert meta_layer(page(head, html_attributes=' lang="en"')) == {
        "headline": "OG title",
        "description": "OG description",
        "authors": ["Jane Roe", "John Doe"],
        "date_published": "2024-03-05T08:30:00Z",
        "date_modified": "2024-03-06T08:30:00Z",
        "section": "Local",
        "tags": ["bridge", "harbour"],
        "image_url": "https://news.example/og.jpg",
        "canonical_url": "https://news.example/local/bridge",
        "language": "en",
    }


def test_each_field_falls_back_to_its_second_tag() -> None:
    head = """
      <meta name="twitter:title" content="Twitter title">
      <meta name="description" content="Plain description">
      <meta property="article:author" content="Jane Roe">
      <meta name="pubdate" content="2024-03-05">
      <meta property="og:updated_time" content="2024-03-06">
      <meta name="news_keywords" content="one,two">
      <meta name="twitter:image" content="https://news.example/tw.jpg">
      <meta property="og:url" content="https://news.example/og-url">
      <meta property="og:locale" content="fr_FR">
    """
    layer = meta_layer(page(head))
    assert layer == {
        "headline": "Twitter title",
        "description": "Plain description",
        "authors": ["Jane Roe"],
        "date_published": "2024-03-05",
        "date_modified": "2024-03-06",
        "section": None,
        "tags": ["one", "two"],
        "image_url": "https://news.example/tw.jpg",
        "canonical_url": "https://news.example/og-url",
        "language": "fr_FR",
    }


def test_keywords_are_read_when_there_is_no_article_tag() -> None:
    assert meta_layer(page('<meta name="keywords" content="a, b">'))["tags"] == ["a", "b"]


def test_the_first_tag_of_a_name_wins_and_names_are_matched_without_case_or_spaces() -> None:
    head = '<meta property=" OG:Title " content="First"><meta property="og:title" content="Second">'
    assert meta_layer(page(head))["headline"] == "First"


def test_property_is_read_before_name() -> None:
    assert meta_layer(page('<meta property="og:title" name="description" content="Both">'))["headline"] == "Both"


def test_empty_or_blank_content_and_nameless_tags_are_skipped() -> None:
    head = """
      <meta property="og:title" content="">
      <meta property="og:title" content="   ">
      <meta content="no name">
      <meta property="og:title">
      <meta property="og:title" content="Real">
    """
    assert meta_layer(page(head))["headline"] == "Real"


def test_no_metadata_gives_a_layer_of_nothing() -> None:
    layer = meta_layer(LexborHTMLParser("<p>bare</p>"))
    assert {key: value for key, value in layer.items() if value} == {}


def test_attribute_entities_are_decoded_once_by_the_parser() -> None:
    head = '<meta property="og:title" content="Tom &amp; Jerry &amp;amp; co">'
    assert meta_layer(page(head))["headline"] == "Tom & Jerry &amp; co"


#: Attributes of a <meta> as pages write them: in any case, twice, prefixed, empty, with or without a value.
META_ATTRIBUTES = st.lists(
    st.tuples(
        st.sampled_from(("property", "name", "content", "PROPERTY", "Name", "xlink:name", "og:property", "charset")),
        st.sampled_from(("", "=", '=""', '="og:title"', "=description", '=" x "', "=&amp;")),
    ).map("".join),
    max_size=6,
).map(" ".join)


@given(attributes=META_ATTRIBUTES)
def test_a_meta_tags_attribute_dict_gives_what_its_attribute_view_gives(attributes: str) -> None:
    """meta_layer reads a tag's ``attributes`` dict (cheaper than the ``attrs`` view when a name is missing):
    whatever the tag's attributes, the dict's values are the view's."""
    for meta in page(f"<meta {attributes}><svg><meta {attributes}></svg>").css("meta"):
        for name in ("property", "name", "content"):
            assert meta.attributes.get(name) == meta.attrs.get(name)


# --- site_metadata_layer -------------------------------------------------------------------------------------------

FIELD_MAP = {"headline": "title", "authors": "writers", "tags": "labels", "article_id": "id", "section": "channel"}


def site_block(data: object) -> LexborHTMLParser:
    text = data if isinstance(data, str) else json.dumps(data)
    return page(body=f'<script id="page-data" type="application/json">{text}</script>')


def test_a_site_block_is_read_through_the_field_map() -> None:
    data = {
        "title": "Site title",
        "writers": "Jane Roe, John Doe",
        "labels": ["x", "y"],
        "id": 1234,
        "channel": "World",
    }
    assert site_metadata_layer(site_block(data), "#page-data", FIELD_MAP) == {
        "headline": "Site title",
        "authors": ["Jane Roe", "John Doe"],
        "tags": ["x", "y"],
        "article_id": "1234",
        "section": "World",
    }


def test_missing_null_object_and_boolean_values_are_left_out() -> None:
    data = {"title": None, "writers": {"name": "An object"}, "labels": True, "id": False}
    assert site_metadata_layer(site_block(data), "#page-data", FIELD_MAP) == {}


@pytest.mark.parametrize("selector", [None, ""])
def test_no_selector_no_layer(selector: str | None) -> None:
    assert site_metadata_layer(site_block({"title": "x"}), selector, FIELD_MAP) == {}


def test_a_selector_that_finds_nothing_gives_nothing() -> None:
    assert site_metadata_layer(site_block({"title": "x"}), "#elsewhere", FIELD_MAP) == {}


@pytest.mark.parametrize("text", ["{broken", "[1, 2, 3]", '"a string"', "", "null"])
def test_a_site_block_that_is_not_a_json_object_gives_nothing(text: str) -> None:
    assert site_metadata_layer(site_block(text), "#page-data", FIELD_MAP) == {}


# --- clean_layer ---------------------------------------------------------------------------------------------------


def test_clean_layer_folds_whitespace_and_drops_empty_values() -> None:
    layer = {
        "headline": "  Harbour \n bridge\u200b reopens ",
        "description": "   ",
        "authors": ["  Jane   Roe ", "", "Jane Roe", 7, "John Doe"],
        "tags": [" ", None],
        "section": None,
        "article_id": 4711,
        "date_published": "",
    }
    assert clean_layer(layer) == {"headline": "Harbour bridge reopens", "authors": ["Jane Roe", "John Doe"]}


def test_clean_layer_keeps_the_paragraphs_of_the_article_body_only() -> None:
    layer = {"article_body": "  First   paragraph. \n\n\n\n Second\tparagraph.  ", "description": "One\n\nTwo"}
    assert clean_layer(layer) == {"article_body": "First paragraph.\n\nSecond paragraph.", "description": "One Two"}


def test_clean_layer_of_a_whole_json_ld_layer() -> None:
    messy = {
        **ARTICLE,
        "headline": "  Spaced   out  ",
        "author": ["Jane Roe", " Jane  Roe", {"name": ""}],
        "keywords": "a,,b, a",
    }
    assert clean_layer(json_ld_layer(page(ld(messy)))) == {
        **clean_layer(json_ld_layer(page(ld(ARTICLE)))),
        "headline": "Spaced out",
        "authors": ["Jane Roe"],
        "tags": ["a", "b"],
    }


def test_urls_escaped_as_html_in_json_ld_are_read_as_the_urls_they_stand_for() -> None:
    # CMSs escape JSON-LD as HTML; a URL is kept verbatim afterwards, so it is decoded here or never.
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "A &amp; B",'
        ' "image": "https://news.example/a.jpg?w=1&amp;h=2", "mainEntityOfPage": "https://news.example/a?x=1&amp;y=2"}'
        "</script></head><body></body></html>"
    )
    article = extract(html, "https://news.example/a?x=1&y=2")
    assert article.main_image is not None and article.main_image.url == "https://news.example/a.jpg?w=1&h=2"
    assert article.canonical_url == "https://news.example/a?x=1&y=2"


def test_a_list_in_the_sites_own_block_gives_a_one_value_field_its_first_text() -> None:
    tree = LexborHTMLParser('<script id="d" type="application/json">{"channel": ["Politics", "World"]}</script>')
    assert site_metadata_layer(tree, "#d", {"section": "channel"}) == {"section": "Politics"}


@pytest.mark.parametrize(
    "html",
    ["", "text", "<html lang=fr><p>", "<svg><html lang=de></svg>", "<html><html lang=en>", "<math><mi><html lang=q>"],
)
def test_the_root_read_for_the_language_is_the_html_element_a_search_finds(html: str) -> None:
    """meta_layer and the shown dates read ``tree.root`` where they searched for ``html``: the same element."""
    tree = LexborHTMLParser(html)
    found = tree.css_first("html")
    assert tree.root is not None and found is not None and tree.root.mem_id == found.mem_id
    assert meta_layer(tree)["language"] == (found.attributes.get("lang") or None)


# --- the layers' elements, found in one search: the same as three ------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]

ELEMENT_PAGES = [
    # Interleaved in head and body, two canonical links, a meta without content, a link of another rel.
    page(
        head='<meta name="a" content="1">' + ld(ARTICLE) + '<link rel="alternate" href="/x"><meta name="b">'
        '<link rel="canonical" href="/first"><META NAME="c" CONTENT="3">',
        body=ld({"@type": "WebPage"}) + '<link rel="canonical" href="/second"><meta property="og:title" content="T">'
        '<svg><meta content="svg"><script type="application/ld+json">{}</script></svg>'
        '<template><meta name="t" content="in a template"></template>',
    ),
    page(),
    page(body="<p>No metadata at all</p>"),
    LexborHTMLParser('<link rel="canonical" href="/only"><script type="application/ld+json">[1]</script>'),
    *(LexborHTMLParser(path.read_text("utf-8")) for path in sorted((ROOT / "snapshots").glob("*/*/page.html"))),
]


def _ids(nodes: list[LexborNode]) -> list[int]:
    return [node.mem_id for node in nodes]


@pytest.mark.parametrize("tree", ELEMENT_PAGES)
def test_the_elements_found_in_one_search_are_those_of_three(tree: LexborHTMLParser) -> None:
    found = metadata_elements(tree)
    assert _ids(found.metas) == _ids(tree.css(META_TAGS))
    assert _ids(found.scripts) == _ids(tree.css(JSON_LD_SCRIPTS))
    canonical = tree.css_first(CANONICAL_LINK)
    assert (found.canonical.mem_id if found.canonical else None) == (canonical.mem_id if canonical else None)
    assert json_ld_layer(tree, found) == json_ld_layer(tree)
    assert meta_layer(tree, found) == meta_layer(tree)
