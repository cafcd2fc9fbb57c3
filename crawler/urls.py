"""URL helpers shared by extraction, discovery and replay."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urljoin

from w3lib.url import canonicalize_url, url_query_cleaner

#: Query parameters that only say where a click came from.
TRACKING_PARAMETERS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "fbclid", "gclid", "ref_src", "ref_url", "igshid", "mc_cid", "mc_eid",
)  # fmt: skip


def strip_tracking(url: str) -> str:
    """Remove tracking parameters and the fragment; keep everything else as it was."""
    return url_query_cleaner(url, TRACKING_PARAMETERS, remove=True, unique=False, keep_fragments=False)


#: URLs whose keys :func:`url_key` remembers: an article's URL is keyed by several stages in turn (its
#: ``url`` and ``canonical_url``, often the same string, by the normalize stage; the request's by the
#: incremental skip).  A pure function of the string, so a remembered key is the key.
CACHED_URL_KEYS = 1024


@lru_cache(maxsize=CACHED_URL_KEYS)
def url_key(url: str) -> str:
    """A key under which two spellings of one URL meet (query order, escapes, fragment, tracking)."""
    return canonicalize_url(strip_tracking(url))


def absolute_url(base: str, href: str) -> str | None:
    """``href`` resolved against ``base``; ``None`` for one no URL parser can read (``http://[::1``).

    A page's links are data from strangers: one broken ``src`` costs that
    image, never the article around it.
    """
    try:
        return urljoin(base, href)
    except ValueError:
        return None
