"""A local HTTP mirror of ``snapshots/``: the stored pages served the way the sites serve them.

Replay answers requests inside Scrapy; the mirror makes a crawl take the
whole real path: TCP on 127.0.0.1, robots.txt, redirects, gzip, charsets,
404s, server errors and slow answers.  One server serves every site, the
site's scheme and host being the first two path segments::

    https://see.news/category/world/page/2/
    -> http://127.0.0.1:PORT/https/see.news/category/world/page/2/

so a crawl needs only ``NEWS_MIRROR_URL=http://127.0.0.1:PORT`` (see
``crawler.downloader.mirroring``) and no DNS or Host tricks.  What it does besides
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
- a ``400`` with a one-line reason for a control parameter it cannot act
  on (``_mirror_status=abc``, ``_mirror_delay=nan``, a size over
  ``MAX_PADDED_SIZE``, ...), and a 404 for a stored page whose real path is
  outside ``snapshots/`` (a symlink out);
- ``extra``, a function of the real URL, answers pages the snapshots do not
  hold (tests build hostile feeds and endless listings with it);
- ``--copies N`` serves every stored article also as ``?copy=1`` ...
  ``?copy=N``, listed in a generated sitemap at
  ``/<scheme>/<host>/_mirror/sitemap.xml``: a mirror big enough to measure a
  crawl's speed on.

It speaks HTTP/1.1 with keep-alive (every answer has its length, and the
connection faults close it), drops a connection whose request has not
arrived ``read_timeout`` seconds after it opened or after the last answer
(a half-sent request holds a thread no longer), and queues up to
``MirrorServer.request_queue_size`` connections a burst of new ones opens.

Run it with ``python -m crawler.tools.mirror [--port 8080] [--copies N] [--read-timeout S]``.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import logging
import random
import re
import socket
import struct
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from xml.sax.saxutils import escape

from crawler.downloader.replay import SnapshotStore
from crawler.tools.casefiles import SnapshotCase

logger = logging.getLogger(__name__)

DEFAULT_SNAPSHOTS = Path(__file__).resolve().parents[2] / "snapshots"
ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"
CONTROL_PARAMETERS = (
    "_mirror_status", "_mirror_delay", "_mirror_fault", "_mirror_redirect", "_mirror_hop", "_mirror_size",
    "_mirror_times", "copy",
)  # fmt: skip
MAX_DELAY_SECONDS = 30.0
#: The largest ``_mirror_size``: over the default DOWNLOAD_MAXSIZE (10 MB), and a few times that in the
#: server's memory while it is made and compressed; a bigger one is answered 400.
MAX_PADDED_SIZE = 16 * 1024 * 1024
#: Seconds a connection may take to send a whole request head, counted from its opening or from the last
#: answer on it (an idle keep-alive connection is closed after as long).
READ_TIMEOUT_SECONDS = 15.0
FAULTS = ("reset", "truncate")
REDIRECTS = ("self", "loop")
_DIGITS_RE = re.compile(r"[0-9]{1,12}")  # not int(): it takes " 5", "1_0", "+5" and Arabic-Indic digits
_SECONDS_RE = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,6})?")

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
        """The faults ``query`` asks for; :class:`BadControl` for a value the mirror cannot act on."""
        status = _number(query, "_mirror_status", 200, 599, "an HTTP status")
        delay = query.get("_mirror_delay") or ""
        if delay and not (_SECONDS_RE.fullmatch(delay) and float(delay) <= MAX_DELAY_SECONDS):
            raise BadControl(f"_mirror_delay must be seconds from 0 to {MAX_DELAY_SECONDS:g}, not {_shown(delay)}")
        connection = query.get("_mirror_fault") or None
        if connection is not None and connection not in FAULTS:
            raise BadControl(f"_mirror_fault must be {' or '.join(FAULTS)}, not {_shown(connection)}")
        redirect = query.get("_mirror_redirect") or None
        if redirect is not None and redirect not in REDIRECTS:
            raise BadControl(f"_mirror_redirect must be {' or '.join(REDIRECTS)}, not {_shown(redirect)}")
        return cls(status=status, delay=float(delay or 0), connection=connection, redirect=redirect)


class BadControl(ValueError):
    """A ``_mirror_*`` parameter the mirror cannot act on: answered 400, with this as the one-line reason."""


def check_controls(query: str) -> dict[str, str]:
    """The query's parameters, every control parameter checked; :class:`BadControl` for the first bad one."""
    pairs = parse_qsl(query, keep_blank_values=True)
    given = Counter(key for key, _ in pairs if key in CONTROL_PARAMETERS)
    if twice := next((key for key, count in given.items() if count > 1), None):
        raise BadControl(f"{twice} is given more than once")
    values = dict(pairs)
    Faults.from_query(values)
    _number(values, "_mirror_times", 0, 10**9, "a number of requests")
    _number(values, "_mirror_size", 0, MAX_PADDED_SIZE, "a size in bytes")
    if "_mirror_hop" in values and values["_mirror_hop"] != "1":
        hop = _shown(values["_mirror_hop"])
        raise BadControl(f"_mirror_hop must be 1 (a twin URL of _mirror_redirect=loop), not {hop}")
    return values


