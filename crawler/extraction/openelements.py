"""The HTML tree builder's stack of open elements, followed tag by tag without building a tree.

:mod:`crawler.extraction.nesting` must know how deep lexbor's tree will be
before lexbor builds it, since building it is what is quadratic.  Depth is
decided by the tree builder's rules (the HTML standard, section 13.2.6),
so this module follows them for the stack of open elements and the list of
active formatting elements: which start tags close which elements, which end
tags are honoured (scopes), the formatting elements re-opened in every new
paragraph (reconstruction), the adoption agency that repairs misnested ones,
SVG/MathML content and where it ends, and table markup with the ``<tbody>``
and ``<tr>`` it implies.  No tree, no text, no attributes beyond those
that matter: every step is O(1) amortised, save the adoption agency, which
walks a bounded stretch and is budgeted.

What it does not follow exactly it follows on the deep side, never the
shallow one, and without leaving phantom elements a later tag could close
in its place (which would make it shallower than the parser later on).
lexbor follows the 2025 standard, where a customizable ``<select>`` holds
any content and bounds scopes like ``<table>``.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from html.entities import html5 as _ENTITIES

from crawler.text import word_set

_WS = "\t\n\f\r "


VOID = word_set(
    "area base basefont bgsound br col embed frame hr image img input keygen link meta param source track wbr"
)
#: Elements whose content is text to the tokenizer, up to their own end tag (in HTML content).
RAW_TEXT = word_set("script style textarea title xmp iframe noembed noframes")
FORMATTING = word_set("a b big code em font i nobr s small strike strong tt u")
#: Start tags the parser ignores in a page's body (the first ones make the document's own).
_IGNORED = word_set("html head body frameset")
#: Start tags that close an open ``<p>`` (in button scope) before opening.
_CLOSES_P = word_set(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer header "
    "hgroup main menu nav ol p search section summary ul pre listing plaintext"
)
HEADINGS = word_set("h1 h2 h3 h4 h5 h6")
_TABLE_PARTS = word_set("table caption colgroup col tbody thead tfoot tr td th")
#: The insertion modes "in table", "in table body" and "in row", told by the current node.
_TABLE_CONTEXT = word_set("table tbody thead tfoot tr")
#: Start tags after which the active formatting elements are re-opened ("any other start tag" too).
_RECONSTRUCTING = FORMATTING | word_set(
    "applet marquee object area br embed img keygen wbr input image select optgroup option math svg button xmp"
)
_RUBY_TEXT = word_set("rb rtc rp rt")
#: Start tags after which a <frameset> no longer replaces the body.
_NOT_FRAMESET_OK = word_set(
    "li dd dt pre listing button applet marquee object table area br embed img image keygen wbr input hr textarea "
    "xmp iframe select body"
)
_HIDDEN_INPUT = re.compile(
    r"(?:^|[\t\n\f\r /])type[\t\n\f\r ]*=[\t\n\f\r ]*[\"']?hidden(?:[\"'\t\n\f\r /]|$)", re.IGNORECASE | re.ASCII
)
#: Elements popped by "generate implied end tags".
_IMPLIED_END = word_set("dd dt li optgroup option p rb rp rt rtc")
#: Start tags that leave SVG/MathML content for HTML.
BREAKOUT = word_set(
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing menu "
    "meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var"
)
_SPECIAL = word_set(
    "address applet area article aside base basefont bgsound blockquote body br button caption center col colgroup "
    "dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head "
    "header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed noframes "
    "noscript object ol p param plaintext pre script search section select source style summary table tbody td "
    "template textarea tfoot th thead title tr track ul wbr xmp"
)
_SCOPE_BOUNDARIES = word_set("applet caption html table td th marquee object template select")
#: End tags that close their element when it is in scope, whatever is open inside it (the others stop
#: at a special element; <p>, <li>, headings, table parts and <form> have rules of their own).
_SCOPED_END = word_set(
    "address article aside blockquote button center details dialog dir div dl fieldset figcaption figure footer "
    "header hgroup listing main menu nav ol pre search section summary ul dd dt applet marquee object select"
)
#: Elements that start a new list of active formatting elements (the standard's markers).
_MARKERS = word_set("applet object marquee template td th caption")
_SVG_INTEGRATION = word_set("foreignobject desc title")
_MATH_TEXT_INTEGRATION = word_set("mi mo mn ms mtext")
_FONT_BREAKOUT = re.compile(r"(?:^|[\t\n\f\r /])(?:color|face|size)(?![^\t\n\f\r /=>])", re.IGNORECASE | re.ASCII)
_HTML_ANNOTATION = re.compile(
    r"encoding[\t\n\f\r ]*=[\t\n\f\r ]*[\"']?(?:text/html|application/xhtml\+xml)[\"'\t\n\f\r />]",
    re.IGNORECASE | re.ASCII,
)

# Lists of positions an element is on (bit flags).
_IN_SCOPE, _IN_SPECIAL, _IN_LI_STOP, _IN_TABLE_SCOPE, _IS_MARKER = 1, 2, 4, 8, 16
_HTML_FLAGS = {
    name: (_IN_SCOPE if name in _SCOPE_BOUNDARIES else 0)
    | (_IN_SPECIAL | (_IN_LI_STOP if name not in ("address", "div", "p") else 0) if name in _SPECIAL else 0)
    | (_IN_TABLE_SCOPE if name in ("html", "table", "template") else 0)
    | (_IS_MARKER if name in _MARKERS else 0)
    for name in _SPECIAL | _SCOPE_BOUNDARIES
}
#: SVG's foreignObject, desc and title, MathML's mi, mo, mn, ms, mtext and annotation-xml.
_FOREIGN_BOUNDARY = _IN_SCOPE | _IN_SPECIAL | _IN_LI_STOP

# Kinds of elements: HTML; SVG or MathML (foreign content); SVG/MathML whose content is HTML
# (integration points), MathML text ones apart (<mglyph>, <malignmark> stay MathML in them).
HTML, SVG, MATH, HTML_INTEGRATION, TEXT_INTEGRATION = 0, 1, 2, 3, 4
_FOREIGN = (SVG, MATH)

#: An element out of the parser's stack but still in the tree, around the elements opened inside it.
_DEAD = "\x01"
#: Elements moved about by the adoption agency (one unit of ``work``) before the model gives up.
WORK_BUDGET = 200_000


class Unfollowable(Exception):
    """The page makes the tree builder do more than the model will follow (it is hostile)."""


class _Entry:
    """An active formatting element: its name and attributes, and where it is (position -1: not open)."""

    __slots__ = ("key", "name", "position", "raw", "serial")

    def __init__(self, name: str, raw: str, serial: int, position: int) -> None:
        self.name, self.raw, self.serial, self.position = name, raw, serial, position
        self.key: tuple | None = None

    def attributes(self) -> tuple:
        """What Noah's Ark compares, worked out when first needed."""
        if self.key is None:
            self.key = _attribute_key(self.raw) if self.raw.strip(_WS + "/") else ()
        return self.key


