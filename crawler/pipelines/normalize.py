"""Normalising URLs: one spelling per article, the site's canonical one when it is trustworthy.

``url`` and ``canonical_url`` lose tracking parameters and fragments and
take w3lib's canonical form.  The page's ``canonical_url`` is kept only when
it points into the same site (a canonical to a syndication partner would
merge different sites' copies); otherwise the fetched URL stands in.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter

from crawler.urls import url_key


def same_site(first: str, second: str) -> bool:
    """Same host, ``www.`` or not."""
    hosts = [(urlsplit(url).hostname or "").removeprefix("www.") for url in (first, second)]
    return bool(hosts[0]) and hosts[0] == hosts[1]


class NormalizePipeline:
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter.get("url")
        if not url:
            return item  # the validate stage drops it, with its reason
        adapter["url"] = key = url_key(url)
        canonical = adapter.get("canonical_url")
        if canonical == url:  # the page names itself: the same key, whatever the host
            adapter["canonical_url"] = key
        else:
            adapter["canonical_url"] = url_key(canonical) if canonical and same_site(canonical, url) else key
        return item
