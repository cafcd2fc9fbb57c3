"""The mirror against clients that misbehave, bad control parameters and files that are not its own.

Half-sent and trickled requests are dropped after the read timeout; a burst
of connections is queued, not dropped; keep-alive connections carry many
answers, each with its length, and the connection faults still hang up;
every bad ``_mirror_*`` value is a 400 with its reason; padding is capped;
a stored page that is a link out of ``snapshots/`` is not served.
"""

from __future__ import annotations

import gzip
import http.client
import select
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from crawler.tools.mirror import (
    MAX_PADDED_SIZE,
    Answer,
    Mirror,
    RunningMirror,
    make_server,
)
from tests.crawler.downloader.test_replay import snapshots_linking_out
from tests.crawling import ROOT

RSS = "/https/see.news/rss"
SHORT_TIMEOUT = 0.5  # seconds: the read timeout of the mirrors that test it


@pytest.fixture(scope="module")
def mirror() -> Iterator[str]:
    with RunningMirror() as base_url:
        yield base_url


def port_of(base_url: str) -> int:
    return int(base_url.rsplit(":", 1)[1])


@contextmanager
def connection(base_url: str) -> Iterator[http.client.HTTPConnection]:
    conn = http.client.HTTPConnection("127.0.0.1", port_of(base_url), timeout=10)
    try:
        yield conn
    finally:
        conn.close()


def get(conn: http.client.HTTPConnection, path: str, method: str = "GET", **headers: str) -> http.client.HTTPResponse:
    conn.request(method, path, headers=headers)
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    return response


def closed_by_server(sock: socket.socket, wait: float = 10.0) -> bool:
    """Whether the server hangs up on ``sock`` within ``wait`` seconds, having sent nothing."""
    readable, _, _ = select.select([sock], [], [], wait)
    if not readable:
        return False
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True


# -- the read timeout ---------------------------------------------------------------------------------------


def test_a_half_sent_request_is_dropped_after_the_read_timeout() -> None:
    with RunningMirror(read_timeout=SHORT_TIMEOUT) as base_url:
        clients = [socket.create_connection(("127.0.0.1", port_of(base_url)), timeout=10) for _ in range(20)]
        for client in clients:
            client.sendall(b"GET /https/see.news/rss HTTP/1.1\r\nHost: see.news\r\n")  # no blank line: never ends
        assert all(closed_by_server(client) for client in clients)
        for client in clients:
            client.close()
        with connection(base_url) as conn:  # the server answers as before
            assert get(conn, RSS).status == 200


def test_a_request_trickled_a_byte_at_a_time_is_dropped_too() -> None:
    """Each byte comes well within the timeout: only a deadline for the whole request head stops it."""
    with (
        RunningMirror(read_timeout=SHORT_TIMEOUT) as base_url,
        socket.create_connection(("127.0.0.1", port_of(base_url)), timeout=10) as client,
    ):
        client.sendall(b"GET /https/see.news/rss HTTP/1.1\r\nX-Slow: ")
        for _ in range(200):  # 200 bytes, one each 0.1 s: 20 s, 40 timeouts
            try:
                client.sendall(b"a")
            except (BrokenPipeError, ConnectionResetError):
                break
            if closed_by_server(client, wait=0.1):
                break
        else:
            pytest.fail("the server still reads a request trickled in over 20 s")


def test_an_idle_keep_alive_connection_is_closed_after_the_read_timeout() -> None:
    with RunningMirror(read_timeout=SHORT_TIMEOUT) as base_url, connection(base_url) as conn:
        assert get(conn, RSS).status == 200
        assert conn.sock is not None and closed_by_server(conn.sock)


def test_the_read_timeout_can_be_turned_off() -> None:
    server = make_server(read_timeout=None)
    try:
        assert server.RequestHandlerClass.timeout is None
    finally:
        server.server_close()


# -- connections: the listen queue and keep-alive -----------------------------------------------------------


def test_a_burst_of_connections_is_queued_before_any_is_accepted() -> None:
    """With the old queue of 5, the 7th connection's SYN was dropped and its client waited a second to retry."""
    server = make_server()  # listening, not accepting yet
    clients = []
    try:
        for _ in range(200):
            client = socket.socket()
            client.setblocking(False)
            client.connect_ex(server.server_address[:2])
            clients.append(client)
        pending = set(clients)
        for _ in range(50):  # up to 10 s
            _, writable, _ = select.select([], list(pending), [], 0.2)
            pending -= {client for client in writable if client.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0}
            if not pending:
                break
        assert not pending, f"{len(pending)} of 200 connections not established"
    finally:
        for client in clients:
            client.close()
        server.server_close()


