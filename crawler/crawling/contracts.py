"""``@fills``: a Scrapy contract that the named fields are filled, not merely present.

Scrapy's ``@scrapes`` asks whether an item *has* a field; a dataclass item
has every field, filled or ``None``, so ``@scrapes`` cannot fail for it.
``@fills headline body date_published`` fails when any of them is empty.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter, is_item
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail

from crawler.items import is_empty


class FillsContract(Contract):
    name = "fills"

    def post_process(self, output: list[Any]) -> None:
        for item in output:
            if is_item(item):
                adapter = ItemAdapter(item)
                empty = [name for name in self.args if is_empty(adapter.get(name))]
                if empty:
                    raise ContractFail(f"Empty fields: {', '.join(empty)}")
