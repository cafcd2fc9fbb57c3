"""Article pages kept as WARC files, and read back: so that a fixed rule can be run over last week's pages.

- :mod:`.records`: one fetched page as a WARC request/response pair (what is kept, and how it is marked);
- :mod:`.writer`: one crawl's files, numbered and rotated by size, a failure to write never stopping the crawl;
- :mod:`.reader`: the archived article pages back, a torn last record skipped and counted;
- :mod:`.reextract`: the current rules over those pages, compared with the store (``scrapy reextract``).
"""
