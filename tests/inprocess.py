"""``scrapy <command>`` run inside the test process: the same code path, without a new interpreter each time.

A ``python -m scrapy`` subprocess spends 1.5-2 s starting Python and importing
Scrapy before it crawls a page; replayed crawls take a fraction of that.  Here
:func:`run_scrapy` calls Scrapy's own ``scrapy.cmdline.execute`` (the project's
commands, their option checks, usage errors and exit statuses) with one part
swapped: the crawler process.  Twisted's reactor cannot be started twice, so
:func:`start_reactor` starts it once, in a daemon thread, and
:class:`ReactorThreadProcess` runs each command's crawls on it while the test
waits.  What the subprocess had of its own is given to each run and taken
back after it: the environment, ``sys.argv``/``sys.path``, stdout and stderr
(read back as text), Scrapy's logging set-up, and modules imported from
outside the project (a test's own spider file).

Keep a real subprocess where the process is the point: SIGKILL, a full disk
(``RLIMIT_FSIZE``), a closed stdout (SIGPIPE), several crawls at once; and for
``scrapy check``/``fetch``/``parse``, which rewrite the spider classes they run.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.crawler import AsyncCrawlerRunner, Crawler
from scrapy.settings import Settings
from scrapy.utils import log as scrapy_log
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.reactor import install_reactor, is_asyncio_reactor_installed, is_reactor_installed

ROOT = Path(__file__).resolve().parents[1]

#: What ``scrapy`` itself installs (settings/base.py keeps Scrapy's default): the asyncio reactor.
REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
#: A command that runs longer than this is stopped, as the subprocesses' ``timeout=`` did.
TIMEOUT_SECONDS = 300.0

_reactor_thread: threading.Thread | None = None


def start_reactor() -> None:
    """Install the asyncio reactor and run it in a daemon thread, once per test session.

    Started when the session starts (tests/conftest.py), not on the first
    crawl: ``scrapy.utils.test.get_crawler`` builds a different crawler when
    a reactor is installed, and a test must not depend on which ran first.
    """
    global _reactor_thread  # noqa: PLW0603
    if _reactor_thread is not None:
        return
    if not is_reactor_installed():
        install_reactor(REACTOR)
    if not is_asyncio_reactor_installed():
        raise RuntimeError(f"another reactor than {REACTOR} is installed: in-process crawls need that one")
    from twisted.internet import reactor

    _reactor_thread = threading.Thread(
        target=reactor.run, kwargs={"installSignalHandlers": False}, name="twisted-reactor", daemon=True
    )
    _reactor_thread.start()
    # The reactor's event loop belongs to its thread now; this thread keeps none, as after an ``asyncio.run``.
    asyncio.set_event_loop(None)


def stop_reactor() -> None:
    """Stop the session's reactor (at the end of the session), waiting a little for its thread."""
    global _reactor_thread  # noqa: PLW0603
    if _reactor_thread is None:
        return
    from twisted.internet import reactor

    reactor.callFromThread(reactor.stop)
    _reactor_thread.join(timeout=10)
    _reactor_thread = None


def _in_reactor(function: Any, timeout: float) -> Any:
    """``function()`` called in the reactor thread; its result, or the result of the Deferred it returns."""
    from twisted.internet import defer, reactor

    if _reactor_thread is None or not _reactor_thread.is_alive():
        raise RuntimeError("the reactor thread is not running (tests/conftest.py starts it)")
    done: Future[Any] = Future()

    def call() -> None:
        result = defer.maybeDeferred(function)
        result.addCallbacks(done.set_result, lambda failure: done.set_exception(failure.value))

    reactor.callFromThread(call)
    return done.result(timeout=timeout)


