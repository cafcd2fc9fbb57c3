"""Pages per second of a full crawl of the four sites over HTTP, next to a bare download of the same URLs.

Run: ``python benchmarks/crawl_speed.py [--copies 60] [--rounds 3]``.

How the mirror is made big enough to measure: ``python -m crawler.tools.mirror
--copies N`` serves every stored article page N more times (``?copy=1`` ..
``?copy=N``) and lists them all in a generated sitemap per site
(``/_mirror/sitemap.xml``).  Both crawls start from those four sitemaps:

- **full**: the project's spiders and settings (live settings against the
  mirror: robots.txt, retries, extraction, the whole pipeline chain with its
  SQLite store), with AutoThrottle and per-site delays off, since politeness
  towards 127.0.0.1 would only measure the delays.  Copies of one article
  share its canonical URL, so the dedupe stage drops all but the first, as a
  real crawl would.
- **bare**: a plain spider that downloads the same URLs and does nothing
  with them (no extraction, no pipelines), same settings otherwise.

Each crawl runs in its own process (a Twisted reactor runs once), the mirror
in a third, so the two cores are shared the way a real crawl shares them.
Besides pages per second (wall clock, which other jobs on the machine move),
each crawl reports its process's CPU seconds per page from its engine's start
to its end: the cost the crawler controls, steadier under load than the
wall-clock rate.  The two crawls run one after the other, ``--rounds`` times
(3 by default), each with a fresh store; each kind's figure is its round
with the least CPU per page (a busy machine only ever adds to it), and
every round is printed.  So that the figure measures the crawler and not the mirror,
the failed connection attempts are printed too: the crawls' connection errors
(``downloader/exception_type_count``: a refused connection costs a retry) and
the kernel's listen-queue overflows during the run (``ListenOverflows`` in
``/proc/net/netstat``, counted for the whole machine: a dropped SYN costs the
client ~1 s before it tries again).  Both should be 0; the mirror keeps
connections alive and queues 1,024.
Prints figures; asserts nothing.  A bad argument, or a mirror or crawl that
fails, is one line on stderr and exit status 2.  In a terminal, a progress
line on stderr counts each crawl's pages (each crawl reports them every
second on its stdout, which this process reads).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))  # cli, also when this file is imported from its path
SITEMAP_PATH = "/_mirror/sitemap.xml"
#: Seconds between a crawl's page counts on its stdout (for the progress line).
REPORT_EVERY = 1.0

from cli import ArgumentParser, DataError, EngineCpuClock, Progress, add_mirror_crawl_options, cpu_per_page, run_command


def crawl_settings(mirror_url: str, store: str) -> dict[str, object]:
    return {
        "NEWS_MIRROR_URL": mirror_url,
        "NEWS_STORE_PATH": store,
        "AUTOTHROTTLE_ENABLED": False,
        "NEWS_SITE_POLITENESS": False,
        "CONCURRENT_REQUESTS": 16,
        "LOG_LEVEL": "WARNING",
        "NEWS_MAX_LISTING_PAGES": 5,
    }


def run_crawl(kind: str, mirror_url: str, store: str) -> None:
    """One crawl in this process; prints ``{"progress": pages}`` lines as it goes, then its figures as one JSON line."""
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ.pop("SCRAPY_PROJECT", None)  # live settings
    import scrapy
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.asyncio import create_looping_call
    from scrapy.utils.project import get_project_settings

    from crawler.crawling.sites import news_spiders

    settings = get_project_settings()
    settings.setdict(crawl_settings(mirror_url, store), priority="cmdline")
    spiders = news_spiders()
    sitemaps = [f"https://{domain}{SITEMAP_PATH}" for spider in spiders.values() for domain in spider.allowed_domains]
    if kind == "bare":
        settings.set("ITEM_PIPELINES", {}, priority="cmdline")
        settings.set("EXTENSIONS", {}, priority="cmdline")

        class BareSpider(scrapy.Spider):
            name = "bare"
            start_urls = sitemaps

            def parse(self, response):  # type: ignore[no-untyped-def]
                response.selector.remove_namespaces()
                for url in response.xpath("//url/loc/text()").getall():
                    yield scrapy.Request(url, callback=self.ignore)

            def ignore(self, response):  # type: ignore[no-untyped-def]
                return None

        classes = [BareSpider]
    else:
        classes = [type(f"Bench{cls.__name__}", (cls,), {"start_urls": [f"https://{d}{SITEMAP_PATH}" for d in cls.allowed_domains]})
                   for cls in spiders.values()]  # fmt: skip
    process = CrawlerProcess(settings, install_root_handler=False)
    crawlers = [process.create_crawler(cls) for cls in classes]
    for crawler in crawlers:
        process.crawl(crawler)

    def report() -> None:
        pages = sum(crawler.stats.get_value("response_received_count", 0) for crawler in crawlers)
        print(json.dumps({"progress": pages}), flush=True)

    def start_reporting() -> None:
        create_looping_call(report).start(REPORT_EVERY, now=False)

    crawlers[0].signals.connect(start_reporting, signal=signals.engine_started)
    clock = EngineCpuClock(crawlers[0])
    process.start()
    cpu_seconds = clock.seconds()
    pages = sum(crawler.stats.get_value("response_received_count", 0) for crawler in crawlers)
    items = sum(crawler.stats.get_value("item_scraped_count", 0) for crawler in crawlers)
    # The crawls run side by side: the process's wall time is the slowest one's.
    seconds = max(crawler.stats.get_value("elapsed_time_seconds", 0.0) for crawler in crawlers)
    errors = {
        key.rsplit(".", 1)[-1]: value
        for crawler in crawlers
        for key, value in crawler.stats.get_stats().items()
        if key.startswith("downloader/exception_type_count/")
    }
    figures = {"kind": kind, "pages": pages, "items": items, "seconds": seconds, "cpu_seconds": cpu_seconds}
    print(json.dumps({**figures, "connection_errors": errors}))


def listen_overflows() -> int | None:
    """The kernel's count of connections dropped because a listen queue was full (all sockets of the machine);
    None where ``/proc/net/netstat`` cannot be read (not Linux)."""
    try:
        lines = [
            line.split() for line in Path("/proc/net/netstat").read_text().splitlines() if line.startswith("TcpExt:")
        ]
        return int(dict(zip(lines[0], lines[1], strict=True))["ListenOverflows"])
    except (OSError, IndexError, KeyError, ValueError):
        return None


def mirror_address(mirror: subprocess.Popen[str]) -> str:
    """The URL from the mirror's first line ("... on http://127.0.0.1:PORT"); a mirror that did not start is
    a :class:`DataError` (its own error went to stderr already)."""
    first_line = mirror.stdout.readline() if mirror.stdout else ""
    if " on " not in first_line:
        raise DataError(f"the mirror did not start (exit {mirror.wait(timeout=10)})")
    return first_line.rsplit(" on ", 1)[1].strip()


def measure_crawl(kind: str, mirror_url: str, folder: Path) -> dict[str, Any]:
    """One crawl in a child process: its figures.  Its page counts move the progress line; its log goes to a
    file, whose last line is the one-line reason when the crawl fails."""
    log_path = folder / f"{kind}.log"
    figures: dict[str, Any] | None = None
    with log_path.open("w", encoding="utf-8") as log, Progress(f"crawl_speed: {kind} crawl") as progress:
        child = subprocess.Popen(
            [sys.executable, __file__, "--run", kind, "--mirror", mirror_url, "--store", str(folder / f"{kind}.sqlite")],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True,
        )  # fmt: skip
        assert child.stdout is not None
        for line in child.stdout:
            message = json.loads(line) if line.startswith("{") else {}
            if "progress" in message:
                progress.update(message["progress"])
            elif "kind" in message:
                figures = message
        status = child.wait()
    if status != 0 or figures is None:
        lines = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        raise DataError(f"the {kind} crawl failed (exit {status}): {lines[-1] if lines else 'no output'}")
    return figures


def benchmark(argv: list[str] | None) -> None:
    parser = ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_mirror_crawl_options(
        parser, "bare and full crawls, one after the other, this many times; the least CPU per page counts"
    )
    parser.add_argument("--run", choices=("full", "bare"), help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.run:
        run_crawl(options.run, options.mirror, options.store)
        return

    mirror = subprocess.Popen(
        [sys.executable, "-m", "crawler.tools.mirror", "--port", "0", "--copies", str(options.copies)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        mirror_url = mirror_address(mirror)
        overflows_before = listen_overflows()
        rounds: dict[str, list[dict[str, Any]]] = {"bare": [], "full": []}
        with tempfile.TemporaryDirectory() as folder:
            for number in range(1, options.rounds + 1):
                round_folder = Path(folder) / f"round{number}"
                round_folder.mkdir()
                for kind in ("bare", "full"):
                    rounds[kind].append(measure_crawl(kind, mirror_url, round_folder))
        overflows_after = listen_overflows()
    finally:
        mirror.terminate()
        mirror.wait(timeout=10)

    # The least CPU per page of each kind: another job on the machine only ever adds to a round's.
    results = {kind: min(rounds[kind], key=cpu_per_page) for kind in ("bare", "full")}
    full, bare = results["full"], results["bare"]
    full_rate, bare_rate = full["pages"] / full["seconds"], bare["pages"] / bare["seconds"]
    full_cpu, bare_cpu = full["cpu_seconds"] / full["pages"], bare["cpu_seconds"] / bare["pages"]
    print(
        f"mirror: {options.copies} extra copies of each stored article, served on {mirror_url}; "
        f"{os.cpu_count()} CPU cores for the mirror and the crawl"
    )
    print(f"CPU per page of each of {options.rounds} rounds; each kind's least is its figure below:")
    for number, (bare_round, full_round) in enumerate(zip(rounds["bare"], rounds["full"], strict=True), start=1):
        print(f"round {number}: bare {cpu_per_page(bare_round) * 1000:5.2f} ms CPU/page, "
              f"full {cpu_per_page(full_round) * 1000:5.2f} ms CPU/page, "
              f"full / bare {cpu_per_page(bare_round) / cpu_per_page(full_round):.2f} in CPU per page")  # fmt: skip
    print(
        f"full crawl (4 spiders, extraction, pipelines, store): {full['pages']:6d} pages in {full['seconds']:6.2f} s"
        f" = {full_rate:7.1f} pages/s, {full_cpu * 1000:5.2f} ms CPU/page ({full['items']} items kept)"
    )
    print(
        f"bare download of the same URLs:                       {bare['pages']:6d} pages in {bare['seconds']:6.2f} s"
        f" = {bare_rate:7.1f} pages/s, {bare_cpu * 1000:5.2f} ms CPU/page"
    )
    errors = {kind: sum(sum(each["connection_errors"].values()) for each in rounds[kind]) for kind in rounds}
    kinds = sorted({name for kind in rounds for each in rounds[kind] for name in each["connection_errors"]})
    overflows = "unknown" if overflows_before is None or overflows_after is None else overflows_after - overflows_before
    print(
        f"failed connection attempts: full {errors['full']}, bare {errors['bare']}"
        f"{' (' + ', '.join(kinds) + ')' if kinds else ''}; listen-queue overflows on this machine: {overflows}"
    )
    print(f"full / bare: {full_rate / bare_rate:.2f} in pages/s, {bare_cpu / full_cpu:.2f} in CPU per page")


def main(argv: list[str] | None = None) -> int:
    """Exit 0; 2 with one line on stderr for a bad argument, a mirror or crawl that failed, or a closed pipe."""
    return run_command("crawl_speed", lambda: benchmark(argv))


if __name__ == "__main__":
    sys.exit(main())
