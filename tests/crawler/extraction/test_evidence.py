"""Class and id words: matched inside names, the short ones only at a word's start."""

from crawler.extraction.evidence import NEGATIVE_RE, POSITIVE_RE, PRUNE_NAMES_RE


def test_class_words_match_inside_names_and_short_ones_only_at_a_word_start() -> None:
    for name in ("comment-list", "sidebarwidget", "ads", "ad-slot", "top nav", "prev-story", "image-caption"):
        assert NEGATIVE_RE.search(name), name
    for name in ("loads", "bad-x", "unavailable", "canvas", "previews", "nextgen"):
        assert not NEGATIVE_RE.search(name), name
    assert POSITIVE_RE.search("article__body") and not POSITIVE_RE.search("col-md-8")
    assert PRUNE_NAMES_RE.search("photo-credit") and not PRUNE_NAMES_RE.search("share")
