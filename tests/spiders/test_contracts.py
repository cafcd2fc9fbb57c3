"""Every spider's contracts (``scrapy check``), answered from snapshots/ with no network.

A subprocess: ``scrapy check`` sets each spider class's ``start`` to its contracts' requests, for good.
"""

from crawler.crawling.sites import news_spiders
from tests.inprocess import run_scrapy_subprocess


def test_scrapy_check_passes_offline() -> None:
    result = run_scrapy_subprocess("check", "-s", "NEWS_STORE_PATH=", project="replay")
    assert result.returncode == 0, result.stderr
    contracts_per_spider = 3  # @returns items, @returns requests, @fills
    assert f"Ran {contracts_per_spider * len(news_spiders())} contracts" in result.stderr and "OK" in result.stderr
