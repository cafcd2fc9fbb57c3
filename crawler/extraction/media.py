"""Images and embeds: read out of the body before it becomes text.

A caption is part of the article but not of its running text, and an
embedded tweet is someone else's words: both are kept, apart from the body.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from crawler.extraction.blocks import inline_text
from crawler.extraction.trace import node_id
from crawler.items import Embed, Image
from crawler.urls import absolute_url, strip_tracking

TWEET_SELECTOR = "blockquote.twitter-tweet, blockquote.twitter-video"
INSTAGRAM_SELECTOR = "blockquote.instagram-media"
PLAYER_SELECTOR = "iframe[src], video"
#: Any of the embeds :func:`take_embeds` reads: the posts' selectors name ``<blockquote>``s only, the players' no other.
EMBED_SELECTOR = f"{TWEET_SELECTOR}, {INSTAGRAM_SELECTOR}, {PLAYER_SELECTOR}"
VIDEO_HOSTS = (
    "youtube.com", "youtube-nocookie.com", "youtu.be", "vimeo.com", "dailymotion.com",
    "facebook.com", "rumble.com", "twitter.com", "x.com",
)  # fmt: skip

#: Attributes lazy-loading scripts use instead of ``src``, in order of preference.
IMAGE_SOURCE_ATTRIBUTES = ("src", "data-src", "data-lazy-src", "data-original")
#: Candidate lists (``"a.jpg 480w, b.jpg 800w"``), read when no single source is given.
IMAGE_SOURCE_SET_ATTRIBUTES = ("srcset", "data-srcset")


def image_source(img: LexborNode, base_url: str) -> str | None:
    """The image's address: its source, a lazy loader's, else the widest of its (or its ``<picture>``'s) sets."""
    for attribute in IMAGE_SOURCE_ATTRIBUTES:
        value = (img.attrs.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return absolute_url(base_url, value)
    picture = img.parent if img.parent is not None and img.parent.tag == "picture" else None
    holders = [img, *(picture.css("source") if picture is not None else ())]
    for holder in holders:
        for attribute in IMAGE_SOURCE_SET_ATTRIBUTES:
            widest = widest_candidate(holder.attrs.get(attribute) or "")
            if widest:
                return absolute_url(base_url, widest)
    return None


def widest_candidate(source_set: str) -> str | None:
    """The URL of a ``srcset``'s widest (or densest) candidate; None for an empty or inline-data set.

    Parsed as the HTML standard splits it: a URL is a run of non-space characters (commas included,
    as in ``w_300,h_200`` image-service URLs) and its descriptors run to the next comma.
    """
    best: str | None = None
    best_size = -1.0
    position, length = 0, len(source_set)
    while position < length:
        while position < length and (source_set[position].isspace() or source_set[position] == ","):
            position += 1
        start = position
        while position < length and not source_set[position].isspace():
            position += 1
        url = source_set[start:position]
        descriptors = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            end = source_set.find(",", position)
            end = length if end < 0 else end
            descriptors, position = source_set[position:end], end
        if not url or url.startswith("data:"):
            continue
        size = _candidate_size(descriptors)
        if size > best_size:
            best, best_size = url, size
    return best


def _candidate_size(descriptors: str) -> float:
    """``800w`` -> 800, ``2x`` -> 2 (widths outrank densities: a set mixes them only by mistake)."""
    for descriptor in descriptors.split():
        number, unit = descriptor[:-1], descriptor[-1:].lower()
        try:
            value = float(number)
        except ValueError:
            continue
        if unit == "w":
            return 1000.0 + value
        if unit == "x":
            return value
    return 1.0  # no descriptor: 1x


def image_from(node: LexborNode, base_url: str, img: LexborNode | None = None) -> Image | None:
    """An ``Image`` from a ``figure`` (with its ``figcaption``; its first ``img`` unless given) or an ``img``."""
    if img is None:
        img = node if node.tag == "img" else node.css_first("img")
    if img is None:
        return None
    url = image_source(img, base_url)
    if not url:
        return None
    caption_node = _caption_of(node) if node.tag != "img" else None
    caption = inline_text(caption_node) if caption_node else None
    alt = " ".join((img.attrs.get("alt") or "").split()) or None
    return Image(url=url, caption=caption or None, alt=alt)


def _caption_of(node: LexborNode) -> LexborNode | None:
    """A figure's own caption, not that of a figure inside it; for another element, its first caption."""
    captions = node.css("figcaption")
    if node.tag == "figure":
        return next((caption for caption in captions if _nearest_figure(caption) == node.mem_id), None)
    return captions[0] if captions else None


def _nearest_figure(node: LexborNode) -> int | None:
    parent = node.parent
    while parent is not None and parent.tag != "figure":
        parent = parent.parent
    return parent.mem_id if parent is not None else None


#: What a ``<figure>`` may frame that is text, not a picture (``<figure class="wp-block-table">``).
TEXT_IN_FIGURES = "table, pre"


def take_images(container: LexborNode, base_url: str, taken: list[tuple[str, str]] | None = None) -> list[Image]:
    """Read every figure and stray image of the container, in the page's order, and remove them from it.

    An image is read with the innermost figure around it: a gallery's figure of figures gives each
    picture once, with its own caption.  ``taken``, when given (a trace), gets ``("image", name)``
    for each image read and ``("caption", name)`` for its caption (names: :func:`crawler.extraction.trace.node_id`).
    """
    images: list[Image] = []
    found = container.css("figure, img")
    figures: list[LexborNode] = []
    for node in found:
        if node.tag == "img":
            image = image_from(node, base_url) if _figure_of(node, container) is None else None
        else:
            figures.append(node)
            own = next((img for img in node.css("img") if _figure_of(img, container) == node.mem_id), None)
            image = image_from(node, base_url, own) if own is not None else None
        if image:
            images.append(image)
            if taken is not None:
                _note(taken, "image", node)
                caption = node.css_first("figcaption") if node.tag != "img" else None  # as image_from reads it
                if caption is not None and image.caption:
                    _note(taken, "caption", caption)
    # Nothing was removed while reading: the figures are those found, and not searched for again (a search
    # costs some 4 µs before it walks the body).  Removing them may take images with them.
    for figure in figures:
        if figure.css_first(TEXT_IN_FIGURES) is None:
            figure.decompose()
        else:  # a table or a code listing framed as a figure is text of the body: only its pictures go
            for picture in figure.css("img, picture, figcaption"):
                picture.decompose()
    # Without figures nothing was removed: the images left are those found (an image holds no other).
    for img in container.css("img") if figures else found:
        img.decompose()
    return images


def _note(taken: list[tuple[str, str]], role: str, node: LexborNode) -> None:
    """Record a traced element by name now: it is removed right after, and a removed node cannot be read."""
    name = node_id(node)
    if name is not None:
        taken.append((role, name))


def _figure_of(node: LexborNode, container: LexborNode) -> int | None:
    """The ``mem_id`` of the innermost figure around the node inside the container, if any."""
    parent = node.parent
    while parent is not None and parent.mem_id != container.mem_id:
        if parent.tag == "figure":
            return parent.mem_id
        parent = parent.parent
    return None


def take_embeds(container: LexborNode, base_url: str, taken: list[tuple[str, str]] | None = None) -> list[Embed]:
    """Read tweets, Instagram posts and video players, and remove them from the container.

    ``taken``, when given (a trace), gets ``("embed", name)`` for each embed read.

    One search finds the embeds of every kind, and most bodies have none.  A kind is then searched
    for again, to be read, only where its tag was found (tweets and Instagram posts are
    ``<blockquote>``s, players ``<iframe>``s and ``<video>``s): a search costs some 4 µs before it walks.
    """
    tags = {node.tag for node in container.css(EMBED_SELECTOR)}
    embeds = _take_posts(container, base_url, taken) if "blockquote" in tags else []
    if tags - {"blockquote"}:
        embeds += _take_players(container, base_url, taken)
    return embeds


def _take_posts(container: LexborNode, base_url: str, taken: list[tuple[str, str]] | None) -> list[Embed]:
    """The container's tweets, then its Instagram posts, each removed once read."""
    embeds = []
    for tweet in container.css(TWEET_SELECTOR):
        if taken is not None:
            _note(taken, "embed", tweet)
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
        if taken is not None:
            _note(taken, "embed", post)
        permalink = post.attributes.get("data-instgrm-permalink")
        embeds.append(Embed(type="instagram", url=_embed_url(base_url, permalink)))
        post.decompose()
    return embeds


def _take_players(container: LexborNode, base_url: str, taken: list[tuple[str, str]] | None) -> list[Embed]:
    """The container's video players (removed, read or not)."""
    embeds = []
    for player in container.css(PLAYER_SELECTOR):
        src = _player_source(player)
        address = absolute_url(base_url, src) if src else None
        if address is not None:
            kind = "video" if player.tag == "video" or _is_video_host(address) else "iframe"
            embeds.append(Embed(type=kind, url=address))
            if taken is not None:
                _note(taken, "embed", player)
        player.decompose()  # with no address (none, or a broken one) it is still no text of the body
    return embeds


def _player_source(player: LexborNode) -> str:
    """A player's address; a ``<video>`` is one video, whichever of its ``<source>`` formats a browser plays."""
    src = (player.attrs.get("src") or "").strip()
    if not src and player.tag == "video":
        source = player.css_first("source[src]")
        src = (source.attrs.get("src") or "").strip() if source is not None else ""
    return src


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
