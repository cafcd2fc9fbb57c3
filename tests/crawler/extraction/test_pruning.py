"""What sits inside the chosen body but is not of it goes; text that merely looks like links stays."""

from selectolax.lexbor import LexborHTMLParser

from crawler.extraction.measures import Measures
from crawler.extraction.pruning import prune
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


# --- teasers, forms, repeated boxes and prose beside links (found by mutation testing: docs/mutation-testing.md) ---


def test_a_paragraph_that_is_only_a_link_to_another_story_goes() -> None:
    """A short paragraph that is one link is a teaser for another page, not a sentence of this one.

    A paragraph that merely holds a link among its words is prose and stays.  Turning teaser
    pruning off left the whole suite green until this test.
    """
    teaser = '<p><a href="/story/rock-hall">Who will make the Rock Hall in 2020?</a></p>'
    mention = (
        '<p>The minister spoke after <a href="/story/summit">the summit in Brussels</a> ended, '
        "and before the vote that had been expected for weeks.</p>"
    )
    html = page(f'<article class="story">{paragraphs(ENGLISH[:2])}{teaser}{mention}{paragraphs(ENGLISH[2:])}</article>')
    assert body_of(html) == [
        *ENGLISH[:2],
        "The minister spoke after the summit in Brussels ended, and before the vote that had been expected for weeks.",
        ENGLISH[2],
    ]


def test_a_newsletter_form_goes_with_its_heading_and_fine_print() -> None:
    """A form asks the reader for something; neither it nor the short box that frames it is the article's text."""
    signup = (
        '<div><h3>Get the morning briefing</h3><form action="/subscribe"><label>E-mail address</label>'
        '<input type="email" name="email"><button>Subscribe</button></form>'
        "<p>By subscribing you agree to our privacy policy.</p></div>"
    )
    html = page(f'<article class="story">{paragraphs(ENGLISH[:2])}{signup}{paragraphs(ENGLISH[2:])}</article>')
    assert body_of(html) == ENGLISH


def pruned(html: str) -> list[str]:
    """The texts of the blocks left in ``<div id="body">`` once :func:`prune` has read it as an article body."""
    container = LexborHTMLParser(html).css_first("#body")
    assert container is not None
    prune(container, Measures(), set())
    return [" ".join(block.text(deep=True).split()) for block in container.css("p, blockquote")]


def test_a_form_beside_paragraphs_of_the_article_goes_alone() -> None:
    """The box around a form stops growing at the article's prose: the paragraph beside the form stays."""
    form = '<form action="/subscribe"><label>Your e-mail address for the daily newsletter</label></form>'
    html = f'<div id="body"><p>{ENGLISH[0]}</p><div><p>{ENGLISH[1]}</p>{form}</div><p>{ENGLISH[2]}</p></div>'
    assert pruned(html) == ENGLISH


def test_boxes_repeated_deeper_in_the_body_are_read_once_too() -> None:
    """Copies for two screen sizes are found in any wrapper of the body, beside boxes said only once."""
    once = "<div><blockquote>A quote the article gives only once, in a box of its own.</blockquote></div>"
    twice = "<div><blockquote>The pull quote, written once for wide screens and once for narrow.</blockquote></div>"
    html = f'<div id="body"><p>{ENGLISH[0]}</p><div class="story-quotes">{once}{twice}{twice}</div><p>{ENGLISH[1]}</p></div>'
    assert pruned(html) == [
        ENGLISH[0],
        "A quote the article gives only once, in a box of its own.",
        "The pull quote, written once for wide screens and once for narrow.",
        ENGLISH[1],
    ]


def test_a_box_written_twice_for_two_screen_sizes_is_read_once() -> None:
    """Templates repeat a box, one copy for wide screens and one for narrow: the reader sees it once."""
    quote = '"We will not return to the table until the missions reopen," he said.'
    box = f'<div class="quote-box"><blockquote>{quote}</blockquote></div>'
    html = page(f'<article class="story">{paragraphs(ENGLISH[:2])}{box}{box}{paragraphs(ENGLISH[2:])}</article>')
    assert body_of(html) == [*ENGLISH[:2], quote, ENGLISH[2]]


def test_a_paragraph_said_twice_is_the_articles_own_and_stays_twice() -> None:
    """Only whole boxes are copies: a paragraph repeated word for word (a meal plan's days) is the author's."""
    same = "Eat one or two hours after your workout, and drink water."
    html = page(f'<article class="story">{paragraphs(ENGLISH)}<p>{same}</p><p>{same}</p></article>')
    assert body_of(html) == [*ENGLISH, same, same]


def test_a_box_of_prose_around_a_list_of_links_keeps_its_prose_and_loses_the_list() -> None:
    """A box that is mostly link text but whose paragraphs are prose is the article: it is kept,
    and the list of links inside it is judged (and removed) on its own."""
    links = "".join(f'<li><a href="/s/{n}">Another story headline on the site, number {n}</a></li>' for n in range(6))
    html = f'<div id="body"><div class="part">{paragraphs(ENGLISH[:2])}<ul>{links}</ul></div><p>{ENGLISH[2]}</p></div>'
    assert pruned(html) == ENGLISH


def test_a_list_announced_by_bare_text_before_it_is_kept() -> None:
    """The sentence that announces a list may be text written straight into the container, a comment between."""
    courses = [f"Course number {n} in international relations" for n in range(4)]
    items = "".join(f'<li><a href="/course/{n}">{course}</a></li>' for n, course in enumerate(courses))
    announcement = "Here are some of the courses you can take at the school this year:"
    html = page(f'<article class="story">{paragraphs(ENGLISH)}{announcement}<!-- courses --><ul>{items}</ul></article>')
    assert body_of(html) == [*ENGLISH, announcement, *courses]


def test_an_ordered_list_announced_by_the_paragraph_before_it_is_kept_across_a_line_break() -> None:
    """Markup puts line breaks between tags: the announcing sentence is found across them, for a
    numbered list as for a bulleted one."""
    steps = [f"Step number {n}: read the guide to the visa application" for n in range(1, 5)]
    items = "".join(f'<li><a href="/guide/{n}">{step}</a></li>' for n, step in enumerate(steps))
    announcement = "Here are the steps to follow when you apply for a visa this year:"
    html = f'<div id="body"><p>{ENGLISH[0]}</p><p>{announcement}</p>\n  <ol>{items}</ol><p>{ENGLISH[1]}</p></div>'
    container = LexborHTMLParser(html).css_first("#body")
    assert container is not None
    prune(container, Measures(), set())
    assert [" ".join(li.text().split()) for li in container.css("li")] == steps