class Stack:
    """The parser's stack of open elements and list of active formatting elements.

    Per element: name, kind, scope flags and a serial number never reused
    (it tells a popped element from a later one in its place).  The lists of
    positions below hold one kind of element each, innermost last, so "is
    there a ``<p>`` in button scope?" is two comparisons, not a walk.
    """

    def __init__(self, quirks: bool = True) -> None:
        self.names: list[str] = []
        self.kinds: list[int] = []
        self.flags: list[int] = []
        self.serials: list[int] = []
        self.next_serial = 0
        #: Positions by name: HTML elements under their name, SVG and MathML ones under "\0" + name.
        self.by_name: dict[str, list[int]] = {}
        #: Per element, where the run of SVG/MathML elements it is in starts (its own position for HTML).
        self.runs: list[int] = []
        self.scope: list[int] = []
        self.special: list[int] = []
        self.li_stop: list[int] = []
        self.table_scope: list[int] = []
        #: Active formatting elements, one list per marker (the last one is what reconstruction sees).
        self.formatting: list[list[_Entry]] = [[]]
        self.entry_of: dict[int, _Entry] = {}  # serial -> entry, for open ones
        self.form_serial = 0  # the form element pointer
        self.template_modes: dict[int, str] = {}  # template serial -> how its contents are read
        #: The standard's frameset-ok flag (a <frameset> then replaces the body), and the frameset modes
        #: (where the parser ignores all but framesets).
        self.frameset_ok = True
        self.in_frameset = False
        #: A <table> closes an open <p> only outside quirks mode (a page without <!DOCTYPE html>).
        self.quirks = quirks
        self.work = 0

    # The stack itself.

    def serial(self) -> int:
        self.next_serial += 1
        return self.next_serial

    def push(self, name: str, kind: int = HTML, serial: int = 0, flags: int = -1) -> int:
        position = len(self.names)
        if flags < 0:
            flags = _HTML_FLAGS.get(name, 0) if kind == HTML else 0
        self.names.append(name)
        self.kinds.append(kind)
        self.flags.append(flags)
        self.serials.append(serial or self.serial())
        if kind == HTML:
            self.runs.append(position)
        else:
            self.runs.append(self.runs[-1] if position and self.kinds[-2] != HTML else position)
            name = "\0" + name
        positions = self.by_name.get(name)
        if positions is None:
            self.by_name[name] = [position]
        else:
            positions.append(position)
        if flags:
            self._mark(flags, position)
        return position

    def _mark(self, flags: int, position: int) -> None:
        if flags & _IN_SCOPE:
            self.scope.append(position)
        if flags & _IN_SPECIAL:
            self.special.append(position)
        if flags & _IN_LI_STOP:
            self.li_stop.append(position)
        if flags & _IN_TABLE_SCOPE:
            self.table_scope.append(position)
        if flags & _IS_MARKER:
            self.formatting.append([])

    def pop(self) -> None:
        name, kind, flags, serial = self.names.pop(), self.kinds.pop(), self.flags.pop(), self.serials.pop()
        self.runs.pop()
        if name is not _DEAD:
            self.by_name[name if kind == HTML else "\0" + name].pop()
        if serial in self.entry_of:
            self.entry_of.pop(serial).position = -1
        if flags:
            if flags & _IN_SCOPE:
                self.scope.pop()
            if flags & _IN_SPECIAL:
                self.special.pop()
            if flags & _IN_LI_STOP:
                self.li_stop.pop()
            if flags & _IN_TABLE_SCOPE:
                self.table_scope.pop()
        while self.names and self.names[-1] is _DEAD:
            self.names.pop(), self.kinds.pop(), self.flags.pop(), self.serials.pop(), self.runs.pop()

    def pop_to(self, position: int) -> None:
        """Pop the element at ``position`` and everything opened inside it."""
        while len(self.names) > position:
            self.pop()

    def pop_implied(self, keep: str = "") -> None:
        """The standard's "generate implied end tags" (but for ``keep``)."""
        while self.names and self.names[-1] in _IMPLIED_END and self.names[-1] != keep and self.kinds[-1] == HTML:
            self.pop()

    def innermost(self, name: str) -> int:
        """The position of the innermost open HTML element ``name``; -1 for none."""
        positions = self.by_name.get(name)
        return positions[-1] if positions else -1

    def top(self) -> str:
        return self.names[-1] if self.names and self.kinds[-1] == HTML else ""

    def in_foreign_content(self) -> bool:
        """Whether start tags are SVG/MathML ones here (the current node is, and holds no HTML)."""
        return bool(self.kinds) and self.kinds[-1] in _FOREIGN

    def depth(self) -> int:
        """How deep the tree may get here: the open elements, and those the next text re-opens."""
        formatting = self.formatting[-1]
        if not formatting or formatting[-1].position >= 0:
            return len(self.names)
        return len(self.names) + sum(1 for entry in formatting if entry.position < 0)

    def formatting_count(self) -> int:
        """Active formatting elements since the last marker: each is re-opened in every new paragraph."""
        return len(self.formatting[-1])

    # Moving elements about (the adoption agency, </form>, a second <a>): take the top of the
    # stack off and put it back changed.  Budgeted: a page could make this quadratic.

    def _take(self, position: int) -> list[list]:
        self.work += len(self.names) - position
        if self.work > WORK_BUDGET:
            raise Unfollowable("the adoption agency moves too much")  # before anything is taken
        items = []
        for index in range(position, len(self.names)):
            serial = self.serials[index]
            items.append([self.names[index], self.kinds[index], serial, self.entry_of.get(serial), self.flags[index]])
        self.pop_to(position)
        return items

    def _put(self, items: list[list]) -> None:
        for name, kind, serial, entry, flags in items:
            position = self.push(name, kind, serial, flags)
            if entry is not None:
                entry.position, entry.serial = position, serial
                self.entry_of[serial] = entry

    def remove(self, position: int) -> None:
        """Take one element out of the parser's stack; in the tree it still holds what was opened inside it."""
        if position == len(self.names) - 1:
            self.pop()
            return
        name, flags = self.names[position], self.flags[position]
        self.by_name[name if self.kinds[position] == HTML else "\0" + name].remove(position)
        for bit, positions in ((_IN_SCOPE, self.scope), (_IN_SPECIAL, self.special), (_IN_LI_STOP, self.li_stop),
                               (_IN_TABLE_SCOPE, self.table_scope)):  # fmt: skip
            if flags & bit:
                positions.remove(position)
        entry = self.entry_of.pop(self.serials[position], None)
        if entry is not None:
            entry.position = -1
        self.names[position], self.flags[position] = _DEAD, 0

    # Active formatting elements.

    def add_formatting(self, name: str, attributes: str) -> None:
        """Remember the element just pushed, as the standard's "push onto the list" (Noah's Ark included)."""
        formatting = self.formatting[-1]
        entry = _Entry(name, attributes, self.serials[-1], len(self.names) - 1)
        named = [other for other in formatting if other.name == name] if len(formatting) >= 3 else ()
        if len(named) >= 3:  # attributes compared only when there are three of the name already
            alike = [other for other in named if other.attributes() == entry.attributes()]
            if len(alike) >= 3:
                self._forget(alike[0])
        formatting.append(entry)
        self.entry_of[entry.serial] = entry

    def _forget(self, entry: _Entry) -> None:
        self.formatting[-1].remove(entry)
        if entry.position >= 0:
            self.entry_of.pop(entry.serial, None)

    def clear_to_marker(self) -> None:
        """The standard's "clear the list of active formatting elements up to the last marker".

        Only where the standard says so (a cell, caption, ``<object>``... closed by
        its end tag): a marker whose element went some other way stays.
        """
        if len(self.formatting) > 1:
            for entry in self.formatting.pop():
                if entry.position >= 0:
                    self.entry_of.pop(entry.serial, None)

    def close_cell(self, position: int) -> None:
        """Close the cell or caption at ``position`` (and what is open in it)."""
        self.pop_to(position)
        self.clear_to_marker()

    def last_formatting(self, name: str) -> _Entry | None:
        for entry in reversed(self.formatting[-1]):
            if entry.name == name:
                return entry
        return None

    def reconstruct(self) -> None:
        """Re-open the active formatting elements closed since they opened (as a new paragraph does)."""
        formatting = self.formatting[-1]
        if not formatting or formatting[-1].position >= 0:
            return  # the common case: nothing to re-open
        first = len(formatting) - 1
        while first > 0 and formatting[first - 1].position < 0:
            first -= 1
        for entry in formatting[first:]:
            entry.position = self.push(entry.name)
            entry.serial = self.serials[-1]
            self.entry_of[entry.serial] = entry

    def adoption_agency(self, subject: str) -> bool:
        """The standard's adoption agency algorithm; ``False`` when the end tag is an ordinary one after all."""
        if self.top() == subject and self.serials[-1] not in self.entry_of:
            self.pop()
            return True
        for _ in range(8):
            entry = self.last_formatting(subject)
            if entry is None:
                return False
            if entry.position < 0:
                self._forget(entry)
                return True
            start = entry.position
            if start < _last(self.scope):
                return True  # not in scope: a parse error, and nothing happens
            above = bisect_right(self.special, start)
            if above == len(self.special):
                self.pop_to(start)
                self._forget(entry)
                return True
            self._furthest_block(entry, self.special[above] - start)
        return True

    def _furthest_block(self, entry: _Entry, block: int) -> None:
        """One round of the adoption agency with a furthest block ``block`` elements above ``entry``."""
        formatting = self.formatting[-1]
        items = self._take(entry.position)  # items[0] is the formatting element
        bookmark = formatting.index(entry)
        node = last = block
        inner = 0
        while True:
            node -= 1
            if node == 0:
                break
            if items[node][0] is _DEAD:  # no longer around the furthest block, which moves up
                del items[node]
                block -= 1
                last -= 1 if last > node else 0
                continue
            inner += 1
            node_entry = items[node][3]
            if inner > 3 and node_entry is not None:
                if formatting.index(node_entry) < bookmark:
                    bookmark -= 1
                formatting.remove(node_entry)
                node_entry = items[node][3] = None
            if node_entry is None:
                del items[node]  # out of the stack (it stays in the tree)
                block -= 1
                last -= 1 if last > node else 0
                continue
            items[node][2] = self.serial()  # a new element in its place, in the stack and the list
            if last == block:
                bookmark = formatting.index(node_entry) + 1
            last = node
        if formatting.index(entry) < bookmark:
            bookmark -= 1
        formatting.remove(entry)
        clone = _Entry(entry.name, entry.raw, self.serial(), -1)
        formatting.insert(bookmark, clone)
        del items[0]
        items.insert(block, [entry.name, HTML, clone.serial, clone, _HTML_FLAGS.get(entry.name, 0)])  # inside the block
        self._put(items)

    # Helpers for the rules below.

    def close_p(self) -> None:
        """The standard's "close a p element", when one is in button scope."""
        p = self.innermost("p")
        if p >= 0 and p > _last(self.scope) and p > self.innermost("button"):
            self.pop_to(p)

    def in_scope(self, position: int) -> bool:
        return position >= 0 and position >= _last(self.scope)

    def ignores(self, name: str) -> bool:
        """Whether the parser ignores this start tag: in a frameset, or a ``<template>`` begun with ``<col>``.

        A template's contents are read in the mode its first start tag sets, and
        one of column group ignores all but ``<col>`` and ``<template>``.
        """
        if self.in_frameset:
            return name not in ("frameset", "frame", "noframes")
        if self.top() != "template":
            return False
        mode = self.template_modes.get(self.serials[-1]) or _template_mode(name)
        return mode == "colgroup" and name not in ("col", "template")

    def raw_text(self, name: str) -> None:
        """A raw-text element starts (the scanner skips its text; it opens nothing that stays open)."""
        if name in ("textarea", "xmp", "iframe"):
            self.frameset_ok = False
        if name == "xmp":
            self.close_p()
            self.reconstruct()

    def text(self, characters: str) -> None:
        """Character tokens: outside tables and SVG/MathML, they re-open the formatting elements."""
        if self.in_foreign_content():
            if characters.strip(_WS + "\0"):
                self.frameset_ok = False
            return
        if self.top() == "template" and self.template_modes.get(self.serials[-1]) == "colgroup":
            return
        characters = characters.replace("\0", "")  # the parser drops NULs in a body
        if not characters or self.in_frameset:
            return
        if characters.strip(_WS):
            self.frameset_ok = False
        top = self.top()
        if top in _TABLE_CONTEXT or top == "colgroup":
            if not characters.strip(_WS):
                return  # whitespace in a table is kept where it is
            if top == "colgroup":
                self.pop()
        self.reconstruct()


