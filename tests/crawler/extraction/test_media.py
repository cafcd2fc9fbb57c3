"""Images read out of the body before it becomes text: what goes with them and what stays."""

import pytest
from hypothesis import given
from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.extraction.blocks import Block, body_blocks
from crawler.extraction.media import (
    IMAGE_SOURCE_ATTRIBUTES,
    TEXT_IN_FIGURES,
    _take_players,
    _take_posts,
    image_from,
    image_source,
    take_embeds,
    take_images,
)
from crawler.items import Embed, Image
from tests.crawler.extraction.test_blocks import node
from tests.strategies import body_parts

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
    container = node(
        "<p>Install it:</p><figure><pre>pip install newsframe</pre><figcaption>Installing it</figcaption></figure>"
    )
    assert take_images(container, URL) == []
    assert body_blocks(container) == [Block("p", "Install it:"), Block("p", "pip install newsframe")]


# --- image_source: which attribute holds the picture ---------------------------------------------------------------

BASE = "https://news.example/world/2024/story.html"


def img(attributes: str):
    found = LexborHTMLParser(f"<img {attributes}>").css_first("img")
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("attributes", "url"),
    [
        ('src="/img/a.jpg"', "https://news.example/img/a.jpg"),
        ('src="b.jpg"', "https://news.example/world/2024/b.jpg"),
        ('src="//cdn.example/c.jpg"', "https://cdn.example/c.jpg"),
        ('data-src="/lazy.jpg"', "https://news.example/lazy.jpg"),
        ('data-lazy-src="/lazier.jpg"', "https://news.example/lazier.jpg"),
        ('data-original="/original.jpg"', "https://news.example/original.jpg"),
        ('src="  /spaced.jpg  "', "https://news.example/spaced.jpg"),
    ],
)
def test_each_source_attribute_is_read(attributes: str, url: str) -> None:
    assert image_source(img(attributes), BASE) == url


def test_src_wins_then_data_src_then_data_lazy_src_then_data_original() -> None:
    every = 'src="/1.jpg" data-src="/2.jpg" data-lazy-src="/3.jpg" data-original="/4.jpg"'
    assert image_source(img(every), BASE) == "https://news.example/1.jpg"
    assert image_source(img(every.replace('src="/1.jpg" ', "", 1)), BASE) == "https://news.example/2.jpg"
    assert image_source(img('data-lazy-src="/3.jpg" data-original="/4.jpg"'), BASE) == "https://news.example/3.jpg"
    assert IMAGE_SOURCE_ATTRIBUTES[0] == "src"


@pytest.mark.parametrize(
    "placeholder",
    ['src="data:image/gif;base64,R0lGODlhAQABAAAAACw="', 'src=""', 'src="   "', ""],
)
def test_a_lazy_loader_placeholder_gives_way_to_the_real_picture(placeholder: str) -> None:
    assert image_source(img(f'{placeholder} data-src="/real.jpg"'), BASE) == "https://news.example/real.jpg"
    assert image_source(img(f'{placeholder} data-lazy-src="/real.jpg"'), BASE) == "https://news.example/real.jpg"


@pytest.mark.parametrize(
    "attributes",
    [
        "",
        'src="data:image/png;base64,iVBORw0KGgo="',
        'alt="no source"',
        'srcset="data:image/png;base64,iVBORw0KGgo= 1x"',
        'src="http://[::1"',
    ],
)
def test_no_usable_source_is_no_image(attributes: str) -> None:
    assert image_source(img(attributes), BASE) is None
    assert image_from(img(attributes), BASE) is None


# --- image_from: a figure with its caption, or a bare img ----------------------------------------------------------


def test_a_figure_gives_its_image_caption_and_alt() -> None:
    figure = node(
        '<figure><a href="/big.jpg"><img data-src="/pic.jpg" src="data:image/gif;base64,R0l" alt="  The  harbour\n bridge "></a>'
        "<figcaption>The bridge on <b>Monday</b>. <span>Photo: Jane Roe</span></figcaption></figure>"
    ).css_first("figure")
    assert image_from(figure, BASE) == Image(
        url="https://news.example/pic.jpg", caption="The bridge on Monday. Photo: Jane Roe", alt="The harbour bridge"
    )


