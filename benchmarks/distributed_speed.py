"""Pages per second of a distributed crawl with one worker and with two, in one run, and their ratio.

Run: ``python benchmarks/distributed_speed.py [--copies 60]`` (needs ``redis-server`` on PATH and
``pip install -e '.[distributed]'``).

Set-up, as in ``crawl_speed.py``: the mirror serves every stored article
``--copies`` more times, listed in a generated sitemap per site; the four
spiders are seeded with those sitemaps.  Each round gets an empty
redis-server of its own; its workers are ``SCRAPY_PROJECT=distributed scrapy
crawlall`` processes (live settings against the mirror, AutoThrottle and
per-site delays off, each worker its own SQLite store).  The clock runs from
the seeding, once every worker has opened its spiders, to the moment nothing
is waiting, queued or in flight in Redis; process start-up and the idle wait
before closing are left out.  Pages are the workers' ``response_received_count``
(robots.txt included, one per site and worker).  Prints figures; asserts nothing.
A bad argument, a missing redis-server or redis package, or a worker that ends
too early is one line on stderr and exit status 2.  In a terminal, a progress
line on stderr counts the requests still waiting in Redis.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))  # cli, also when this file is imported from its path

from cli import ArgumentParser, DataError, Progress, at_least, run_command

SITEMAP_PATH = "/_mirror/sitemap.xml"
SETTINGS = ("-s", "AUTOTHROTTLE_ENABLED=0", "-s", "NEWS_SITE_POLITENESS=0", "-s", "CONCURRENT_REQUESTS=16",
            "-s", "NEWS_MAX_LISTING_PAGES=5", "-s", "DISTRIBUTED_IDLE_CLOSE=1", "-s", "LOG_LEVEL=INFO")  # fmt: skip


def crawl_round(workers: int, mirror_url: str, redis_url: str, folder: Path) -> tuple[int, float]:
    """One distributed crawl with this many workers: (pages, seconds)."""
    import redis
    from scrapy.settings import Settings

    from crawler.crawling.sites import news_spiders
    from crawler.distributed.inflight import heartbeat_key, in_flight_count
    from crawler.distributed.seeding import queue_key, seed, start_urls_key

    spiders = news_spiders()
    names = [f"w{number}" for number in range(1, workers + 1)]
    env = {**os.environ, "SCRAPY_PROJECT": "distributed", "NEWS_REDIS_URL": redis_url}
    processes = []
    for name in names:
        log = (folder / f"{workers}-{name}.log").open("w", encoding="utf-8")
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawlall", "--output-dir", str(folder / f"{workers}-{name}"), *SETTINGS,
             "-s", f"NEWS_MIRROR_URL={mirror_url}", "-s", f"NEWS_STORE_PATH={folder / f'{workers}-{name}.sqlite'}"],
            cwd=ROOT, env={**env, "NEWS_WORKER_ID": name}, stdout=subprocess.DEVNULL, stderr=log,
        ))  # fmt: skip
    server = redis.Redis.from_url(redis_url)
    ready = [heartbeat_key(spider, name) for spider in spiders for name in names]
    while server.exists(*ready) < len(ready):
        ended = [name for name, process in zip(names, processes, strict=True) if process.poll() is not None]
        if ended:
            raise DataError(
                f"worker {ended[0]} ended before the seeding: {last_line(folder / f'{workers}-{ended[0]}.log')}"
            )
        time.sleep(0.05)
    settings = Settings()
    started = time.monotonic()
    for spider_name, spider in spiders.items():
        seed(server, settings, spider_name, [f"https://{domain}{SITEMAP_PATH}" for domain in spider.allowed_domains])

    def waiting() -> int:
        return sum(server.llen(start_urls_key(name)) + server.zcard(queue_key(settings, name))
                   + in_flight_count(server, name) for name in spiders)  # fmt: skip

    label = f"distributed_speed: {workers} worker{'s' if workers > 1 else ''}"
    with Progress(label, unit="requests waiting or in flight") as progress:
        while left := waiting():
            progress.update(left)
            time.sleep(0.02)
    seconds = time.monotonic() - started
    for process in processes:
        process.wait(timeout=120)
    server.close()
    pages = 0
    for name in names:
        log = (folder / f"{workers}-{name}.log").read_text(encoding="utf-8")
        pages += sum(int(count) for count in re.findall(r"'response_received_count': (\d+)", log))
    return pages, seconds


def last_line(path: Path) -> str:
    """A worker's log's last line: why it ended, in one line."""
    lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return lines[-1] if lines else f"{path} is empty"


def benchmark(argv: list[str] | None) -> None:
    parser = ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--copies", type=at_least(0), default=60, help="extra copies of each stored article (default 60)"
    )
    options = parser.parse_args(argv)
    binary = shutil.which("redis-server")
    if binary is None:
        raise DataError("needs redis-server on PATH (apt-get install redis-server)")
    try:
        import redis  # noqa: F401
    except ImportError:
        raise DataError("needs the redis package (pip install -e '.[distributed]')") from None
    from tests.redis_server import running_redis

    mirror = subprocess.Popen(
        [sys.executable, "-m", "crawler.tools.mirror", "--port", "0", "--copies", str(options.copies)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    results = {}
    try:
        first_line = mirror.stdout.readline() if mirror.stdout else ""
        if " on " not in first_line:
            raise DataError(f"the mirror did not start (exit {mirror.wait(timeout=10)})")
        mirror_url = first_line.rsplit(" on ", 1)[1].strip()
        with tempfile.TemporaryDirectory() as folder:
            for workers in (1, 2):
                with running_redis(binary) as redis_url:
                    results[workers] = crawl_round(workers, mirror_url, redis_url, Path(folder))
    finally:
        mirror.terminate()
        mirror.wait(timeout=10)

    print(f"mirror: {options.copies} extra copies of each stored article, served on {mirror_url}; "
          f"{os.cpu_count()} CPU cores for the mirror, Redis and the workers")  # fmt: skip
    rates = {}
    for workers, (pages, seconds) in results.items():
        rates[workers] = pages / seconds
        print(
            f"{workers} worker{'s' if workers > 1 else ' '}: {pages:6d} pages in {seconds:6.2f} s = {rates[workers]:7.1f} pages/s"
        )
    print(f"2 workers / 1 worker: {rates[2] / rates[1]:.2f}")


def main(argv: list[str] | None = None) -> int:
    """Exit 0; 2 with one line on stderr for a bad argument, a missing tool, a failed worker or a closed pipe."""
    return run_command("distributed_speed", lambda: benchmark(argv))


if __name__ == "__main__":
    sys.exit(main())
