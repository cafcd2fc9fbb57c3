"""Images read out of the body before it becomes text: what goes with them and what stays."""

from crawler.extraction.blocks import Block, body_blocks
from crawler.extraction.media import take_images
from crawler.items import Image
from tests.crawler.extraction.test_blocks import node

URL = "https://unknown.example/story"


def test_a_figure_framing_a_table_gives_up_its_picture_and_caption_and_keeps_the_table() -> None:
    # WordPress frames tables in <figure class="wp-block-table">: the table is the article's text, not a picture's.
    container = node(
        '<p>Before.</p><figure class="wp-block-table"><img src="/chart.png" alt="A chart">'
        "<table><tr><td>2019</td><td>1,200</td></tr></table><figcaption>Visitors by year</figcaption></figure>"
        '<figure><img src="/photo.jpg"><figcaption>The minister on Monday</figcaption></figure>'
    )
    assert take_images(container, URL) == [
        Image(url="https://unknown.example/chart.png", caption="Visitors by year", alt="A chart"),
        Image(url="https://unknown.example/photo.jpg", caption="The minister on Monday"),
    ]
    assert container.css("img, figcaption") == []
    assert body_blocks(container) == [Block("p", "Before."), Block("p", "2019"), Block("p", "1,200")]


def test_a_code_listing_framed_as_a_figure_stays_in_the_body_without_its_caption() -> None:
    container = node("<p>Install it:</p><figure><pre>pip install newsframe</pre><figcaption>Installing it</figcaption></figure>")
    assert take_images(container, URL) == []
    assert body_blocks(container) == [Block("p", "Install it:"), Block("p", "pip install newsframe")]
