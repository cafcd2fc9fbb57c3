"""The generic extractor's scoring, on small made-up pages in English, Arabic and Persian."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler import extract
from crawler.extraction import extract_with_provenance, generic
from crawler.extraction.generic import BLOCK_CHILDREN, PARAGRAPH_BLOCKS, find_main_content
from crawler.extraction.measures import text_length
from crawler.rules import GENERIC_RULES
from tests.strategies import Element, html_trees

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
    comments = (
        '<div class="comments"><p>' + "A reader's long comment about the article, with opinions. " * 4 + "</p></div>"
    )
    related = (
        '<div class="related-stories"><ul>'
        + "".join(
            f'<li><a href="/story/{n}">Another story headline number {n} that is a link</a></li>' for n in range(8)
        )
        + "</ul></div>"
    )
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
    teasers = (
        '<ul class="more">'
        + "".join(
            f'<li><a href="/ar/story/{n}">عنوان قصة أخرى رقم {n} في الموقع نفسه مع رابط طويل إليها</a></li>'
            for n in range(8)
        )
        + "</ul>"
    )
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


def test_a_body_container_with_class_names_no_selector_can_hold_still_counts() -> None:
    # Found by the fuzzer: the cousin search built a CSS selector from the container's classes.
    html = page(f'<div class="story[1] 32 خبر{ZWNJ}ها">{paragraphs(ENGLISH)}</div>')
    assert body_of(html) == ENGLISH


def test_a_processing_instruction_beside_the_body_is_passed_over() -> None:
    # Found by the fuzzer: after an <svg>, lexbor keeps "<?x ...?>" as a node with no tag and no
    # attributes at all (not as the comment the HTML standard makes of it).
    html = page(f'<div class="article-body">{paragraphs(ENGLISH)}</div><svg></svg><?x y?><p>{ENGLISH[0]}</p>')
    assert body_of(html) == [*ENGLISH, ENGLISH[0]]


def test_a_body_whose_every_box_is_named_a_widget_is_found_by_the_main_finder() -> None:
    # Page builders name every block of an article, and its wrappers, a widget: the word names the body
    # itself here, and is no evidence against its boxes (they used to be pruned, leaving nothing).
    widgets = "".join(
        '<div class="elementor-element elementor-widget elementor-widget-text-editor">'
        f'<div class="elementor-widget-container"><p>{text}</p></div></div>'
        for text in ARABIC
    )
    html = page(f'<div class="elementor-section"><div class="elementor-widget-wrap">{widgets}</div></div>', lang="ar")
    extraction = extract_with_provenance(html, "https://unknown.example/ar", GENERIC_RULES)
    assert extraction.generic_path == "main"
    assert extraction.article.body == "\n\n".join(ARABIC)


def test_a_comment_thread_after_a_body_of_widgets_still_goes() -> None:
    # "widget" names the body, "comments" does not: the thread after it is still cut.
    widgets = "".join(
        f'<div class="builder-widget"><div class="widget-container"><p>{text}</p></div></div>' for text in ENGLISH
    )
    comments = '<div class="comments"><h3>Comments</h3>' + paragraphs([
        "I have followed this story for years, and the decision does not surprise me in the least.",
        "Nobody asked the people who will live with the consequences, as usual, and that is the real news.",
    ]) + "</div>"  # fmt: skip
    html = page(f'<div class="post-content">{widgets}{comments}</div>')
    extraction = extract_with_provenance(html, "https://unknown.example/story", GENERIC_RULES)
    assert extraction.generic_path == "main"
    assert extraction.article.body == "\n\n".join(ENGLISH)


def test_the_rest_of_the_body_beside_the_outermost_wrapper_of_the_best_container_joins_it() -> None:
    # The template wraps the body's first part alone in three divs, and puts the rest in a box beside the outermost
    # one; the links box beside them keeps the common wrapper from being taken whole, and the byline is not prose.
    more = [
        "The talks are expected to resume next year, officials said, although no date has been set for them.",
        "Diplomats from both sides, speaking privately, said the break could last far longer than anyone expects.",
        "Analysts, for their part, were divided on what the decision would mean for trade, travel and security.",
    ]
    most_read = '<div class="most-read"><ul>' + "".join(
        f'<li><a href="/story/{n}">Another story headline number {n} that is a link</a></li>' for n in range(8)
    ) + "</ul></div>"  # fmt: skip
    html = page(
        '<div class="row"><div class="col"><div class="inner">'
        f'<div class="article-body">{paragraphs(ENGLISH)}</div></div></div></div>'
        f'<div class="byline">By a staff writer</div><div class="box">{paragraphs(more)}</div>{most_read}'
    )
    assert body_of(html) == ENGLISH + more


def test_a_table_framed_as_a_figure_is_read_into_the_body_and_its_picture_is_not() -> None:
    # WordPress frames tables in <figure class="wp-block-table">: the table is text, the picture and caption are an image.
    table = (
        '<figure class="wp-block-table"><img src="/chart.png" alt="رسم بياني"><table>'
        "<tr><th>السنة</th><th>عدد الزوار</th></tr><tr><td>2019</td><td>1200</td></tr>"
        "</table><figcaption>الزوار حسب السنة</figcaption></figure>"
    )
    html = page(f'<article class="story">{paragraphs(ARABIC[:2])}{table}{paragraphs(ARABIC[2:])}</article>', lang="ar")
    article = extract(html, "https://unknown.example/ar")
    assert (article.body or "").split("\n\n") == [*ARABIC[:2], "السنة", "عدد الزوار", "2019", "1200", *ARABIC[2:]]
    assert [(image.url, image.caption) for image in article.images] == [
        ("https://unknown.example/chart.png", "الزوار حسب السنة")
    ]


# What find_main_content returns: the container(s) themselves, on whole pages.  Extraction through
# extract() can hide a wrong choice (a later fallback reads the page's densest run of text instead).

MORE = [
    "The talks are expected to resume next year, officials said, although no date has been set for them.",
    "Diplomats from both sides, speaking privately, said the break could last far longer than anyone expects.",
    "Analysts, for their part, were divided on what the decision would mean for trade, travel and security.",
]
#: An article's worth of paragraphs: more than a title and a summary, enough for an <article> to be the page's own.
LONG = ENGLISH + MORE + ENGLISH + MORE + ENGLISH[:1]


def containers(html: str) -> list[LexborNode]:
    return find_main_content(LexborHTMLParser(html))


def names(parts: list[LexborNode]) -> list[str]:
    return [f"{part.tag}.{part.attrs.get('class') or ''}".rstrip(".") for part in parts]


def texts(parts: list[LexborNode]) -> list[str]:
    return [" ".join((node.text() or "").split()) for part in parts for node in part.css("p")]


def linked(count: int, text: str = "Another story headline number {n} that is a link to read") -> str:
    return "".join(f'<p><a href="/story/{n}">{text.format(n=n)}</a></p>' for n in range(count))


def split_story(third: str = "", inside: str = "") -> str:
    # The template closes the body's container around a picture and a box of links and opens another of the
    # same kind in a new wrapper: the pieces are cousins (their wrappers' wrappers are siblings).  Between
    # them, an empty container of the same kind holds only a picture.
    piece = '<div class="row"><div class="column"><div class="story-text rtl">{}</div></div></div>'
    teasers = '<ul class="more">' + "".join(
        f'<li><a href="/ar/story/{n}">عنوان قصة أخرى رقم {n} في الموقع نفسه مع رابط طويل إليها</a></li>'
        for n in range(8)
    ) + "</ul>"  # fmt: skip
    return page(
        '<div class="wrapper">'
        + piece.format(paragraphs(ARABIC[:2]) + inside)
        + f'<figure><img src="/a.jpg"><figcaption>صورة من الاجتماع</figcaption></figure>{teasers}'
        + piece.format('<img src="/b.jpg" alt="">')
        + piece.format(paragraphs(ARABIC[2:]))
        + third
        + "</div>",
        lang="ar",
    )


def test_the_pieces_of_a_body_split_into_cousin_wrappers_are_its_containers() -> None:
    """An article closed and reopened in new wrappers around pictures and links is read from both pieces of text."""
    parts = containers(split_story())
    assert names(parts) == ["div.story-text rtl", "div.story-text rtl"]
    assert texts(parts) == ARABIC


def test_a_cousin_of_the_body_kind_made_of_links_is_not_taken() -> None:
    """A third container of the body's own kind that is a list of links to other stories stays out."""
    links = linked(4, "عنوان قصة أخرى رقم {n} في الموقع نفسه مع رابط طويل إليها")
    third = f'<div class="row"><div class="column"><div class="story-text rtl">{links}</div></div></div>'
    parts = containers(split_story(third=third))
    assert names(parts) == ["div.story-text rtl", "div.story-text rtl"]
    assert texts(parts) == ARABIC


