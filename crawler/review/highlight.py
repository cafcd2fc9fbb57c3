"""How what extraction took is marked on the stored page: one CSS rule per role, keyed on element names.

The trace (:mod:`crawler.extraction.trace`) names the elements each field was read from; the review
writes a style sheet into the page that outlines them, one colour per role, and shades and strikes
through the boilerplate that was dropped.  Marking by style rather than by changing the page's
markup keeps the page as the extractor read it: what is outlined is exactly the element named.

Roles are listed from the weakest to the strongest: an element with several (a container whose own
text is a block; a headline inside the body container) shows the last one's outline.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.extraction.trace import BLOCK, CAPTION, CONTAINER, DROPPED, EMBED, IMAGE, NODE_ATTRIBUTE


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    #: The outline colour, as the browser reports it in computed styles (the tests compare it).
    colour: str
    declarations: str


def _outline(colour: str, width: int = 3, style: str = "solid") -> str:
    return f"outline: {width}px {style} {colour} !important; outline-offset: 1px !important;"


#: Fields read from elements that the review outlines on their own; any other is outlined as "other field".
FIELD_ROLES = ("headline", "date_published", "date_modified", "authors", "main_image", "source")
OTHER_FIELD = "other field"

ROLES: tuple[Role, ...] = (
    Role(CONTAINER, "body container", "rgb(31, 119, 180)", _outline("rgb(31, 119, 180)", 3, "dashed")),
    Role(BLOCK, "body block", "rgb(44, 160, 44)",
         _outline("rgb(44, 160, 44)", 2) + " background-color: rgba(44, 160, 44, 0.08) !important;"),
    Role(OTHER_FIELD, "other field (description, section, tags, article_id ...)", "rgb(23, 190, 207)",
         _outline("rgb(23, 190, 207)")),
    Role("source", "source (credit)", "rgb(188, 189, 34)", _outline("rgb(188, 189, 34)")),
    Role("authors", "authors", "rgb(148, 103, 189)", _outline("rgb(148, 103, 189)")),
    Role("date_modified", "date modified", "rgb(140, 86, 75)", _outline("rgb(140, 86, 75)")),
    Role("date_published", "date published", "rgb(255, 127, 14)", _outline("rgb(255, 127, 14)")),
    Role("headline", "headline", "rgb(214, 39, 40)", _outline("rgb(214, 39, 40)", 4)),
    Role(IMAGE, "image or figure", "rgb(227, 119, 194)", _outline("rgb(227, 119, 194)")),
    Role("main_image", "main image", "rgb(199, 21, 133)", _outline("rgb(199, 21, 133)", 4)),
    Role(CAPTION, "caption", "rgb(247, 182, 210)",
         _outline("rgb(247, 182, 210)") + " background-color: rgba(247, 182, 210, 0.35) !important;"),
    Role(EMBED, "embed (tweet, video, iframe)", "rgb(127, 127, 127)", _outline("rgb(127, 127, 127)", 4, "double")),
    Role(DROPPED, "dropped as boilerplate", "rgb(120, 120, 120)",
         _outline("rgb(120, 120, 120)", 1, "dotted")
         + " background-color: rgba(0, 0, 0, 0.12) !important; text-decoration: line-through !important;"
         + " opacity: 0.6 !important;"),
)  # fmt: skip
ROLE_BY_NAME = {role.name: role for role in ROLES}

#: The page's own pictures and frames are gone; these make their places visible so outlines show.
BASE_CSS = (
    "iframe, video, audio, object, embed { min-width: 160px; min-height: 90px; background: #eee; }\n"
    "img { max-width: 100%; }\n"
)


def role_of(name: str) -> Role:
    """The role a trace's field or part is shown as."""
    return ROLE_BY_NAME.get(name) or ROLE_BY_NAME[OTHER_FIELD]


def roles_by_node(fields: dict[str, list[str]]) -> dict[str, Role]:
    """Each traced element's strongest role (the one whose outline shows)."""
    rank = {role.name: index for index, role in enumerate(ROLES)}
    shown: dict[str, Role] = {}
    for name, nodes in fields.items():
        role = role_of(name)
        for node in nodes:
            if node not in shown or rank[role.name] > rank[shown[node].name]:
                shown[node] = role
    return shown


def highlight_css(fields: dict[str, list[str]]) -> str:
    """The style sheet that marks the traced elements, weakest role first, so that the strongest wins."""
    grouped: dict[str, list[str]] = {}
    for name, nodes in fields.items():
        grouped.setdefault(role_of(name).name, []).extend(nodes)
    rules = [BASE_CSS]
    for role in ROLES:
        nodes = [node for node in dict.fromkeys(grouped.get(role.name, ())) if node.isdigit()]
        if nodes:
            selector = ",\n".join(f'[{NODE_ATTRIBUTE}="{node}"]' for node in nodes)
            rules.append(f"/* {role.label} */\n{selector} {{ {role.declarations} }}\n")
    return "".join(rules)
