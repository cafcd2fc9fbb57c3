"""Feed exporters that write an Article the way ``Article.to_dict()`` does.

Scrapy's exporters would write every dataclass field, ``null`` and ``[]``
included; the project's output promise is that empty means absent.

CSV is the exception to nesting: a spreadsheet has cells, not objects, so
:class:`ArticleCsvExporter` writes one flat row per article (see
:func:`csv_row`).  JSON Lines stays the lossless form.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import lru_cache
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exporters import CsvItemExporter, JsonItemExporter, JsonLinesItemExporter

from crawler.items import Article, drop_empty

#: Joins the names of a list-of-text field (``authors``, ``tags``, ``validation_messages``) in a CSV cell,
#: as reference managers write author lists.  A name holding "; " itself is rare; JSON Lines keeps the list.
CSV_LIST_SEPARATOR = "; "


def _as_output(item: Any) -> dict[str, Any]:
    return drop_empty(ItemAdapter(item).asdict())


class ArticleJsonLinesExporter(JsonLinesItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(_as_output(item))


class ArticleJsonExporter(JsonItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(_as_output(item))


def _nested_part(hint: Any) -> type | None:
    """The dataclass a field holds one of (``Image | None`` gives ``Image``), if any."""
    options = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
    return next((option for option in options if isinstance(option, type) and dataclasses.is_dataclass(option)), None)


@lru_cache(maxsize=1)
def _field_layout() -> tuple[tuple[str, type | None], ...]:
    """Each Article field, in declaration order, with the dataclass it holds one of (to flatten), if any."""
    hints = typing.get_type_hints(Article)
    return tuple((field.name, _nested_part(hints[field.name])) for field in dataclasses.fields(Article))


@lru_cache(maxsize=1)
def csv_columns() -> tuple[str, ...]:
    """The CSV header: the Article's fields in their order, one held object spread over ``<field>_<part>``.

    Derived from the Article dataclass, so a field added there gets its
    column here; fixed, so every feed has the same header whatever its
    first item holds.
    """
    columns: list[str] = []
    for name, part in _field_layout():
        if part is None:
            columns.append(name)
        else:
            columns.extend(f"{name}_{sub.name}" for sub in dataclasses.fields(part))
    return tuple(columns)


def _cell(value: Any) -> str:
    """One field's value as cell text: text as published, a list of text joined, anything else as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(entry, str) for entry in value):
        return CSV_LIST_SEPARATOR.join(value)
    cleaned = drop_empty(value)
    return json.dumps(cleaned, ensure_ascii=False) if cleaned not in ([], {}) else ""


def csv_row(item: Any) -> dict[str, str]:
    """An Article (or its output dict, as the store holds it) as ``{column: cell}`` over :func:`csv_columns`.

    ``main_image`` becomes ``main_image_url``/``_caption``/``_alt``; lists of
    text (authors, tags) are joined with :data:`CSV_LIST_SEPARATOR`; lists
    of objects (``images``, ``embeds``) are JSON text, so no cell ever holds
    a Python repr.  Empty fields are empty cells.
    """
    values = ItemAdapter(item).asdict()
    row: dict[str, str] = {}
    for name, part in _field_layout():
        value = values.get(name)
        if part is None:
            row[name] = _cell(value)
            continue
        held = value if isinstance(value, dict) else {}
        for sub in dataclasses.fields(part):
            row[f"{name}_{sub.name}"] = _cell(held.get(sub.name))
    return row


class ArticleCsvExporter(CsvItemExporter):
    """Scrapy's CSV exporter over :func:`csv_row`: flat cells and the same header for every feed.

    ``FEED_EXPORT_FIELDS`` still chooses (and orders) columns, by the names
    of :func:`csv_columns`.
    """

    def __init__(self, file: Any, **kwargs: Any) -> None:
        if not kwargs.get("fields_to_export"):
            kwargs["fields_to_export"] = list(csv_columns())
        super().__init__(file, **kwargs)

    def export_item(self, item: Any) -> None:
        super().export_item(csv_row(item))
