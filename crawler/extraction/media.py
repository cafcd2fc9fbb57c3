"""Images and embeds: read out of the body before it becomes text.

A caption is part of the article but not of its running text, and an
embedded tweet is someone else's words: both are kept, apart from the body.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from crawler.extraction.blocks import inline_text
from crawler.items import Embed, Image
from crawler.urls import absolute_url, strip_tracking

TWEET_SELECTOR = "blockquote.twitter-tweet, blockquote.twitter-video"
INSTAGRAM_SELECTOR = "blockquote.instagram-media"
VIDEO_HOSTS = (
    "youtube.com", "youtube-nocookie.com", "youtu.be", "vimeo.com", "dailymotion.com",
    "facebook.com", "rumble.com", "twitter.com", "x.com",
)  # fmt: skip

#: Attributes lazy-loading scripts use instead of ``src``, in order of preference.
IMAGE_SOURCE_ATTRIBUTES = ("src", "data-src", "data-lazy-src", "data-original")


def image_source(img: LexborNode, base_url: str) -> str | None:
    for attribute in IMAGE_SOURCE_ATTRIBUTES:
        value = (img.attrs.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return absolute_url(base_url, value)
    return None


def image_from(node: LexborNode, base_url: str) -> Image | None:
    """An ``Image`` from a ``figure`` (with its ``figcaption``) or an ``img``."""
    img = node if node.tag == "img" else node.css_first("img")
    if img is None:
        return None
    url = image_source(img, base_url)
    if not url:
        return None
    caption_node = node.css_first("figcaption") if node.tag != "img" else None
    caption = inline_text(caption_node) if caption_node else None
    alt = " ".join((img.attrs.get("alt") or "").split()) or None
    return Image(url=url, caption=caption or None, alt=alt)


#: What a ``<figure>`` may frame that is text, not a picture (``<figure class="wp-block-table">``).
TEXT_IN_FIGURES = "table, pre"


def take_images(container: LexborNode, base_url: str) -> list[Image]:
    """Read every figure and stray image of the container, and remove them from it."""
    images = []
    for figure in container.css("figure"):
        image = image_from(figure, base_url)
        if image:
            images.append(image)
        if figure.css_first(TEXT_IN_FIGURES) is None:
            figure.decompose()
        else:  # a table or a code listing framed as a figure is text of the body: only its pictures go
            for picture in figure.css("img, picture, figcaption"):
                picture.decompose()
    for img in container.css("img"):
        image = image_from(img, base_url)
        if image:
            images.append(image)
        img.decompose()
    return images


def take_embeds(container: LexborNode, base_url: str) -> list[Embed]:
    """Read tweets, Instagram posts and video players, and remove them from the container."""
    embeds = []
    for tweet in container.css(TWEET_SELECTOR):
        status_links = [a.attributes.get("href") or "" for a in tweet.css("a[href]")]
        status = next((href for href in reversed(status_links) if "/status/" in href), None)
        text_node = tweet.css_first("p")
        embeds.append(
            Embed(
                type="tweet",
                url=_embed_url(base_url, status),
                text=inline_text(text_node) if text_node else inline_text(tweet),
            )
        )
        tweet.decompose()
    for post in container.css(INSTAGRAM_SELECTOR):
        permalink = post.attributes.get("data-instgrm-permalink")
        embeds.append(Embed(type="instagram", url=_embed_url(base_url, permalink)))
        post.decompose()
    for player in container.css("iframe[src], video[src], video source[src]"):
        src = absolute_url(base_url, (player.attributes.get("src") or "").strip())
        if src is None:  # a broken src: the player is still taken out of the body, with nothing to keep
            player.decompose()
            continue
        kind = "video" if player.tag in ("video", "source") or _is_video_host(src) else "iframe"
        embeds.append(Embed(type=kind, url=src))
        player.decompose()
    return embeds


def _is_video_host(url: str) -> bool:
    """Whether the URL is on a video site or a subdomain of one (``www.youtube.com``; not ``notyoutube.com``)."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:  # an address no browser would load
        return False
    return any(host == domain or host.endswith("." + domain) for domain in VIDEO_HOSTS)


def _embed_url(base_url: str, href: str | None) -> str | None:
    absolute = absolute_url(base_url, href) if href else None
    return strip_tracking(absolute) if absolute else None
