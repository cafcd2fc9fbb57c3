"""``scrapy seed --status``: one line per spider of what is waiting, queued, seen and in flight."""

from __future__ import annotations

import redis
from scrapy.settings import Settings

from crawler.commands.seed import status_line
from crawler.distributed.inflight import heartbeat_key, inflight_key, workers_key
from crawler.distributed.seeding import seed


def test_the_status_names_each_workers_requests_in_flight_and_the_dead_ones(redis_url: str) -> None:
    server, settings = redis.Redis.from_url(redis_url), Settings()
    seed(server, settings, "sadaelbalad", ["https://see.news/rss", "https://see.news/category/world"])
    server.zadd("sadaelbalad:requests", {"queued": 0})
    server.sadd("sadaelbalad:dupefilter", "a", "b", "c")
    for worker, count in (("w1", 2), ("w2", 1)):
        server.sadd(workers_key("sadaelbalad"), worker)
        server.zadd(inflight_key("sadaelbalad", worker), {f"{worker}-{number}": 0 for number in range(count)})
    server.set(heartbeat_key("sadaelbalad", "w1"), "1")
    assert status_line(server, settings, "sadaelbalad") == (
        "sadaelbalad: start_urls=2 queued=1 seen=3 in_flight=3 [w1=2, w2=1 (no heartbeat)]"
    )