def _last(positions: list[int]) -> int:
    return positions[-1] if positions else -1


def _template_mode(first: str) -> str:
    if first == "col":
        return "colgroup"
    return "table" if first in _TABLE_PARTS else "body"


_ATTRIBUTE = re.compile(rf"([^{_WS}/>][^{_WS}/>=]*)(?:[{_WS}]*=[{_WS}]*(?:\"([^\"]*)\"|'([^']*)'|([^{_WS}>]*)))?")
_REFERENCE = re.compile(r"&(#[0-9]+;?|#[xX][0-9A-Fa-f]+;?|[A-Za-z0-9]+;?)")
_LEGACY_NAMES = sorted((name for name in _ENTITIES if not name.endswith(";")), key=len, reverse=True)


def _attribute_key(attributes: str) -> tuple:
    """What Noah's Ark compares: the attributes by (lowercase) name, the first of each, values decoded."""
    seen: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(attributes):
        name = match.group(1).lower().replace("\0", "\ufffd")
        if name not in seen:
            value = match.group(2) or match.group(3) or match.group(4) or ""
            seen[name] = _decode(value).replace("\0", "\ufffd")
    return tuple(sorted(seen.items()))


def _decode(value: str) -> str:
    """Character references in an attribute value, as the tokenizer reads them there."""
    if "&" not in value:
        return value
    return _REFERENCE.sub(lambda match: _reference(match, value), value)


