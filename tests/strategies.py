"""Hypothesis strategies for what the web sends: any text, any bytes, random HTML pages.

Shared by the property tests of extraction, cleaning, text and dates.  The
pages are built to reach the framework's corners: the site rules' own
selectors (so site layers, not only the generic finder, see odd input),
JSON-LD of any shape, dates in every script, embeds and figures, Persian
words joined by U+200C, and the characters that break naive code (NUL,
lone surrogates, bidi controls, entities).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from hypothesis import strategies as st

#: Every spider's rules, and none.
SITES = ("generic", "almayadeen", "aljazeera", "sadaelbalad", "persian_aggregator")
#: An article URL of each site (matching its article_urls), for the rules to apply as in a crawl.
SITE_URLS = {
    "generic": "https://unknown.example/news/2021/10/18/story",
    "almayadeen": "https://english.almayadeen.net/news/politics/some-story",
    "aljazeera": "https://www.aljazeera.net/news/politics/2021/10/18/story",
    "sadaelbalad": "https://see.news/some-story",
    "persian_aggregator": "https://www.parsinews.ir/fa/news/123456/story",
}

# Any code point at all, surrogates and controls included.
any_char = st.characters(exclude_categories=())
any_text = st.text(any_char, max_size=300)

LATIN = ("Moscow", "said", "the", "minister", "on", "Monday", "NATO", "office", "résumé", "naïve")
ARABIC = ("قال", "وزير", "الخارجية", "الروسي", "إن", "موسكو", "علّقت", "عمل", "مكتب", "الناتو", "٢٠٢١")
PERSIAN = ("وزیر", "امور", "خارجه", "روسیه", "می\u200cگوید", "نمی\u200cخواهد", "خبرگزاری\u200cها", "۱۴۰۰", "مهر")
CJK = ("俄罗斯", "外交部长", "北约", "办公室", "表示", "ニュース", "기사")
ODD = ("\x00", "\ud800", "\udfff", "\u200b", "\u200e", "\u202e", "\ufeff", "\xa0", "\u200c", "\u200d",
       "&amp;", "&lt;", "&#0;", "&#xD800;", "&nbsp;", "<", ">", "\n", "\t", "\r\n", "\ufffd", "\U0001F600",
       "<?php x ?>", "<!--", "</p", "<![CDATA[")  # fmt: skip
DATES = ("2021-10-18T16:51:00+03:00", "18 Oct 2021 16:51", "Mon, 18 Oct 2021 13:51:00 +0000",
         "Thu 23 Sep 2021 | 01:19 PM", "18/10/2021", "18 أكتوبر 2021", "١٨ أكتوبر/ تشرين الأول ٢٠٢١",
         "27 مهر 1400", "۱۴۰۰/۰۷/۲۷ ۱۵:۴۴", "32 مهر 1400", "1400-13-40", "9999-99-99", "0000-00-00T25:61",
         "yesterday", "", "99999999999999999999")  # fmt: skip

words = st.sampled_from(LATIN + ARABIC + PERSIAN + CJK + ODD + DATES)
#: Running text in several scripts, with odd characters mixed in.
prose = st.one_of(
    st.lists(words, max_size=40).map(" ".join),
    st.lists(words, max_size=8).map("".join),
    any_text,
)

TAGS = (
    "p", "div", "span", "article", "section", "main", "header", "footer", "aside", "nav", "h1", "h2", "h3", "h6",
    "blockquote", "ul", "ol", "li", "dl", "dd", "table", "tr", "td", "figure", "figcaption", "a", "b", "i", "em",
    "strong", "time", "pre", "br", "hr", "img", "iframe", "video", "source", "script", "style", "noscript",
    "template", "form", "button", "svg", "picture", "center", "font", "x-custom", "math", "select", "option",
)  # fmt: skip
#: Class names the site rules, the default drop list and the generic finder look for.
CLASSES = (
    "article-header", "title", "p-content", "entry-content", "entry-title", "entry-meta", "news-page",
    "news-body", "news-title", "wysiwyg", "article-header", "main-title", "twitter-tweet", "instagram-media",
    "share", "related", "advertisement", "newsletter", "post-thumbnail", "byline", "author", "tags-links",
    "entry-date published", "content", "story", "comment", "sidebar",
)  # fmt: skip
ATTRIBUTES = ("class", "id", "src", "href", "data-src", "alt", "style", "lang", "hidden", "itemprop", "datetime",
              "rel", "title", "data-instgrm-permalink", "dir")  # fmt: skip
URLS = ("https://example.com/x.jpg", "/relative/path?utm_source=x", "http://[::1", "http://[x]/", "//[",
        "data:image/png;base64,AAAA", "javascript:void(0)", "https://twitter.com/a/status/1", "", " ",
        "https://www.youtube.com/embed/xyz", "\x00", "http://a b/\ud800")  # fmt: skip


@dataclass
class Element:
    tag: str
    attributes: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def render(self) -> str:
        """The element as HTML; text is escaped only sometimes, as on the web."""
        attributes = "".join(f' {name}="{escape(value)}"' for name, value in self.attributes.items())
        inner = "".join(child if isinstance(child, str) else child.render() for child in self.children)
        return f"<{self.tag}{attributes}>{inner}</{self.tag}>"


attribute_values = st.one_of(st.sampled_from(CLASSES), st.sampled_from(URLS), prose)
attributes = st.dictionaries(st.sampled_from(ATTRIBUTES), attribute_values, max_size=3)
text_leaf = st.one_of(prose, prose.map(escape))


def _element(children: st.SearchStrategy[list[Element | str]]) -> st.SearchStrategy[Element]:
    return st.builds(Element, tag=st.sampled_from(TAGS), attributes=attributes, children=children)


#: A random HTML tree: elements with random attributes around text in several scripts.
html_trees = st.recursive(
    text_leaf,
    lambda inner: _element(st.lists(inner, max_size=5)),
    max_leaves=40,
)

#: A random HTML tree as markup (a bare text leaf as it is).
rendered_trees = html_trees.map(lambda tree: tree.render() if isinstance(tree, Element) else tree)


def body_parts(parts: Sequence[str], max_size: int = 12) -> st.SearchStrategy[list[str]]:
    """Pieces of a body to join: the given ``parts`` (the cases a test is about) mixed with random trees."""
    return st.lists(st.one_of(st.sampled_from(parts), rendered_trees), max_size=max_size)


#: JSON values of any shape, as JSON-LD blocks hold them (and do not).
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), prose, st.sampled_from(DATES)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                (
                    "@type",
                    "@id",
                    "@graph",
                    "headline",
                    "name",
                    "author",
                    "datePublished",
                    "dateModified",
                    "image",
                    "url",
                    "keywords",
                    "articleBody",
                    "articleSection",
                    "identifier",
                    "inLanguage",
                    "mainEntityOfPage",
                    "description",
                    "thumbnailUrl",
                    "uploadDate",
                )
            ),
            inner,
            max_size=6,
        ),
    ),
    max_leaves=20,
)
json_ld_objects = st.fixed_dictionaries(
    {"@type": st.sampled_from(("NewsArticle", "Article", ["NewsArticle", "WebPage"], "Person", 5))},
    optional={"headline": json_values, "datePublished": st.one_of(st.sampled_from(DATES), json_values),
              "author": json_values, "image": json_values, "articleBody": st.one_of(prose, json_values),
              "keywords": json_values, "url": st.one_of(st.sampled_from(URLS), json_values),
              "@graph": json_values},
)  # fmt: skip


def _json_ld(value: object) -> str:
    text = json.dumps(value, ensure_ascii=True)  # ASCII: lone surrogates travel as \\ud800 escapes
    return f'<script type="application/ld+json">{text}</script>'


meta_tags = st.lists(
    st.tuples(
        st.sampled_from(
            (
                "og:title",
                "og:description",
                "article:published_time",
                "article:modified_time",
                "og:image",
                "article:tag",
                "keywords",
                "author",
                "og:url",
                "og:locale",
                "description",
                "pubdate",
            )
        ),
        st.one_of(prose, st.sampled_from(DATES), st.sampled_from(URLS)),
    ).map(lambda pair: f'<meta property="{pair[0]}" content="{escape(pair[1])}">'),
    max_size=6,
).map("".join)

head_parts = st.lists(
    st.one_of(
        meta_tags,
        json_ld_objects.map(_json_ld),
        json_values.map(_json_ld),
        st.sampled_from(URLS).map(lambda url: f'<link rel="canonical" href="{escape(url)}">'),
        st.sampled_from(
            (
                '<script type="application/ld+json">{"@type": "NewsArticle", "headline": ',
                '<script type="application/ld+json">' + "[" * 3000 + "]" * 3000 + "</script>",
            )
        ),
    ),
    max_size=4,
).map("".join)


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """A whole page: a head of metadata, a body of random trees, sometimes cut off anywhere."""
    lang = draw(st.sampled_from(("", ' lang="en"', ' lang="ar"', ' lang="fa-IR"', ' lang="\x00"', " lang")))
    body = "".join(
        tree.render() if isinstance(tree, Element) else tree for tree in draw(st.lists(html_trees, max_size=4))
    )
    page = f"<!DOCTYPE html><html{lang}><head>{draw(head_parts)}</head><body>{body}</body></html>"
    if draw(st.booleans()):
        page = page[: draw(st.integers(0, len(page)))]
    return page


#: Persian sentences whose words are joined by U+200C (ZWNJ), which must come out as written.
persian_sentences = st.lists(st.sampled_from(PERSIAN), min_size=3, max_size=30).map(" ".join)