def _number(query: dict[str, str], key: str, lowest: int, highest: int, what: str) -> int | None:
    if key not in query:
        return None
    value = query[key]
    if not _DIGITS_RE.fullmatch(value) or not lowest <= int(value) <= highest:
        raise BadControl(f"{key} must be {what} from {lowest} to {highest}, not {_shown(value)}")
    return int(value)


def _shown(value: str) -> str:
    """A parameter's value for a one-line reason: quoted, and cut short."""
    return repr(value if len(value) <= 40 else value[:40] + "...")


def real_url(mirror_path: str) -> str | None:
    """``/https/see.news/a?b=1`` -> ``https://see.news/a?b=1``; ``None`` for a path that maps to no URL.

    A host no URL parser reads (``[::1``, a port ``99999``) maps to none either.
    """
    parts = urlsplit(mirror_path)
    segments = parts.path.split("/", 3)  # "", scheme, host, rest
    if len(segments) < 3 or segments[1] not in ("http", "https") or not segments[2]:
        return None
    path = "/" + (segments[3] if len(segments) > 3 else "")
    url = urlunsplit((segments[1], segments[2], path, parts.query, ""))
    try:
        urlsplit(url).port  # noqa: B018 (parses the host and port, raising for ones that are not)
    except ValueError:
        return None
    return url


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
        """The faults this request of ``url`` gets; with ``_mirror_times=N``, only the first N requests get any.

        :class:`BadControl` when a control parameter is one the mirror cannot act on.
        """
        query = check_controls(urlsplit(url).query)
        if "_mirror_times" in query:
            with self._lock:
                self._requests[url] += 1
                if self._requests[url] > int(query["_mirror_times"]):
                    return Faults()
        return Faults.from_query(query)

    def answer(self, url: str, faults: Faults | None = None) -> Answer:
        parts = urlsplit(url)
        try:
            query = check_controls(parts.query)
            faults = self.faults(url) if faults is None else faults
        except BadControl as error:
            return bad_request(str(error))
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
        plain_query = urlencode(
            [(key, value) for key, value in parse_qsl(parts.query) if key not in CONTROL_PARAMETERS]
        )
        lookup = urlunsplit((parts.scheme, parts.netloc, parts.path, plain_query, ""))
        if "copy" in query and not (_DIGITS_RE.fullmatch(query["copy"]) and 1 <= int(query["copy"]) <= self.copies):
            return self._not_found()
        case = self.store.find(lookup)
        if case is None:
            other_spelling = parts.path[:-1] if parts.path.endswith("/") else parts.path + "/"
            if other_spelling and self.store.find(
                urlunsplit((parts.scheme, parts.netloc, other_spelling, plain_query, ""))
            ):
                return self._redirect(urlunsplit((parts.scheme, parts.netloc, other_spelling, parts.query, "")))
            return self._not_found()
        page = self._page(case)
        if page is None:
            return self._not_found()
        status, headers, body = page
        if "_mirror_size" in query:
            body = _padded(body, int(query["_mirror_size"]))  # at most MAX_PADDED_SIZE: check_controls saw to it
        return status, headers, body

    def _page(self, case: SnapshotCase) -> Answer | None:
        """The stored page as stored; ``None`` when there is none, or it is a link out of the snapshots."""
        body = self.store.page_bytes(case)
        if body is None:
            return None
        content_type = case.meta.get("content_type") or "text/html; charset=utf-8"
        return int(case.meta.get("status", 200)), {"Content-Type": content_type}, body

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
        ).encode()


def bad_request(reason: str) -> Answer:
    return 400, {"Content-Type": "text/plain; charset=utf-8"}, f"mirror: {reason}\n".encode()


def _padded(body: bytes, size: int) -> bytes:
    """``body`` grown to ``size`` bytes with a comment of random letters: as big compressed as plain."""
    missing = size - len(body) - len(b"<!--  -->")
    if missing <= 0:
        return body
    letters = random.Random(size).randbytes(missing).translate(bytes(97 + byte % 26 for byte in range(256)))
    return b"".join((body, b"<!-- ", letters, b" -->"))  # one copy made, not one per +


class _DeadlineReader(io.RawIOBase):
    """The connection's incoming bytes, no read waiting past the handler's ``read_deadline``.

    A socket timeout alone bounds each read, and a client sending a byte now
    and then would hold its thread for ever; the deadline bounds the whole
    request head.
    """

    def __init__(self, handler: MirrorRequestHandler) -> None:
        self.handler = handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        handler = self.handler
        if handler.read_deadline is not None:
            left = handler.read_deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no whole request within {handler.timeout:g} s")
            handler.connection.settimeout(left)
        return handler.connection.recv_into(buffer)


