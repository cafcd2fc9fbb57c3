"""The review's pages in a real headless Chromium, offline: what is outlined, what runs, what loads.

The stored page is in ``<iframe sandbox="" srcdoc>``: no scripts, an opaque origin.  WebDriver still
enters such a frame (it drives the browser, not the page), so the checks below look at the very
document the reviewer sees, inside the real frame, rather than at a copy of it opened on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By

from crawler.extraction.trace import NODE_ATTRIBUTE
from crawler.review.cases import CaseReview, find_case, review_case
from crawler.review.highlight import roles_by_node
from crawler.review.render import case_file, write_review
from crawler.review.sanitize import REMOVED
from tests.browser import browser  # noqa: F401
from tests.crawler.review.hostile import REAL_CASE, TITLE, copy_snapshots, write_hostile_case

#: Each element's outline colour and style, shading and strike-through, as the browser computes them.
OUTLINES = f"""
return Array.from(document.querySelectorAll('*')).map(element => {{
  const style = getComputedStyle(element);
  return [element.getAttribute('{NODE_ATTRIBUTE}'), style.outlineStyle, style.outlineColor,
          style.textDecorationLine, style.backgroundColor];
}});
"""


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[CaseReview]]:
    """A review of a real case (every role on it) and of the hostile page, written to a folder."""
    snapshots = copy_snapshots(tmp_path_factory.mktemp("snapshots"), REAL_CASE)
    write_hostile_case(snapshots)
    reviews = [review_case(find_case(snapshots, name)) for name in (REAL_CASE, "sadaelbalad/hostile")]
    folder = tmp_path_factory.mktemp("review")
    write_review(reviews, folder)
    return folder, reviews


def open_case(driver: Any, folder: Path, review: CaseReview) -> None:
    driver.switch_to.default_content()
    driver.get((folder / case_file(review)).as_uri())
    driver.switch_to.frame(driver.find_element(By.TAG_NAME, "iframe"))


def test_the_outlined_elements_are_the_ones_extraction_used(
    browser: Any,  # noqa: F811
    review: tuple[Path, list[CaseReview]],
) -> None:
    folder, reviews = review
    real = reviews[0]
    assert real.trace is not None
    expected = roles_by_node(real.trace.fields)
    assert {role.name for role in expected.values()} >= {"headline", "block", "container", "dropped", "embed"}
    open_case(browser, folder, real)
    outlined, shown = {}, set()
    for name, style, colour, decoration, _ in browser.execute_script(OUTLINES):
        shown.add(name)
        if style != "none":
            assert name is not None, "an element outlined that the trace never named"
            outlined[name] = (colour, decoration)
    # What the frame does not show is only what the cleaning removes (a dropped <script>, say).
    assert real.trace.tree is not None
    for name in set(expected) - shown:
        node = real.trace.tree.css_first(f'[{NODE_ATTRIBUTE}="{name}"]')
        assert node is not None and node.css_matches(REMOVED), node.html if node is not None else name
        del expected[name]
    assert set(outlined) == set(expected)
    for name, role in expected.items():
        colour, decoration = outlined[name]
        assert colour == role.colour, f"element {name}: {role.name} should be outlined {role.colour}, is {colour}"
        assert ("line-through" in decoration) == (role.name == "dropped")
    headline = browser.find_element(By.CSS_SELECTOR, f'[{NODE_ATTRIBUTE}="{real.trace.fields["headline"][0]}"]')
    assert headline.text == real.output["headline"]


def test_no_script_of_a_stored_page_runs_and_nothing_loads(
    browser: Any,  # noqa: F811
    review: tuple[Path, list[CaseReview]],
) -> None:
    folder, reviews = review
    hostile = reviews[1]
    assert hostile.output["headline"].startswith("Hostile </iframe><script>")
    open_case(browser, folder, hostile)
    inside = browser.execute_script(
        "return [document.title, window.pwned === undefined, document.querySelectorAll('[data-ran], script').length,"
        " performance.getEntriesByType('resource').length, location.href]"
    )
    assert inside == [TITLE, True, 0, 0, "about:srcdoc"]
    frame_headline = browser.find_element(By.TAG_NAME, "h1").text
    assert "</iframe><script>parent.document.title='pwned'</script>" in frame_headline
    browser.find_element(By.ID, "js-link").click()  # its javascript: address is gone, and scripts are off anyway
    assert browser.execute_script("return window.pwned === undefined")
    browser.switch_to.default_content()
    outside = browser.execute_script(
        "return [document.title, window.pwned === undefined, document.querySelectorAll('script').length,"
        " performance.getEntriesByType('resource').length, document.querySelectorAll('iframe').length]"
    )
    assert outside == ["review: sadaelbalad/hostile", True, 0, 0, 1]
    # The page's text is shown escaped in the fields table too: one headline cell, no element made of it.
    cell = browser.find_element(By.XPATH, "//tr[th='headline']/td[1]").text
    assert cell == hostile.output["headline"]


def test_the_index_lists_every_case_with_its_status_and_links_to_it(
    browser: Any,  # noqa: F811
    review: tuple[Path, list[CaseReview]],
) -> None:
    folder, reviews = review
    browser.switch_to.default_content()
    browser.get((folder / "index.html").as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "table tr")[1:]
    assert [row.find_element(By.CSS_SELECTOR, ".status").text for row in rows] == ["pass", "unreviewed"]
    rows[1].find_element(By.TAG_NAME, "a").click()
    assert browser.title == "review: sadaelbalad/hostile"
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
