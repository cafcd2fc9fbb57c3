"""A Scrapy settings module whose project is the made-up sites (:func:`tests.sites.as_the_project`)."""

SPIDER_MODULES = ["tests.sites"]
