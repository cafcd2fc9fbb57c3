"""Feed exporters that write an Article the way ``Article.to_dict()`` does.

Scrapy's exporters would write every dataclass field, ``null`` and ``[]``
included; the project's output promise is that empty means absent.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.exporters import JsonItemExporter, JsonLinesItemExporter

from crawler.items import drop_empty


def _as_output(item: Any) -> dict[str, Any]:
    return drop_empty(ItemAdapter(item).asdict())


class ArticleJsonLinesExporter(JsonLinesItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(_as_output(item))


class ArticleJsonExporter(JsonItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(_as_output(item))
