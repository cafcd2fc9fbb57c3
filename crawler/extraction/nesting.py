"""Markup nested absurdly deep, flattened before the parser sees it.

lexbor follows the HTML standard's tree builder, which walks the stack of
open elements for every block start tag (is there a ``<p>`` to close?): a
body inside 100,000 nested ``<div>`` s costs quadratic time, 15 s for one
megabyte, and a crawl waits for it.  Formatting elements left open are
worse: the parser re-opens every one of them in every new paragraph.
Browsers bound the tree's depth (Blink's parser flattens beyond 512 levels).
So does this module, on the page's text, before parsing, in linear time:

* a pass of a compiled regex (in C) proves most pages shallow at once:
  remove the elements that hold only text (three levels of them), and what
  is left is too little to nest that deep, or, walked once, never open that
  deep (:func:`_surely_shallow`);
* the others are read tag by tag as the HTML tokenizer reads them (quoted
  attributes, comments, raw text, self-closing syntax), and the tree
  builder's stack of open elements is followed
  (:mod:`crawler.extraction.openelements`);
* only when it would go deeper than :data:`MAX_DEPTH`, or hold more than
  :data:`MAX_FORMATTING` formatting elements to re-open, is the page
  rewritten.  Start tags beyond the limit are dropped with their end tags,
  and so, in the last :data:`RESERVE` levels before it, are bare wrappers
  (no attributes, straight into more markup): the thousands of wrappers go,
  the article inside them keeps its container and paragraphs.  All text is
  kept, and a dropped block element leaves a paragraph break (``<br><br>``)
  so that words and paragraphs stay apart.

An ordinary page comes back as it was, the very same string.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from itertools import product

from selectolax.lexbor import LexborHTMLParser

from crawler.extraction import openelements
from crawler.extraction.openelements import (
    FORMATTING,
    HEADINGS,
    HTML,
    RAW_TEXT,
    VOID,
    Stack,
    Unfollowable,
)
from crawler.text import word_set

logger = logging.getLogger(__name__)

#: How deep the parsed tree may be (``<html>`` counting as 1): Blink's parser limit.
MAX_DEPTH = 512
#: Formatting elements the parser may re-open in every new paragraph.  Each costs an element per
#: paragraph, so a page of a thousand distinct unclosed ``<b id=...>`` is quadratic too (three alike
#: count once: the standard's "Noah's Ark" clause keeps three).
MAX_FORMATTING = 16
#: The last levels before the limit, where bare wrappers are already dropped.
RESERVE = 64
#: Levels kept free for what the model's stack leaves out: ``<html>``, ``<body>``, the ``<tbody>``
#: and ``<tr>`` a cell may imply, a void or raw-text element at the bottom.
_MARGIN = 6

_WS = "\t\n\f\r "
#: One attribute as the tokenizer reads it: a quote opens a value only after "=".  Atomic groups
#: and possessive quantifiers: a tag cut off by the end of the page fails in linear time.
_ATTRIBUTE = (
    rf"[^{_WS}/>][^{_WS}/>=]*+"
    rf"(?:[{_WS}]*+=[{_WS}]*+(?:\"[^\"]*+\"|'[^']*+'|[^{_WS}>\"'][^{_WS}>]*+|(?=>))|(?![{_WS}]*+=))"
)
#: Groups: 1 the "/" of an end tag, 2 tag name, 3 attributes, 4 the "/" of "/>", 5 an opening the
#: page ends inside (a tag, comment or bogus comment).  Comments and bogus comments (``<!...>``,
#: ``<?...>``, ``</ ...>``) match with no group; a "<" that opens nothing is text and does not match.
_TOKEN = re.compile(
    rf"<(?:(/?)([A-Za-z][^{_WS}/>]*+)((?:[{_WS}]++|/(?!>)|{_ATTRIBUTE})*+)(/?)>"
    r"|!--(?:-?>|.*?--!?>)"
    r"|(?:!(?!--)|\?)[^>]*+>"
    r"|/(?:>|[^A-Za-z>][^>]*+>)"
    r"|(/?[A-Za-z]|[!?]|/[^>]))",
    re.DOTALL,
)
_NEXT_IS_MARKUP = re.compile(rf"[{_WS}]*+<")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_RAW_END = {name: re.compile(rf"</{name}[{_WS}/>]", re.IGNORECASE | re.ASCII) for name in RAW_TEXT}
#: What moves the tokenizer between a script's escape states ("<!--<script>" hides a "</script>"), "-->"
#: aside: that one is looked up with ``str.find``.  A pattern holding it too has no first character to look
#: for, and sre tests every character of every script against a set (6 ns each): on a page of the benchmark,
#: 1.9 of the 3 ms :class:`_Scan` spent on it.
_SCRIPT_OPENINGS = re.compile(rf"<(?:!--|/?script(?=[{_WS}/>]))", re.IGNORECASE | re.ASCII)

#: Elements a paragraph break stands in for when they are dropped (as crawler.extraction.blocks reads them).
_BLOCKS = HEADINGS | word_set(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer header "
    "hgroup main menu nav ol p search section summary ul pre listing li dd dt form table tbody thead tfoot tr td "
    "th caption"
)
#: Never dropped as mere wrappers near the limit: the structure of the text itself.
_CONTENT = HEADINGS | word_set("p li dd dt dl ul ol pre blockquote figure figcaption table tbody thead tfoot tr td th")
_BREAK = "<br><br>"
_END_TAG = re.compile(rf"</([A-Za-z][^{_WS}/>]*+)(?:[{_WS}]++|/(?!>)|{_ATTRIBUTE})*+/?>")
#: A start tag followed by more markup, in a run of them (group 1: the whitespace before it).
_RUN_TAG = re.compile(rf"([{_WS}]*+)<([A-Za-z][^{_WS}/>]*+)(?:[{_WS}]++|/(?!>)|{_ATTRIBUTE})*+/?>(?=[{_WS}]*+<)")
#: The same, bare (no attributes).
_BARE_TAG = re.compile(rf"([{_WS}]*+)<([A-Za-z][^{_WS}/>]*+)[{_WS}]*+/?>(?=[{_WS}]*+<)")
#: Start tags a run of dropped ones stops at: they do not open, or open something else than an element.
_RUN_STOPS = RAW_TEXT | VOID | frozenset({"plaintext"})
_BARE_RUN_STOPS = _RUN_STOPS | _CONTENT
#: Compiled runs of one tag repeated, by the tag.
_REPEATS: dict[str, re.Pattern[str]] = {}
_TEXT_THEN_END = re.compile(rf"[^<]*+</([A-Za-z][^{_WS}/>]*+)")
#: Kept at the limit only if they open nothing else: table parts imply rows and bodies, formatting
#: elements are re-opened later.
_LEAF_UNSAFE = FORMATTING | word_set("table caption colgroup col tbody thead tfoot tr td th")


def _lower(name: str) -> str:
    """ASCII lowercase, as the tokenizer folds tag names (``str.lower`` folds more)."""
    return name.lower() if name.isascii() else name.translate(_ASCII_LOWER)


def _raw_text_end(html: str, name: str, position: int) -> int:
    """Where the end tag of a raw-text element whose text starts at ``position`` is; -1 for none.

    A script ends at its first ``</script`` unless a ``<!--`` comes before it (the escape states), so the
    marks are read one by one only from the first ``<!--`` on: nothing before it changes the state.
    """
    end = _RAW_END[name].search(html, position)
    if end is None:
        return -1  # the text never ends, whatever the escape states
    if name != "script" or (position := html.find("<!--", position, end.start())) < 0:
        return end.start()
    # The marks in the page's order, as one pattern of all three would find them (none overlapping):
    # the next "<" mark and the next "-->", whichever comes first (they never start at the same place).
    escaped = double = False
    mark = _SCRIPT_OPENINGS.search(html, position)
    dashes = html.find("-->", position)
    while mark is not None:
        if 0 <= dashes < mark.start():
            escaped = double = False
            position = dashes + 3  # the "<" mark starts after it: it stays the next one
        else:
            text, position = mark.group(), mark.end()
            if text == "<!--":
                if html.startswith((">", "->"), position):
                    escaped = double = False  # "<!-->" and "<!--->" end in "-->"
                else:
                    escaped = True
            elif text[1] == "/":
                if not double:
                    return mark.start()
                double = False
            elif escaped:
                double = True
            mark = _SCRIPT_OPENINGS.search(html, position)
        if 0 <= dashes < position:
            dashes = html.find("-->", position)
    return -1


_DOCTYPE = re.compile(r"(?:[\t\n\f\r ]++|<!--(?:-?>|.*?--!?>))*+<!doctype[^>]*+>", re.IGNORECASE | re.ASCII | re.DOTALL)


def _quirks(html: str) -> bool:
    """Whether lexbor reads the page in quirks mode (where a ``<table>`` leaves an open ``<p>`` open).

    Asked of lexbor itself, with the page's doctype and a ``<p><table>`` after it: the standard's
    list of quirky doctypes is long.
    """
    match = _DOCTYPE.match(html, 1 if html.startswith("\ufeff") else 0)
    if match is None:
        return True
    table = LexborHTMLParser(match.group() + "<p><table>").css_first("table")
    return table is not None and table.parent is not None and table.parent.tag == "p"


class _Scan:
    """One pass over a page's tags with the model, measuring or rewriting.

    Measuring stops at the first sign the page needs flattening.  Rewriting
    cuts out the tags to drop; a dropped element is remembered until its end
    tag (dropped too) or its parent's end, so that end tags of kept elements
    stay.  Should the page make the tree builder do more than the model
    follows (:class:`Unfollowable`), the rest of it is read the crude way:
    every start tag counts, none closes, and those past the limit go.
    """

    def __init__(self, html: str, limit: int, rewrite: bool) -> None:
        self.html, self.limit, self.rewrite = html, limit, rewrite
        #: From here to the limit, bare wrappers are dropped already.
        self.soft_limit = limit - min(RESERVE, limit // 4)
        self.stack = Stack(quirks=_quirks(html))
        self.pieces: list[str] = []
        self.copied = 0  # html[:copied] is in pieces
        self.break_end = -1  # where the last paragraph break stood in for a dropped tag
        self.dropped = 0
        self.position = 0  # where the tag being read starts
        #: name -> runs of dropped elements still open: [serial, parent's depth, parent's serial, how many]
        self.ghosts: dict[str, list[list[int]]] = {}

    def run(self) -> bool:
        """Follow every tag; ``False`` (measuring) as soon as the page proves too deep."""
        try:
            return self._follow()
        except Unfollowable as error:
            logger.debug("Reading the rest of the page crudely: %s", error)
            return self._crude()

    def _follow(self) -> bool:
        html, stack, rewrite, ghosts, limit = self.html, self.stack, self.rewrite, self.ghosts, self.limit
        search = _TOKEN.search
        self.position = position = 0
        text_from = 0  # where text not yet given to the model starts
        while (match := search(html, position)) is not None:
            position = match.end()
            slash, raw_name, attributes, self_closing, unfinished = match.groups()
            if raw_name is None:
                if unfinished is not None:
                    break  # the page ends inside a tag or comment: the parser reads no more markup
                if match.start() > text_from:
                    stack.text(html[text_from : match.start()])
                text_from = position
                continue  # a comment
            self.position = match.start()
            if match.start() > text_from:
                stack.text(html[text_from : match.start()])
            text_from = position
            name = raw_name.lower() if raw_name.isascii() else _lower(raw_name)
            if slash:
                if rewrite and name in ghosts and (dropped := self.drop_end(match, name)):
                    position = text_from = dropped
                    continue
                if stack.names and stack.names[-1] == name and stack.kinds[-1] == HTML and name not in _END_SPECIAL:
                    stack.pop()  # the current node's own end tag, as most end tags are
                else:
                    openelements.end(stack, name)
                continue
            if name in RAW_TEXT and not stack.in_foreign_content() and not stack.ignores(name):
                # Never dropped (its text would turn into markup), and a leaf: nothing to push.
                stack.raw_text(name)
                end = _raw_text_end(html, name, position)
                if end < 0:
                    break  # the rest of the page is its text
                position = text_from = end
                continue
            if rewrite and (dropped := self.drop_start(match, name, attributes, self_closing)):
                position = text_from = dropped
                continue
            plaintext = name == "plaintext" and not stack.in_foreign_content() and not stack.ignores(name)
            openelements.start(stack, name, attributes, bool(self_closing))
            if plaintext:
                break  # the rest of the page is text
            if not rewrite and (stack.depth() > limit or stack.formatting_count() > MAX_FORMATTING):
                return False
        return True

    def drop_start(self, match: re.Match[str], name: str, attributes: str, self_closing: str) -> int:
        """0 if a start tag stays; else it is cut out and remembered, with the start tags straight after
        it that go too (:meth:`drop_run`), and where what was cut ends is returned."""
        stack = self.stack
        depth = stack.depth()
        too_many = name in FORMATTING and stack.formatting_count() >= MAX_FORMATTING
        if depth < self.soft_limit and not too_many:
            return 0
        if not _opens(stack, name, self_closing):
            return 0
        hard = depth >= self.limit or too_many
        if not hard and (
            name in _CONTENT or attributes.strip(_WS + "/") or not _NEXT_IS_MARKUP.match(self.html, match.end())
        ):
            return 0  # near the limit, only wrappers go: bare, and straight into more markup
        if not too_many and name not in _LEAF_UNSAFE and self.holds_only_text(match.end(), name):
            return 0  # a paragraph at the limit: one level more, and closed before anything else opens
        start, end = match.span()
        if stack.in_foreign_content():  # where self-closing tags open nothing: one by one
            self.remember(name, 1)
            self.cut(start, end, name)
            return end
        return self.drop_run(start, end, name, bare=not hard)

    def remember(self, name: str, count: int) -> None:
        """``count`` elements ``name`` dropped: their end tags go too, while their parent is open."""
        stack = self.stack
        parent_depth = len(stack.names)
        parent_serial = stack.serials[-1] if parent_depth else 0
        self.ghosts.setdefault(name, []).append([stack.serial(), parent_depth, parent_serial, count])

    def drop_run(self, start: int, end: int, name: str, bare: bool = False) -> int:
        """The start tags straight after this one go with it: a run of thousands at the cost of one.

        The run stops before a tag followed by text (a paragraph, maybe: judged
        on its own) and at the first that opens no element (raw text, void).
        ``bare``: near the limit, only wrappers go (no attributes, no structure).
        """
        html = self.html
        tag, stops = (_BARE_TAG, _BARE_RUN_STOPS) if bare else (_RUN_TAG, _RUN_STOPS)
        follow = tag.match
        match = follow(html, end)
        if match is None:  # no run: this tag alone
            self.remember(name, 1)
            self.cut(start, end, name)
            return end
        run_end, counts, spaced = end, {name: 1}, False
        while match is not None:
            found = _lower(match.group(2))
            if found in stops:
                break  # the run ends before the first tag to keep
            counts[found] = counts.get(found, 0) + 1
            spaced = spaced or match.start(2) - match.start() > 1
            run_end = match.end()
            match = follow(html, run_end)
        for dropped, count in counts.items():
            self.remember(dropped, count)
        if spaced:
            self.stack.text(" ")  # the whitespace between the tags stays, as text
        self.cut(start, run_end, "div" if not _BLOCKS.isdisjoint(counts) else "", sum(counts.values()))
        return run_end

    def repeats(self, start: int, end: int) -> int:
        """How many times ``html[start:end]`` is repeated right after itself."""
        html = self.html
        tag = html[start:end]
        if not html.startswith(tag, end):
            return 0
        pattern = _REPEATS.get(tag)
        if pattern is None:
            if len(_REPEATS) > 256:
                _REPEATS.clear()
            pattern = _REPEATS[tag] = re.compile(f"(?:{re.escape(tag)})*")
        run = pattern.match(html, end)
        return (run.end() - end) // (end - start) if run else 0

    def holds_only_text(self, position: int, name: str) -> bool:
        """Whether the element whose start tag ends at ``position`` holds text and then ends."""
        end = _TEXT_THEN_END.match(self.html, position)
        return end is not None and _lower(end.group(1)) == name

    def drop_end(self, match: re.Match[str], name: str) -> int:
        """0 if an end tag stays; else (it closes a dropped element) it is cut out, with the end tags
        straight after it that close dropped elements too, and where the cut ends is returned."""
        if not self.closes_dropped(name):
            return 0
        html, ghosts = self.html, self.ghosts
        first, end = match.span()
        tags, block, tag_length = 1, name in _BLOCKS, end - first
        while True:
            run = ghosts.get(name)
            if run and (repeats := min(self.repeats(end - tag_length, end), run[-1][3])):
                run[-1][3] -= repeats  # the same end tag again, closing the same dropped run: at once
                if not run[-1][3]:
                    run.pop()
                end += repeats * tag_length
                tags += repeats
            following = _END_TAG.match(html, end)
            if following is None:
                break
            name = _lower(following.group(1))
            if name not in ghosts or not self.closes_dropped(name):
                break
            end, tags, tag_length = following.end(), tags + 1, following.end() - following.start()
            block = block or name in _BLOCKS
        self.cut(first, end, "div" if block else "", tags)
        return end

    def closes_dropped(self, name: str) -> bool:
        """Whether an end tag ``name`` here closes a dropped element (which is then forgotten)."""
        ghosts = self.ghosts[name]
        while ghosts and not self._still_open(ghosts[-1]):
            ghosts.pop()
        if not ghosts:
            return False
        kept = max(self.stack.innermost(name), self.stack.innermost("\0" + name))  # HTML or SVG/MathML
        if kept >= 0 and self.stack.serials[kept] > ghosts[-1][0]:
            return False  # it closes a kept element opened inside the dropped one
        ghosts[-1][3] -= 1
        if not ghosts[-1][3]:
            ghosts.pop()
        return True

    def _still_open(self, ghost: list[int]) -> bool:
        _, parent_depth, parent_serial, _ = ghost
        serials = self.stack.serials
        return parent_depth == 0 or (len(serials) >= parent_depth and serials[parent_depth - 1] == parent_serial)

    def cut(self, start: int, end: int, name: str, tags: int = 1) -> None:
        """Leave ``html[start:end]`` (``tags`` tags) out of the page."""
        html = self.html
        if start > self.copied:
            self.pieces.append(html[self.copied : start])
        self.copied = end
        self.dropped += tags
        if start and html[start - 1] == "<":
            self.pieces.append(" ")  # "<" and what follows the cut must not make a new tag
            self.stack.text(" ")
        # A paragraph break for a block element, once between two runs of text; not in SVG/MathML,
        # which a <br> would leave.
        if name in _BLOCKS and not self.stack.in_foreign_content():
            if self.break_end != start and (self.break_end < 0 or not html[self.break_end : start].isspace()):
                self.pieces.append(_BREAK)
                self.stack.reconstruct()  # as a <br> does
            self.break_end = end

    def _crude(self) -> bool:
        """The rest of the page, from the tag the model gave up at, read without a model.

        Every "<" and letter is a start tag that may open an element, wherever it
        stands (in a comment, a script, an attribute), and nothing closes: a
        bound on depth that holds whatever the tree builder does.  Rewriting,
        those past the limit are cut to the first ">" (which holds no real tag
        but its own, so no text turns into markup).
        """
        html, depth, position = self.html, self.stack.depth(), self.position
        self.break_end = -1
        for match in _CRUDE_START.finditer(html, position):
            if match.group(1).lower() in _BREAKOUT_VOID:
                continue
            depth += 1
            if depth > self.limit:
                if not self.rewrite:
                    return False
                if match.start() >= self.copied:
                    self.cut(match.start(), match.end(), "")
        return True

    def text(self) -> str:
        return "".join(self.pieces) + self.html[self.copied :]


#: The end tags whose element is not simply popped when it is the current node.
_END_SPECIAL = FORMATTING | {"form", "br", "template"}
_CRUDE_START = re.compile(r"<([A-Za-z][^\t\n\f\r />]*)[^>]*+>")
#: Void elements that stay HTML in SVG/MathML (they leave it): never open, wherever they are.
_BREAKOUT_VOID = frozenset({"br", "img", "embed", "hr", "meta"})


def _opens(stack: Stack, name: str, self_closing: str) -> bool:
    """Whether a start tag may open an element (void and ignored ones never do)."""
    if stack.ignores(name):
        return False
    if stack.in_foreign_content() and name not in openelements.BREAKOUT and name != "font":
        return not self_closing
    return name not in VOID and name not in ("html", "head", "body", "plaintext")


# The cheap proof that a page is shallow: one pass of a regex (in C) that removes the elements holding
# only text, then a count of the start tags left, or failing that one walk over them in Python.
#
# Removing an element that holds only text (``<p>text</p>``) hides one level from every point inside
# it; removing k levels of them (the pass removes subtrees up to _LEVELS high) hides at most k levels,
# whatever the markup.  A removal is sound if the span removed is one real element, closed at its end,
# or holds no real start tag at all.  Tags are read the cheap way, as ending at their first ">", which
# is right for any tag but one with a ">" inside a quoted attribute value; and such a tag is made
# harmless first: a blocker (_POISON) goes in right after the first ">" of every quoted value (or what
# may be one), so that the tag, misread as ending there, never passes for an element holding only
# text.  A "<x" that is no real tag (inside a comment, a script, an attribute value) lies inside
# something that ends with a ">" no earlier than that first ">", so its span holds no real start tag.
# And a span is replaced with _REPLACEMENT rather than removed: one that started inside a real tag (a
# "<x" inside an attribute) took that tag's ">" with it, and the tag must still end there when what is
# left is read again; the "\x01" keeps a tag name cut short by a span from reading as another name (a
# page holding the character is left to the exact scan).
_MARK = "\x01"
_REPLACEMENT = _MARK + ">"
_POISON = "<!\x00"
#: A quoted attribute value with a ">" inside (or what looks like one), up to its last ">" (``[^"]`` is
#: read faster than ``[^">]``: the first ">" is looked up after).
_QUOTED_GT = re.compile(rf"=[{_WS}]*+(?:\"[^\"]*>|'[^']*>)")
_DELIMITER = rf"[{_WS}/>]"
_TAG_NAME = rf"[A-Za-z][^{_WS}/>]*+"
#: Levels of elements one pass removes: an element holding only text and such elements, and so on.
_LEVELS = 3
#: An attribute list read exactly, with quoted values holding neither "<" nor ">".
_PLAIN_ATTRIBUTES = rf"(?:[{_WS}]++[^{_WS}/>=\"'<\x01]++(?:=\"[^\"<>\x01]*+\"|='[^'<>\x01]*+')?)*+[{_WS}]*+"
#: SVG elements that are not HTML ones in disguise (those make the parser leave SVG).
_SVG_CHILD = rf"(?!(?i:{'|'.join(sorted(openelements.BREAKOUT | {'font'}))}){_DELIMITER})[A-Za-z][^{_WS}/>\x01<\"'=]*+"


def _leaves_pattern() -> re.Pattern[str]:
    """What one pass removes.

    An element holding only text (and elements of that kind, _LEVELS deep); the
    void elements that stay HTML in SVG/MathML; a paragraph, item or term
    holding only that before the next one, which closes it (HTML wherever they
    are).  And inline SVG holding only self-closing and empty elements (in SVG
    those open nothing): that one only straight after a ">" (and whitespace),
    since a "<svg" in a bogus comment or an unquoted attribute value reads as a
    tag ending where that ends, and the real tags after it would pass for its
    children.  Nothing else may lie inside it (the end of a comment, a script
    or a quoted value would let it reach out of one).
    """
    groups = iter(range(1, 1000))

    def svg_child(levels: int) -> str:
        group = next(groups)
        inner = rf"(?:<{svg_child(levels - 1)}[{_WS}]*+)*+" if levels > 1 else ""
        return (
            rf"(?:{_SVG_CHILD}{_PLAIN_ATTRIBUTES}/>"
            rf"|({_SVG_CHILD}){_PLAIN_ATTRIBUTES}>[{_WS}]*+{inner}</\{group}[{_WS}]*+>)"
        )

    after_tag = "|".join(rf"(?<=>[{_WS}]{{{spaces}}}<[Ss][Vv][Gg])" for spaces in range(17))
    svg = (
        rf"[Ss][Vv][Gg](?:{after_tag}){_PLAIN_ATTRIBUTES}>[{_WS}]*+"
        rf"(?:<{svg_child(_LEVELS - 1)}[{_WS}]*+)*+</[Ss][Vv][Gg][{_WS}]*+>"
    )
    void = rf"(?:br|img|embed|hr|meta)(?={_DELIMITER})[^>]*+>"

    def inside(levels: int, closer: str = "") -> str:
        """What such an element holds (up to ``closer``, the start tag that closes it, if any)."""
        if levels == 1:
            return "[^<]*+"
        before = rf"(?!{closer}{_DELIMITER})" if closer else ""
        return rf"[^<]*+(?:<{before}(?:{void}|{element(levels - 1)})[^<]*+)*+"

    def element(levels: int) -> str:
        group = next(groups)
        return rf"({_TAG_NAME})[^>]*+>{inside(levels)}</\{group}(?={_DELIMITER})[^>]*+>"

    closed_by_next = [("[Pp]", "[Pp]"), ("[Ll][Ii]", "[Ll][Ii]"), ("[Dd][DdTt]", "[Dd][DdTt]")]
    alternatives = [svg, void, element(_LEVELS)] + [
        rf"{name}(?={_DELIMITER})[^>]*+>{inside(_LEVELS, following)}(?=<{following}{_DELIMITER})"
        for name, following in closed_by_next
    ]
    return re.compile("<(?:" + "|".join(alternatives) + ")")


_LEAVES = _leaves_pattern()
_FOREIGN_START = re.compile(r"<(?:[Ss][Vv][Gg]|[Mm][Aa][Tt][Hh])[\t\n\f\r />]")
_START_NAME = re.compile(r"<([A-Za-z][^\t\n\f\r />]*)")


def _any_case(names: str) -> frozenset[str]:
    """Every spelling of the names in upper and lower case, to count tags without lowering the page."""
    return frozenset(
        "".join(letters) for name in names.split() for letters in product(*zip(name, name.upper(), strict=True))
    )


_TABLE_ANY_CASE = _any_case("table")
_FOREIGN_ANY_CASE = _any_case("svg math")
#: Start tags that open nothing outside SVG/MathML: void elements, and the document's own html, head, body.
_NEVER_OPEN_ANY_CASE = _any_case(" ".join(VOID) + " html head body")
#: Formatting elements but <a> and <nobr> (a new one of those closes the last).
_FORMATTING_ANY_CASE = _any_case("b big code em font i s small strike strong tt u")
#: Levels the bounds add whatever is left: <html>, <head> or <body>, a <colgroup>, and a raw-text
#: element read as closed before its real end (a script whose "<!--<script>" a removal took away).
_EXTRA = 4


def _surely_shallow(html: str, limit: int) -> bool:
    """Whether the page provably stays within the limits: one regex pass, then a count or a walk
    (a page of few tags: the count alone, :func:`_few_tags`).

    The parser's stack of open elements holds at most what the pass left open
    around a point (bounded by :func:`_count_bound`, or more tightly by
    :func:`_walk_bound`), the levels removed around it (three per level
    removed: a cell removed may stand in a row and a body the parser supplies),
    the formatting elements it re-opens and :data:`_EXTRA`.
    """
    if _MARK in html:
        return False
    if _few_tags(html, limit - 3 * _LEVELS - _EXTRA):
        return True
    text = _removed_leaves(html)
    bound = _count_bound(text)
    if bound is not None and bound + 3 * _LEVELS + _EXTRA <= limit:
        return True
    no_foreign = _FOREIGN_START.search(html) is None
    return _walk_bound(text, limit - 3 * _LEVELS - _EXTRA, no_foreign) + 3 * _LEVELS + _EXTRA <= limit


#: Characters of the page :func:`_few_tags` counts "<" in at a time.
_COUNT_STEP = 1 << 14


def _few_tags(html: str, limit: int) -> bool:
    """Whether the page's start tags are too few, all counted, to open ``limit`` elements: shallow without the pass.

    The pass only removes start tags (and writes none: its marks start with no letter), so the count
    bound of the whole page is never below that of what the pass leaves, and passing here means
    passing after it.  The pass costs about as much as parsing, and most small pages pass this.
    A page with more than twice ``limit`` "<" (start and end tags come in pairs, mostly) is not
    counted at all: it would hardly pass, and :func:`_count_bound` costs a scan of its own.  The "<"
    are counted a stretch at a time, and only until there are too many: most real pages have too
    many, and counting all of them cost 70 µs on a page of the benchmark (173 KB), a fourth of it
    past the one too many.
    """
    too_many, seen = 2 * limit, 0
    for start in range(0, len(html), _COUNT_STEP):
        seen += html.count("<", start, start + _COUNT_STEP)
        if seen > too_many:
            return False
    bound = _count_bound(html)
    return bound is not None and bound <= limit


def _removed_leaves(html: str) -> str:
    """What is left of the page after one pass of :data:`_LEAVES`, with :data:`_POISON` after the first ">"
    of every quoted attribute value (or what may be one).

    Nothing the pass removes reaches past a poisoned ">" (a tag ends there at the
    latest, text stops at the "<" after it), so the page is cut there and each
    piece goes through the pass on its own: the same result, with a copy of the
    page fewer.
    """
    match = _QUOTED_GT.search(html)
    if match is None:
        return _LEAVES.sub(_REPLACEMENT, html)
    pieces, start = [], 0
    while match is not None:
        # The value's first ">" (only whitespace and the quote lie between "=" and the value), and the
        # next one looked for after it, not after the last: another value may start in between.
        cut = html.find(">", match.start()) + 1
        pieces.append(_LEAVES.sub(_REPLACEMENT, html[start:cut]))
        start = cut
        match = _QUOTED_GT.search(html, cut)
    pieces.append(_LEAVES.sub(_REPLACEMENT, html[start:]))
    return _POISON.join(pieces)


def _count_bound(text: str) -> int | None:
    """How many open elements the start tags left can make, at most (``None``: too many formatting ones).

    Every start tag left, void ones and ``<html>``, ``<head>``, ``<body>`` aside
    (unless SVG or MathML is left, where they open elements); the ``<tbody>``
    and ``<tr>`` the parser supplies in each table; and the formatting elements
    it re-opens: at most the formatting start tags left, plus one ``<a>`` and one
    ``<nobr>`` (a new one closes the last).
    """
    counts = Counter(_START_NAME.findall(text))

    def count(names: frozenset[str]) -> int:
        return sum(counts[name] for name in names.intersection(counts))

    starts = counts.total()
    if _FOREIGN_ANY_CASE.isdisjoint(counts):  # no SVG/MathML left: voids open nothing
        starts -= count(_NEVER_OPEN_ANY_CASE)
    formatting = count(_FORMATTING_ANY_CASE) + 2
    if formatting > MAX_FORMATTING:
        return None
    return starts + 2 * count(_TABLE_ANY_CASE) + formatting


#: What the walk reads: group 1 the "/" of an end tag, 2 a tag name; or 3 the character after a "<"
#: it cannot read (a start tag it cannot read may open an element).  Comments holding no "<", and a "<"
#: that opens nothing, read as text.  A name a removal cut short (the mark after it) cannot be read.
_WALK_TOKEN = re.compile(
    rf"<(?:(/?)([A-Za-z][^{_WS}/>\x01]*+)(?={_DELIMITER})[^>]*+>"
    r"|!--(?:-?>|[^<]*?--!?>)|(?![A-Za-z/!?])|(?=([A-Za-z/!?])))"
)
_CLOSED_BY_NEXT = {"p": ("p",), "li": ("li",), "dd": ("dd", "dt"), "dt": ("dd", "dt")}
_CLOSED_BY_NEXT_NO_FOREIGN = {**_CLOSED_BY_NEXT, "td": ("td", "th", "tr"), "th": ("td", "th", "tr"), "a": ("a",)}
_NEVER_OPEN = VOID | {"html", "head", "body"}
_BREAKOUT_VOID = frozenset({"br", "img", "embed", "hr", "meta"})
_FORMATTING_REOPENED = FORMATTING - {"a", "nobr"}


def _walk_bound(text: str, limit: int, no_foreign: bool) -> int:
    """How many open elements what the pass left can make at any point, at most: the same removals, done
    all the way in one walk.

    An element is closed by its end tag when everything opened inside it was,
    and it held nothing the walk cannot read (so only text, as for the pass);
    a paragraph, item or term when the next of its kind starts, on those terms
    (a cell or a link too on a page without SVG or MathML).  Anything else
    stays open to the end.  The count is of the elements open at a point (the
    ``<tbody>`` and ``<tr>`` each open table may hold included), plus the
    formatting elements the parser may re-open: those never closed, plus one
    ``<a>`` and one ``<nobr>``.  More than ``limit`` open: stop there.
    """
    closed_by_next = _CLOSED_BY_NEXT_NO_FOREIGN if no_foreign else _CLOSED_BY_NEXT
    skip = _BREAKOUT_VOID if _FOREIGN_START.search(text) else _NEVER_OPEN
    names: list[str] = []  # the open elements, as written ("" for one never closed)
    lowered: list[str] = []
    closable: list[bool] = []  # whether it holds only what the walk read and closed
    tables = deepest = formatting = 0
    for slash, raw, unread in _WALK_TOKEN.findall(text):
        if not raw:
            if unread:
                if closable:
                    closable[-1] = False
                if unread.isalpha():  # a start tag the walk cannot read: open to the end
                    names.append("")
                    lowered.append("")
                    closable.append(False)
                    deepest = max(deepest, len(names) + 2 * tables)
            continue
        if slash:
            if names and names[-1] == raw and closable[-1]:  # the same spelling, as the pass wants it
                names.pop()
                closable.pop()
                name = lowered.pop()
                tables -= name == "table"
                formatting -= name in _FORMATTING_REOPENED
            elif closable:
                closable[-1] = False
            continue
        # Only start tags are lowered (an end tag pops its element's lowered name), and _lower inlined: the
        # walk, a Python loop over every tag left, took 9 % longer.
        name = raw.lower() if raw.isascii() else raw.translate(_ASCII_LOWER)
        if name in skip:
            continue
        if closable and closable[-1] and name in closed_by_next.get(lowered[-1], ()):
            names.pop()
            closable.pop()
            formatting -= lowered.pop() in _FORMATTING_REOPENED
        names.append(raw)
        lowered.append(name)
        closable.append(True)
        tables += name == "table"
        formatting += name in _FORMATTING_REOPENED
        if len(names) + 2 * tables > deepest:
            deepest = len(names) + 2 * tables
            if deepest > limit:
                break
    if formatting + 2 > MAX_FORMATTING:
        return limit + 1 + MAX_FORMATTING
    return deepest + formatting + 2


@dataclass(frozen=True)
class Flattening:
    """The page as the parser should see it, and what was done to it."""

    html: str
    #: Start and end tags dropped; 0 for a page left as it was.
    dropped: int = 0

    @property
    def flattened(self) -> bool:
        return self.dropped > 0


def flatten_deep_nesting(html: str, max_depth: int = MAX_DEPTH) -> Flattening:
    """``html`` as the parser should see it: unchanged unless it nests deeper than ``max_depth``.

    The parsed tree of the result is about ``max_depth`` deep at most, and
    every character of text in ``html`` is still in it.
    """
    limit = max(max_depth - _MARGIN, 1)
    if _surely_shallow(html, limit) or _Scan(html, limit, rewrite=False).run():
        return Flattening(html)
    scan = _Scan(html, limit, rewrite=True)
    scan.run()
    return Flattening(scan.text(), scan.dropped)


def parse_page(html: str, url: str | None = None, encoded: bytes | None = None) -> tuple[LexborHTMLParser, Flattening]:
    """The parsed page, by way of :func:`flatten_deep_nesting`: every page extraction reads is parsed here.

    A flattened page is logged (one warning, with ``url``); the caller counts it.  ``encoded``: ``html``
    in UTF-8, when the caller has it already (the page's own bytes,
    :func:`crawler.extraction.decoding.utf8_bytes`): parsed as it is, unless the page was flattened.
    """
    flattening = flatten_deep_nesting(html)
    if flattening.flattened:
        logger.warning(
            "%s: markup nested more than %d deep; %d tags dropped (the text kept) to parse it in linear time",
            url or "page", MAX_DEPTH, flattening.dropped,
        )  # fmt: skip
    source = encoded if encoded is not None and not flattening.flattened else flattening.html
    return LexborHTMLParser(source), flattening