def test_many_answers_over_one_connection(mirror: str) -> None:
    with connection(mirror) as conn:
        conn.connect()
        sock = conn.sock
        answers = [
            get(conn, RSS),
            get(conn, RSS, **{"Accept-Encoding": "gzip"}),
            get(conn, RSS, method="HEAD"),
            get(conn, "/https/see.news/robots.txt"),
            get(conn, "/https/see.news/not-stored"),
            get(conn, "/http/see.news/rss"),  # 301
            get(conn, "/nothing"),  # not a mirror path
            get(conn, f"{RSS}?_mirror_status=503"),
            get(conn, f"{RSS}?_mirror_status=204"),
            get(conn, f"{RSS}?_mirror_status=304"),
            get(conn, f"{RSS}?_mirror_status=abc"),
            get(conn, f"{RSS}?_mirror_size=50000"),
            get(conn, RSS),
        ]
        assert conn.sock is sock, "the connection was closed and opened again"
    assert [answer.status for answer in answers] == [200, 200, 200, 200, 404, 301, 404, 503, 204, 304, 400, 200, 200]
    assert not any(answer.will_close for answer in answers)
    assert answers[0].body.startswith(b"<?xml") and answers[0].body == answers[-1].body
    assert gzip.decompress(answers[1].body) == answers[0].body
    assert answers[2].body == b"" and int(answers[2].getheader("Content-Length")) == len(answers[0].body)
    assert answers[8].body == answers[9].body == b"" and answers[8].getheader("Content-Length") is None
    assert len(answers[11].body) == 50_000


def test_answers_on_a_kept_connection_are_not_held_back_by_nagle() -> None:
    """Headers and body are two writes: with Nagle on, a reused connection's body waited for a delayed ACK (~40 ms)."""
    running = RunningMirror()
    with running as base_url, connection(base_url) as conn:
        assert get(conn, RSS).status == 200 and get(conn, RSS).status == 200
        (served,) = running.server._connections
        assert served.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


@pytest.mark.parametrize("fault", ["reset", "truncate"])
def test_connection_faults_still_hang_up_on_a_keep_alive_connection(mirror: str, fault: str) -> None:
    with connection(mirror) as conn:
        assert get(conn, RSS).status == 200
        with pytest.raises((ConnectionError, http.client.IncompleteRead)):
            get(conn, f"{RSS}?_mirror_fault={fault}")
    with connection(mirror) as conn:  # and the next connection is served
        assert get(conn, RSS).status == 200


def test_a_request_with_a_body_closes_its_connection(mirror: str) -> None:
    """The body is not read: kept open, the connection would read it as the next request."""
    with connection(mirror) as conn:
        conn.request("GET", RSS, body=b"GET /https/see.news/robots.txt HTTP/1.1\r\n\r\n")
        response = conn.getresponse()
        assert response.status == 200 and response.will_close and response.read().startswith(b"<?xml")


def test_http_1_0_clients_get_one_answer_per_connection(mirror: str) -> None:
    with socket.create_connection(("127.0.0.1", port_of(mirror)), timeout=10) as client:
        client.sendall(b"GET /https/see.news/robots.txt HTTP/1.0\r\n\r\n")
        data = b""
        while chunk := client.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200") and data.endswith(b"Disallow: /private/\n")


def test_closing_the_server_hangs_up_on_its_keep_alive_connections() -> None:
    running = RunningMirror()
    with running as base_url, connection(base_url) as conn:
        assert get(conn, RSS).status == 200
        sock = conn.sock
        running.__exit__(None, None, None)
        assert sock is not None and closed_by_server(sock)


@pytest.mark.parametrize("path", ["/https/[::1/story", "/https/see.news:99999/rss", "/https/see.news:x/rss"])
def test_a_host_no_url_parser_reads_is_a_404_not_a_dropped_connection(mirror: str, path: str) -> None:
    with connection(mirror) as conn:
        response = get(conn, path)
        assert response.status == 404 and b"use /<scheme>/<host>/<path>" in response.body
        assert get(conn, RSS).status == 200


def test_an_extra_page_that_fails_is_a_500_not_a_dropped_connection() -> None:
    def extra(url: str) -> Answer | None:
        raise RuntimeError("a broken test page")

    with RunningMirror(Mirror(extra=extra)) as base_url, connection(base_url) as conn:
        response = get(conn, RSS)
        assert response.status == 500 and response.will_close


# -- control parameters ------------------------------------------------------------------------------------

