"""The one error extraction raises on purpose.

Everything odd about a page (broken markup, a wrong charset, a cut-off
body, nesting 10,000 deep) still gives an ``Article``, with what could be
read.  Only a page with nothing to read at all raises :class:`UnreadablePage`,
so that the spider can drop it with one log line and a count
(``news/dropped/<reason>``) instead of yielding an empty item or a traceback.
"""

from __future__ import annotations


class UnreadablePage(ValueError):
    """A page that is no HTML document at all: empty, or a PDF or image served as HTML.

    ``reason`` is a short slug for the stats key (``empty``, ``binary``);
    ``detail`` says what was found, for the log line.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


__all__ = ["UnreadablePage"]
