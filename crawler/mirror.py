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
- faults on request, for tests of retries, timeouts and bad input:
  ``?_mirror_status=500`` answers that status, ``?_mirror_delay=2`` waits
  two seconds first, ``?_mirror_fault=reset`` closes the connection without
  an answer (a TCP reset), ``?_mirror_fault=truncate`` sends half the body
  and hangs up, ``?_mirror_redirect=self`` redirects to the same URL and
  ``?_mirror_redirect=loop`` to a twin URL that redirects back, and
  ``?_mirror_size=N`` pads the page to N bytes; ``?_mirror_times=N`` makes
  the fault hit only the first N requests of that URL (a flaky server);
- ``extra``, a function of the real URL, answers pages the snapshots do not
  hold (tests build hostile feeds and endless listings with it);
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
import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from xml.sax.saxutils import escape

from crawler.casefiles import SnapshotCase
from crawler.replay import SnapshotStore

logger = logging.getLogger(__name__)

DEFAULT_SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"
CONTROL_PARAMETERS = (
    "_mirror_status", "_mirror_delay", "_mirror_fault", "_mirror_redirect", "_mirror_hop", "_mirror_size",
    "_mirror_times", "copy",
)  # fmt: skip
MAX_DELAY_SECONDS = 30.0
MAX_PADDED_SIZE = 256 * 1024 * 1024

#: What the mirror answers: status, headers, body.
Answer = tuple[int, dict[str, str], bytes]


@dataclass(frozen=True)
class Faults:
    """The faults one request asked for (``_mirror_*`` query parameters); all off by default."""

    status: int | None = None
    delay: float = 0.0
    connection: str | None = None  # "reset" or "truncate"
    redirect: str | None = None  # "self" or "loop"

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Faults:
        return cls(
            status=int(query["_mirror_status"]) if "_mirror_status" in query else None,
            delay=min(float(query.get("_mirror_delay") or 0), MAX_DELAY_SECONDS),
            connection=query.get("_mirror_fault") or None,
            redirect=query.get("_mirror_redirect") or None,
        )


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

    def __init__(
        self, snapshots: Path = DEFAULT_SNAPSHOTS, copies: int = 0, extra: Callable[[str], Answer | None] | None = None
    ) -> None:
        self.store = SnapshotStore(snapshots)
        self.copies = copies
        self.extra = extra
        self._requests: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.articles_by_host: dict[str, list[str]] = {}
        for case in self.store.cases():
            if case.kind == "article":
                self.articles_by_host.setdefault(urlsplit(case.url).netloc, []).append(case.url)

    def faults(self, url: str) -> Faults:
        """The faults this request of ``url`` gets; with ``_mirror_times=N``, only the first N requests get any."""
        query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
        if "_mirror_times" in query:
            with self._lock:
                self._requests[url] += 1
                if self._requests[url] > int(query["_mirror_times"]):
                    return Faults()
        return Faults.from_query(query)

    def answer(self, url: str, faults: Faults | None = None) -> Answer:
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        faults = self.faults(url) if faults is None else faults
        if faults.status is not None:
            status = faults.status
            return status, {"Content-Type": "text/plain"}, f"mirror: status {status} on request\n".encode()
        if faults.redirect == "self":
            return self._redirect(url, status=302)
        if faults.redirect == "loop":  # A -> A&_mirror_hop=1 -> A
            pairs = [(key, value) for key, value in parse_qsl(parts.query) if key != "_mirror_hop"]
            twin = urlencode(pairs if "_mirror_hop" in query else [*pairs, ("_mirror_hop", "1")])
            return self._redirect(urlunsplit((*parts[:3], twin, "")), status=302)
        if self.extra is not None and (extra := self.extra(url)) is not None:
            return extra
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
        status, headers, body = self._page(case)
        if "_mirror_size" in query:
            body = _padded(body, min(int(query["_mirror_size"]), MAX_PADDED_SIZE))
        return status, headers, body

    def _page(self, case: SnapshotCase) -> Answer:
        content_type = case.meta.get("content_type") or "text/html; charset=utf-8"
        return int(case.meta.get("status", 200)), {"Content-Type": content_type}, case.page_bytes()

    def _redirect(self, location: str, status: int = 301) -> Answer:
        return status, {"Location": location, "Content-Type": "text/plain"}, b"moved\n"

    def _not_found(self) -> Answer:
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


def _padded(body: bytes, size: int) -> bytes:
    """``body`` grown to ``size`` bytes with a comment of random letters: as big compressed as plain."""
    missing = size - len(body) - len(b"<!--  -->")
    if missing <= 0:
        return body
    letters = random.Random(size).randbytes(missing).translate(bytes(97 + byte % 26 for byte in range(256)))
    return body + b"<!-- " + letters + b" -->"


class MirrorRequestHandler(BaseHTTPRequestHandler):
    server_version = "newsframe-mirror/1"
    mirror: Mirror  # set on the subclass made by make_server

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve(include_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(include_body=False)

    def _serve(self, include_body: bool) -> None:
        url = real_url(self.path)
        faults = Faults()
        if url is None:
            status, headers, body = 404, {"Content-Type": "text/plain"}, b"mirror: use /<scheme>/<host>/<path>\n"
        else:
            faults = self.mirror.faults(url)
            if faults.delay:
                time.sleep(faults.delay)
            if faults.connection == "reset":
                self._reset()
                return
            status, headers, body = self.mirror.answer(url, faults)
        if body and "Content-Encoding" not in headers and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body, compresslevel=5)
            headers = {**headers, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if include_body and faults.connection == "truncate":
                self.wfile.write(body[: len(body) // 2])
                self._reset()
            elif include_body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client hung up first: a crawler cancelling a page over its DOWNLOAD_MAXSIZE, say.
            logger.debug("%s hung up before %s was sent", self.address_string(), url)
            self.close_connection = True

    def _reset(self) -> None:
        """Hang up with a TCP reset (SO_LINGER 0), the way a crashed or overloaded server does."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

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
