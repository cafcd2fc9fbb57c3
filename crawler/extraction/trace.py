"""What extraction took from a page, element by element: the record ``scrapy review`` highlights.

A reviewer of a snapshot case wants to see, on the page itself, which element gave the headline,
which paragraphs made the body and which boxes were cut as boilerplate.  Searching the page again
for the extracted text would show what *could* have given it, and be wrong exactly where review
matters (a headline that is also in a related-story box, a paragraph said twice).  So the extractor
reports it as it goes: :func:`crawler.extraction.article.extract_article` takes an optional
:class:`Trace`, and without one it does nothing more than it always did.

Elements are named by an attribute, :data:`NODE_ATTRIBUTE`, given to every element of the parsed
page before anything reads it (:meth:`Trace.mark`).  The body is read from a copy of the tree
(``tree.clone()``), which keeps attributes, so an element of the copy and of the page as published
bear the same name, and the record outlives the copy that reading cuts up.  Nothing in extraction
reads an attribute it does not name (class, id, itemprop, role, hidden, style, src ...), so the mark
changes no result: ``tests/crawler/extraction/test_trace.py`` extracts every snapshot case with and
without a trace and compares the two.

Per field, the extractor offers the elements each *layer* read (the site's selectors or page
methods, the generic page readers); the field's provenance says which layer won, and
:meth:`Trace.finish` keeps that layer's elements.  Fields that come from metadata (JSON-LD,
``<meta>``) have no element a reader sees: their provenance is the record.  The body is recorded as
read: its container(s), each block's element (the element whose text made it; for running text
straight inside a container, that container), the figures, captions and embeds taken out, and what
was dropped: whatever the original container held that the body's copy no longer holds once read,
other than the pictures and embeds taken (drop selectors, the framework's default drops, non-content
and pruning alike).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from selectolax.lexbor import LexborHTMLParser, LexborNode

if TYPE_CHECKING:
    from crawler.extraction.article import Extraction

#: The attribute that names each element of a traced page (kept by ``clone()``).
NODE_ATTRIBUTE = "data-nf-node"

#: Roles of the body's parts, beside the Article's field names.
CONTAINER, BLOCK, IMAGE, CAPTION, EMBED, DROPPED = "container", "block", "image", "caption", "embed", "dropped"


def node_id(node: LexborNode) -> str | None:
    """The element's name in a traced page; None for one made after marking (or not an element)."""
    return node.attrs.get(NODE_ATTRIBUTE) if node.is_element_node else None


def ids_of(nodes: list[LexborNode]) -> list[str]:
    """The names of the nodes, in order, without repeats and without unnamed ones."""
    return list(dict.fromkeys(name for node in nodes if (name := node_id(node)) is not None))


@dataclass
class BodyReading:
    """One reading of a body: what :func:`crawler.extraction.article._read_body` read, by element name.

    The generic path may read twice (the finder's containers, then the densest run); only the
    reading whose blocks were kept is the trace's.
    """

    containers: list[str] = field(default_factory=list)
    #: One name per block read, aligned with the blocks (several blocks may share one element).
    block_nodes: list[str] = field(default_factory=list)
    #: (role, name) of the figures, pictures, captions and embeds taken out of the body.
    media: list[tuple[str, str]] = field(default_factory=list)
    #: Every element still inside the containers once read: what was not dropped.
    kept: set[str] = field(default_factory=set)

    def credit(self, read: int, kept: int) -> str | None:
        """The element of the closing credit line cut off the body (``read`` blocks, ``kept`` of them left), if one was.

        It leaves the body's blocks: it is the source's, not text of the body.
        """
        if kept < read and len(self.block_nodes) == read:
            return self.block_nodes.pop() or None
        return None


@dataclass
class Trace:
    """The collector an extraction fills when given one (see the module's docstring)."""

    #: The page as parsed and marked: the tree the review shows (never cut by extraction).
    tree: LexborHTMLParser | None = None
    #: (layer, field) -> the elements that layer read for the field, in page order.
    offered: dict[tuple[str, str], list[LexborNode]] = field(default_factory=dict)
    #: The body as read (its blocks aligned with the Article's body before cleaning).
    body: BodyReading = field(default_factory=BodyReading)
    #: The name of the body block that gave ``source`` (a credit line, or an opening agency credit).
    source_block: str | None = None
    #: Embeds read from the rules' embed containers, outside the body.
    embeds: list[tuple[str, str]] = field(default_factory=list)
    #: Where a field found by a page reader came from, when no element names it ("time[datetime]").
    notes: dict[str, str] = field(default_factory=dict)
    #: After :meth:`finish`: field or role -> element names.
    fields: dict[str, list[str]] = field(default_factory=dict)

    def mark(self, tree: LexborHTMLParser) -> None:
        """Name every element of the parsed page, in document order, and keep the tree to show."""
        self.tree = tree
        root = tree.root
        if root is None:
            return
        number = 0
        for node in root.traverse():
            if node.is_element_node:  # not a comment, nor a processing instruction
                node.attrs[NODE_ATTRIBUTE] = str(number)
                number += 1

    def nodes_for(self, layer: str, name: str) -> list[LexborNode]:
        """The list a layer appends the elements it read for a field to."""
        return self.offered.setdefault((layer, name), [])

    def finish(self, extraction: Extraction) -> None:
        """Keep, per field, the elements of the layer that gave it; and the body's parts and drops.

        The main image has no provenance of its own: the site's elements are offered for it only
        when they gave it (a metadata image URL offers none).
        """
        article, provenance = extraction.article, extraction.provenance
        fields: dict[str, list[str]] = {}
        for (layer, name), nodes in self.offered.items():
            winner = "site" if name == "main_image" else provenance.get(name)
            if layer == winner and getattr(article, name, None) and (names := ids_of(nodes)):
                fields[name] = names
        if self.source_block and provenance.get("source") == "body":
            fields["source"] = [self.source_block]
        body = self.body if provenance.get("body") in ("site", "generic") else BodyReading()
        fields[CONTAINER] = list(dict.fromkeys(body.containers))
        fields[BLOCK] = list(dict.fromkeys(name for name in body.block_nodes if name))
        for role, name in [*self.embeds, *body.media]:
            fields.setdefault(role, []).append(name)
        fields[DROPPED] = self._dropped(body)
        self.fields = {name: names for name, names in fields.items() if names}

    def _dropped(self, body: BodyReading) -> list[str]:
        """What the original containers held that their read copies do not, outermost only."""
        if self.tree is None or not body.containers:
            return []
        taken = {name for _, name in body.media}
        by_name = {name: None for name in body.containers}
        dropped: list[str] = []
        for container in self.tree.css(", ".join(f'[{NODE_ATTRIBUTE}="{name}"]' for name in by_name)):
            stack = [child for child in container.iter() if child.is_element_node]
            stack.reverse()
            while stack:  # outermost first: what is inside a dropped box is dropped with it
                node = stack.pop()
                name = node_id(node)
                if name is None or name in taken:
                    continue
                if name not in body.kept:
                    dropped.append(name)
                    continue
                children = [child for child in node.iter() if child.is_element_node]
                children.reverse()
                stack.extend(children)
        return dropped