def test_a_container_of_the_body_kind_in_a_distant_region_is_not_a_cousin() -> None:
    """A box bearing the body's classes deep in another region (a quoted story in a side column) is not joined."""
    quoted = (
        f'<div class="column-b"><div><div><div class="story-text rtl">{paragraphs(ARABIC[1:2])}</div></div></div></div>'
    )
    parts = containers(split_story(third=quoted))
    assert names(parts) == ["div.story-text rtl", "div.story-text rtl"]
    assert texts(parts) == ARABIC


def test_a_box_of_the_body_kind_inside_the_body_is_not_read_twice() -> None:
    """A box inside a piece of the body that bears the body's classes is read once, with the piece that holds it."""
    inner = f'<div class="story-text rtl">{paragraphs(ARABIC[:1])}</div>'
    parts = containers(split_story(inside=inner))
    assert names(parts) == ["div.story-text rtl", "div.story-text rtl"]
    assert texts(parts) == ARABIC[:2] + ARABIC[:1] + ARABIC[2:]


def comment_thread(count: int) -> str:
    return '<section class="comments">' + paragraphs([
        f"Comment {n}: I have read this story and I think the minister is right about all of it." for n in range(count)
    ]) + "</section>"  # fmt: skip


def test_a_lone_article_is_the_whole_body_however_long_the_thread_beside_it() -> None:
    """The page's only <article> ends the body: the longer comment thread in the same wrapper is not taken."""
    parts = containers(page(f'<div class="wrap"><article>{paragraphs(LONG)}</article>{comment_thread(18)}</div>'))
    assert names(parts) == ["article"]
    assert texts(parts) == LONG