def test_a_bare_img_has_no_caption_even_beside_a_figcaption() -> None:
    figure = node('<figure><img src="/a.jpg" alt=""><figcaption>Caption</figcaption></figure>').css_first("img")
    assert image_from(figure, BASE) == Image(url="https://news.example/a.jpg", caption=None, alt=None)


def test_an_empty_caption_is_none_and_a_figure_without_an_img_is_no_image() -> None:
    figure = node('<figure><img src="/a.jpg"><figcaption>  </figcaption></figure>').css_first("figure")
    assert image_from(figure, BASE) == Image(url="https://news.example/a.jpg")
    assert image_from(node("<figure><figcaption>Only words</figcaption></figure>").css_first("figure"), BASE) is None


def test_a_picture_element_gives_its_img() -> None:
    figure = node(
        '<figure><picture><source srcset="/a.webp" type="image/webp"><img src="/a.jpg"></picture>'
        "<figcaption>Caption</figcaption></figure>"
    ).css_first("figure")
    assert image_from(figure, BASE) == Image(url="https://news.example/a.jpg", caption="Caption")


# --- take_images: read and removed ---------------------------------------------------------------------------------


def test_figures_and_stray_images_are_all_read_and_all_removed() -> None:
    container = node(
        "<p>Lead paragraph.</p>"
        '<figure><img src="/one.jpg"><figcaption>One</figcaption></figure>'
        '<p>Middle <img data-src="/inline.jpg" alt="inline"> text.</p>'
        '<figure><img data-lazy-src="/two.jpg"><figcaption>Two</figcaption></figure>'
        '<figure class="empty"><figcaption>A figure with no picture</figcaption></figure>'
        '<p>End.</p><img src="data:image/gif;base64,R0l">'
    )
    images = take_images(container, BASE)
    assert images == [  # in the page's order
        Image(url="https://news.example/one.jpg", caption="One"),
        Image(url="https://news.example/inline.jpg", alt="inline"),
        Image(url="https://news.example/two.jpg", caption="Two"),
    ]
    assert container.css("img, figure, figcaption") == []
    assert body_blocks(container) == [Block("p", "Lead paragraph."), Block("p", "Middle text."), Block("p", "End.")]


def test_a_lazy_image_is_not_lost() -> None:
    for attribute in ("data-src", "data-lazy-src", "data-original"):
        container = node(
            f'<figure><img {attribute}="/lazy.jpg"><figcaption>Lazy</figcaption></figure><img {attribute}="/stray.jpg">'
        )
        assert take_images(container, BASE) == [
            Image(url="https://news.example/lazy.jpg", caption="Lazy"),
            Image(url="https://news.example/stray.jpg"),
        ], attribute


def test_no_images_no_change() -> None:
    container = node("<p>Only text.</p>")
    assert take_images(container, BASE) == []
    assert body_blocks(container) == [Block("p", "Only text.")]


# --- take_embeds: tweets, Instagram, players -----------------------------------------------------------------------

TWEET = (
    '<blockquote class="twitter-tweet" data-lang="en"><p lang="en" dir="ltr">The bridge is <a href="https://t.co/x">open</a>'
    " again!</p>&mdash; City Hall (@cityhall) "
    '<a href="https://twitter.com/cityhall">@cityhall</a> '
    '<a href="https://twitter.com/cityhall/status/1234567890?ref_src=twsrc%5Etfw&amp;s=20#frag">March 5, 2024</a></blockquote>'
    '<script async src="https://platform.twitter.com/widgets.js"></script>'
)


def test_a_tweet_is_kept_with_its_status_url_and_text_and_removed() -> None:
    container = node(f"<p>Before.</p>{TWEET}<p>After.</p>")
    assert take_embeds(container, BASE) == [
        Embed(type="tweet", url="https://twitter.com/cityhall/status/1234567890?s=20", text="The bridge is open again!")
    ]
    assert container.css("blockquote") == []
    assert body_blocks(container) == [Block("p", "Before."), Block("p", "After.")]


def test_the_last_status_link_of_a_tweet_is_its_url() -> None:
    tweet = (
        '<blockquote class="twitter-video"><p>Quoting <a href="https://x.com/other/status/1">another</a></p>'
        '<a href="https://x.com/me/status/2">March 5</a><a href="https://x.com/me">profile</a></blockquote>'
    )
    (embed,) = take_embeds(node(tweet), BASE)
    assert embed == Embed(type="tweet", url="https://x.com/me/status/2", text="Quoting another")


