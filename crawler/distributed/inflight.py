"""No request lost when a distributed worker dies: scrapy-redis's queue, with an in-flight registry.

scrapy-redis pops a request from the shared Redis queue before downloading
it; a worker killed with SIGKILL loses what it had popped, and the shared
dupefilter then blocks the page from ever being scheduled again.  So every
request a worker pops is also recorded, in the same Redis script, in that
worker's in-flight set, and stays there until the worker has finished with
it: downloaded, its callback run, its follow-up requests pushed to the queue
and its items through the pipelines (stored).  A request is finished when
Scrapy's engine no longer counts it in progress; the scheduler compares its
popped requests with the engine's set about once a second (``tick``).

Redis keys, per spider (``<spider>`` is the spider's name)::

    <spider>:requests              scrapy-redis's priority queue (sorted set)
    <spider>:dupefilter            scrapy-redis's request fingerprints (set)
    <spider>:workers               ids of the workers that popped requests (set)
    <spider>:inflight:<worker>     requests a worker has popped and not finished (sorted set, queue scores)
    <spider>:heartbeat:<worker>    present while the worker lives (expires after DISTRIBUTED_HEARTBEAT_TTL)

A worker whose heartbeat has expired is dead: any live worker moves its
in-flight requests back into the queue, serialized as they were popped and
with their priorities, so no dupefilter is involved.  A worker restarted
with the same ``DISTRIBUTED_WORKER_ID`` takes its own leftovers back at once.
A graceful stop (one Ctrl-C) finishes what is in progress, as Scrapy does.

Scheduling a request is one Redis script too: the dupefilter's ``SADD`` of
its fingerprint and, if it was new, the queue's ``ZADD``.  scrapy-redis makes
those two round trips; one halves the Redis cost of a new request and leaves
no moment (a worker killed between the two) at which a request is marked
seen but queued nowhere.  ``benchmarks/distributed_speed.py`` counts the round
trips per page.
"""

from __future__ import annotations

import inspect
import logging
import os
import socket
import time
from collections import deque
from typing import Any

from redis import Redis
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.utils.asyncio import create_looping_call
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

logger = logging.getLogger(__name__)

DEFAULT_HEARTBEAT_TTL = 10.0
DEFAULT_TICK = 1.0

DEFAULT_POP_BATCH = 8
#: A worker takes a batch only while the queue holds at least this many batches: work that is scarce
#: (the end of a crawl, a small one) is still taken one request at a time, and spread over every worker.
#: Each spider has a queue of its own, so a crawl of several sites ends each queue's last batches singly.
PLENTY_BATCHES = 2

# KEYS: queue, in-flight set, workers set.  ARGV: worker id, batch size, queue length that counts as plenty.
# The lowest scores first, as PriorityQueue.pop: one request, or a batch of them when the queue holds plenty.
POP_SCRIPT = """
local take = 1
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then take = tonumber(ARGV[2]) end
local popped = redis.call('ZRANGE', KEYS[1], 0, take - 1, 'WITHSCORES')
if #popped == 0 then return {} end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, #popped / 2 - 1)
local requests = {}
for i = 1, #popped, 2 do
  redis.call('ZADD', KEYS[2], popped[i + 1], popped[i])
  requests[#requests + 1] = popped[i]
end
redis.call('SADD', KEYS[3], ARGV[1])
return requests
"""

# KEYS: dupefilter set, queue.  ARGV: fingerprint ('' for a request not filtered), score, serialized request.
# 1 if queued, 0 if its fingerprint was seen.  The SADD and ZADD of scrapy-redis's enqueue_request, in one step.
SCHEDULE_SCRIPT = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""

# KEYS: queue, in-flight set, heartbeat, workers set.  ARGV: worker id, "force" to ignore the heartbeat.
REQUEUE_SCRIPT = """
if ARGV[2] ~= 'force' and redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
local count = redis.call('ZCARD', KEYS[2])
if count > 0 then
  redis.call('ZUNIONSTORE', KEYS[1], 2, KEYS[1], KEYS[2], 'AGGREGATE', 'MIN')
  redis.call('DEL', KEYS[2])
end
redis.call('SREM', KEYS[4], ARGV[1])
return count
"""


def worker_id(settings: Any) -> str:
    """``DISTRIBUTED_WORKER_ID``, else host and process id: unique among the workers running at once."""
    return settings.get("DISTRIBUTED_WORKER_ID") or f"{socket.gethostname()}-{os.getpid()}"


def workers_key(spider_name: str) -> str:
    return f"{spider_name}:workers"


def inflight_key(spider_name: str, worker: str) -> str:
    return f"{spider_name}:inflight:{worker}"


def heartbeat_key(spider_name: str, worker: str) -> str:
    return f"{spider_name}:heartbeat:{worker}"


def in_flight_count(server: Redis, spider_name: str) -> int:
    """Requests popped by any worker, alive or dead, and not finished yet."""
    workers = server.smembers(workers_key(spider_name))
    return sum(server.zcard(inflight_key(spider_name, as_text(worker))) for worker in workers)


