"""A site's quirks as methods: the page object a site adapter may give its rules.

Most of what a site needs is data (:class:`crawler.rules.SiteRules`): selectors,
formats, a time zone.  A quirk that data cannot say (an id inside an attribute,
a caption kept in the image's ``alt``) was, until now, one more ``SiteRules``
field and one more branch in the framework for one site.  Instead, as web-poet
page objects and zyte-common-items' ``AutoArticlePage`` do, the site subclasses
:class:`SitePage` in its own ``spiders/<site>.py`` and defines a method named
after the field::

    class ExamplePage(SitePage):
        def article_id(self) -> str | None:
            match = re.search(r"post-(\\d+)", self.first("article::attr(id)") or "")
            return match.group(1) if match else None

    RULES = SiteRules(site="example", ..., page=ExamplePage)

A page may also give the site's own metadata block (:meth:`SitePage.metadata`,
a JSON ``<script>`` most often), trusted after the selectors and before JSON-LD.

A method's value takes the place of what the rules' selectors would give, and
goes through the same steps after (cleaning, date parsing in the site's zone
and calendar, provenance ``site``).  ``None`` (or an empty list) leaves the
field to the next source, as a selector that matches nothing does.  Methods
read the page through :meth:`first`, :meth:`all` and :meth:`node`, the
selector forms of the rules (CSS with ``::attr(name)``), or ``self.tree``.
They read the page and leave it as it is: every field reads the same tree, in
no set order.  ``body`` is the exception that needs none: the body is read from
a copy of the page of its own (a page object made for it), which reading cuts up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.extraction.media import image_from
from crawler.extraction.metadata import Layer, site_metadata_layer
from crawler.extraction.select import all_values, first_node, first_value
from crawler.items import Image

if TYPE_CHECKING:
    from crawler.rules import SiteRules


class SitePage:
    #: The fields a site may give by a method, and what each returns: text, a list of text (``authors``,
    #: ``tags``), a date's text as shown (``date_published``, ``date_modified``, read in the rules' zone and
    #: calendar), a URL (``canonical_url``), an :class:`~crawler.items.Image` (``main_image``), or the
    #: element whose children are the article (``body``: read, cleaned and cut as a ``body`` selector's is).
    FIELDS: ClassVar[tuple[str, ...]] = (
        "headline", "description", "source", "section", "article_id", "authors", "tags",
        "date_published", "date_modified", "canonical_url", "main_image", "body",
    )  # fmt: skip

    #: While a traced extraction calls a method: the list the elements it reads go to
    #: (:mod:`crawler.extraction.trace`); None otherwise.  A class default, so a site's own
    #: ``__init__`` needs no part in it.
    found: list[LexborNode] | None = None

    def __init__(self, tree: LexborHTMLParser, url: str, rules: SiteRules) -> None:
        self.tree = tree
        self.url = url
        self.rules = rules

    #: What :meth:`given_fields` says, worked out once as the class is made: an extraction asks for every field.
    _given: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._given = tuple(name for name in cls.FIELDS if callable(getattr(cls, name, None)))

    @classmethod
    def given_fields(cls) -> tuple[str, ...]:
        """The fields this site's class gives by a method of its own."""
        return cls._given

    def metadata(self) -> Layer:
        """The site's own metadata block, as Article field -> value: trusted after the site's selectors and
        methods, before JSON-LD (``{}``: none).  :meth:`json_block` reads the usual JSON ``<script>`` form."""
        return {}

    def json_block(self, selector: str, fields: Mapping[str, str]) -> Layer:
        """A JSON object in the ``<script>`` ``selector`` matches, through ``fields`` (Article field -> key)."""
        return site_metadata_layer(self.tree, selector, fields)

    def first(self, *selectors: str) -> str | None:
        """The first value of the first selector that yields one."""
        return first_value(self.tree, selectors, self.found)

    def all(self, *selectors: str) -> list[str]:
        """All values of the first selector that yields any."""
        return all_values(self.tree, selectors, self.found)

    def node(self, *selectors: str) -> LexborNode | None:
        """The first element of the first selector that matches."""
        return first_node(self.tree, selectors, self.found)

    def image(self, *selectors: str) -> Image | None:
        """An image from the first element matched: a ``figure`` with its caption, or an ``img``."""
        element = self.node(*selectors)
        return image_from(element, self.url) if element is not None else None