def _reference(match: re.Match[str], value: str) -> str:
    text = match.group()
    if text.endswith(";") or text[1] == "#":
        return html.unescape(text)
    # A legacy name without ";" is read only if what follows is no letter, digit or "=".
    for name in _LEGACY_NAMES:
        if text[1:].startswith(name):
            after = match.start() + 1 + len(name)
            if after < len(value) and (value[after].isascii() and value[after].isalnum() or value[after] == "="):
                return text
            return _ENTITIES[name] + text[1 + len(name) :]
    return text


# What tags do to the stack.


def start(stack: Stack, name: str, attributes: str, self_closing: bool) -> None:
    """A start tag, as the tree builder takes it (raw-text elements aside: the scanner skips their text)."""
    kind = stack.kinds[-1] if stack.kinds else HTML
    if kind in _FOREIGN or kind == TEXT_INTEGRATION and name in ("mglyph", "malignmark"):
        if kind in _FOREIGN and (name in BREAKOUT or name == "font" and _FONT_BREAKOUT.search(attributes)):
            while stack.in_foreign_content():
                stack.pop()
        else:
            if not self_closing:
                kind, flags = _foreign_element(stack.names[-1], kind, name, attributes)
                stack.push(name, kind, flags=flags)
            return
    top = stack.top()
    if (stack.in_frameset or top == "template") and stack.ignores(name):
        return
    if top == "template":
        stack.template_modes.setdefault(stack.serials[-1], _template_mode(name))
    if name in _NOT_FRAMESET_OK and not (name == "input" and _HIDDEN_INPUT.search(attributes)):
        stack.frameset_ok = False
    if name == "frameset":
        _frameset(stack)
        return
    if top == "colgroup" and name not in ("col", "template"):
        stack.pop()  # "in column group", anything else ends the group
    if name in _TABLE_PARTS:
        _table_part(stack, name)
    elif name in _CLOSES_P:
        stack.close_p()
        stack.push(name)
    elif name in HEADINGS:
        stack.close_p()
        if stack.top() in HEADINGS:
            stack.pop()
        stack.push(name)
    elif name in FORMATTING:
        _formatting_start(stack, name, attributes)
    elif name in VOID or name in _IGNORED:
        if name == "hr":
            stack.close_p()
            if stack.in_scope(stack.innermost("select")):
                stack.pop_implied()
        elif name == "input" and stack.in_scope(select := stack.innermost("select")):
            stack.pop_to(select)  # an <input> closes a <select>
        if name in _RECONSTRUCTING:
            stack.reconstruct()
    else:
        _other_start(stack, name, attributes, self_closing)


