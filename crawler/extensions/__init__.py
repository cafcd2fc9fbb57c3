"""Crawl-wide extensions: the end-of-crawl report and the progress line."""
