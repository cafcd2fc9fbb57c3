"""Screenshots of a crawl report and of the review of one article case per site, for the README.

Run: ``python benchmarks/screenshots.py [--out docs/images]``.  A replayed ``crawlall --report`` and a
``scrapy review`` are written to a temporary folder, then opened in headless Chromium (Debian's
``chromium`` and ``chromium-driver``, driven by selenium, network off) and saved as ``report.png`` and
``review-<site>.png``.  It prints the files it wrote.  A missing browser or a command that fails is
one line on stderr and exit status 2.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))  # cli, also when this file is imported from its path

import argparse

from cli import ArgumentParser, DataError, run_command

#: The browser window: wide enough for the review's page and fields side by side.
WINDOW = (1400, 900)


def folder(text: str) -> Path:
    """An argparse ``type``: a folder to write into, made if missing; a file of that name is a mistake."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a file, not a folder")
    return path


def scrapy(*argv: str, cwd: Path = ROOT) -> None:
    """A project command in replay, from the project folder; its failure is one line (its last)."""
    env = {**os.environ, "SCRAPY_PROJECT": "replay"}
    done = subprocess.run([sys.executable, "-m", "scrapy", *argv], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise DataError(f"scrapy {argv[0]} failed: {last}")


def article_cases(snapshots: Path) -> dict[str, str]:
    """Each site's richest article case (most fields in its expected.json): the one its screenshot shows."""
    richest: dict[str, tuple[int, str]] = {}
    for meta in sorted(snapshots.glob("*/*/meta.json")):
        site, case = meta.parent.parent.name, meta.parent.name
        expected = meta.parent / "expected.json"
        if json.loads(meta.read_text(encoding="utf-8")).get("kind") != "article" or not expected.is_file():
            continue
        fields = len(json.loads(expected.read_text(encoding="utf-8")))
        if fields > richest.get(site, (-1, ""))[0]:
            richest[site] = (fields, case)
    return {site: case for site, (_, case) in sorted(richest.items())}


def browser():  # type: ignore[no-untyped-def]
    """Headless Chromium through the system's driver (selenium never downloads one here), offline."""
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if binary is None or driver is None:
        raise DataError("no chromium and chromedriver (Debian: apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     f"--window-size={WINDOW[0]},{WINDOW[1]}"):  # fmt: skip
        options.add_argument(argument)
    chrome = webdriver.Chrome(service=Service(driver), options=options)
    chrome.execute_cdp_cmd("Network.enable", {})
    chrome.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    return chrome


def shoot_review(chrome, page: Path, target: Path) -> None:  # type: ignore[no-untyped-def]
    """The case page, its frame scrolled to the article's headline (the first outlined <h1>)."""
    chrome.get(page.as_uri())
    frames = chrome.find_elements("css selector", "iframe")
    if frames:
        chrome.switch_to.frame(frames[0])
        headings = chrome.find_elements("css selector", "h1")
        if headings:  # the frame's own window only: scrollIntoView would scroll the review page too
            chrome.execute_script(
                "window.scrollTo(0, arguments[0].getBoundingClientRect().top + window.scrollY - 12)", headings[-1]
            )
        chrome.switch_to.default_content()
    chrome.save_screenshot(str(target))


def main() -> int:
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=folder, default=ROOT / "docs" / "images", help="where the PNGs go")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    chrome = browser()  # first: without one, nothing else is worth running
    try:
        with tempfile.TemporaryDirectory() as temporary:
            work = Path(temporary)
            scrapy("crawlall", "--report", str(work / "reports"), "--output-dir", str(work / "feeds"),
                   "-s", f"NEWS_STORE_PATH={work / 'articles.sqlite'}")  # fmt: skip
            scrapy("review", "-o", str(work / "review"))
            (report,) = (work / "reports").glob("*/report.html")
            written = [options.out / "report.png"]
            chrome.get(report.as_uri())
            chrome.save_screenshot(str(written[0]))
            for site, case in article_cases(ROOT / "snapshots").items():
                target = options.out / f"review-{site}.png"
                shoot_review(chrome, work / "review" / site / f"{case}.html", target)
                written.append(target)
    finally:
        chrome.quit()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(run_command("screenshots", main))
