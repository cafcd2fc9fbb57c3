"""Class and id words: matched inside names, the short ones only at a word's start."""

from selectolax.lexbor import LexborHTMLParser

from crawler.extraction.evidence import NEGATIVE_RE, POSITIVE_RE, PRUNE_NAMES_RE, class_weight


def test_class_words_match_inside_names_and_short_ones_only_at_a_word_start() -> None:
    for name in ("comment-list", "sidebarwidget", "ads", "ad-slot", "top nav", "prev-story", "image-caption"):
        assert NEGATIVE_RE.search(name), name
    for name in ("loads", "bad-x", "unavailable", "canvas", "previews", "nextgen"):
        assert not NEGATIVE_RE.search(name), name
    assert POSITIVE_RE.search("article__body") and not POSITIVE_RE.search("col-md-8")
    assert PRUNE_NAMES_RE.search("photo-credit") and not PRUNE_NAMES_RE.search("share")


def test_class_weight_adds_the_evidence_of_names_and_of_schema_org_markup() -> None:
    """A name for the article, a name against it and ``itemprop="articleBody"`` each weigh the same, and add up.

    Found by mutation testing (docs/mutation-testing.md): the ``articleBody`` bonus was tested nowhere.
    """

    def weight(attributes: str) -> float:
        div = LexborHTMLParser(f"<div {attributes}></div>").css_first("div")
        assert div is not None
        return class_weight(div)

    assert weight("") == 0
    assert weight('class="article-body"') == 25
    assert weight('class="comments"') == -25
    assert weight('id="comments"') == -25  # an id is evidence as a class is
    assert weight('id="ArticleBody"') == 25  # in any case
    assert weight('class="article-comments"') == 0
    assert weight('itemprop="articleBody"') == 25
    assert weight('class="article-body" itemprop="articleBody"') == 50