class MirrorRequestHandler(BaseHTTPRequestHandler):
    server_version = "newsframe-mirror/1"
    protocol_version = "HTTP/1.1"  # keep-alive: a crawl need not open a connection per page
    # Headers and body go in two writes: with Nagle's algorithm on, the body of an answer on a reused
    # connection waits for the client's delayed ACK of the headers (~40 ms on Linux).
    disable_nagle_algorithm = True
    mirror: Mirror  # set on the subclass made by make_server
    timeout: ClassVar[float | None] = READ_TIMEOUT_SECONDS  # per connection; make_server's read_timeout
    read_deadline: float | None = None

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # the socket's own reader, which waits without a deadline
        self.rfile = io.BufferedReader(_DeadlineReader(self))

    def handle(self) -> None:
        try:
            super().handle()
        except OSError as error:  # the client reset the connection while it was read: nothing to answer
            logger.debug("%s: %s", self.address_string(), error)

    def handle_one_request(self) -> None:
        self.read_deadline = time.monotonic() + self.timeout if self.timeout else None
        super().handle_one_request()

    def parse_request(self) -> bool:
        parsed = super().parse_request()  # reads the headers, under the deadline
        self.read_deadline = None
        self.connection.settimeout(self.timeout)  # from here, each write may take that long
        if parsed and (self.headers.get("Content-Length", "0").strip() != "0" or "Transfer-Encoding" in self.headers):
            self.close_connection = True  # a request body is not read: it would be taken for the next request
        return parsed

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
            try:
                faults = self.mirror.faults(url)
                if faults.delay:
                    time.sleep(faults.delay)
                if faults.connection == "reset":
                    self._reset()
                    return
                status, headers, body = self.mirror.answer(url, faults)
            except BadControl as error:
                faults, (status, headers, body) = Faults(), bad_request(str(error))
            except Exception:  # an ``extra`` that raised, a page that cannot be read: an answer all the same
                logger.exception("mirror: no answer for %s", url)
                faults, (status, headers, body) = Faults(), (500, {"Content-Type": "text/plain"}, b"mirror: failed\n")
                self.close_connection = True
        if status in (204, 304):
            body = b""  # these have no body; a keep-alive client would take one for the next answer
        if body and "Content-Encoding" not in headers and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body, compresslevel=5)
            headers = {**headers, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        if faults.connection == "truncate":
            self.close_connection = True
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 204:
                self.send_header("Content-Length", str(len(body)))
            if self.close_connection:
                self.send_header("Connection", "close")
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


class MirrorServer(ThreadingHTTPServer):
    """One daemon thread per connection; a deep listen queue; open connections closed with the server."""

    daemon_threads = True
    #: Connections waiting to be accepted; past it a new one's SYN is dropped and the client waits ~1 s to try again.
    request_queue_size = 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        """Stop listening, and hang up on the keep-alive connections still open (their threads then end)."""
        super().server_close()
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # closed in the meantime
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.exception("mirror: error serving %s", client_address)


def listening_address(server: ThreadingHTTPServer) -> tuple[str, int]:
    """The host and port an IPv4 server listens on (a socket server's address may be bytes for other families)."""
    host, port = server.server_address[:2]
    return (host.decode() if isinstance(host, bytes) else str(host)), int(port)


def make_server(
    host: str = "127.0.0.1",
    port: int = 0,
    mirror: Mirror | None = None,
    read_timeout: float | None = READ_TIMEOUT_SECONDS,
) -> MirrorServer:
    """The mirror's HTTP server; ``read_timeout`` (seconds, ``None`` for none) bounds each request head's arrival."""
    attributes = {"mirror": mirror or Mirror(), "timeout": read_timeout}
    handler = type("BoundMirrorRequestHandler", (MirrorRequestHandler,), attributes)
    return MirrorServer((host, port), handler)


class RunningMirror:
    """A mirror serving in a background thread: ``with RunningMirror() as base_url: ...``."""

    def __init__(
        self, mirror: Mirror | None = None, port: int = 0, read_timeout: float | None = READ_TIMEOUT_SECONDS
    ) -> None:
        self.server = make_server(port=port, mirror=mirror, read_timeout=read_timeout)
        self.thread = threading.Thread(target=self.server.serve_forever, name="mirror", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = listening_address(self.server)
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
    parser.add_argument("--read-timeout", type=float, default=READ_TIMEOUT_SECONDS,
                        help=f"seconds a connection has to send a request (default {READ_TIMEOUT_SECONDS:g})")  # fmt: skip
    options = parser.parse_args()
    if not (0 < options.read_timeout < float("inf")):
        parser.error(f"--read-timeout must be a positive number of seconds, not {options.read_timeout:g}")
    if options.copies < 0 or not 0 <= options.port <= 65535:
        parser.error("--copies must be 0 or more and --port from 0 to 65535")
    if not options.snapshots.is_dir():
        parser.error(f"no snapshots folder at {options.snapshots}")
    mirror = Mirror(options.snapshots, options.copies)
    try:
        server = make_server(port=options.port, mirror=mirror, read_timeout=options.read_timeout)
    except OSError as error:  # the port is taken, or below 1024 without the right to it
        sys.exit(f"mirror: cannot listen on 127.0.0.1:{options.port}: {error.strerror or error}")
    host, port = listening_address(server)
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