def test_a_tweet_without_a_paragraph_or_status_link_keeps_its_whole_text_and_no_url() -> None:
    (embed,) = take_embeds(
        node('<blockquote class="twitter-tweet">Just <b>words</b> <a href="/x">here</a></blockquote>'), BASE
    )
    assert embed == Embed(type="tweet", url=None, text="Just words here")


def test_an_instagram_post_is_kept_by_its_permalink_without_tracking() -> None:
    container = node(
        '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/ABC/?utm_source=ig_embed&amp;igshid=1">'
        "<p>caption text</p></blockquote><p>Text.</p>"
    )
    assert take_embeds(container, BASE) == [Embed(type="instagram", url="https://www.instagram.com/p/ABC/")]
    assert body_blocks(container) == [Block("p", "Text.")]


def test_an_instagram_post_without_a_permalink_is_still_taken_out() -> None:
    container = node('<blockquote class="instagram-media"><p>caption</p></blockquote>')
    assert take_embeds(container, BASE) == [Embed(type="instagram", url=None)]
    assert container.css("blockquote") == []


@pytest.mark.parametrize(
    ("player", "embed"),
    [
        ('<iframe src="https://www.youtube.com/embed/abc"></iframe>', Embed(type="video", url="https://www.youtube.com/embed/abc")),
        ('<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>', Embed(type="video", url="https://www.youtube-nocookie.com/embed/abc")),
        ('<iframe src="https://player.vimeo.com/video/1"></iframe>', Embed(type="video", url="https://player.vimeo.com/video/1")),
        ('<iframe src="//www.dailymotion.com/embed/video/x"></iframe>', Embed(type="video", url="https://www.dailymotion.com/embed/video/x")),
        ('<iframe src="https://maps.example/embed?q=harbour"></iframe>', Embed(type="iframe", url="https://maps.example/embed?q=harbour")),
        ('<iframe src=" /widgets/poll.html "></iframe>', Embed(type="iframe", url="https://news.example/widgets/poll.html")),
        ('<video src="/media/clip.mp4" controls></video>', Embed(type="video", url="https://news.example/media/clip.mp4")),
        ('<video controls><source src="/media/clip.webm" type="video/webm"></video>', Embed(type="video", url="https://news.example/media/clip.webm")),
    ],
)  # fmt: skip
def test_players_are_kept_as_videos_or_iframes_and_removed(player: str, embed: Embed) -> None:
    container = node(f"<p>Before.</p>{player}<p>After.</p>")
    assert take_embeds(container, BASE) == [embed]
    assert container.css("iframe[src], video[src], source[src]") == []  # a <video> of <source>s stays, empty
    assert body_blocks(container) == [Block("p", "Before."), Block("p", "After.")]


def test_a_player_with_a_broken_src_is_removed_with_nothing_kept() -> None:
    container = node('<p>Text.</p><iframe src="http://[::1"></iframe>')
    assert take_embeds(container, BASE) == []
    assert container.css("iframe") == []


def test_iframes_without_src_and_ordinary_quotes_are_left_alone() -> None:
    container = node('<blockquote><p>A quote.</p></blockquote><iframe title="no source"></iframe>')
    assert take_embeds(container, BASE) == []
    assert len(container.css("blockquote, iframe")) == 2


def test_embeds_in_order_of_kind_tweets_then_instagram_then_players() -> None:
    container = node(
        '<iframe src="https://www.youtube.com/embed/v"></iframe>'
        '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/P/"></blockquote>'
        '<blockquote class="twitter-tweet"><p>tweet</p><a href="https://twitter.com/a/status/9">d</a></blockquote>'
    )
    assert [embed.type for embed in take_embeds(container, BASE)] == ["tweet", "instagram", "video"]


@pytest.mark.parametrize(
    ("src", "kind"),
    [
        ("https://www.youtube.com/embed/1", "video"),
        ("https://player.vimeo.com/video/1", "video"),
        ("https://www.dropbox.com/s/1", "iframe"),  # ends in "x.com", is no video site
        ("https://www.netflix.com/watch/1", "iframe"),
        ("https://notyoutube.com/embed/1", "iframe"),
    ],
)
def test_an_iframe_is_a_video_only_on_a_video_site_or_its_subdomains(src: str, kind: str) -> None:
    (embed,) = take_embeds(node(f'<div><iframe src="{src}"></iframe></div>'), BASE)
    assert embed.type == kind


