"""``scrapy review``: each snapshot case as a page to look at, with what extraction took marked on it.

:mod:`~crawler.review.cases` (status, diff and accepting a case), :mod:`~crawler.review.sanitize` (the stored page
made inert), :mod:`~crawler.review.highlight` (the outlines), :mod:`~crawler.review.render` (the HTML files).
"""