def _frameset(stack: Stack) -> None:
    """A ``<frameset>`` replaces the body while nothing has ruled that out (text, most block elements)."""
    if stack.in_frameset:
        stack.push("frameset")
    elif stack.frameset_ok and stack.innermost("template") < 0:
        stack.pop_to(0)
        stack.push("frameset")
        stack.in_frameset = True
    stack.frameset_ok = False


def _foreign_element(parent: str, parent_kind: int, name: str, attributes: str) -> tuple[int, int]:
    """The kind and scope flags of an element started in SVG/MathML content: its parent's namespace rules."""
    if parent_kind == SVG or name == "svg" and parent == "annotation-xml":
        if name in _SVG_INTEGRATION:
            return HTML_INTEGRATION, _FOREIGN_BOUNDARY
        return SVG, 0
    if name in _MATH_TEXT_INTEGRATION:
        return TEXT_INTEGRATION, _FOREIGN_BOUNDARY
    if name == "annotation-xml":
        return (HTML_INTEGRATION if _HTML_ANNOTATION.search(attributes + " ") else MATH), _FOREIGN_BOUNDARY
    return MATH, 0


def _formatting_start(stack: Stack, name: str, attributes: str) -> None:
    if name == "a":
        entry = stack.last_formatting("a")
        if entry is not None and entry.position >= 0 and entry.position == len(stack.names) - 1:
            stack.pop()  # the common case of what follows: the open <a> is the current node
            stack.formatting[-1].remove(entry)
        elif entry is not None:  # an <a> inside an <a> ends it first
            stack.adoption_agency("a")
            if entry in stack.formatting[-1]:
                stack.formatting[-1].remove(entry)
            if entry.position >= 0:
                stack.entry_of.pop(entry.serial, None)
                stack.remove(entry.position)
    stack.reconstruct()
    if name == "nobr" and stack.in_scope(stack.innermost("nobr")):
        stack.adoption_agency("nobr")
        stack.reconstruct()
    stack.push(name)
    stack.add_formatting(name, attributes)


