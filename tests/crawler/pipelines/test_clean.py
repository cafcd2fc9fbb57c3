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
