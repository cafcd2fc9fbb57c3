"""What sits inside the chosen body but is not of it goes; text that merely looks like links stays."""

from tests.crawler.extraction.test_generic import ENGLISH, body_of, page, paragraphs


def test_next_and_previous_story_boxes_inside_the_article_go() -> None:
    navigation = (
        '<div class="next-prev"><div class="row next"><a href="/n"><h5>The next story on the site, a headline</h5></a>'
        "<p>An excerpt of the next story, long enough to look like a paragraph of prose, with a comma.</p></div>"
        '<div class="row prev"><a href="/p"><h5>The previous story, another headline</h5></a>'
        "<p>An excerpt of the previous story, also long enough to look like prose, with a comma.</p></div></div>"
    )
    html = page(f'<div class="article" id="article">{paragraphs(ENGLISH)}{navigation}</div>')
    assert body_of(html) == ENGLISH


def test_hover_cards_inside_paragraphs_are_not_prose() -> None:
    # A name that opens a card of the person's other stories on hover: the card is hidden until then.
    card = (
        '<span class="tooltip-card"><a href="/people/x">Another headline about this person, a link</a> '
        '<a href="/people/y">And a second headline of the card, also a link to elsewhere</a></span>'
    )
    first = ENGLISH[0].replace("The foreign minister", f"The foreign minister{card}")
    html = page(f'<article class="story">{paragraphs([first, *ENGLISH[1:]])}</article>')
    assert body_of(html) == ENGLISH


def test_a_list_of_links_announced_by_a_sentence_is_kept_and_one_under_a_label_is_not() -> None:
    # A sentence ending with a colon makes the list after it text of the article, links or not;
    # "YOU MIGHT ALSO LIKE:" is a label, not a sentence, and its teasers still go.
    courses = [f"Course number {n} in international relations" for n in range(4)]
    course_list = (
        "<ul>" + "".join(f'<li><a href="/course/{n}">{course}</a></li>' for n, course in enumerate(courses)) + "</ul>"
    )
    teasers = (
        "<ul>"
        + "".join(f'<li><a href="/story/{n}">Another story headline number {n}</a></li>' for n in range(4))
        + "</ul>"
    )
    announcement = "Here are some of the courses you can take at the school this year:"
    html = page(
        f'<article class="story">{paragraphs(ENGLISH)}<p>{announcement}</p>{course_list}'
        f"<p>YOU MIGHT ALSO LIKE:</p>{teasers}</article>"
    )
    body = body_of(html)
    assert body[: len(ENGLISH) + 1 + len(courses)] == [*ENGLISH, announcement, *courses]
    assert not any(text.startswith("Another story headline") for text in body)


def test_a_reference_list_whose_items_say_more_than_their_links_is_kept() -> None:
    # Each reference links its title (most of its text), but its authors, year and journal are the article's words.
    references = [
        (f"Smith, J. and Jones, K. ({2010 + n}).",
         f"A study of diplomatic missions, of their opening, their daily work and their closing, in Europe and beyond, part {n}",
         f". Journal of Studies, {n + 1}(2), 45-67.")
        for n in range(4)
    ]  # fmt: skip
    items = "".join(f'<li>{authors} <a href="https://doi.example/{n}">{title}</a>{journal}</li>'
                    for n, (authors, title, journal) in enumerate(references))  # fmt: skip
    html = page(f'<article class="story">{paragraphs(ENGLISH)}<h3>References</h3><ol>{items}</ol></article>')
    assert body_of(html) == [
        *ENGLISH,
        "References",
        *(f"{authors} {title}{journal}" for authors, title, journal in references),
    ]
