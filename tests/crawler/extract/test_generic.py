"""The generic extractor's scoring, on small made-up pages in English, Arabic and Persian."""

from crawler import extract
from crawler.extract.generic import NEGATIVE_RE, POSITIVE_RE, PRUNE_NAMES_RE

ZWNJ = "\u200c"


def page(article: str, lang: str = "en", extra: str = "") -> str:
    return f"""<html lang="{lang}"><body>
      <header class="site-header"><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></header>
      <div class="layout">{article}{extra}</div>
      <footer class="site-footer"><p>Copyright notice of the site, all rights reserved, and a long address line.</p></footer>
    </body></html>"""


def body_of(html: str, url: str = "https://unknown.example/story") -> list[str]:
    return (extract(html, url).body or "").split("\n\n")


ENGLISH = [
    "The foreign minister said on Monday that, for a long time, no information had been exchanged with the alliance.",
    "He added that contacts had stopped well before the mission was suspended, and that the decision changed little.",
    "A spokesman said the situation that existed in practice had now been made official, and nothing more than that.",
]
ARABIC = [
    "أعلن وزير الخارجية إنهاء عمل بعثة بلاده لدى الحلف في الأول من الشهر المقبل، مضيفا أن بلاده ستنهي عمل البعثة قريبا.",
    "وقال الوزير في تصريحات صحفية إن الظروف الأساسية لعمل مشترك لم تعد متوفرة، وإن الاتصالات العسكرية متوقفة.",
    "وأكد أن الحلف لم يوضح أسباب سحب اعتماد الدبلوماسيين، وأن بلاده سترد على ذلك بما تراه مناسبا في الوقت المناسب.",
]
PERSIAN = [
    f"وزیر امور خارجه اعلام کرد که مدت{ZWNJ}هاست تبادل اطلاعات میان دو طرف وجود ندارد، و این روند ادامه دارد.",
    f"وی در ادامه گفت که چنانچه طرف مقابل می{ZWNJ}خواهد این روابط را اصلاح کند، باید اولین گام را بردارد.",
    "سخنگوی کاخ نیز اعلام کرد که وضعیتی که عملا وجود داشت، اکنون رسما قانونی شده و آسیبی نخواهیم دید.",
]


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def test_the_article_wins_over_comments_and_related_links() -> None:
    comments = '<div class="comments"><p>' + "A reader's long comment about the article, with opinions. " * 4 + "</p></div>"
    related = '<div class="related-stories"><ul>' + "".join(
        f'<li><a href="/story/{n}">Another story headline number {n} that is a link</a></li>' for n in range(8)
    ) + "</ul></div>"
    html = page(f'<article class="story"><div class="story-body">{paragraphs(ENGLISH)}{related}</div></article>',
                extra=comments)  # fmt: skip
    assert body_of(html) == ENGLISH


def test_a_body_split_across_containers_is_kept_whole() -> None:
    split = "".join(f'<div class="body-part">{paragraphs([text])}</div>' for text in ENGLISH)
    html = page(f'<div class="article-body">{split}<div class="ad-slot">Advertisement</div></div>')
    assert body_of(html) == ENGLISH


def test_arabic_scores_like_english_and_keeps_its_letters() -> None:
    sidebar = '<div class="sidebar"><p>' + "الأكثر قراءة اليوم في الموقع، عناوين متفرقة. " * 3 + "</p></div>"
    html = page(f'<div class="article-content">{paragraphs(ARABIC)}</div>', lang="ar", extra=sidebar)
    assert body_of(html, "https://unknown.example/ar") == ARABIC


def test_persian_keeps_its_zero_width_non_joiners() -> None:
    html = page(f'<section class="news-text">{paragraphs(PERSIAN)}</section>', lang="fa")
    body = body_of(html, "https://unknown.example/fa")
    assert body == PERSIAN and sum(text.count(ZWNJ) for text in body) == 2


def test_a_page_with_no_article_gives_no_body() -> None:
    menu = "".join(f'<li><a href="/s/{n}">Section number {n} of the site</a></li>' for n in range(20))
    html = page(f"<ul class='menu'>{menu}</ul><h1>Video: a title</h1><p>A one-line summary of the video.</p>")
    assert extract(html, "https://unknown.example/video").body is None


def test_a_body_split_into_repeated_wrappers_is_kept_whole() -> None:
    # The template closes the body's container around a picture and a box of links and opens another
    # of the same kind: the pieces are cousins, and their common wrapper is too full of links to take.
    teasers = '<ul class="more">' + "".join(
        f'<li><a href="/ar/story/{n}">عنوان قصة أخرى رقم {n} في الموقع نفسه مع رابط طويل إليها</a></li>' for n in range(8)
    ) + "</ul>"
    piece = '<div class="row"><div class="column"><div class="story-text">{}</div></div></div>'
    html = page(
        '<div class="wrapper">'
        + piece.format(paragraphs(ARABIC[:2]))
        + f'<figure><img src="/a.jpg"><figcaption>صورة من الاجتماع</figcaption></figure>{teasers}'
        + piece.format(paragraphs(ARABIC[2:]))
        + "</div>",
        lang="ar",
    )
    assert body_of(html, "https://unknown.example/ar") == ARABIC


