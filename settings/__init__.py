"""Scrapy settings modules, picked in scrapy.cfg by ``SCRAPY_PROJECT`` (live by default)."""
