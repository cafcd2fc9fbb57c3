"""The in-flight record against a real redis-server: popped requests are never in neither place."""

from __future__ import annotations

import pytest
import redis
import scrapy
from scrapy.utils.test import get_crawler
from scrapy_redis.dupefilter import RFPDupeFilter

from crawler.distributed.inflight import (
    PLENTY_BATCHES,
    InFlightQueue,
    InFlightScheduler,
    heartbeat_key,
    in_flight_count,
    inflight_key,
    requeue_worker,
    workers_key,
)

QUEUE_KEY = "probe:requests"


class Probe(scrapy.Spider):
    name = "probe"

    def parse(self, response):  # type: ignore[no-untyped-def]
        return None


def queue_for(redis_url: str, worker: str) -> tuple[InFlightQueue, redis.Redis]:
    server = redis.Redis.from_url(redis_url)
    crawler = get_crawler(Probe, {"DISTRIBUTED_WORKER_ID": worker})
    spider = Probe.from_crawler(crawler)
    return InFlightQueue(server, spider, QUEUE_KEY), server


def test_a_pop_moves_the_request_into_the_workers_in_flight_set(redis_url: str) -> None:
    queue, server = queue_for(redis_url, "w1")
    queue.push(scrapy.Request("https://example.com/a", callback=queue.spider.parse, priority=5))
    queue.push(scrapy.Request("https://example.com/b"))
    request = queue.pop()
    assert request is not None and request.url == "https://example.com/a"  # highest priority first, as scrapy-redis
    assert request.callback == queue.spider.parse  # serialized as popped, callback by name
    assert len(queue) == 1 and server.zcard(inflight_key("probe", "w1")) == 1
    assert server.smembers(workers_key("probe")) == {b"w1"}
    assert in_flight_count(server, "probe") == 1
    queue.release([request])
    assert server.zcard(inflight_key("probe", "w1")) == 0 and not queue.popped
    assert queue.pop().url == "https://example.com/b" and queue.pop() is None


def test_a_dead_workers_requests_go_back_with_their_priorities(redis_url: str) -> None:
    dead, server = queue_for(redis_url, "dead")
    for path, priority in (("low", 0), ("high", 9)):
        dead.push(scrapy.Request(f"https://example.com/{path}", priority=priority))
    assert {dead.pop().url, dead.pop().url} == {"https://example.com/high", "https://example.com/low"}
    assert len(dead) == 0 and in_flight_count(server, "probe") == 2
    # While its heartbeat lives, the worker may still be working on them: nothing moves.
    server.set(heartbeat_key("probe", "dead"), "1", px=60_000)
    assert requeue_worker(server, "probe", QUEUE_KEY, "dead") == -1 and len(dead) == 0
    server.delete(heartbeat_key("probe", "dead"))  # expired
    assert requeue_worker(server, "probe", QUEUE_KEY, "dead") == 2
    assert in_flight_count(server, "probe") == 0 and not server.smembers(workers_key("probe"))
    alive, _ = queue_for(redis_url, "alive")
    assert [alive.pop().url, alive.pop().url] == ["https://example.com/high", "https://example.com/low"]


def test_a_restarted_worker_takes_its_own_requests_back_at_once(redis_url: str) -> None:
    before, server = queue_for(redis_url, "w1")
    before.push(scrapy.Request("https://example.com/a"))
    assert before.pop() is not None
    server.set(heartbeat_key("probe", "w1"), "1", px=60_000)  # the killed run's heartbeat has not expired yet
    assert requeue_worker(server, "probe", QUEUE_KEY, "w1", force=True) == 1
    assert len(before) == 1 and in_flight_count(server, "probe") == 0


def test_a_live_worker_takes_back_the_requests_of_one_whose_heartbeat_expired(redis_url: str) -> None:
    dead, server = queue_for(redis_url, "dead")
    dead.push(scrapy.Request("https://example.com/a"))
    assert dead.pop() is not None
    server.set(heartbeat_key("probe", "dead"), "1", px=60_000)
    settings = {
        "REDIS_URL": redis_url,
        "DISTRIBUTED_WORKER_ID": "alive",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
    }
    crawler = get_crawler(Probe, settings)
    scheduler = InFlightScheduler.from_crawler(crawler)
    scheduler.spider, scheduler.queue = dead.spider, queue_for(redis_url, "alive")[0]
    scheduler.recover_dead_workers()
    assert len(scheduler.queue) == 0  # still alive, as far as anyone can tell
    server.delete(heartbeat_key("probe", "dead"))  # its heartbeat expired
    scheduler.recover_dead_workers()
    assert len(scheduler.queue) == 1 and in_flight_count(server, "probe") == 0
    assert crawler.stats.get_value("distributed/requeued/dead_worker") == 1


