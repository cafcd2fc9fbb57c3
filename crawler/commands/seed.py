"""``scrapy seed [SPIDER ...]``: start a distributed crawl by pushing spiders' start URLs into Redis.

The workers (``SCRAPY_PROJECT=distributed``) read ``<spider>:start_urls``;
this pushes each named spider's ``start_urls`` there (every spider's when
none is named), ``{date}`` placeholders left for the workers to fill in.
``--fresh`` forgets the spider's earlier crawl first (queue, seen requests,
in-flight records), ``--status`` only prints what is waiting and in flight.
The Redis is the settings' ``REDIS_URL`` (``NEWS_REDIS_URL``).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from crawler.commands.usage import OneLineUsage
from crawler.crawling.sites import news_spiders

if TYPE_CHECKING:
    from redis import Redis


class Command(OneLineUsage, ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[SPIDER ...] [--fresh] [--status]"

    def short_desc(self) -> str:
        return "Push spiders' start URLs into Redis for distributed workers (or show the shared queue)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--fresh", action="store_true", help="forget the spider's earlier crawl first (only while no worker runs)"
        )
        parser.add_argument("--status", action="store_true", help="print what is queued and in flight; push nothing")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        # Imported here: Scrapy imports every command module for any command, and these
        # come with the `distributed` extra only.
        from redis.exceptions import RedisError
        from scrapy_redis import connection

        from crawler.distributed.seeding import seed, start_urls_key

        assert self.settings is not None
        spiders = news_spiders(self.settings.getlist("SPIDER_MODULES"))
        unknown = sorted(set(args) - set(spiders))
        if unknown:
            raise UsageError(f"unknown spider(s): {', '.join(unknown)}; known: {', '.join(sorted(spiders))}")
        names = args or sorted(spiders)
        server = connection.from_settings(self.settings)
        try:
            for name in names:
                if opts.status:
                    print(status_line(server, self.settings, name))
                else:
                    count = seed(server, self.settings, name, spiders[name].start_urls, fresh=opts.fresh)
                    print(f"seed: {count} start URLs for {name} in {start_urls_key(name)}")
        except RedisError as error:
            print(f"seed: Redis at {self.settings.get('REDIS_URL')}: {error}", file=sys.stderr)
            self.exitcode = 2


def status_line(server: Redis, settings: BaseSettings, name: str) -> str:
    """One spider's shared state: waiting start URLs, queued requests, seen requests, workers and in flight."""
    from crawler.distributed.inflight import (
        as_text,
        heartbeat_key,
        inflight_key,
        workers_key,
    )
    from crawler.distributed.seeding import dupefilter_key, queue_key, start_urls_key

    workers = sorted(as_text(worker) for worker in server.smembers(workers_key(name)))
    in_flight = {worker: server.zcard(inflight_key(name, worker)) for worker in workers}
    alive = [worker for worker in workers if server.exists(heartbeat_key(name, worker))]
    per_worker = ", ".join(f"{worker}={count}{'' if worker in alive else ' (no heartbeat)'}"
                           for worker, count in in_flight.items())  # fmt: skip
    return (
        f"{name}: start_urls={server.llen(start_urls_key(name))} queued={server.zcard(queue_key(settings, name))} "
        f"seen={server.scard(dupefilter_key(settings, name))} in_flight={sum(in_flight.values())}"
        + (f" [{per_worker}]" if per_worker else "")
    )