def _other_start(stack: Stack, name: str, attributes: str, self_closing: bool) -> None:
    if name in ("li", "dd", "dt"):
        item = stack.innermost("li") if name == "li" else max(stack.innermost("dd"), stack.innermost("dt"))
        if item >= 0 and item >= _last(stack.li_stop):
            stack.pop_to(item)
        stack.close_p()
    elif name == "button":
        if stack.in_scope(button := stack.innermost("button")):
            stack.pop_to(button)
    elif name in ("option", "optgroup"):
        if stack.in_scope(select := stack.innermost("select")):
            stack.pop_implied(keep="optgroup" if name == "option" else "")
        elif stack.top() == "option":
            stack.pop()
    elif name == "select":
        if stack.in_scope(select := stack.innermost("select")):
            stack.pop_to(select)  # a <select> inside a select closes it, and opens nothing
            return
    elif name in _RUBY_TEXT:
        if stack.in_scope(stack.innermost("ruby")):
            stack.pop_implied(keep="rtc" if name in ("rp", "rt") else "")
    elif name == "form":
        if stack.form_serial:
            return
        if stack.top() in _TABLE_CONTEXT:
            stack.form_serial = stack.serial()  # in a table, a form is opened and closed at once
            return
        stack.close_p()
        stack.push(name)
        stack.form_serial = stack.serials[-1]
        return
    elif name in ("svg", "math"):
        stack.reconstruct()
        if not self_closing:
            stack.push(name, SVG if name == "svg" else MATH)
        return
    elif name == "template":
        stack.push(name)
        return
    if name in _RECONSTRUCTING or name not in _SPECIAL and name not in _RUBY_TEXT or name == "noscript":
        stack.reconstruct()  # the standard's "any other start tag" (a <noscript> too, without scripting)
    stack.push(name)


