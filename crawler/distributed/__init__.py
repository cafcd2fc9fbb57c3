"""Several workers sharing one crawl through Redis (scrapy-redis)."""