def test_a_body_inside_a_lone_article_widens_to_the_article_and_no_further() -> None:
    """A body container inside the page's only <article> is read with the article, not with the thread beside it."""
    article = f'<article><h1>The title</h1><div class="article-body">{paragraphs(LONG)}</div></article>'
    parts = containers(page(f'<div class="wrap">{article}{comment_thread(18)}</div>'))
    assert names(parts) == ["article"]
    assert texts(parts) == LONG


def test_a_body_split_inside_a_lone_article_is_read_whole_and_ends_with_it() -> None:
    """An article's body in two parts around a picture is read whole, and the thread beside the article is not."""
    article = (
        f'<article><div class="part">{paragraphs(LONG)}</div><figure><img src="/a.jpg"></figure>'
        f'<div class="part-two">{paragraphs(LONG[::-1])}</div></article>'
    )
    parts = containers(page(f'<div class="wrap">{article}{comment_thread(40)}</div>'))
    assert names(parts) == ["article"]
    assert texts(parts) == LONG + LONG[::-1]


def test_prose_between_line_breaks_beside_a_subheading_is_the_body() -> None:
    """A hand-made page's text written straight into a container with <br>s is its body, not the box beside it."""
    lines = "<br>".join(ENGLISH + MORE)
    parts = containers(page(f'<div class="wrap"><div class="post"><h2>A subheading</h2>{lines}</div>'
                            f'<div class="aside"><p>{ENGLISH[0]}</p></div></div>'))  # fmt: skip
    assert names(parts) == ["div.post"]


def test_of_two_boxes_of_persian_prose_between_line_breaks_the_longer_is_the_body() -> None:
    """Two containers of <br>-separated Persian prose each vote for themselves: the long text, not its summary, wins."""
    short = "<br>".join(PERSIAN[:1])
    lines = "<br>".join(PERSIAN * 2)
    parts = containers(page(f'<div class="wrap"><div class="lead"><h3>خلاصه</h3>{short}<br>{short}</div>'
                            f'<div class="post"><h2>عنوان فرعی</h2>{lines}</div></div>', lang="fa"))  # fmt: skip
    assert names(parts) == ["div.post"]


