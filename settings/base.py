"""Settings shared by every way of running the project."""

import os

BOT_NAME = "newsframe"

SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
COMMANDS_MODULE = "crawler.commands"

ITEM_PIPELINES = {
    "crawler.pipelines.clean.CleanTextPipeline": 100,
    "crawler.pipelines.normalize.NormalizePipeline": 200,
    "crawler.pipelines.validate.ValidatePipeline": 300,
    "crawler.pipelines.dedupe.DeduplicatePipeline": 400,
    "crawler.pipelines.store.StorePipeline": 500,
}
# Scrapy starts this many asyncio tasks for the output of *every* response, whatever it holds (its default
# is 100).  An article page yields one item and the stages above are synchronous, so 100 tasks a page
# bought nothing and cost about 1 ms of CPU a page, a fifth of a crawl's (benchmarks/crawl_speed.py).
# Eight still lets a spider that yields several items a page run them through an asynchronous stage at once.
CONCURRENT_ITEMS = 8

DOWNLOADER_MIDDLEWARES = {
    # Articles already stored are not downloaded again, where NEWS_SKIP_STORED says so (-a refresh=1 to override).
    "crawler.downloader.incremental.SkipStoredArticlesMiddleware": 40,
    # Every request that waits for a site's robots.txt is checked against it, not only the first (crawler/downloader/robots.py).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.downloader.robots.WaitSafeRobotsTxtMiddleware": 100,
    # Retries wait longer each time and obey Retry-After.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.downloader.retry.BackoffRetryMiddleware": 550,
    # A redirect loop is one counted failure, not a request the duplicate filter drops unseen.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.downloader.redirects.LoopSafeMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.downloader.redirects.LoopSafeRedirectMiddleware": 600,
}
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0

# With NEWS_MIRROR_URL set (python -m crawler.tools.mirror), requests go to the local mirror of snapshots/;
# unset, this is Scrapy's own HTTP/1.1 handler.
NEWS_MIRROR_URL = ""
DOWNLOAD_HANDLERS = {
    "http": "crawler.downloader.mirroring.MirrorDownloadHandler",
    "https": "crawler.downloader.mirroring.MirrorDownloadHandler",
}

# Per-site politeness from each spider's crawl_delay and max_concurrency (see crawler/crawling/spiders.py).
NEWS_SITE_POLITENESS = True

# The HTTP cache is off; -s HTTPCACHE_ENABLED=1 keeps every response under .scrapy/httpcache.
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_IGNORE_HTTP_CODES = [429, 500, 502, 503, 504]

# scrapy check: "@fills field ..." fails on empty fields (Scrapy's @scrapes only asks whether they exist).
SPIDER_CONTRACTS = {"crawler.crawling.contracts.FillsContract": 10}

EXTENSIONS = {
    "crawler.extensions.report.CrawlReport": 500,
    # With NEWS_REPORT_DIR set: report.json and a self-contained report.html a crawl (extensions/report_files.py).
    "crawler.extensions.report_files.CrawlReportFiles": 510,
    # One "Progress: pages, articles kept, pending, failed" line per LOGSTATS_INTERVAL, in place of Scrapy's
    # "Crawled N pages" lines (crawler/extensions/progress.py).
    "scrapy.extensions.logstats.LogStats": None,
    "crawler.extensions.progress.CrawlProgress": 0,
    # With NEWS_ARCHIVE_DIR set: every article page as WARC records, for scrapy reextract (extensions/archive.py).
    "crawler.extensions.archive.WarcArchive": 520,
}
#: Where each crawl writes its report folder, <crawl id>/report.json and report.html (--report DIR on crawl and
#: crawlall says the same); empty: the report is in the log only.  scrapy report DIR draws the page again.
NEWS_REPORT_DIR = ""
#: Where each crawl keeps its article pages, <crawl id>-00000.warc.gz (request and response records); empty: none.
#: A new numbered file starts once one passes NEWS_ARCHIVE_MAX_BYTES.  scrapy reextract runs the rules over them.
NEWS_ARCHIVE_DIR = ""
NEWS_ARCHIVE_MAX_BYTES = 1_000_000_000
#: Seconds between progress lines; a crawl shorter than this prints none. 0 turns them off.
LOGSTATS_INTERVAL = 30.0

#: The article store (SQLite), relative to the working directory; empty to store nothing.
NEWS_STORE_PATH = "articles.sqlite"
#: A shared PostgreSQL store instead (postgresql://user:password@host/db; $NEWS_STORE_URL, so the password need
#: not be on a command line); empty: the SQLite file above.  Many workers may write one (docs/distributed.md).
NEWS_STORE_URL = os.environ.get("NEWS_STORE_URL", "")
#: With NEWS_STORE_URL: the local path the store stage's journal files are named after, for what the server
#: refused (<path>.pending.<time>-<pid>.jsonl); empty: articles-<database>.postgres in the working directory.
NEWS_STORE_JOURNAL_PATH = ""
#: Leave out the articles the store already holds (crawler/downloader/incremental.py; -a refresh=1 fetches them anyway).
#: None: yes for a live crawl, no for one sent to the mirror (NEWS_MIRROR_URL); settings/replay.py says no.
NEWS_SKIP_STORED = None
#: Seconds a write waits for another process's lock on the store; then the item waits in memory and is
#: retried every NEWS_STORE_RETRY_INTERVAL seconds (crawler/pipelines/store.py), never dropped.
NEWS_STORE_BUSY_TIMEOUT = 30.0
NEWS_STORE_RETRY_INTERVAL = 5.0

#: A body shorter than this is no article (crawler/pipelines/validation.py holds every rule).
NEWS_MIN_BODY_CHARS = 200
#: Longest chain of next-page links followed from one listing.
NEWS_MAX_LISTING_PAGES = 20

# Feeds: UTF-8 as published (no \uXXXX escapes), empty fields left out.
FEED_EXPORT_ENCODING = "utf-8"
# A feed file on a full disk is one logged, counted error; the crawl and the store go on (crawler/feeds/storage.py).
FEED_STORAGES = {
    "": "crawler.feeds.storage.GuardedFileFeedStorage",
    "file": "crawler.feeds.storage.GuardedFileFeedStorage",
    "stdout": "crawler.feeds.storage.GuardedStdoutFeedStorage",
}
FEED_EXPORTERS = {
    "jsonlines": "crawler.feeds.exporters.ArticleJsonLinesExporter",
    "jsonl": "crawler.feeds.exporters.ArticleJsonLinesExporter",
    "jl": "crawler.feeds.exporters.ArticleJsonLinesExporter",
    "json": "crawler.feeds.exporters.ArticleJsonExporter",
    # One flat row per article: main_image_url/_caption/_alt, authors and tags joined with "; ", images and
    # embeds as JSON text, the same header for every feed (crawler/feeds/exporters.py).
    "csv": "crawler.feeds.exporters.ArticleCsvExporter",
}

USER_AGENT = "newsframe/0.1 (+https://github.com/newsframe/newsframe; news archiving research crawler)"
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # a news page is well under a megabyte; this is a runaway
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
LOG_LEVEL = "INFO"
# Scrapy's telnet console would listen on 127.0.0.1 with its password in the log; nothing here uses it.
# -s TELNETCONSOLE_ENABLED=1 turns it back on for a live debugging session.
TELNETCONSOLE_ENABLED = False
# Scrapy's remote control (2.19+) would listen on 127.0.0.1 and run any Python sent with the token it
# writes to a job file; nothing here uses it.  -s REMOTE_CONTROL_ENABLED=1 turns it on for a session.
REMOTE_CONTROL_ENABLED = False
