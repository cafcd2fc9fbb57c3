"""Pages received over a crawl's time, kept in at most :data:`MAX_BUCKETS` buckets however long the crawl runs.

The HTML report draws pages/s over the crawl; a list of every response's time
would grow with the crawl, so pages are counted in buckets of equal width
(one second to start with).  When a crawl outlasts ``MAX_BUCKETS`` buckets,
neighbours are merged in pairs and the width doubles: a minute's crawl keeps
one-second detail, a day's crawl still holds a few hundred numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The most buckets a timeline holds; past it, pairs merge and the bucket width doubles.
MAX_BUCKETS = 240


@dataclass
class PagesTimeline:
    """Pages counted per bucket of ``bucket_seconds``, from the crawl's opening (second 0)."""

    bucket_seconds: float = 1.0
    pages: list[int] = field(default_factory=list)
    max_buckets: int = MAX_BUCKETS

    def add(self, seconds: float, count: int = 1) -> None:
        """Count ``count`` pages received ``seconds`` after the crawl opened."""
        index = int(max(seconds, 0.0) // self.bucket_seconds)
        while index >= self.max_buckets:
            self._merge()
            index = int(max(seconds, 0.0) // self.bucket_seconds)
        if index >= len(self.pages):
            self.pages.extend([0] * (index + 1 - len(self.pages)))
        self.pages[index] += count

    def _merge(self) -> None:
        """Halve the number of buckets: each pair becomes one, twice as wide."""
        self.pages = [sum(self.pages[start : start + 2]) for start in range(0, len(self.pages), 2)]
        self.bucket_seconds *= 2

    def as_json(self) -> dict[str, Any]:
        return {"bucket_seconds": self.bucket_seconds, "pages": list(self.pages)}


def pages_per_second(timeline: dict[str, Any], duration: float | None = None) -> list[tuple[float, float]]:
    """``(seconds from the start, pages/s)`` per bucket of a timeline's JSON, for drawing.

    Each point sits at its bucket's end.  The last bucket is cut short by the
    crawl's end: with the crawl's ``duration`` its rate is over the part the
    crawl lasted, not the whole width (which would understate the final pace).
    """
    width = float(timeline.get("bucket_seconds") or 1.0)
    pages = [int(count) for count in timeline.get("pages", [])]
    points = []
    for index, count in enumerate(pages):
        start, end = index * width, (index + 1) * width
        if index == len(pages) - 1 and duration is not None and start < duration < end:
            end = duration
        points.append((end, count / (end - start)))
    return points