def test_the_body_does_not_widen_into_a_wrapper_full_of_links() -> None:
    """A wrapper holding the body and a longer box of linked headlines is not taken: the body container is."""
    parts = containers(page(f'<div class="wrap"><div class="article-body">{paragraphs(ENGLISH + MORE)}</div>'
                            f'<div class="box">{linked(8)}</div></div>'))  # fmt: skip
    assert names(parts) == ["div.article-body"]
    assert texts(parts) == ENGLISH + MORE


def test_the_body_does_not_widen_into_a_wrapper_named_for_a_sidebar() -> None:
    """A wrapper named for the sidebar it holds is not the article, even when the author's biography is long."""
    bio = paragraphs([
        f"The author, born in {year}, has written about diplomacy, trade and war for decades." for year in range(1950, 1960)
    ])  # fmt: skip
    parts = containers(page(f'<div class="main-with-sidebar"><div class="article-body">{paragraphs(ENGLISH)}</div>'
                            f'<div class="author-bio">{bio}</div></div>'))  # fmt: skip
    assert names(parts) == ["div.article-body"]
    assert texts(parts) == ENGLISH


def test_a_body_in_a_column_of_its_own_widens_to_the_wrapper_holding_all_its_parts() -> None:
    """A body split in two by an ad slot, its first part wrapped alone in a column, is read whole from their wrapper."""
    html = page(
        '<div class="story"><div class="col"><div class="inner">'
        f'<div class="first">{paragraphs(LONG[:4])}</div></div></div>'
        '<div class="ad-slot">Advertisement</div>'
        f'<div class="second">{paragraphs(LONG[4:])}</div></div>'
    )
    parts = containers(html)
    assert names(parts) == ["div.story"]
    assert texts(parts) == LONG


def test_the_article_is_found_among_many_small_boxes_of_text() -> None:
    """A grid of a dozen story cards, each a box with a linked summary, does not hide the article from the ranking."""
    cards = "".join(
        f'<div class="card"><p><a href="/story/{n}">Summary of another story number {n}, briefly.</a></p></div>'
        for n in range(12)
    )
    parts = containers(
        page(f'<div class="article-body">{paragraphs(ENGLISH + MORE)}</div><div class="grid">{cards}</div>')
    )
    assert names(parts) == ["div.article-body"]


def test_a_box_of_linked_summaries_that_outvotes_the_article_does_not_win() -> None:
    """Link text counts against a container: a box of long linked summaries loses to the article's plain prose."""
    summary = "Another story, number {n}, about the minister, the alliance, the mission, the talks, and the rest of it"
    parts = containers(
        page(f'<div class="article-body">{paragraphs(ENGLISH)}</div><div class="box">{linked(6, summary)}</div>')
    )
    assert names(parts) == ["div.article-body"]
    assert texts(parts) == ENGLISH


def test_a_comment_thread_beside_the_body_does_not_join_it_however_well_it_scores() -> None:
    """A sibling of the body named as comments stays out, though its paragraphs would have earned it a place."""
    thread = comment_thread(8).replace("<section", "<div").replace("</section>", "</div>")
    parts = containers(page(f'<div class="wrap"><div class="article-body">{paragraphs(LONG)}</div>{thread}</div>'))
    assert names(parts) == ["div.article-body"]
    assert texts(parts) == LONG


def test_a_line_of_metadata_beside_the_body_is_not_prose() -> None:
    """A long text-only <div> beside the body that is not named as prose (dates, places) does not join it."""
    meta = (
        '<div class="meta">Published on Monday 12 May 2025 at 10:30,'
        " updated on Tuesday 13 May 2025 at 08:15, in Berlin</div>"
    )
    parts = containers(page(f'<div class="wrap">{meta}<div class="article-body">{paragraphs(ENGLISH)}</div></div>'))
    assert names(parts) == ["div.article-body"]


def test_short_or_linked_paragraphs_beside_the_body_do_not_join_it() -> None:
    """Beside the body, a short <p> (a label) and a long mostly linked one (read also) stay out; long prose joins."""
    label = "<p>Advertisement</p>"
    also = '<p>Read also: <a href="/story/9">The minister travels to the alliance headquarters next month for talks</a></p>'
    parts = containers(
        page(
            f'<div class="wrap"><p>{MORE[0]}</p>{label}<div class="article-body">{paragraphs(ENGLISH)}</div>{also}</div>'
        )
    )
    assert names(parts) == ["p", "div.article-body"]
    assert texts(parts) == MORE[:1] + ENGLISH


