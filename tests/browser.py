"""A real headless Chromium for the tests that look at generated pages (Debian's chromium and chromium-driver).

Driven through selenium with the system's driver, never one downloaded at run time, and with the
browser's network switched off (DevTools' network emulation): a generated page must work as one file.
Without the packages the tests are skipped, except in CI (``CI=true``), where they fail: .ci/run
installs them.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.needs import missing

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
DRIVER = "chromedriver"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium WebDriver, offline, shared by the session's browser tests."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = next((path for name in CHROMIUM if (path := shutil.which(name))), None)
    driver_path = shutil.which(DRIVER)
    if binary is None or driver_path is None:
        missing("no chromium and chromedriver (Debian: apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        yield driver
    finally:
        driver.quit()