def _table_part(stack: Stack, name: str) -> None:
    """Table markup: cells close cells, rows close rows, and the parser supplies a missing ``<tbody>``/``<tr>``.

    Outside a table the parser ignores these, ``<table>`` aside.
    """
    table = stack.innermost("table")
    template = stack.innermost("template")
    if template > table and name != "table":
        if stack.template_modes.get(stack.serials[template]) == "table":
            _template_table_part(stack, name, template)
        return  # a template read as a body ignores table parts, as a body does
    in_table = table >= 0 and table >= _last(stack.table_scope)
    inside = [position for position in (_cell(stack), stack.innermost("caption")) if position > table]
    if name == "table":
        if in_table and not inside:
            stack.pop_to(table)  # a table straight inside a table ends it and starts another
        if not stack.quirks:
            stack.close_p()
        stack.push("table")
        return
    if not in_table:
        return
    if inside:
        stack.close_cell(min(inside))  # a cell or caption of this table ends first
    if name == "col":
        stack.pop_to(table + 1)
        stack.push("colgroup")  # a <col> outside a <colgroup> opens one
        return
    if name in ("td", "th"):
        row = stack.innermost("tr")
        if row > table:
            stack.pop_to(row + 1)
        else:
            _section(stack, table)
            stack.push("tr")
    elif name == "tr":
        row = stack.innermost("tr")
        if row > table:
            stack.pop_to(row)
        _section(stack, table)
    else:  # tbody thead tfoot caption colgroup
        stack.pop_to(table + 1)
    stack.push(name)