def test_a_comment_thread_holding_most_of_the_paragraphs_inside_the_body_still_goes() -> None:
    """A thread closing the article's container is cut though it holds most of its paragraph text (not its list)."""
    facts = "<ul>" + "".join(f"<li>Fact number {n} of the story</li>" for n in range(12)) + "</ul>"
    parts = containers(page(f'<div class="post-content">{paragraphs(ENGLISH[:2])}{facts}{comment_thread(4)}</div>'))
    assert names(parts) == ["div.post-content"]
    assert texts(parts) == ENGLISH[:2]
    assert "Fact number 11 of the story" in (parts[0].text() or "")


@pytest.mark.xfail(
    strict=True,
    reason="pruning keeps a negatively named box holding half the container or more, so a comment thread"
    " longer than the article stays in the body (_own_words says a thread, however long, closes the article)."
    " Cutting such a box whenever 250 characters stay was tried: 7 of the 892 benchmark pages changed, and"
    " three lost most of their article (word F1 0.94 -> 0.24, 0.84 -> 0.46, 0.92 -> 0.66): real articles sit"
    " in boxes so named.  A fix must tell a thread from such a box by more than its name and size.",
)
def test_a_comment_thread_longer_than_the_article_inside_its_container_still_goes() -> None:
    """A thread that closes the article's container is cut even when it is longer than the article."""
    assert body_of(page(f'<div class="post-content">{paragraphs(ENGLISH)}{comment_thread(6)}</div>')) == ENGLISH


def test_a_promotional_widget_nested_in_the_body_is_cut_though_its_boxes_nest() -> None:
    """Widget boxes nested in a widget box are counted once: the promotion is not the body's own, and goes."""
    promo = (
        '<div class="app-widget"><div class="widget-inner"><div><div class="widget-text">'
        "<p>Download our app, free, for the latest news, alerts, videos and podcasts from our newsroom.</p>"
        "<p>Follow the story as it develops, with notifications, live pages and our daily briefing.</p>"
        "</div></div></div></div>"
    )
    parts = containers(
        page(f'<div class="article-body">{paragraphs(ENGLISH[:2])}{promo}{paragraphs(ENGLISH[2:])}</div>')
    )
    assert names(parts) == ["div.article-body"]
    assert texts(parts) == ENGLISH


def test_paragraphs_whose_words_are_all_in_spans_still_vote() -> None:
    """Paragraphs pasted from a word processor, every word inside a <span>, are read as the body's paragraphs."""
    spanned = "".join(f"<p><span>{text}</span></p>" for text in PERSIAN)
    parts = containers(page(f'<div class="news-text">{spanned}</div>', lang="fa"))
    assert names(parts) == ["div.news-text"]
    assert texts(parts) == PERSIAN


def test_a_short_line_padded_with_whitespace_does_not_stop_the_reading() -> None:
    """A short template line padded with whitespace before the article casts no vote, and the paragraphs after it do."""
    padded = '<div class="top"><p>' + " " * 30 + "Updated today" + " " * 30 + "</p></div>"
    parts = containers(page(f'{padded}<div class="article-body">{paragraphs(ENGLISH)}</div>'))
    assert names(parts) == ["div.article-body"]


def test_a_quotation_set_inside_the_body_does_not_pull_the_body_down_to_it() -> None:
    """A long quotation of paragraphs inside the body adds to the body's score: the body, not the quote, is taken."""
    quote = f"<blockquote>{paragraphs(MORE + ENGLISH[:1])}</blockquote>"
    parts = containers(page(f'<div class="wysiwyg">{paragraphs(ENGLISH[:2])}{quote}{paragraphs(ENGLISH[2:])}</div>'))
    assert names(parts) == ["div.wysiwyg"]
    assert texts(parts) == ENGLISH[:2] + MORE + ENGLISH[:1] + ENGLISH[2:]


