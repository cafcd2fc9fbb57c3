import copy
from collections.abc import Callable

import pytest
from itemadapter import ItemAdapter

from crawler.extraction import cleaning
from crawler.extraction.cleaning import clean_item
from crawler.items import Article, Image
from crawler.pipelines.clean import CleanTextPipeline

ZWNJ = "\u200c"


def test_whitespace_and_invisible_characters_are_cleaned_text_is_not() -> None:
    article = Article(
        url="https://news.example/a",
        headline="  “Lavrov”:\u200b Russia\u00a0suspends  ",
        body=f" First\u00a0 paragraph. \n\n \n\n\u200fSecond ۱۴۰۰ رسانه{ZWNJ}ها ",
        tags=[" Nato ", "", "\u200b"],
        main_image=Image(url="https://news.example/a.jpg", caption=" A  caption "),
    )
    cleaned = CleanTextPipeline().process_item(article)
    assert cleaned.headline == "“Lavrov”: Russia suspends"
    assert cleaned.body == f"First paragraph.\n\nSecond ۱۴۰۰ رسانه{ZWNJ}ها"
    assert cleaned.tags == ["Nato"]
    assert cleaned.main_image.caption == "A caption"


def test_dict_items_work_too() -> None:
    assert CleanTextPipeline().process_item({"headline": " a  b "}) == {"headline": "a b"}


def _dirty() -> Article:
    return Article(
        url="https://news.example/a",
        headline=" A  headline ",
        body="First  paragraph.\n\nRead more: another story",
        tags=[" Nato "],
        main_image=Image(url="https://news.example/a.jpg", caption=" A  caption "),
    )


def test_an_item_cleaned_before_is_not_cleaned_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The extractor cleans its articles and the stage cleans every item: an article unchanged since is let be."""
    article, expected = clean_item(_dirty()), clean_item(_dirty())
    calls: list[object] = []
    real = cleaning._clean_fields
    monkeypatch.setattr(cleaning, "_clean_fields", lambda *args: calls.append(args) or real(*args))
    assert CleanTextPipeline().process_item(article) is article
    assert calls == [] and article == expected
    copied = copy.deepcopy(article)  # a copy is as clean as its original
    assert CleanTextPipeline().process_item(copied) == article and calls == []


@pytest.mark.parametrize(
    "change",
    [
        lambda article: setattr(article, "headline", " New  headline "),
        lambda article: article.tags.append(" Dirty  tag "),
        lambda article: setattr(article.main_image, "caption", " Edited  caption "),
        lambda article: setattr(article, "images", [Image(url="https://news.example/b.jpg", alt=" b  ")]),
        lambda article: setattr(article, "body", article.body + "\n\n\n\nMore  text "),
        lambda article: setattr(article, "language", "fa"),
    ],
)
def test_a_change_after_cleaning_is_cleaned(change: Callable[[Article], None]) -> None:
    """What was changed since the item was cleaned is cleaned by the stage: the item is as if cleaned now."""
    article = clean_item(_dirty())
    change(article)
    expected = copy.deepcopy(article)
    expected.__dict__.pop(cleaning.CLEANED_STATE)
    assert CleanTextPipeline().process_item(article) == cleaning.clean_item(expected)
    assert article.headline is not None and "  " not in article.headline


def test_what_cleaning_keeps_is_no_field() -> None:
    """The cleaned state is beside the fields: never exported, compared or stored."""
    article = clean_item(_dirty())
    assert cleaning.CLEANED_STATE in vars(article)
    assert cleaning.CLEANED_STATE not in ItemAdapter(article).asdict()
    assert cleaning.CLEANED_STATE not in article.to_dict()
    assert article == clean_item(_dirty())


def test_items_whose_values_are_not_kept_are_always_cleaned() -> None:
    """A value whose state is not taken (a tuple here) leaves no state: the item is cleaned every time."""
    article = _dirty()
    article.tags = (" a ",)  # type: ignore[assignment]
    clean_item(article)
    assert cleaning.CLEANED_STATE not in vars(article)
    article.headline = " Again  "
    assert CleanTextPipeline().process_item(article).headline == "Again"
