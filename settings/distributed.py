"""Several workers, on one machine or many, sharing one crawl through Redis (scrapy-redis).

The live settings (robots.txt, AutoThrottle, per-site politeness, retries),
with scrapy-redis's scheduler, dupefilter and queue instead of Scrapy's
in-memory ones.  Start every worker the same way::

    NEWS_REDIS_URL=redis://queue-host:6379/0 SCRAPY_PROJECT=distributed scrapy crawlall

and seed the crawl once with ``scrapy seed``.  docs/distributed.md says what
is shared, how to watch the queue and how to stop and resume.
"""

import os
import socket

from settings.live import *  # noqa: F403

# -- scrapy-redis --------------------------------------------------------------
#: The one Redis every worker shares; loopback by default (one machine, several workers).
REDIS_URL = os.environ.get("NEWS_REDIS_URL", "redis://127.0.0.1:6379/0")
SCHEDULER = "crawler.distributed.inflight.InFlightScheduler"  # scrapy-redis's, plus the in-flight record
SCHEDULER_QUEUE_CLASS = "crawler.distributed.inflight.InFlightQueue"  # scrapy-redis's priority queue, pop recorded
DUPEFILTER_CLASS = "scrapy_redis.dupefilter.RFPDupeFilter"
#: A worker that closes must not flush the queue the others are still working on.
SCHEDULER_PERSIST = True

# -- start URLs from Redis (<spider>:start_urls), pushed by `scrapy seed` ------
SPIDER_MIDDLEWARES = {"crawler.distributed.seeding.RedisStartUrls": 10}
#: Close once nothing is queued or in flight on any worker for this long (seconds; 0: wait for seeds forever).
DISTRIBUTED_IDLE_CLOSE = 30
#: Requests one pop takes while the queue holds plenty (two batches or more); scarcer work goes one at a time.
DISTRIBUTED_POP_BATCH = 8
#: A worker without a heartbeat for this long is dead; its unfinished requests go back to the queue.
DISTRIBUTED_HEARTBEAT_TTL = 10
#: Unique per running worker (default: host and process id).  A worker restarted under the same id takes
#: its unfinished requests back at once; give each of several workers on one machine its own NEWS_WORKER_ID.
DISTRIBUTED_WORKER_ID = os.environ.get("NEWS_WORKER_ID", "")

# -- items: the project's own pipelines, into one shared store or each worker's own SQLite file ----
#: NEWS_STORE_URL (from the environment, settings/base.py): the shared PostgreSQL store every worker writes;
#: near-duplicates link across workers and no merge step is needed.  Unset: each worker its own SQLite file.
#: Plus, around the store stage, what some worker has stored: the shared store itself, else Redis's set of
#: articles (crawler/pipelines/shared.py).
ITEM_PIPELINES = {
    **ITEM_PIPELINES,  # noqa: F405
    "crawler.pipelines.shared.SkipStoredElsewhere": 450,
    "crawler.pipelines.shared.MarkStored": 600,
}
#: Without NEWS_STORE_URL: articles-<worker>.sqlite in the working directory (merge: docs/distributed.md).
NEWS_STORE_PATH = os.environ.get("NEWS_STORE_PATH", f"articles-{DISTRIBUTED_WORKER_ID or socket.gethostname()}.sqlite")

#: A shared crawl is a live one, mirror or not: a worker does not download again what its store holds.
NEWS_SKIP_STORED = True