def requeue_worker(server: Redis, spider_name: str, queue_key: str, worker: str, force: bool = False) -> int:
    """Move a worker's in-flight requests back into the queue; -1 (nothing done) while its heartbeat lives."""
    keys = [queue_key, inflight_key(spider_name, worker), heartbeat_key(spider_name, worker), workers_key(spider_name)]
    return int(server.eval(REQUEUE_SCRIPT, len(keys), *keys, worker, "force" if force else ""))


def as_text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


class InFlightQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop also records the request in this worker's in-flight set.

    Pop and record are one Redis script, so there is no moment at which a
    popped request is in neither place.  While the queue holds plenty
    (``PLENTY_BATCHES`` batches, 16 requests), one script takes ``DISTRIBUTED_POP_BATCH``
    requests (default 8), all recorded in flight at once, and hands them to the
    engine one at a time from memory: popping was a round trip a page, the
    largest share of what Redis costs a worker
    (``benchmarks/distributed_speed.py``).  The ones still waiting in memory
    are in the in-flight set like the others, so a worker killed with them is
    recovered the same way, and ``len`` counts them as queued.
    """

    def __init__(self, server: Redis, spider: Spider, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.worker = worker_id(spider.settings)
        self.inflight_key = inflight_key(spider.name, self.worker)
        self.workers_key = workers_key(spider.name)
        self._pop_script = server.register_script(POP_SCRIPT)
        self._schedule_script = server.register_script(SCHEDULE_SCRIPT)
        #: A callback's or errback's function -> its method name on the spider (None: not one of its methods).
        self._method_names: dict[Any, str | None] = {}
        #: Requests popped by this process and not released yet, with their serialized form.
        self.popped: dict[Request, bytes] = {}
        self.batch = max(1, spider.settings.getint("DISTRIBUTED_POP_BATCH", DEFAULT_POP_BATCH))
        #: Serialized requests taken in a batch (in flight in Redis) and not handed to the engine yet.
        self.ahead: deque[bytes] = deque()

    def _encode_request(self, request: Request) -> bytes:
        """``Request.to_dict(spider=...)`` pickled, as scrapy-redis encodes a request, with the names of the
        callback and errback looked up once per function.

        ``to_dict`` finds a callback's name with ``inspect.getmembers(spider)``, every attribute of the spider
        (properties included) for every request, twice: in a profile of a crawl through Redis that was half the
        CPU of scheduling a request.  The dict is the one ``to_dict`` makes (a test compares them), so
        ``_decode_request`` and any worker read it unchanged.
        """
        try:
            callback = self._method_name(request.callback)
            errback = self._method_name(request.errback)
        except ValueError:  # not one of the spider's methods: let Scrapy say so, in its words
            return bytes(super()._encode_request(request))
        data: dict[str, Any] = {
            "url": request.url,
            "callback": callback,
            "errback": errback,
            "headers": dict(request.headers),
        }
        for attribute in request.attributes:
            data.setdefault(attribute, getattr(request, attribute))
        if type(request) is not Request:
            data["_class"] = type(request).__module__ + "." + type(request).__name__
        return bytes(self.serializer.dumps(data))

    def _method_name(self, function: Any) -> Any:
        """The spider's method name for a bound method (found once, then cached); a non-callable as it is."""
        if not callable(function):
            return function
        key = getattr(function, "__func__", None)
        if key is None or getattr(function, "__self__", None) is not self.spider:
            raise ValueError(f"{function!r} is not a method of {self.spider!r}")
        if key not in self._method_names:
            self._method_names[key] = next(
                (name for name, method in inspect.getmembers(self.spider, inspect.ismethod) if method.__func__ is key),
                None,
            )
        name = self._method_names[key]
        if name is None:
            raise ValueError(f"{function!r} is not a method of {self.spider!r}")
        return name

    def __len__(self) -> int:
        return int(super().__len__()) + len(self.ahead)

    def pop(self, timeout: int = 0) -> Request | None:
        if not self.ahead:
            keys = [self.key, self.inflight_key, self.workers_key]
            self.ahead.extend(self._pop_script(keys=keys, args=[self.worker, self.batch, self.batch * PLENTY_BATCHES]))
        if not self.ahead:
            return None
        data = self.ahead.popleft()
        request = self._decode_request(data)
        self.popped[request] = data
        return request

    def push_unseen(self, request: Request, dupefilter_key: str, fingerprint: str | None) -> bool:
        """Queue ``request`` unless ``fingerprint`` is in the dupefilter set (None: not filtered); one round trip.

        True if queued.  The fingerprint is added to the set in the same step, as scrapy-redis's
        ``request_seen`` adds it before its push.
        """
        data = self._encode_request(request)
        args: list[str | int | bytes] = [fingerprint or "", -request.priority, data]
        return bool(self._schedule_script(keys=[dupefilter_key, self.key], args=args))

    def release(self, requests: list[Request]) -> None:
        """These requests are finished: forget them here and in Redis."""
        finished = [self.popped.pop(request) for request in requests if request in self.popped]
        if finished:
            self.server.zrem(self.inflight_key, *finished)