class ReactorThreadProcess(AsyncCrawlerRunner):
    """What a command uses of ``AsyncCrawlerProcess`` (``crawl``, ``start``), crawling on the session's reactor.

    ``scrapy`` runs its commands with ``AsyncCrawlerProcess`` under the asyncio
    reactor; this is its runner with ``start`` waiting for the crawls on the
    reactor thread instead of running a reactor of its own, and the logging
    set-up of its ``__init__`` (the root handler, the banner).
    """

    def __init__(self, settings: dict[str, Any] | Settings | None = None) -> None:
        super().__init__(settings)
        if self.settings.getbool("LOG_INSTALL_ROOT_HANDLER"):
            scrapy_log.install_scrapy_root_handler(self.settings)
        scrapy_log.log_scrapy_info(self.settings)
        self._queued: list[tuple[Crawler, tuple[Any, ...], dict[str, Any]]] = []
        self.finished_crawlers: list[Crawler] = []

    def crawl(self, crawler_or_spidercls: Any, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Queued until ``start``: the runner's ``crawl`` makes an asyncio task, in the reactor thread only."""
        self._queued.append((self.create_crawler(crawler_or_spidercls), args, kwargs))

    def start(self, stop_after_crawl: bool = True, install_signal_handlers: bool = True) -> None:
        queued, self._queued = self._queued, []
        self.finished_crawlers += [crawler for crawler, _, _ in queued]
        if not queued:
            return

        def run() -> Any:
            from twisted.internet.defer import Deferred

            self._setup_reactor()
            tasks = [AsyncCrawlerRunner.crawl(self, crawler, *args, **kwargs) for crawler, args, kwargs in queued]
            return Deferred.fromFuture(asyncio.ensure_future(self._join(tasks)))

        try:
            _in_reactor(run, TIMEOUT_SECONDS)
        except FutureTimeout:
            from scrapy.utils.defer import deferred_from_coro

            _in_reactor(lambda: deferred_from_coro(self.stop()), 60)
            raise AssertionError(f"the crawl did not end in {TIMEOUT_SECONDS:g} s; stopped") from None

    def _setup_reactor(self) -> None:
        """The DNS resolver and thread pool size of these settings, as ``CrawlerProcessBase._setup_reactor`` sets them.

        Not its shutdown triggers or signal handlers: the reactor outlives this process.
        """
        from twisted.internet import reactor

        resolver_class = load_object(self.settings["TWISTED_DNS_RESOLVER"])
        build_from_crawler(resolver_class, self, reactor=reactor).install_on_reactor()  # type: ignore[call-overload]
        reactor.getThreadPool().adjustPoolsize(maxthreads=self.settings.getint("REACTOR_THREADPOOL_MAXSIZE"))

    async def _join(self, tasks: list[asyncio.Task[None]]) -> None:
        """Every crawl done; a crawl that raised is reported as asyncio reports a task nobody awaited.

        In ``scrapy`` that report comes when the task is collected, before the
        process ends; here it is made at once, into this command's stderr.
        """
        await self.join()
        loop = asyncio.get_running_loop()
        for task in tasks:
            if not task.cancelled() and task.exception() is not None:
                loop.call_exception_handler(
                    {"message": "Task exception was never retrieved", "exception": task.exception(), "future": task}
                )


@dataclass
class ScrapyRun:
    """What ``scrapy <command>`` left: exit status, output, and the crawlers it ran (their stats are read there)."""

    returncode: int
    stdout: str
    stderr: str
    crawlers: list[Crawler] | None = None  # None: a subprocess's, gone with it

    def stats(self, spider: str | None = None) -> dict[str, Any] | None:
        """The stats of the command's crawl (of ``spider``, when it ran several); ``None`` from a subprocess."""
        if self.crawlers is None:
            return None
        found = [crawler for crawler in self.crawlers if spider is None or crawler.spidercls.name == spider]
        assert len(found) == 1, f"{len(found)} crawls of {spider or 'any spider'}"
        return found[0].stats.get_stats()

    def stat(self, key: str) -> int | None:
        """A counter of the command's one crawl: from its crawler, or from a subprocess's stats dump."""
        stats = self.stats()
        if stats is None:
            return stat_from_log(self.stderr, key)
        value = stats.get(key)
        return None if value is None else int(value)


def stat_from_log(log: str, key: str) -> int | None:
    """A counter from the stats dump Scrapy logs at the end of a crawl (a subprocess's only account of it)."""
    marker = f"'{key}': "
    for line in log.splitlines():
        if marker in line:
            return int(line.split(marker, 1)[1].rstrip(",}"))
    return None


class _Output(io.TextIOWrapper):
    """A stream like a process's stdout or stderr: text, with the bytes under it at ``.buffer``."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8", errors="backslashreplace", write_through=True)

    def text(self) -> str:
        self.flush()
        raw = self.buffer.getvalue()  # type: ignore[attr-defined]
        return raw.decode("utf-8", errors="replace")

    def isatty(self) -> bool:
        return False


@contextmanager
def _process_state(argv: Sequence[str], env: Mapping[str, str | None], python_path: Sequence[Path]) -> Iterator[None]:
    """The environment, ``sys.argv`` and ``sys.path`` a ``python -m scrapy`` subprocess would have, then back."""
    saved_environ, saved_argv, saved_path = dict(os.environ), sys.argv, list(sys.path)
    saved_modules = set(sys.modules)
    cwd = os.getcwd()
    settings_modules: set[str] = set()
    saved_settings: dict[str, Any] = {}
    try:
        for key, value in env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        import scrapy

        sys.argv = [str(Path(scrapy.__file__).with_name("__main__.py")), *argv]
        sys.path[:0] = [str(path) for path in python_path]
        os.chdir(ROOT)
        # A settings module reads the environment as it is imported (settings/distributed.py): imported anew.
        settings_modules = _settings_modules()
        saved_settings = {name: sys.modules.pop(name) for name in settings_modules if name in sys.modules}
        yield
    finally:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(saved_environ)
        sys.argv, sys.path[:] = saved_argv, saved_path
        for name in set(sys.modules) - saved_modules:
            if _is_outside_the_installation(sys.modules[name]):
                del sys.modules[name]  # a test's spider file: the next test's file of that name is another
        for name in settings_modules:
            sys.modules.pop(name, None)
        for name, module in saved_settings.items():
            sys.modules[name] = module
            package, _, attribute = name.rpartition(".")
            if package in sys.modules:
                setattr(sys.modules[package], attribute, module)


def _settings_modules() -> set[str]:
    """The settings modules scrapy.cfg names (settings.live, settings.replay...)."""
    from scrapy.utils.conf import get_config

    config = get_config()
    return set(config["settings"].values()) if config.has_section("settings") else set()


def _is_outside_the_installation(module: Any) -> bool:
    path = getattr(module, "__file__", None)
    if not path:
        return False
    where = Path(path).resolve()
    homes = {Path(prefix).resolve() for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix)} | {ROOT}
    return not any(where.is_relative_to(home) for home in homes)


#: The loggers ``scrapy.utils.log.configure_logging`` sets a level on (DEFAULT_LOGGING), put back after each run.
_CONFIGURED_LOGGERS = tuple(scrapy_log.DEFAULT_LOGGING["loggers"])  # type: ignore[index]


@contextmanager
def _scrapy_logging(stdout: _Output, stderr: _Output) -> Iterator[None]:
    """What ``configure_logging`` does for a ``scrapy`` process, for one run; stdout and stderr into buffers.

    Warnings and Twisted's log go through ``logging``, Scrapy's loggers get
    their levels; the root handler (installed by :class:`ReactorThreadProcess`,
    writing to ``sys.stderr`` as it is then: the buffer) is removed after.
    """
    from twisted.python import log as twisted_log

    root = logging.getLogger()
    saved_levels = {name: logging.getLogger(name).level for name in _CONFIGURED_LOGGERS}
    saved_root_level = root.level
    saved_stdout, saved_stderr = sys.stdout, sys.stderr
    capture_warnings = not sys.warnoptions and logging._warnings_showwarning is None  # type: ignore[attr-defined]
    observer = twisted_log.PythonLoggingObserver("twisted")
    sys.stdout, sys.stderr = stdout, stderr
    try:
        if capture_warnings:
            logging.captureWarnings(True)
        observer.start()
        for name, config in scrapy_log.DEFAULT_LOGGING["loggers"].items():  # type: ignore[index]
            logging.getLogger(name).setLevel(config["level"])
        yield
    finally:
        scrapy_log._uninstall_scrapy_root_handler()
        observer.stop()
        if capture_warnings:
            logging.captureWarnings(False)
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)
        root.setLevel(saved_root_level)
        sys.stdout, sys.stderr = saved_stdout, saved_stderr


#: Scrapy's commands that set ``start`` on the spider classes for good: in this process, every later crawl of
#: those spiders would start as the command's did.
PATCHING_COMMANDS = frozenset({"check", "fetch", "parse"})

#: ``NEWSFRAME_TEST_CRAWLS=subprocess`` runs every :func:`run_scrapy` as a subprocess again, to compare the two.
IN_PROCESS = os.environ.get("NEWSFRAME_TEST_CRAWLS", "in-process") != "subprocess"


@contextmanager
def scrapy_logging_left_as_found() -> Iterator[None]:
    """Undo what ``configure_logging`` left after a block: Scrapy's root handler, the logging levels, warnings.

    ``scrapy.cmdline.execute`` run in this process with Scrapy's own crawler
    process (a usage mistake found after it exists) installs a root handler
    and lowers the root level for good: every later test would log Scrapy's
    lines to stderr and see them in its ``caplog``.
    """
    root = logging.getLogger()
    had_handler = scrapy_log.get_scrapy_root_handler() is not None
    root_level = root.level
    levels = {name: logging.getLogger(name).level for name in _CONFIGURED_LOGGERS}
    warnings_captured = logging._warnings_showwarning is not None  # type: ignore[attr-defined]
    try:
        yield
    finally:
        if not had_handler:
            scrapy_log._uninstall_scrapy_root_handler()
        root.setLevel(root_level)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
        if not warnings_captured:
            logging.captureWarnings(False)


def run_scrapy(
    *argv: str,
    project: str | None = None,
    env: Mapping[str, str | None] | None = None,
    python_path: Sequence[Path] = (),
) -> ScrapyRun:
    """``python -m scrapy *argv`` in the project folder: exit status, stdout, stderr, and the crawlers it ran.

    ``project`` is ``SCRAPY_PROJECT`` (``None``: unset, the live settings);
    ``env`` sets (or, with ``None``, unsets) more variables; ``python_path``
    comes first on the module search path, as ``PYTHONPATH`` does.  In this
    process unless ``NEWSFRAME_TEST_CRAWLS=subprocess``.
    """
    if argv and argv[0] in PATCHING_COMMANDS:
        raise ValueError(f"scrapy {argv[0]} rewrites the spider classes' start(): run it with run_scrapy_subprocess")
    if not IN_PROCESS:
        return run_scrapy_subprocess(*argv, project=project, env=env, python_path=python_path)
    from scrapy import cmdline

    processes: list[ReactorThreadProcess] = []

    class Process(ReactorThreadProcess):
        def __init__(self, settings: Settings, install_root_handler: bool | None = None) -> None:
            super().__init__(settings)
            processes.append(self)

    stdout, stderr = _Output(), _Output()
    variables = {**_scrapy_variables(project), **(env or {})}
    saved = cmdline.AsyncCrawlerProcess, cmdline.CrawlerProcess
    with _process_state(argv, variables, python_path), _scrapy_logging(stdout, stderr):
        cmdline.AsyncCrawlerProcess = cmdline.CrawlerProcess = Process  # type: ignore[misc,assignment]
        try:
            cmdline.execute(["scrapy", *argv])
            returncode = 0
        except SystemExit as exit_:
            returncode = _exit_status(exit_.code)
        finally:
            cmdline.AsyncCrawlerProcess, cmdline.CrawlerProcess = saved  # type: ignore[misc]
    crawlers = [crawler for process in processes for crawler in process.finished_crawlers]
    return ScrapyRun(returncode=returncode, stdout=stdout.text(), stderr=stderr.text(), crawlers=crawlers)


def run_scrapy_subprocess(
    *argv: str,
    project: str | None = None,
    env: Mapping[str, str | None] | None = None,
    python_path: Sequence[Path] = (),
    timeout: float = TIMEOUT_SECONDS,
    **popen: Any,
) -> ScrapyRun:
    """``python -m scrapy *argv`` as a real subprocess: for a test where the process is the point.

    ``popen`` goes to ``subprocess.run`` (``preexec_fn=``, ``stdout=``...);
    no crawler comes back, so a crawl's stats are read from its log.
    """
    variables = {**os.environ, **_scrapy_variables(project), **(env or {})}
    if python_path:
        variables["PYTHONPATH"] = os.pathsep.join(
            [*map(str, python_path), *filter(None, [os.environ.get("PYTHONPATH")])]
        )
    popen = {"capture_output": True, **popen} if "stdout" not in popen and "stderr" not in popen else popen
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", *argv],
        cwd=ROOT, env={key: value for key, value in variables.items() if value is not None}, text=True,
        timeout=timeout, **popen,
    )  # fmt: skip
    return ScrapyRun(returncode=result.returncode, stdout=result.stdout or "", stderr=result.stderr or "")


def _scrapy_variables(project: str | None) -> dict[str, str | None]:
    """The settings are named by ``SCRAPY_PROJECT`` alone: never by a ``SCRAPY_SETTINGS_MODULE`` left over."""
    return {"SCRAPY_PROJECT": project, "SCRAPY_SETTINGS_MODULE": None}


def _exit_status(code: object) -> int:
    """As Python turns ``sys.exit(code)`` into a process's exit status."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
