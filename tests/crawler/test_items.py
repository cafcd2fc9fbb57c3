"""The Article's fields, described once on the item: every other list of fields is derived from it."""

from __future__ import annotations

from dataclasses import fields

import pytest

from crawler.extraction.cleaning import clean_item
from crawler.items import NESTED, PARAGRAPHS, TEXT, TEXT_LIST, VERBATIM, Article, Embed, Image, field_names


@pytest.mark.parametrize("item_class", [Article, Image, Embed])
def test_every_field_says_its_kind(item_class: type) -> None:
    kinds = {TEXT, PARAGRAPHS, TEXT_LIST, VERBATIM, NESTED}
    assert all(item_field.metadata.get("kind") in kinds for item_field in fields(item_class))


def test_the_derived_lists() -> None:
    assert field_names(kind=TEXT_LIST) == ("authors", "tags")
    assert field_names(kind=PARAGRAPHS) == ("body",)
    assert set(field_names(content=False)) == {"fetched_at", "duplicate_of", "validation_messages"}
    assert "url" not in field_names(coverage=True) and "duplicate_of" in field_names(coverage=True)


def test_cleaning_follows_the_kinds() -> None:
    article = Article(
        url="https://news.example/a  b", headline="  A   headline &amp; more ", date_published_raw="18  Oct 2021",
        main_image=Image(url="https://news.example/i.jpg?a=1&amp;b=2", caption=" A  caption "),
        embeds=[Embed(type="tweet", url="https://x.example/1", text=" A   tweet ")],
    )  # fmt: skip
    clean_item(article)
    assert article.headline == "A headline & more"  # text: entities decoded, white space folded
    assert article.url == "https://news.example/a  b" and article.date_published_raw == "18  Oct 2021"  # verbatim
    assert article.main_image is not None and article.main_image.url == "https://news.example/i.jpg?a=1&amp;b=2"
    assert article.main_image.caption == "A caption" and article.embeds[0].text == "A tweet"  # nested: field by field