class InFlightScheduler(Scheduler):
    """scrapy-redis's scheduler, with a heartbeat, the release of finished requests and dead workers' recovery.

    Settings: ``DISTRIBUTED_WORKER_ID`` (default: host and pid),
    ``DISTRIBUTED_HEARTBEAT_TTL`` (seconds without a heartbeat after which a
    worker is dead; default 10), ``DISTRIBUTED_TICK`` (seconds between
    heartbeats, releases and recovery checks; default 1).  The queue class
    must be :class:`InFlightQueue`.
    """

    crawler: Crawler
    queue: InFlightQueue
    heartbeat_ttl: float
    tick_seconds: float

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InFlightScheduler:
        scheduler: InFlightScheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.heartbeat_ttl = crawler.settings.getfloat("DISTRIBUTED_HEARTBEAT_TTL", DEFAULT_HEARTBEAT_TTL)
        scheduler.tick_seconds = crawler.settings.getfloat("DISTRIBUTED_TICK", DEFAULT_TICK)
        return scheduler

    def open(self, spider: Spider) -> None:
        super().open(spider)
        if not isinstance(self.queue, InFlightQueue):
            raise ValueError(
                "InFlightScheduler needs SCHEDULER_QUEUE_CLASS = 'crawler.distributed.inflight.InFlightQueue'"
            )
        self._beat()
        # This worker's previous run, killed under the same DISTRIBUTED_WORKER_ID: take its requests back.
        taken = requeue_worker(self.server, spider.name, self.queue.key, self.queue.worker, force=True)
        if taken:
            logger.info("Requeued %d requests left in flight by this worker's previous run", taken)
            self._count("distributed/requeued/own", taken)
        self._loop = create_looping_call(self.tick)
        self._loop.start(self.tick_seconds, now=False)

    def enqueue_request(self, request: Request) -> bool:
        """scrapy-redis's ``enqueue_request`` (dupefilter check, then push), in one Redis round trip, not two.

        Only with scrapy-redis's own :class:`RFPDupeFilter` (its set key and fingerprint are what the script
        needs); another dupefilter class is asked as scrapy-redis asks it.
        """
        if type(self.df).request_seen is not RFPDupeFilter.request_seen:
            return bool(super().enqueue_request(request))
        fingerprint = None if request.dont_filter else self.df.request_fingerprint(request)
        if not self.queue.push_unseen(request, self.df.key, fingerprint):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def close(self, reason: str) -> None:
        if getattr(self, "_loop", None) is not None and self._loop.running:
            self._loop.stop()
        self.release_finished()
        # After a graceful stop nothing should be left; whatever is goes back to the queue, not lost.
        left = requeue_worker(self.server, self.spider.name, self.queue.key, self.queue.worker, force=True)
        self.queue.ahead.clear()  # back in the queue with the rest of this worker's in-flight set
        if left:
            logger.warning("Requeued %d unfinished requests on close (%s)", left, reason)
        self.server.delete(heartbeat_key(self.spider.name, self.queue.worker))
        super().close(reason)

    def tick(self) -> None:
        """Heartbeat, release what the engine has finished, take back dead workers' requests, wake the engine."""
        try:
            self._beat()
            self.release_finished()
            self.recover_dead_workers()
        except Exception:  # a Redis hiccup must not stop the loop; the next tick tries again
            logger.exception("Distributed bookkeeping failed; retrying in %.1f s", self.tick_seconds)
        self._wake_engine()

    def release_finished(self) -> None:
        in_progress = self._engine_in_progress()
        self.queue.release([request for request in self.queue.popped if request not in in_progress])

    def recover_dead_workers(self) -> None:
        for worker in self.server.smembers(self.queue.workers_key):
            worker = as_text(worker)
            if worker == self.queue.worker:
                continue
            taken = requeue_worker(self.server, self.spider.name, self.queue.key, worker)
            if taken > 0:
                logger.warning("Worker %s is gone: requeued its %d unfinished requests", worker, taken)
                self._count("distributed/requeued/dead_worker", taken)

    def _beat(self) -> None:
        key = heartbeat_key(self.spider.name, self.queue.worker)
        self.server.set(key, str(time.time()), px=int(self.heartbeat_ttl * 1000))

    def _wake_engine(self) -> None:
        """Let an idle engine look at the shared queue (and fire spider_idle) now, not at its 5 s heartbeat.

        Work another worker pushed, or a new seeding, is then taken up within a tick.  Scrapy offers no
        public call that schedules the engine's next loop (signals only report what it did); its slot's
        ``nextcall`` is that call (tested with Scrapy 2.19), and without a slot there is nothing to wake.
        """
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()

    def _engine_in_progress(self) -> set[Request]:
        """The requests Scrapy's engine is still working on: from its pop to the end of its scraping.

        Scrapy has no public hook for "this request is finished"; the engine
        slot's ``inprogress`` set is that state (read here and in ``_wake_engine``;
        tested with Scrapy 2.19).
        """
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is None:  # the engine has closed the spider: nothing is in progress
            return set()
        return slot.inprogress

    def _count(self, key: str, value: int) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, value)
