"""The generic extractor's scoring, on small made-up pages in English, Arabic and Persian."""

from crawler import extract
from crawler.extraction import extract_with_provenance
from crawler.rules import GENERIC_RULES

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
