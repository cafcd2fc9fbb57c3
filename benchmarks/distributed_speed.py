"""What a crawl through Redis costs per page against the local scheduler, and 1 vs 2 workers, in one run.

Run: ``python benchmarks/distributed_speed.py [--copies 60] [--rounds 3]`` (needs ``redis-server`` on
PATH and ``pip install -e '.[distributed]'``).

Set-up, as in ``crawl_speed.py``: the mirror serves every stored article
``--copies`` more times, listed in a generated sitemap per site.  Each
worker is a process of its own (live settings against the mirror,
AutoThrottle and per-site delays off, its own SQLite store).  The local and
the 1-worker Redis crawl run at the same time (side by side, so that the
machine's load weighs on both alike), ``--rounds`` times, each round with a
fresh Redis and fresh stores; each side's least CPU per page over the
rounds is its figure, and every round's figures are printed too.  The
crawls:

- **local**: one worker with Scrapy's own scheduler and dupefilter, the four
  spiders started from the sitemaps (and, as a shared crawl does, skipping
  the articles its store holds: the same store lookups in every round);
- **redis, 1 worker**: one ``SCRAPY_PROJECT=distributed`` worker (scrapy-redis
  scheduler and dupefilter, the in-flight record, the shared stored-articles
  set), seeded with the same sitemaps, against an empty redis-server;
- **redis, 2 workers**: the same with two workers, end to end; and the
  1-worker round again, alone, for the end-to-end 2 / 1 figure.

What the design controls is the CPU a page costs: each worker measures its
own process CPU time from its engine's start to its end, and counts its
Redis round trips by command (a pipeline or a script is one); the ratio
local / redis of CPU per page is the figure (1.0: Redis costs nothing).
Redis's own CPU per page (``INFO cpu``) is printed beside it.  The
end-to-end pages per second of 1 and 2 workers is printed with the number
of cores: on one machine the workers, the mirror and Redis share those
cores, so two workers cannot beat one once the cores are full.  Redis
rounds are timed from the seeding to the moment nothing is waiting, queued
or in flight, which includes up to one ``DISTRIBUTED_TICK`` (1 s) at each
end: an idle worker takes up the seeding at its next tick, and finished
requests leave the in-flight record at a tick; the local round is timed from
its engine's start to its end.  Pages are
``response_received_count`` (robots.txt included, one per site and worker).
Prints figures; asserts nothing.  A bad argument, a missing redis-server or
redis package, or a worker that fails is one line on stderr and exit
status 2.  In a terminal, a progress line on stderr counts the requests still
waiting in Redis.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))  # cli, also when this file is imported from its path

from cli import ArgumentParser, DataError, EngineCpuClock, Progress, add_mirror_crawl_options, cpu_per_page, run_command

SITEMAP_PATH = "/_mirror/sitemap.xml"
SETTINGS: dict[str, object] = {
    "AUTOTHROTTLE_ENABLED": False,
    "NEWS_SITE_POLITENESS": False,
    "CONCURRENT_REQUESTS": 16,
    "NEWS_MAX_LISTING_PAGES": 5,
    "DISTRIBUTED_IDLE_CLOSE": 1,
    "LOG_LEVEL": "INFO",
    # A shared crawl skips the articles its store holds (settings/distributed.py); the local round does the same
    # lookups, so that the rounds differ by the scheduler alone.
    "NEWS_SKIP_STORED": True,
}


def count_round_trips() -> Counter[str]:
    """Count this process's Redis round trips by command from now on: a pipeline is one, a script call is one
    (``EVALSHA pop``, ``EVALSHA schedule``, ``EVALSHA requeue``, named by the script's digest)."""
    import redis.client

    from crawler.distributed.inflight import POP_SCRIPT, REQUEUE_SCRIPT, SCHEDULE_SCRIPT

    counts: Counter[str] = Counter()
    named = {"pop": POP_SCRIPT, "schedule": SCHEDULE_SCRIPT, "requeue": REQUEUE_SCRIPT}
    scripts = {hashlib.sha1(text.encode()).hexdigest(): name for name, text in named.items()}
    execute_command = redis.client.Redis.execute_command
    execute_pipeline = redis.client.Pipeline.execute

    def counted_command(self: Any, *args: Any, **options: Any) -> Any:
        name = str(args[0]).upper()
        counts[f"{name} {scripts.get(str(args[1]), '?')}" if name == "EVALSHA" else name] += 1
        return execute_command(self, *args, **options)

    def counted_pipeline(self: Any, raise_on_error: bool = True) -> Any:
        if self.command_stack:
            counts["pipeline " + "+".join(sorted({str(args[0]).upper() for args, _ in self.command_stack}))] += 1
        return execute_pipeline(self, raise_on_error)

    redis.client.Redis.execute_command = counted_command  # type: ignore[method-assign]
    redis.client.Pipeline.execute = counted_pipeline  # type: ignore[method-assign]
    return counts


def run_worker(kind: str, mirror_url: str, store: str) -> None:
    """One worker in this process (``kind`` local or redis); prints its figures as one JSON line at the end."""
    os.chdir(ROOT)
    os.environ["SCRAPY_PROJECT"] = "distributed" if kind == "redis" else "live"
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from crawler.crawling.sites import news_spiders

    round_trips = count_round_trips() if kind == "redis" else Counter()
    settings = get_project_settings()
    settings.setdict({**SETTINGS, "NEWS_MIRROR_URL": mirror_url, "NEWS_STORE_PATH": store}, priority="cmdline")
    classes: list[type] = list(news_spiders().values())
    if kind == "local":  # the redis workers take the same sitemaps from Redis, where the benchmark seeds them
        classes = [type(f"Bench{cls.__name__}", (cls,), {"start_urls": [f"https://{d}{SITEMAP_PATH}" for d in cls.allowed_domains]})  # type: ignore[attr-defined]
                   for cls in classes]  # fmt: skip
    process = CrawlerProcess(settings, install_root_handler=False)
    crawlers = [process.create_crawler(cls) for cls in classes]
    for crawler in crawlers:
        process.crawl(crawler)
    clock = EngineCpuClock(crawlers[0])
    process.start()
    cpu_seconds = clock.seconds()
    pages = sum(crawler.stats.get_value("response_received_count", 0) for crawler in crawlers)
    seconds = max(crawler.stats.get_value("elapsed_time_seconds", 0.0) for crawler in crawlers)
    print(json.dumps({"pages": pages, "seconds": seconds, "cpu_seconds": cpu_seconds, "round_trips": round_trips}))


def start_worker(kind: str, name: str, mirror_url: str, folder: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """A worker process; its log goes to ``<folder>/<name>.log``, its figures to its stdout."""
    log = (folder / f"{name}.log").open("w", encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, __file__, "--worker", kind, "--mirror", mirror_url, "--store", str(folder / f"{name}.sqlite")],
        cwd=ROOT, env={**env, "NEWS_WORKER_ID": name}, stdout=subprocess.PIPE, stderr=log, text=True,
    )  # fmt: skip


def worker_figures(name: str, process: subprocess.Popen[str], folder: Path) -> dict[str, Any]:
    """A finished worker's figures; a worker that failed is a :class:`DataError` with its log's last line."""
    output, _ = process.communicate(timeout=300)
    lines = [line for line in output.splitlines() if line.startswith("{")]
    if process.returncode != 0 or not lines:
        raise DataError(f"worker {name} failed (exit {process.returncode}): {last_line(folder / f'{name}.log')}")
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


def side_by_side(mirror_url: str, redis_url: str, folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """A local worker and a Redis worker crawling at the same time: their figures (local, redis).

    At the same time, so that the machine's other jobs, the mirror and each other weigh on both alike: CPU
    time per page is inflated by a busy machine (shared caches, the other core's load), and rounds one after
    the other on this machine differed by up to 20% for that alone.
    """
    local = start_worker("local", "local", mirror_url, folder, dict(os.environ))
    try:
        redis_figures = redis_round(1, mirror_url, redis_url, folder, label="side")
        return worker_figures("local", local, folder), redis_figures
    finally:
        if local.poll() is None:
            local.kill()


def redis_round(workers: int, mirror_url: str, redis_url: str, folder: Path, label: str = "") -> dict[str, Any]:
    """One distributed crawl with this many workers: pages, seconds, CPU seconds and round trips summed over
    the workers, and Redis's own CPU seconds."""
    import redis
    from scrapy.settings import Settings

    from crawler.crawling.sites import news_spiders
    from crawler.distributed.inflight import heartbeat_key, in_flight_count
    from crawler.distributed.seeding import queue_key, seed, start_urls_key

    spiders = news_spiders()
    names = [f"{label}r{workers}w{number}" for number in range(1, workers + 1)]
    env = {**os.environ, "NEWS_REDIS_URL": redis_url}
    processes = [start_worker("redis", name, mirror_url, folder, env) for name in names]
    server = redis.Redis.from_url(redis_url)
    ready = [heartbeat_key(spider, name) for spider in spiders for name in names]
    while server.exists(*ready) < len(ready):
        ended = [name for name, process in zip(names, processes, strict=True) if process.poll() is not None]
        if ended:
            raise DataError(f"worker {ended[0]} ended before the seeding: {last_line(folder / f'{ended[0]}.log')}")
        time.sleep(0.05)
    settings = Settings()
    redis_cpu = redis_cpu_seconds(server)
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
    figures = [worker_figures(name, process, folder) for name, process in zip(names, processes, strict=True)]
    redis_cpu = redis_cpu_seconds(server) - redis_cpu
    server.close()
    round_trips: Counter[str] = Counter()
    for worker in figures:
        round_trips.update(worker["round_trips"])
    return {
        "pages": sum(worker["pages"] for worker in figures),
        "seconds": seconds,
        "cpu_seconds": sum(worker["cpu_seconds"] for worker in figures),
        "redis_cpu_seconds": redis_cpu,
        "round_trips": round_trips,
    }


def redis_cpu_seconds(server: Any) -> float:
    """The redis-server's CPU time so far (user and system, main thread and children)."""
    cpu = server.info("cpu")
    return float(cpu["used_cpu_user"]) + float(cpu["used_cpu_sys"])


def last_line(path: Path) -> str:
    """A worker's log's last line: why it ended, in one line."""
    lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return lines[-1] if lines else f"{path} is empty"


def benchmark(argv: list[str] | None) -> None:
    parser = ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_mirror_crawl_options(parser, "side-by-side local and Redis rounds; each one's least CPU per page is the figure")
    parser.add_argument("--worker", choices=("local", "redis"), help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.worker:
        run_worker(options.worker, options.mirror, options.store)
        return
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
    results: dict[str, dict[str, Any]] = {}
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    try:
        first_line = mirror.stdout.readline() if mirror.stdout else ""
        if " on " not in first_line:
            raise DataError(f"the mirror did not start (exit {mirror.wait(timeout=10)})")
        mirror_url = first_line.rsplit(" on ", 1)[1].strip()
        with tempfile.TemporaryDirectory() as folder:
            for number in range(1, options.rounds + 1):
                round_folder = Path(folder) / f"round{number}"
                round_folder.mkdir()
                with running_redis(binary) as redis_url:
                    pairs.append(side_by_side(mirror_url, redis_url, round_folder))
            for workers in (1, 2):
                with running_redis(binary) as redis_url:
                    results[f"redis{workers}"] = redis_round(workers, mirror_url, redis_url, Path(folder))
    finally:
        mirror.terminate()
        mirror.wait(timeout=10)
    report(options.copies, mirror_url, pairs, results)


def report(
    copies: int, mirror_url: str, pairs: list[tuple[dict[str, Any], dict[str, Any]]], results: dict[str, dict[str, Any]]
) -> None:
    """The figures, side by side: CPU per page local vs Redis, round trips per page, then 1 vs 2 workers.

    Each side's figure is its least CPU per page over the rounds: another job on the machine only ever adds
    to a round's CPU time (shared caches, the other core's load), so the least is the one closest to what the
    code itself costs, and one busy round no longer decides the ratio.
    """
    one, two = results["redis1"], results["redis2"]
    print(f"mirror: {copies} extra copies of each stored article, served on {mirror_url}; "
          f"{os.cpu_count()} CPU cores for the mirror, Redis and the workers")  # fmt: skip
    for number, (local_round, redis_round_) in enumerate(pairs, start=1):
        print(f"round {number}: local {cpu_per_page(local_round) * 1000:5.2f} ms/page, "
              f"Redis {cpu_per_page(redis_round_) * 1000:5.2f} ms/page, "
              f"local / redis {cpu_per_page(local_round) / cpu_per_page(redis_round_):.2f}")  # fmt: skip
    local = min((local_round for local_round, _ in pairs), key=cpu_per_page)
    side = min((redis_round_ for _, redis_round_ in pairs), key=cpu_per_page)
    cpu = {"local": cpu_per_page(local), "redis": cpu_per_page(side)}
    print(f"CPU per page, least of {len(pairs)} side-by-side rounds: local scheduler {cpu['local'] * 1000:5.2f} ms "
          f"({local['pages']} pages), through Redis {cpu['redis'] * 1000:5.2f} ms ({side['pages']} pages), "
          f"redis-server {side['redis_cpu_seconds'] / side['pages'] * 1000:5.2f} ms")  # fmt: skip
    trips: Counter[str] = side["round_trips"]
    per_page = ", ".join(f"{name} {count / side['pages']:.2f}" for name, count in trips.most_common())
    print(f"Redis round trips per page, one worker: {sum(trips.values()) / side['pages']:.2f} ({per_page})")
    rates = {label: figures["pages"] / figures["seconds"] for label, figures in (("1", one), ("2", two))}
    print(f"pages/s through Redis, alone: 1 worker {rates['1']:6.1f} ({one['pages']} in {one['seconds']:.2f} s), "
          f"2 workers {rates['2']:6.1f} ({two['pages']} in {two['seconds']:.2f} s)")  # fmt: skip
    print(f"local / redis, CPU per page: {cpu['local'] / cpu['redis']:.2f}; "
          f"2 workers / 1 worker, pages/s on {os.cpu_count()} cores: {rates['2'] / rates['1']:.2f}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Exit 0; 2 with one line on stderr for a bad argument, a missing tool, a failed worker or a closed pipe."""
    return run_command("distributed_speed", lambda: benchmark(argv))


if __name__ == "__main__":
    sys.exit(main())
