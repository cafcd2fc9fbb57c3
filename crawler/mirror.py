"""A local HTTP mirror of ``snapshots/``: the stored pages served the way the sites serve them.

Replay answers requests inside Scrapy; the mirror makes a crawl take the
whole real path: TCP on 127.0.0.1, robots.txt, redirects, gzip, charsets,
404s, server errors and slow answers.  One server serves every site, the
site's scheme and host being the first two path segments::

    https://see.news/category/world/page/2/
    -> http://127.0.0.1:PORT/https/see.news/category/world/page/2/

so a crawl needs only ``NEWS_MIRROR_URL=http://127.0.0.1:PORT`` (see
``crawler.mirroring``) and no DNS or Host tricks.  What it does besides
serving the stored page:

- ``robots.txt`` for every site: everything allowed but ``/private/``;
- ``http://`` URLs answer 301 to their ``https://`` form, and a path stored
  with (or without) a trailing slash answers 301 to the stored spelling;
- ``gzip`` when the client accepts it;
- a 404 for anything not stored;
- ``?_mirror_status=500`` answers that status, ``?_mirror_delay=2`` waits
  two seconds first (for tests of retries and timeouts);
- ``--copies N`` serves every stored article also as ``?copy=1`` ...
  ``?copy=N``, listed in a generated sitemap at
  ``/<scheme>/<host>/_mirror/sitemap.xml``: a mirror big enough to measure a
  crawl's speed on.

Run it with ``python -m crawler.mirror [--port 8080] [--copies N]``.
"""

from __future__ import annotations

import argparse
import gzip
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from xml.sax.saxutils import escape

from crawler.casefiles import SnapshotCase
from crawler.replay import SnapshotStore

logger = logging.getLogger(__name__)

DEFAULT_SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"
CONTROL_PARAMETERS = ("_mirror_status", "_mirror_delay", "copy")
MAX_DELAY_SECONDS = 30.0


def real_url(mirror_path: str) -> str | None:
    """``/https/see.news/a?b=1`` -> ``https://see.news/a?b=1``."""
    parts = urlsplit(mirror_path)
    segments = parts.path.split("/", 3)  # "", scheme, host, rest
    if len(segments) < 3 or segments[1] not in ("http", "https") or not segments[2]:
        return None
    path = "/" + (segments[3] if len(segments) > 3 else "")
    return urlunsplit((segments[1], segments[2], path, parts.query, ""))


def mirror_path(url: str) -> str:
    """The inverse of :func:`real_url`."""
    parts = urlsplit(url)
    return urlunsplit(("", "", f"/{parts.scheme}/{parts.netloc}{parts.path or '/'}", parts.query, ""))


class Mirror:
    """What to answer for a real URL; independent of the HTTP server, so it is easy to test."""

    def __init__(self, snapshots: Path = DEFAULT_SNAPSHOTS, copies: int = 0) -> None:
        self.store = SnapshotStore(snapshots)
        self.copies = copies
        self.articles_by_host: dict[str, list[str]] = {}
        for case in self.store.cases():
            if case.kind == "article":
                self.articles_by_host.setdefault(urlsplit(case.url).netloc, []).append(case.url)

    def answer(self, url: str) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if "_mirror_status" in query:
            status = int(query["_mirror_status"])
            return status, {"Content-Type": "text/plain"}, f"mirror: status {status} on request\n".encode()
        if parts.scheme == "http":
            return self._redirect(urlunsplit(("https", *parts[1:])))
        if parts.path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, ROBOTS_TXT
        if parts.path == "/_mirror/sitemap.xml":
            return 200, {"Content-Type": "application/xml; charset=utf-8"}, self._sitemap(parts.netloc)
        plain_query = urlencode([(key, value) for key, value in parse_qsl(parts.query) if key not in CONTROL_PARAMETERS])
        lookup = urlunsplit((parts.scheme, parts.netloc, parts.path, plain_query, ""))
        if "copy" in query and not self.copies:
            return self._not_found()
        case = self.store.find(lookup)
        if case is None:
            other_spelling = parts.path[:-1] if parts.path.endswith("/") else parts.path + "/"
            if other_spelling and self.store.find(urlunsplit((parts.scheme, parts.netloc, other_spelling, plain_query, ""))):
                return self._redirect(urlunsplit((parts.scheme, parts.netloc, other_spelling, parts.query, "")))
            return self._not_found()
        return self._page(case)

    def _page(self, case: SnapshotCase) -> tuple[int, dict[str, str], bytes]:
        content_type = case.meta.get("content_type") or "text/html; charset=utf-8"
        return int(case.meta.get("status", 200)), {"Content-Type": content_type}, case.page_bytes()

    def _redirect(self, location: str) -> tuple[int, dict[str, str], bytes]:
        return 301, {"Location": location, "Content-Type": "text/plain"}, b"moved\n"

    def _not_found(self) -> tuple[int, dict[str, str], bytes]:
        return 404, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body><h1>Not stored</h1></body></html>"

    def _sitemap(self, host: str) -> bytes:
        """Every stored article of the host, and ``copies`` more of each under ``?copy=N``."""
        urls = []
        for url in self.articles_by_host.get(host, []):
            urls.append(url)
            separator = "&" if urlsplit(url).query else "?"
            urls.extend(f"{url}{separator}copy={number}" for number in range(1, self.copies + 1))
        entries = "".join(f"<url><loc>{escape(url)}</loc></url>" for url in urls)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        ).encode("utf-8")


class MirrorRequestHandler(BaseHTTPRequestHandler):
    server_version = "newsframe-mirror/1"
    mirror: Mirror  # set on the subclass made by make_server

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve(include_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(include_body=False)

    def _serve(self, include_body: bool) -> None:
        url = real_url(self.path)
        if url is None:
            status, headers, body = 404, {"Content-Type": "text/plain"}, b"mirror: use /<scheme>/<host>/<path>\n"
        else:
            delay = dict(parse_qsl(urlsplit(url).query)).get("_mirror_delay")
            if delay:
                time.sleep(min(float(delay), MAX_DELAY_SECONDS))
            status, headers, body = self.mirror.answer(url)
        if body and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body, compresslevel=5)
            headers = {**headers, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if include_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        logger.debug("%s - %s", self.address_string(), format % args)


def make_server(host: str = "127.0.0.1", port: int = 0, mirror: Mirror | None = None) -> ThreadingHTTPServer:
    handler = type("BoundMirrorRequestHandler", (MirrorRequestHandler,), {"mirror": mirror or Mirror()})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


class RunningMirror:
    """A mirror serving in a background thread: ``with RunningMirror() as base_url: ...``."""

    def __init__(self, mirror: Mirror | None = None, port: int = 0) -> None:
        self.server = make_server(port=port, mirror=mirror)
        self.thread = threading.Thread(target=self.server.serve_forever, name="mirror", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> str:
        self.thread.start()
        return self.base_url

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve snapshots/ over HTTP on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8080, help="port (0: any free one; default 8080)")
    parser.add_argument("--snapshots", type=Path, default=DEFAULT_SNAPSHOTS, help="the snapshots folder")
    parser.add_argument("--copies", type=int, default=0, help="serve each article N more times (benchmarks)")
    options = parser.parse_args()
    server = make_server(port=options.port, mirror=Mirror(options.snapshots, options.copies))
    host, port = server.server_address[:2]
    print(f"mirror: serving {options.snapshots} on http://{host}:{port}", flush=True)
    print(f"mirror: crawl it with -s NEWS_MIRROR_URL=http://{host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