def test_scheduling_is_one_round_trip_that_filters_as_scrapy_redis_does(redis_url: str) -> None:
    settings = {
        "REDIS_URL": redis_url,
        "DISTRIBUTED_WORKER_ID": "w1",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.inflight.InFlightQueue",
    }
    crawler = get_crawler(Probe, settings)
    spider = Probe.from_crawler(crawler)
    crawler.spider = spider
    scheduler = InFlightScheduler.from_crawler(crawler)
    scheduler.spider, scheduler.queue = spider, queue_for(redis_url, "w1")[0]
    scheduler.df = RFPDupeFilter.from_crawler(crawler)
    scheduler.df.key = "probe:dupefilter"
    server = scheduler.queue.server
    sent: list[str] = []
    execute_command = server.execute_command
    server.execute_command = lambda *args, **options: sent.append(str(args[0])) or execute_command(*args, **options)  # type: ignore[method-assign]

    assert scheduler.enqueue_request(scrapy.Request("https://example.com/a", priority=3))  # loads the script
    sent.clear()
    assert scheduler.enqueue_request(scrapy.Request("https://example.com/b"))
    assert sent == ["EVALSHA"]  # the dupefilter's SADD and the queue's ZADD, in one script
    assert not scheduler.enqueue_request(scrapy.Request("https://example.com/a"))  # seen: not queued again
    assert scheduler.enqueue_request(scrapy.Request("https://example.com/a", dont_filter=True))
    assert len(scheduler.queue) == 3 and server.scard("probe:dupefilter") == 2
    assert server.sismember(
        "probe:dupefilter", scheduler.df.request_fingerprint(scrapy.Request("https://example.com/a"))
    )
    assert crawler.stats.get_value("scheduler/enqueued/redis") == 3
    popped = scheduler.queue.pop()
    assert popped is not None and popped.url == "https://example.com/a" and popped.priority == 3


class Callbacks(Probe):
    def parse_article(self, response):  # type: ignore[no-untyped-def]
        return None

    def failed(self, failure):  # type: ignore[no-untyped-def]
        return None


def test_a_request_is_encoded_as_scrapy_redis_encodes_it(redis_url: str) -> None:
    server = redis.Redis.from_url(redis_url)
    spider = Callbacks.from_crawler(get_crawler(Callbacks, {"DISTRIBUTED_WORKER_ID": "w1"}))
    queue = InFlightQueue(server, spider, QUEUE_KEY)
    requests = [
        scrapy.Request(
            "https://example.com/a",
            callback=spider.parse_article,
            errback=spider.failed,
            priority=2,
            meta={"depth": 1},
            cb_kwargs={"x": 1},
            headers={"Accept": "text/html"},
        ),  # fmt: skip
        scrapy.Request("https://example.com/b"),
        scrapy.FormRequest("https://example.com/c", formdata={"q": "news"}, callback=spider.parse),
    ]
    for request in requests:
        encoded = queue._encode_request(request)
        assert queue.serializer.loads(encoded) == request.to_dict(spider=spider)  # Scrapy's own dict, key for key
        decoded = queue._decode_request(encoded)
        assert (decoded.url, decoded.callback, decoded.errback) == (request.url, request.callback, request.errback)
        assert type(decoded) is type(request)
    with pytest.raises(ValueError):  # not a method of the spider: cannot be named, Scrapy's own error
        queue._encode_request(scrapy.Request("https://example.com/d", callback=print))


def push_many(queue: InFlightQueue, count: int) -> None:
    for number in range(count):
        queue.push(scrapy.Request(f"https://example.com/{number}", priority=count - number))  # in number order


def test_a_long_queue_is_popped_a_batch_at_a_time_all_of_it_in_flight(redis_url: str) -> None:
    queue, server = queue_for(redis_url, "w1")
    push_many(queue, 100)
    first = queue.pop()
    assert first is not None and first.url == "https://example.com/0"
    # One round trip took the batch: all of it recorded in flight, the rest handed out from memory, in order.
    assert server.zcard(inflight_key("probe", "w1")) == queue.batch == 8
    assert server.zcard(QUEUE_KEY) == 92 and len(queue) == 99
    queue.release([first])  # the engine finished the first: the seven still waiting stay in flight
    assert server.zcard(inflight_key("probe", "w1")) == 7
    assert [queue.pop().url for _ in range(7)] == [f"https://example.com/{number}" for number in range(1, 8)]
    assert server.zcard(QUEUE_KEY) == 92  # not a round trip until the batch is used up
    assert queue.pop().url == "https://example.com/8" and server.zcard(QUEUE_KEY) == 84


def test_a_short_queue_is_popped_one_request_at_a_time(redis_url: str) -> None:
    queue, server = queue_for(redis_url, "w1")
    push_many(queue, queue.batch * PLENTY_BATCHES - 1)  # short of plenty: scarce work, spread over every worker
    assert queue.pop().url == "https://example.com/0"
    assert server.zcard(inflight_key("probe", "w1")) == 1 and not queue.ahead


def test_a_worker_killed_with_a_batch_waiting_loses_none_of_it(redis_url: str) -> None:
    killed, server = queue_for(redis_url, "killed")
    push_many(killed, 20)
    assert killed.pop().url == "https://example.com/0"  # seven more wait in its memory only
    assert requeue_worker(server, "probe", QUEUE_KEY, "killed", force=True) == 8  # its restart takes them back
    alive, _ = queue_for(redis_url, "alive")
    assert len(alive) == 20 and alive.pop().url == "https://example.com/0"  # with their priorities


def test_a_batch_size_of_one_pops_as_scrapy_redis_does(redis_url: str) -> None:
    server = redis.Redis.from_url(redis_url)
    crawler = get_crawler(Probe, {"DISTRIBUTED_WORKER_ID": "w1", "DISTRIBUTED_POP_BATCH": 1})
    queue = InFlightQueue(server, Probe.from_crawler(crawler), QUEUE_KEY)
    push_many(queue, 100)
    assert queue.pop() is not None and server.zcard(inflight_key("probe", "w1")) == 1 and not queue.ahead
