"""Every spider's contracts (``scrapy check``), answered from snapshots/ with no network."""

import os
import subprocess
import sys

from crawler.crawling.sites import news_spiders
from tests.crawling import ROOT


def test_scrapy_check_passes_offline() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "check", "-s", "NEWS_STORE_PATH="],
        cwd=ROOT, env={**os.environ, "SCRAPY_PROJECT": "replay"}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    contracts_per_spider = 3  # @returns items, @returns requests, @fills
    assert f"Ran {contracts_per_spider * len(news_spiders())} contracts" in result.stderr and "OK" in result.stderr
