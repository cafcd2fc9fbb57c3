"""Settings shared by every way of running the project."""

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

DOWNLOADER_MIDDLEWARES = {
    # Articles already stored are not downloaded again (-a refresh=1 to override).
    "crawler.incremental.SkipStoredArticlesMiddleware": 40,
}

EXTENSIONS = {
    "crawler.report.CrawlReport": 500,
}

#: The article store (SQLite), relative to the working directory; empty to store nothing.
NEWS_STORE_PATH = "articles.sqlite"

#: A body shorter than this is no article (crawler/validation.py holds every rule).
NEWS_MIN_BODY_CHARS = 200
#: Longest chain of next-page links followed from one listing.
NEWS_MAX_LISTING_PAGES = 20

# Feeds: UTF-8 as published (no \uXXXX escapes), empty fields left out.
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORTERS = {
    "jsonlines": "crawler.exporters.ArticleJsonLinesExporter",
    "jsonl": "crawler.exporters.ArticleJsonLinesExporter",
    "jl": "crawler.exporters.ArticleJsonLinesExporter",
    "json": "crawler.exporters.ArticleJsonExporter",
}

USER_AGENT = "newsframe/0.1 (+https://github.com/newsframe/newsframe; news archiving research crawler)"
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
LOG_LEVEL = "INFO"