def test_opening_paragraphs_before_the_main_container_join_it() -> None:
    # The lead paragraph is a <div> named as a paragraph beside the container holding the rest;
    # the byline <div> beside them is not prose and stays out.
    html = page(
        '<div class="row">'
        f'<div class="byline">نویسنده: گروه سیاسی</div>'
        f'<div class="news-paragraph">{PERSIAN[0]}</div>'
        f'<div class="news-rest">{paragraphs(PERSIAN[1:] * 2)}</div>'
        "</div>",
        lang="fa",
    )
    assert body_of(html, "https://unknown.example/fa") == PERSIAN[:1] + PERSIAN[1:] * 2


def test_hidden_and_off_screen_text_is_not_the_article() -> None:
    hidden = (
        '<div style="display:none"><p>' + "Text kept for a script to show later, long enough to vote, with commas, " * 2
        + "</p></div>"
        '<div style="position:absolute; top:0; left:-9999px;"><a href="https://spam.example/">Download themes free</a></div>'
        '<p hidden>' + "A paragraph marked hidden, long enough to be a vote, with a comma, and more. " * 2 + "</p>"
    )
    html = page(f'<article class="story">{paragraphs(ENGLISH)}{hidden}</article>')
    assert body_of(html) == ENGLISH


def test_next_and_previous_story_boxes_inside_the_article_go() -> None:
    navigation = (
        '<div class="next-prev"><div class="row next"><a href="/n"><h5>The next story on the site, a headline</h5></a>'
        "<p>An excerpt of the next story, long enough to look like a paragraph of prose, with a comma.</p></div>"
        '<div class="row prev"><a href="/p"><h5>The previous story, another headline</h5></a>'
        "<p>An excerpt of the previous story, also long enough to look like prose, with a comma.</p></div></div>"
    )
    html = page(f'<div class="article" id="article">{paragraphs(ENGLISH)}{navigation}</div>')
    assert body_of(html) == ENGLISH


def test_a_body_container_with_class_names_no_selector_can_hold_still_counts() -> None:
    # Found by the fuzzer: the cousin search built a CSS selector from the container's classes.
    html = page(f'<div class="story[1] 32 خبر{ZWNJ}ها">{paragraphs(ENGLISH)}</div>')
    assert body_of(html) == ENGLISH


def test_hover_cards_inside_paragraphs_are_not_prose() -> None:
    # A name that opens a card of the person's other stories on hover: the card is hidden until then.
    card = ('<span class="tooltip-card"><a href="/people/x">Another headline about this person, a link</a> '
            '<a href="/people/y">And a second headline of the card, also a link to elsewhere</a></span>')
    first = ENGLISH[0].replace("The foreign minister", f"The foreign minister{card}")
    html = page(f'<article class="story">{paragraphs([first, *ENGLISH[1:]])}</article>')
    assert body_of(html) == ENGLISH


def test_a_processing_instruction_beside_the_body_is_passed_over() -> None:
    # Found by the fuzzer: after an <svg>, lexbor keeps "<?x ...?>" as a node with no tag and no
    # attributes at all (not as the comment the HTML standard makes of it).
    html = page(f'<div class="article-body">{paragraphs(ENGLISH)}</div><svg></svg><?x y?><p>{ENGLISH[0]}</p>')
    assert body_of(html) == [*ENGLISH, ENGLISH[0]]


def test_class_words_match_inside_names_and_short_ones_only_at_a_word_start() -> None:
    for name in ("comment-list", "sidebarwidget", "ads", "ad-slot", "top nav", "prev-story", "image-caption"):
        assert NEGATIVE_RE.search(name), name
    for name in ("loads", "bad-x", "unavailable", "canvas", "previews", "nextgen"):
        assert not NEGATIVE_RE.search(name), name
    assert POSITIVE_RE.search("article__body") and not POSITIVE_RE.search("col-md-8")
    assert PRUNE_NAMES_RE.search("photo-credit") and not PRUNE_NAMES_RE.search("share")


def test_an_unclosed_aside_that_swallows_the_page_is_not_dropped() -> None:
    # "<aside>" left open around a banner: the parser puts the rest of the page inside it.
    html = f'<html><body><aside class="banner"><a href="/offer">Our offer</a><article>{paragraphs(ENGLISH)}</article></body></html>'
    assert body_of(html) == ENGLISH


def test_a_streamed_page_in_a_hidden_element_is_read() -> None:
    # React streams a page's content into <div hidden> and a script moves it into place.
    html = f'<html><body><div id="root"><p>Loading…</p></div><div hidden id="S:0"><main>{paragraphs(ARABIC)}</main></div></body></html>'
    assert body_of(html, "https://unknown.example/ar") == ARABIC


def test_a_footer_with_less_than_the_whole_page_still_goes() -> None:
    # Most of this page's text is in the article's footer (comments left inside it), but not all of it.
    footer = "<footer>" + paragraphs(["A reader's long comment about the article, with opinions, and more of them. " * 3] * 4) + "</footer>"
    html = f"<html><body><article><div class='story'>{paragraphs(ENGLISH)}</div>{footer}</article></body></html>"
    assert body_of(html) == ENGLISH