def test_an_article_holding_only_part_of_the_body_does_not_stop_the_widening() -> None:
    """An <article> with less than an article's worth of text (a lead) is no limit: the rest beside it joins."""
    lead = f'<article><h1>The title</h1><div class="article-body">{paragraphs(ENGLISH + MORE[:2])}</div></article>'
    rest = [text.replace(",", "") for text in MORE + ENGLISH]
    parts = containers(
        page(
            f'<div class="wrap">{lead}<div class="ad-slot">Advertisement</div><div class="rest">{paragraphs(rest)}</div></div>'
        )
    )
    assert names(parts) == ["div.wrap"]
    assert texts(parts) == ENGLISH + MORE[:2] + rest


def test_the_nearest_lone_landmark_ends_the_body_not_the_main_around_it() -> None:
    """A body in an <article> inside <main> ends at the article: the title box and byline in <main> are not taken."""
    main = (
        '<main><div class="title-box"><h1>The title</h1><div class="byline">By a staff writer, in Berlin</div></div>'
        f'<article><div class="article-body">{paragraphs(LONG)}</div></article></main>'
    )
    parts = containers(page(f"{main}{comment_thread(18)}"))
    assert names(parts) == ["article"]
    assert texts(parts) == LONG


def test_a_body_split_over_nested_wrappers_widens_to_the_one_holding_all_of_it() -> None:
    """The best part widens past the wrapper holding two parts to the one holding the third as well."""
    dense = [
        text + " Officials, diplomats, analysts, envoys, ministers, aides, and others, agreed." for text in ENGLISH[:2]
    ]
    plain = [text.replace(",", "") for text in (MORE + ENGLISH) * 2]
    html = page(
        f'<div class="outer"><div class="inner"><div class="one">{paragraphs(dense)}</div>'
        f'<div class="two">{paragraphs(plain[:4])}</div></div>'
        f'<div class="three">{paragraphs(plain[4:])}</div></div>'
    )
    parts = containers(html)
    assert names(parts) == ["div.outer"]
    assert texts(parts) == dense + plain


# The finder's shortcuts read less of the page than the plain reading they stand for, and must agree with it.

random_bodies = st.lists(html_trees, min_size=1, max_size=4).map(
    lambda trees: "".join(tree.render() if isinstance(tree, Element) else tree for tree in trees)
)


def _elements(html: str) -> list[LexborNode]:
    body = LexborHTMLParser(f"<html><body>{html}</body></html>").body
    return [] if body is None else [body, *body.traverse()]


@given(random_bodies)
def test_the_leaf_blocks_are_those_of_one_selector_per_container_tag(html: str) -> None:
    """The paragraph selector's one ``:is()`` entry selects what six entries, one per container tag, did."""
    children = ", ".join(f"> {tag}" for tag in sorted(BLOCK_CHILDREN))
    containers = ("div", "section", "article", "blockquote", "pre", "dd")
    six = "p, h2, h3, h4, " + ", ".join(f"{tag}:not(:has({children}))" for tag in containers)
    body = LexborHTMLParser(f"<html><body>{html}</body></html>").body
    assert body is not None
    for query, is_written_as in ((PARAGRAPH_BLOCKS, six), (PARAGRAPH_BLOCKS + ", br", six + ", br")):
        assert [node.mem_id for node in body.css(query)] == [node.mem_id for node in body.css(is_written_as)]


@given(random_bodies)
def test_a_wrapper_holds_only_its_child_when_its_text_is_no_longer(html: str) -> None:
    """Reading the wrapper's other children decides what measuring the whole wrapper did."""
    for node in _elements(html):
        for child in node.iter(include_text=True):
            assert generic._holds_only(node, child) == (text_length(node) <= text_length(child))


@given(random_bodies, st.data())
def test_the_body_s_own_words_are_the_same_when_the_boxes_holding_text_are_weighed_first(
    html: str, data: st.DataObject
) -> None:
    """The bound on a word's share never leaves out a word that the full count finds."""
    elements = _elements(html)
    paragraph_chars = {node.mem_id: data.draw(st.integers(0, 400)) for node in elements if data.draw(st.booleans())}
    for best in elements:
        fast = generic._own_words(best, paragraph_chars)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(generic, "_may_name_body", lambda *arguments: True)
            assert generic._own_words(best, paragraph_chars) == fast
