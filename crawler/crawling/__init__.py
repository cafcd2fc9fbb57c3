"""Spiders and what they follow: the base spider, the site registry, listings, feeds and sitemaps."""
