"""The README's commands, run as a new user runs them: in the order written, twice each.

The first two are the ones CI runs.  The rest are run here in a copy of the
project whose ``.venv`` is the interpreter running the tests, so that each
command is the README's text, unchanged but for the mirror's port (a free
one instead of 8080).  Running a command again must give the same items.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.needs import missing

ROOT = Path(__file__).resolve().parent.parent
#: Fields that say when, not what: a second run fetches again.
VOLATILE_FIELDS = ("fetched_at",)


def readme_blocks() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.DOTALL)


def readme_commands() -> list[str]:
    return readme_blocks()[:2]


def test_readme_opens_with_two_commands_that_ci_runs() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    assert "scrapy crawl" in commands[0] and "SCRAPY_PROJECT=replay" in commands[0]
    assert "pytest" in commands[1]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in commands:
        assert command in ci_lines


# --- the commands, run twice ---------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The project as a fresh clone has it, with the tests' interpreter as its ``.venv``."""
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy(ROOT / "scrapy.cfg", copy)
    for folder in ("settings", "spiders", "snapshots"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    if not (Path(sys.prefix) / "bin" / "scrapy").exists():
        missing("the tests do not run from the project's virtual environment (.venv/bin/python -m pytest does)")
    (copy / ".venv").symlink_to(sys.prefix)
    return copy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def shell(project: Path, command: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("SCRAPY_")}
    return subprocess.run(["bash", "-c", command], cwd=project, env=env, capture_output=True, text=True, timeout=300)


def items(path: Path) -> list[dict[str, object]]:
    read = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for item in read:
        for name in VOLATILE_FIELDS:
            item.pop(name, None)
    return sorted(read, key=lambda item: str(item.get("url")))


def test_the_first_command_and_the_export_give_the_same_items_every_time(project: Path) -> None:
    crawl = readme_commands()[0].split(" && ")[-1]  # the crawl itself: the venv is there already
    export = next(block for block in readme_blocks() if "scrapy export" in block).split("  #")[0].strip()
    feed = project / re.findall(r"-o (\S+)", export)[0]
    runs = []
    for _ in range(2):
        done = shell(project, crawl)
        assert done.returncode == 0, done.stderr[-2000:]
        crawled = items(project / "items.jsonl")
        done = shell(project, export)
        assert done.returncode == 0, done.stderr[-2000:]
        runs.append((crawled, items(feed)))
    crawled, exported = runs[0]
    assert len(crawled) == 2 and exported
    assert runs[1] == runs[0]


@pytest.fixture
def mirror_port(project: Path) -> Iterator[int]:
    port = free_port()
    yield port
    # The README starts the mirror in the background; whatever the test did, it stops here.
    if shutil.which("pkill"):
        subprocess.run(["pkill", "-f", f"crawler.tools.mirror --port {port}"], check=False)


def test_the_mirror_commands_work_as_written(project: Path, mirror_port: int) -> None:
    """Each command of the mirror block succeeds and writes items.

    Run once: each crawl waits the sites' own crawl delays (a second per request, live settings), so
    a second run would cost half a minute; that a mirror crawl writes the same items every time is
    tested with the delays off in tests/crawler/tools/test_mirror.py.
    """
    block = next(block for block in readme_blocks() if "crawler.tools.mirror" in block)
    lines = [line.split("  #")[0].strip() for line in block.replace("8080", str(mirror_port)).splitlines()]
    start, commands = lines[0], lines[1:]
    assert start.endswith("&")
    server = subprocess.Popen(["bash", "-c", start.rstrip("&").strip()], cwd=project)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", mirror_port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the mirror did not start"
                time.sleep(0.1)
        outputs: dict[str, list[dict[str, object]]] = {}
        for command in commands:
            done = shell(project, command)
            assert done.returncode == 0, f"{command}\n{done.stderr[-2000:]}"
        for feed in sorted(project.glob("*.jsonl")) + sorted(project.glob("feeds/*.jsonl")):
            outputs[str(feed.relative_to(project))] = items(feed)
        assert len(outputs) == 5, sorted(outputs)  # see.jsonl and one feed per site
        assert all(outputs.values()), {name: len(found) for name, found in outputs.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)
