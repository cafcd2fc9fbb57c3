"""Who the copy is from, when only the first sentence says it.

Agency copy republished elsewhere opens with its credit: "به گزارش خبرگزاری
مهر به نقل از اسپوتنیک، ..." is Mehr News' copy, which cites Sputnik.  The
sentence stays in the body as written; the agency also becomes ``source``.
Patterns are per language; a language without one gets nothing.
"""

from __future__ import annotations

import re

ATTRIBUTION_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    # "به گزارش <agency> [به نقل از <origin>]،" — the agency, not the one it cites.
    "fa": (re.compile(r"^به گزارش\s+(?P<source>[^،,.]{2,60}?)(?:\s+(?:به نقل از|از)\s+[^،,.]{2,60}?)?\s*[،,]"),),
    # "أفادت وكالة <agency> ..." is too free-form to read safely; Arabic sites credit in a line of their own.
}


def attributed_source(first_paragraph: str, language: str | None) -> str | None:
    for pattern in ATTRIBUTION_PATTERNS.get(language or "", ()):
        match = pattern.match(first_paragraph)
        if match:
            return match.group("source").strip()
    return None
