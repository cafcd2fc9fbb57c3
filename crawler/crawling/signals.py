"""The project's own crawl signals (Scrapy's ``signals`` module names only its own).

``article_page_received``: the spider is about to extract an article from this
response (``response=``).  Only the spider knows which pages are articles (a
start URL can be one, a listing's link is one only if it matches the site's
``article_urls``), so it says so, and whoever keeps pages listens
(``crawler.extensions.archive``) without the spider knowing about them.
"""

from __future__ import annotations

article_page_received = object()
