"""The crawl report as files: ``report.json`` for machines, ``report.html`` for people (``NEWS_REPORT_DIR``).

- :mod:`.timeline`: pages counted in time buckets during a crawl, in bounded memory;
- :mod:`.document`: a crawl's stats -> the report's JSON document; its folder, written and read back;
- :mod:`.charts`: the inline SVG (coverage bars, the pages/s line);
- :mod:`.html`: the JSON document -> one self-contained HTML page.

The extension that feeds them is crawler/extensions/report_files.py; ``scrapy report``
(crawler/commands/report.py) regenerates the page from the JSON.
"""