# --- source sets, and players with several sources ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ('srcset="/only-srcset.jpg 1x"', "/only-srcset.jpg"),
        ('srcset="/small.jpg 480w, /large.jpg 1200w, /medium.jpg 800w"', "/large.jpg"),
        ('srcset="/a.jpg, /b.jpg 2x"', "/b.jpg"),
        ('data-srcset="/lazy-small.jpg 1x, /lazy-big.jpg 3x"', "/lazy-big.jpg"),
        # An image service's address holds commas; only a comma after the descriptors separates candidates.
        ('srcset="/img/w_300,h_200/a.jpg 300w, /img/w_900,h_600/a.jpg 900w"', "/img/w_900,h_600/a.jpg"),
        ('src="/given.jpg" srcset="/other.jpg 2000w"', "/given.jpg"),  # a src is the author's choice
    ],
)
def test_an_image_given_only_as_a_source_set_is_read_at_its_widest(attributes: str, expected: str) -> None:
    assert image_source(img(attributes), BASE) == "https://news.example" + expected


def test_a_picture_whose_img_has_no_source_is_read_from_its_sources() -> None:
    container = node(
        '<figure><picture><source type="image/webp" srcset="/a.webp 640w, /a-big.webp 1280w">'
        '<img alt="Lavrov"></picture><figcaption>Lavrov</figcaption></figure>'
    )
    assert take_images(container, BASE) == [
        Image(url="https://news.example/a-big.webp", caption="Lavrov", alt="Lavrov")
    ]


def test_a_video_with_several_formats_is_one_embed() -> None:
    container = node(
        '<video controls><source src="/clip.webm" type="video/webm"><source src="/clip.mp4" type="video/mp4"></video>'
        '<video src="/other.mp4"><source src="/other.webm"></video>'
        "<p>Text.</p>"
    )
    assert take_embeds(container, BASE) == [
        Embed(type="video", url="https://news.example/clip.webm"),
        Embed(type="video", url="https://news.example/other.mp4"),
    ]
    assert container.css("video, source") == []


@pytest.mark.parametrize("player", ['<iframe src=""></iframe>', "<iframe src='  '></iframe>", "<video></video>"])
def test_a_player_with_no_address_is_removed_and_no_embed_points_at_the_page(player: str) -> None:
    container = node(player + "<p>Text.</p>")
    assert take_embeds(container, BASE) == []
    assert container.css("iframe, video") == []


def test_figures_inside_a_figure_are_each_read_once() -> None:
    """A gallery frames a figure per picture; a wrapper figure frames one: every picture once, none twice."""
    container = node(
        '<figure class="gallery"><figure><img src="/a.jpg"><figcaption>A</figcaption></figure>'
        '<figure><img src="/b.jpg"><figcaption>B</figcaption></figure><figcaption>Both</figcaption></figure>'
        '<figure data-wrapper><figure class="image-wrapper"><img src="/c.jpg"><figcaption>C</figcaption>'
        "</figure></figure>"
        # An unclosed <figure> opens one inside it: the picture is the outer one's.
        '<figure><img src="/d.jpg" alt="D"><figure></figure>'
    )
    assert take_images(container, BASE) == [
        Image(url="https://news.example/a.jpg", caption="A"),
        Image(url="https://news.example/b.jpg", caption="B"),
        Image(url="https://news.example/c.jpg", caption="C"),
        Image(url="https://news.example/d.jpg", alt="D"),
    ]
    assert container.css("img, figure, figcaption") == []


# --- found by mutation testing (docs/mutation-testing.md) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ('srcset="/a.jpg"', "/a.jpg"),  # one candidate, no descriptor, nothing after it
        ('srcset="/a.jpg 1x, /b.jpg 2x, "', "/b.jpg"),  # a trailing comma and space
        ('srcset="/a.jpg, /b.jpg 1x"', "/a.jpg"),  # equal sizes: the first; a comma right after the URL ends it
        ('srcset="data:image/gif;base64,R0lGOD 1x, /real.jpg 2x"', "/real.jpg"),  # a placeholder first
    ],
)
def test_source_sets_written_loosely_still_give_their_picture(attributes: str, expected: str) -> None:
    """Lazy loaders and CMSs write source sets every way the standard allows; none may lose the picture."""
    assert image_source(img(attributes), BASE) == "https://news.example" + expected


