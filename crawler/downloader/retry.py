"""Retries that back off: each retry of a request waits longer, and a server's ``Retry-After`` is obeyed.

Scrapy's RetryMiddleware retries at once.  A site answering 429 or 503 is
asking for less traffic, and an immediate retry is more of it; this
subclass delays the retried request by ``RETRY_BACKOFF_BASE * 2**(n-1)``
seconds (capped at ``RETRY_BACKOFF_MAX``), or by the ``Retry-After`` the
response gave, whichever is longer.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.settings import BaseSettings

DELAY_META = "retry_backoff_delay"


def retry_after_seconds(value: bytes | None) -> float:
    """``Retry-After`` as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return 0.0
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        return max(0.0, (parsedate_to_datetime(text) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return 0.0


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def backoff(self, retry_times: int, retry_after: float = 0.0) -> float:
        return min(self.cap, max(retry_after, self.base * 2 ** max(0, retry_times - 1)))

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        result = super().process_response(request, response)
        if isinstance(result, Request):
            retry_after = retry_after_seconds(response.headers.get(b"Retry-After"))
            result.meta[DELAY_META] = self.backoff(result.meta.get("retry_times", 1), retry_after)
        return result

    def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:  # type: ignore[override]
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            result.meta[DELAY_META] = self.backoff(result.meta.get("retry_times", 1))
        return result

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop(DELAY_META, 0.0)
        if delay:
            await asyncio.sleep(delay)
        return None