BAD_CONTROLS = [
    "_mirror_delay=nan", "_mirror_delay=-1", "_mirror_delay=inf", "_mirror_delay=1e3", "_mirror_delay=31",
    "_mirror_delay=1_0", "_mirror_status=abc", "_mirror_status=99", "_mirror_status=100", "_mirror_status=1000",
    "_mirror_status=", "_mirror_status=+500", "_mirror_status=%D9%A5%D9%A0%D9%A0",  # Arabic-Indic 500
    "_mirror_times=x", "_mirror_times=-1", "_mirror_times=", "_mirror_fault=explode", "_mirror_fault=RESET",
    "_mirror_redirect=elsewhere", "_mirror_size=abc", "_mirror_size=-5", f"_mirror_size={MAX_PADDED_SIZE + 1}",
    "_mirror_size=268435456", "_mirror_hop=2", "_mirror_status=500&_mirror_status=200",
]  # fmt: skip


@pytest.mark.parametrize("control", BAD_CONTROLS)
def test_a_bad_control_parameter_is_a_400_with_its_reason(mirror: str, control: str) -> None:
    with connection(mirror) as conn:
        response = get(conn, f"{RSS}?{control}")
        assert response.status == 400
        reason = response.body.decode()
        assert reason.startswith("mirror: _mirror_") and reason.endswith("\n") and reason.count("\n") == 1
        assert len(reason) < 200 and not response.will_close
        assert get(conn, RSS).status == 200  # and the connection goes on


@pytest.mark.parametrize("control", ["_mirror_status=abc", "_mirror_delay=nan", "_mirror_size=-1"])
def test_the_mirror_answers_400_without_the_server_too(control: str) -> None:
    assert Mirror().answer(f"https://see.news/rss?{control}")[0] == 400


def test_good_control_parameters_still_work(mirror: str) -> None:
    with connection(mirror) as conn:
        assert get(conn, f"{RSS}?_mirror_delay=0.1").status == 200
        assert get(conn, f"{RSS}?_mirror_delay=").status == 200  # empty: no delay, as before
        assert get(conn, f"{RSS}?_mirror_status=200&_mirror_times=0").status == 200
        assert get(conn, f"{RSS}?_mirror_status=599").status == 599
        assert get(conn, f"{RSS}?_mirror_fault=").status == 200  # empty: no fault, as before


def test_padding_over_download_maxsize_is_served_up_to_the_cap(mirror: str) -> None:
    """The tests need pages over DOWNLOAD_MAXSIZE (10 MB): 10.5 MB is served; over the cap is refused."""
    with connection(mirror) as conn:
        response = get(conn, f"{RSS}?_mirror_size=10500000")
        assert response.status == 200 and len(response.body) == 10_500_000 and response.body.startswith(b"<?xml")
        assert get(conn, f"{RSS}?_mirror_size={MAX_PADDED_SIZE}").status == 200
        assert get(conn, f"{RSS}?_mirror_size={MAX_PADDED_SIZE + 1}").status == 400


def test_copies_out_of_range_are_not_stored() -> None:
    mirror = Mirror(copies=2)
    article = mirror.articles_by_host["see.news"][0]
    assert mirror.answer(f"{article}?copy=2")[0] == 200
    for copy in ("0", "3", "x", "-1", ""):
        assert mirror.answer(f"{article}?copy={copy}")[0] == 404


# -- files outside snapshots/ ------------------------------------------------------------------------------


@pytest.fixture
def linked_snapshots(tmp_path: Path) -> Path:
    return snapshots_linking_out(tmp_path)


def test_a_page_linked_out_of_the_snapshots_is_not_served(linked_snapshots: Path) -> None:
    with RunningMirror(Mirror(linked_snapshots)) as base_url, connection(base_url) as conn:
        assert get(conn, "/https/news.example/ordinary").body == b"<p>stored</p>"
        assert get(conn, "/https/news.example/linked-in").body == b"<p>stored</p>"  # a link inside is fine
        for name in ("linked-out", "whole-folder"):
            response = get(conn, f"/https/news.example/{name}")
            assert response.status == 404 and b"machine" not in response.body
        assert get(conn, "/https/news.example/no-page").status == 404  # a case without its page: a 404, not a crash


@pytest.mark.parametrize("arguments", [["--read-timeout", "-1"], ["--read-timeout", "nan"], ["--port", "70000"],
                                       ["--snapshots", "/no/such/folder"]])  # fmt: skip
def test_a_bad_command_line_is_one_line_and_exit_2(arguments: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "crawler.tools.mirror", *arguments], cwd=ROOT,
                            capture_output=True, text=True, timeout=30)  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert ": error: " in result.stderr.strip().splitlines()[-1]  # argparse's one line, after the usage


def test_a_port_already_taken_is_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "crawler.tools.mirror", "--port", str(port)], cwd=ROOT,
                                capture_output=True, text=True, timeout=30)  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"mirror: cannot listen on 127.0.0.1:{port}: Address already in use"