def test_a_figure_around_a_figure_gives_its_own_picture() -> None:
    """The outer figure's picture and caption are its own, not those of the figure nested inside it:
    each picture once, with its caption."""
    container = node(
        '<figure><figure><img src="/inner.jpg"><figcaption>Inner</figcaption></figure>'
        '<img src="/outer.jpg"><figcaption>Outer</figcaption></figure>'
    )
    assert take_images(container, BASE) == [
        Image(url="https://news.example/outer.jpg", caption="Outer"),
        Image(url="https://news.example/inner.jpg", caption="Inner"),
    ]


def test_relative_tweet_and_instagram_links_are_made_absolute() -> None:
    """An embed's address must work off the page: a relative status link or permalink is resolved against it."""
    container = node(
        '<blockquote class="twitter-tweet"><p>Hello</p><a href="/cityhall/status/42">March 5</a></blockquote>'
        '<blockquote class="instagram-media" data-instgrm-permalink="/p/ABC/"></blockquote>'
    )
    assert take_embeds(container, "https://twitter.com/home") == [
        Embed(type="tweet", url="https://twitter.com/cityhall/status/42", text="Hello"),
        Embed(type="instagram", url="https://twitter.com/p/ABC/"),
    ]


def test_a_video_site_written_with_a_trailing_dot_is_still_a_video_site() -> None:
    """``www.youtube.com.`` is the same host as ``www.youtube.com`` (a fully qualified name)."""
    (embed,) = take_embeds(node('<div><iframe src="https://www.youtube.com./embed/1"></iframe></div>'), BASE)
    assert embed.type == "video"


def test_a_video_whose_only_source_is_empty_gives_no_embed() -> None:
    """``<source src="">`` is no address: no embed may point at the page itself."""
    container = node('<video controls><source src=""></video><p>Text.</p>')
    assert take_embeds(container, BASE) == []


# --- fewer searches, the same reading ------------------------------------------------------------------------------

#: Figures, images and embeds as bodies hold them: nested in each other, framing text, or of two kinds at once.
MEDIA_PARTS = (
    '<img src="/a.jpg">', "<img>", '<figure><img src="/b.jpg"><figcaption>B</figcaption></figure>',
    '<figure><figure><img src="/c.jpg"></figure><img src="/d.jpg"></figure>', "<figure><pre>code</pre></figure>",
    '<figure><table><tr><td><img src="/e.jpg"></td></tr></table><picture><img src="/f.jpg"></picture></figure>',
    '<blockquote class="twitter-tweet"><p>Tweet</p><a href="https://twitter.com/a/status/1">x</a></blockquote>',
    '<blockquote class="instagram-media" data-instgrm-permalink="https://instagram.com/p/1"></blockquote>',
    '<blockquote class="twitter-tweet instagram-media"><iframe src="/v"></iframe></blockquote>',
    '<blockquote class="twitter-tweet"><blockquote class="twitter-video">inner</blockquote></blockquote>',
    '<iframe src="https://www.youtube.com/embed/x"></iframe>', "<iframe></iframe>", '<video src="/v.mp4"></video>',
    "<blockquote>A quote</blockquote>", "<p>text</p>",
)  # fmt: skip
media_bodies = body_parts(MEDIA_PARTS, max_size=10).map("".join)


@given(media_bodies)
def test_embeds_are_read_and_removed_as_by_a_search_for_each_kind(body: str) -> None:
    """take_embeds searches for a kind only where one search for all found its tag: it reads as searching for each did."""
    container, searched = node(body), node(body)
    assert take_embeds(container, URL) == _take_posts(searched, URL, None) + _take_players(searched, URL, None)
    assert container.html == searched.html


@given(media_bodies)
def test_images_are_removed_as_by_searching_again_for_figures_and_images(body: str) -> None:
    """take_images removes the figures it found, and without figures the images it found, not searching again."""
    container, searched = node(body), node(body)
    assert take_images(container, URL) == _old_take_images(searched)
    assert container.html == searched.html


def _old_take_images(container: LexborNode) -> list[Image]:
    """take_images as it was: it read, then searched again for the figures, then for the images left."""
    images = take_images(node(container.html), URL)  # the reading is unchanged
    for figure in container.css("figure"):
        if figure.css_first(TEXT_IN_FIGURES) is None:
            figure.decompose()
        else:
            for picture in figure.css("img, picture, figcaption"):
                picture.decompose()
    for img in container.css("img"):
        img.decompose()
    return images
