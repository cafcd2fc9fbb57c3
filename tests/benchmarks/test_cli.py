"""What every benchmark shares (benchmarks/cli.py): a mistake is one line and exit 2; progress only in a terminal."""

from __future__ import annotations

import gzip
import io
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.benchmarks.terminal import read_to_end, run_in_terminal
from tests.needs import missing

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from cli import Progress

#: Every benchmark command, with an argument value it must refuse.
BAD_VALUES = {
    "generic_accuracy.py": ("--repeat", "0"),
    "metadata_accuracy.py": ("--worst", "many"),
    "fuzz_extract.py": ("--count", "0"),
    "extract_speed.py": ("--rounds", "0"),
    "pipeline_speed.py": ("--items", "-3"),
    "crawl_speed.py": ("--copies", "-1"),
    "distributed_speed.py": ("--copies", "x"),
    "screenshots.py": ("--out", os.devnull),
    "reextract_speed.py": ("--rounds", "0"),
}


def run(script: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCHMARKS / script), *arguments], check=False, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


def test_every_benchmark_is_listed() -> None:
    assert set(BAD_VALUES) == {path.name for path in BENCHMARKS.glob("*.py")} - {"cli.py"}


@pytest.mark.parametrize("script", sorted(BAD_VALUES))
def test_a_bad_argument_is_one_line_and_exit_2(script: str) -> None:
    for arguments in (BAD_VALUES[script], ("--no-such-option",)):
        done = run(script, *arguments)
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""
        assert "Traceback" not in done.stderr and "usage:" not in done.stderr
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith(f"{script.removesuffix('.py')}: ") and line.endswith("; see --help")
        assert arguments[0] in line


def test_fuzz_progress_shows_in_a_terminal_and_is_wiped_at_the_end() -> None:
    done = run_in_terminal(BENCHMARKS / "fuzz_extract.py", "--count", "20")
    assert done.returncode == 0
    assert done.stdout.startswith("inputs 20  seed 1  crashes 0")
    draws = done.stderr.split("\r")
    assert "fuzz_extract: 1/20 inputs, 0 crashes" in draws  # the first input at once; later ones as time passes
    assert draws[-1] == "" and draws[-2].strip() == ""  # blanked, so the figures on stdout stand alone


def test_fuzz_progress_stays_off_a_pipe() -> None:
    done = run("fuzz_extract.py", "--count", "20")
    assert done.returncode == 0 and done.stderr == ""


def test_progress_draws_the_first_update_then_at_most_every_interval() -> None:
    controller, terminal = pty.openpty()
    with os.fdopen(terminal, "w") as stream, Progress("task", 3, "pages", stream=stream, every=3600) as progress:
        progress.advance()
        progress.advance(note="not redrawn within the hour")
        progress.clear()  # e.g. before a crash is printed: the next update draws at once
        progress.advance(note="again")
    written = read_to_end(controller).decode()
    assert written.split("\r") == ["", "task: 1/3 pages", " " * 15, "", "task: 3/3 pages, again", " " * 22, ""]


def test_progress_writes_nothing_where_no_one_watches() -> None:
    stream = io.StringIO()  # a pipe or a file: isatty() is false
    with Progress("task", 3, stream=stream) as progress:
        progress.advance(3)
    assert stream.getvalue() == "" and progress.done == 3


def test_crawl_speed_on_a_small_mirror_prints_its_figures_and_nothing_on_stderr() -> None:
    done = run("crawl_speed.py", "--copies", "0", "--rounds", "2")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[1].startswith("CPU per page of each of 2 rounds")
    assert lines[2].startswith("round 1: bare ") and lines[3].startswith("round 2: bare ")
    assert lines[4].startswith("full crawl") and lines[5].startswith("bare download")
    assert lines[6].startswith("failed connection attempts: full ") and lines[7].startswith("full / bare")


def test_distributed_speed_prints_every_round_and_the_least_cpu_of_each_side() -> None:
    if shutil.which("redis-server") is None:
        missing("no redis-server binary on PATH (apt-get install redis-server)")
    done = run("distributed_speed.py", "--copies", "0", "--rounds", "2")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[1].startswith("round 1: local ") and lines[2].startswith("round 2: local ")
    rounds = [
        (float(line.split("local ")[1].split(" ms")[0]), float(line.split("Redis ")[1].split(" ms")[0]))
        for line in lines[1:3]
    ]
    figure = lines[3]
    assert figure.startswith("CPU per page, least of 2 side-by-side rounds: local scheduler ")
    assert float(figure.split("local scheduler ")[1].split(" ms")[0]) == min(local for local, _ in rounds)
    assert float(figure.split("through Redis ")[1].split(" ms")[0]) == min(redis for _, redis in rounds)
    assert lines[4].startswith("Redis round trips per page, one worker: ")
    assert lines[-1].startswith("local / redis, CPU per page: ")


def test_extract_speed_times_a_folder_of_pages_next_to_the_stored_ones(tmp_path: Path) -> None:
    page = (
        "<html><body><article><h1>A headline</h1><p>"
        + "A sentence of the story. " * 40
        + "</p></article></body></html>"
    )
    (tmp_path / "one.html").write_text(page, encoding="utf-8")
    (tmp_path / "two.html.gz").write_bytes(gzip.compress(page.encode("utf-8")))
    (tmp_path / "notes.txt").write_text("not a page", encoding="utf-8")
    done = run("extract_speed.py", "--rounds", "1", "--repeat", "1", "--pages", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "pages: 15 stored article pages" in done.stdout
    assert "pages: 11 of them whose body the site's rules read" in done.stdout
    assert "pages: 4 of them whose body the generic path reads" in done.stdout
    assert f"pages: 2 pages of {tmp_path}," in done.stdout
    assert done.stdout.count("extract costs ") == 4


@pytest.mark.parametrize("make", ["missing", "empty", "a file", "bad gzip"])
def test_extract_speed_refuses_a_folder_it_cannot_time_in_one_line(tmp_path: Path, make: str) -> None:
    folder = tmp_path / "pages"
    if make == "a file":
        folder.write_text("x", encoding="utf-8")
    elif make != "missing":
        folder.mkdir()
    if make == "bad gzip":
        (folder / "page.html.gz").write_bytes(b"not gzip")
    done = run("extract_speed.py", "--rounds", "1", "--pages", str(folder))
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("extract_speed: ")