def _template_table_part(stack: Stack, name: str, template: int) -> None:
    """Table markup straight inside a ``<template>``: the same, but no ``<tbody>``/``<tr>`` is implied."""
    if name == "col":
        stack.pop_to(template + 1)
        return
    cell = _cell(stack)
    if cell > template:
        stack.close_cell(cell)
    if name in ("td", "th", "tr"):
        row = stack.innermost("tr")
        if name == "tr" and row > template:
            stack.pop_to(row)
        elif row > template:
            stack.pop_to(row + 1)
        if name == "tr":
            section = max(stack.innermost("tbody"), stack.innermost("thead"), stack.innermost("tfoot"), template)
            stack.pop_to(section + 1)
    else:
        stack.pop_to(template + 1)
    stack.push(name)


def _cell(stack: Stack) -> int:
    return max(stack.innermost("td"), stack.innermost("th"))


def _section(stack: Stack, table: int) -> None:
    """Make the innermost table section the current node, opening a ``<tbody>`` if there is none."""
    section = max(stack.innermost("tbody"), stack.innermost("thead"), stack.innermost("tfoot"))
    if section > table:
        stack.pop_to(section + 1)
    else:
        stack.pop_to(table + 1)
        stack.push("tbody")


def end(stack: Stack, name: str) -> None:
    """An end tag, as the tree builder takes it: pop what the parser pops, ignore what it ignores."""
    if stack.in_frameset:
        if name == "frameset" and stack.top() == "frameset":
            stack.pop()
        return
    if stack.kinds and stack.kinds[-1] != HTML:
        # In SVG/MathML: the innermost foreign element of that name, if no HTML element is above it.
        foreign = stack.innermost("\0" + name)
        if foreign >= 0 and foreign >= stack.runs[-1]:
            stack.pop_to(foreign)
            return
        if name in ("p", "br") and stack.in_foreign_content():
            while stack.in_foreign_content():
                stack.pop()  # these two leave SVG/MathML, as the start tags that break out do
    if name in FORMATTING:
        if not stack.adoption_agency(name):
            _any_other_end(stack, name)
        return
    if name == "br":
        stack.reconstruct()  # </br> is a <br>
        stack.frameset_ok = False
        return
    if name == "form":
        _form_end(stack)
        return
    if name in HEADINGS:
        position = max(stack.innermost(heading) for heading in HEADINGS)
        if stack.in_scope(position):
            stack.pop_to(position)
        return
    position = stack.innermost(name)
    if position < 0:
        return
    if name == "p":
        allowed = position > max(_last(stack.scope), stack.innermost("button"))
    elif name == "li":
        allowed = position > max(_last(stack.scope), stack.innermost("ol"), stack.innermost("ul"))
    elif name in _TABLE_PARTS:
        allowed = position >= _last(stack.table_scope)
        if allowed and name not in _MARKERS and (cell := max(_cell(stack), stack.innermost("caption"))) > position:
            stack.close_cell(cell)  # the open cell of that table closes first
    elif name in _SCOPED_END:
        allowed = position >= _last(stack.scope)
    elif name == "template":
        allowed = True
    else:
        _any_other_end(stack, name)
        return
    if allowed:
        stack.pop_to(position)
        if name in _MARKERS:
            stack.clear_to_marker()


def _any_other_end(stack: Stack, name: str) -> None:
    """The innermost element of that name closes, unless a special element is open inside it."""
    position = stack.innermost(name)
    if position >= 0 and position >= _last(stack.special):
        stack.pop_to(position)


def _form_end(stack: Stack) -> None:
    """``</form>`` closes the form the pointer names, wherever it is, and only it."""
    serial, stack.form_serial = stack.form_serial, 0
    positions = stack.by_name.get("form") or []
    position = next((position for position in reversed(positions) if stack.serials[position] == serial), -1)
    if not stack.in_scope(position):
        return
    stack.pop_implied()
    if position == len(stack.names) - 1:
        stack.pop()
    else:
        stack.remove(position)
