import pytest

from crawler.extraction.cleaning import clean_item, remove_leftovers
from crawler.items import Article, Image

ZWNJ = "\u200c"


def article(**fields: object) -> Article:
    return Article(url="https://news.example/a", **fields)  # type: ignore[arg-type]


def test_entities_left_in_text_are_decoded_and_nothing_else_changes() -> None:
    item = clean_item(article(headline="Rock &amp; roll “quoted” ١٤٠٠", body="AT&T said &quot;no&quot;."))
    assert item.headline == "Rock & roll “quoted” ١٤٠٠"
    assert item.body == 'AT&T said "no".'


def test_paragraphs_repeating_the_headline_or_a_caption_go() -> None:
    item = clean_item(
        article(
            headline="Lavrov: Russia Never Plans to Join NATO",
            body="Lavrov: Russia Never Plans to Join NATO\n\nText.\n\nA caption (AFP)\n\nMore text.",
            main_image=Image(url="https://news.example/a.jpg", caption="A caption (AFP)"),
        )
    )
    assert item.body == "Text.\n\nMore text."


@pytest.mark.parametrize(
    "teaser",
    ["Read more: Lavrov meets Stoltenberg", "Read more", "اقرأ أيضا: لافروف يلتقي ستولتنبرغ", "بیشتر بخوانید: لاوروف"],
)
def test_read_more_one_liners_at_the_end_go(teaser: str) -> None:
    assert remove_leftovers(f"First.\n\nLast.\n\n{teaser}", set()) == "First.\n\nLast."


def test_a_real_last_paragraph_that_starts_like_a_teaser_stays() -> None:
    body = "First.\n\nRelated measures were announced on Monday."
    assert remove_leftovers(body, set()) == body
    assert remove_leftovers("Read more: in the middle\n\nLast.", set()) == "Read more: in the middle\n\nLast."


def test_persian_items_get_persian_letters_and_tidy_zwnj_arabic_items_keep_theirs() -> None:
    persian = clean_item(
        article(language="fa", headline=f"ايده مسكو  می{ZWNJ}{ZWNJ}گويند", date_published_raw="۲۷ مهر")
    )
    assert persian.headline == f"ایده مسکو می{ZWNJ}گویند"
    assert persian.date_published_raw == "۲۷ مهر"
    arabic = clean_item(article(language="ar", headline="الذي كان يقوّض ١٨ أكتوبر"))
    assert arabic.headline == "الذي كان يقوّض ١٨ أكتوبر"


# --- found by mutation testing (docs/mutation-testing.md) ----------------------------------------------------------


def test_a_read_more_line_goes_even_from_a_body_that_also_repeats_a_caption() -> None:
    """A body holding a repeated caption is read paragraph by paragraph; its closing teaser still goes."""
    body = "First.\n\nA caption (AFP)\n\nLast.\n\nRead more: Lavrov meets Stoltenberg"
    assert remove_leftovers(body, {"A caption (AFP)"}) == "First.\n\nLast."


def test_a_paragraph_repeating_a_gallery_caption_goes() -> None:
    """Not only the main image's caption: each picture of the body's gallery is read apart, so its caption is too."""
    item = clean_item(
        article(
            body="Text.\n\nThe harbour at dawn\n\nMore text.",
            images=[
                Image(url="https://news.example/1.jpg"),
                Image(url="https://news.example/2.jpg", caption="The harbour at dawn"),
            ],
        )
    )
    assert item.body == "Text.\n\nMore text."


def test_persian_letters_are_unified_in_lists_and_in_images_too() -> None:
    """The item's language reaches every text it holds: its tags, authors and its pictures' captions."""
    item = clean_item(
        article(
            language="fa",
            tags=["كتاب", "ايران"],
            main_image=Image(url="https://news.example/a.jpg", caption="نمايشگاه كتاب"),
        )
    )
    assert item.tags == ["کتاب", "ایران"]
    assert item.main_image is not None and item.main_image.caption == "نمایشگاه کتاب"


def test_one_line_fields_and_list_items_are_folded_to_one_line() -> None:
    """Only the body keeps its paragraphs: a headline or a tag with a line break in the markup is one line."""
    item = clean_item(article(headline="The minister\n\n  resigns", tags=["Foreign\npolicy"], body="One.\n\nTwo."))
    assert item.headline == "The minister resigns"
    assert item.tags == ["Foreign policy"]
    assert item.body == "One.\n\nTwo."
