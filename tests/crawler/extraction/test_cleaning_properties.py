"""crawler.extraction.cleaning on any item: never raises, text fields come out readable, and a second pass changes nothing.

The clean-up runs twice on every crawled item (the extractor's last step, then
the first pipeline stage), so it must be stable: what the snapshot tests see is
what the feed gets.
"""

from __future__ import annotations

import copy
from dataclasses import fields, is_dataclass
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from crawler.extraction.cleaning import clean_item, clean_value, remove_leftovers
from crawler.items import Article, Embed, Image
from tests.articles import assert_valid_article
from tests.strategies import any_text, prose

texts = st.one_of(any_text, prose)
optional_texts = st.one_of(st.none(), texts)
images = st.builds(Image, url=st.just("https://news.example/a.jpg"), caption=optional_texts, alt=optional_texts)
articles = st.builds(
    Article,
    url=st.just("https://news.example/a"),
    language=st.sampled_from([None, "en", "ar", "fa"]),
    headline=optional_texts,
    description=optional_texts,
    authors=st.lists(texts, max_size=3),
    source=optional_texts,
    section=optional_texts,
    tags=st.lists(texts, max_size=3),
    body=st.one_of(st.none(), st.lists(texts, max_size=6).map("\n\n".join)),
    main_image=st.one_of(st.none(), images),
    images=st.lists(images, max_size=2),
    embeds=st.lists(st.builds(Embed, type=st.just("tweet"), url=st.none(), text=optional_texts), max_size=2),
    article_id=optional_texts,
)


def _without_empty(item: Any) -> Any:
    """ "" as None, at any depth: empty means absent (``to_dict`` leaves both out), and the extractor sets None."""
    for field in fields(item):
        value = getattr(item, field.name)
        if value == "" and field.default is None:
            setattr(item, field.name, None)
        for part in value if isinstance(value, list) else [value]:
            if is_dataclass(part):
                _without_empty(part)
    return item


@given(articles)
def test_a_cleaned_item_is_valid_and_cleaning_it_again_changes_nothing(article: Article) -> None:
    once = _without_empty(clean_item(article))
    assert_valid_article(once)
    twice = clean_item(copy.deepcopy(once))
    assert twice == once


@given(texts, st.sampled_from([None, "en", "ar", "fa"]), st.booleans())
def test_clean_value_on_any_text(text: str, language: str | None, paragraphs: bool) -> None:
    cleaned = clean_value(text, language, paragraphs=paragraphs)
    assert isinstance(cleaned, str) and "\x00" not in cleaned
    assert clean_value(cleaned, language, paragraphs=paragraphs) == cleaned


@given(st.lists(texts, max_size=8), st.sets(texts, max_size=3))
def test_remove_leftovers_only_removes_whole_paragraphs(paragraphs: list[str], repeated: set[str]) -> None:
    body = "\n\n".join(paragraphs)
    kept = remove_leftovers(body, repeated)
    original = body.split("\n\n")
    kept_paragraphs = kept.split("\n\n") if kept else []
    iterator = iter(original)
    assert all(any(part == candidate for candidate in iterator) for part in kept_paragraphs)  # a subsequence
