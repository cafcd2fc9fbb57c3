"""benchmarks/generic_accuracy.py as a command: tiny synthetic data folders, never the shared benchmarks.

The benchmark runs for minutes on real data; these check only what a user meets first: both folder layouts
are recognised and scored, and a bad path or a closed pipe is one line and exit 2, not a traceback.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.benchmarks.pipes import closed_pipe_stderr
from tests.benchmarks.terminal import run_in_terminal

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "generic_accuracy.py"

BODY = (
    "The council voted on Tuesday to rebuild the old bridge across the river before winter. "
    "Engineers said the work would take four months and cost less than first feared. "
) * 4
HTML = (
    f"<html><head><title>Bridge vote</title></head><body><nav>Home News Sport</nav>"
    f"<article><h1>Bridge vote</h1><p>{BODY}</p><p>{BODY}</p></article>"
    f"<footer>Copyright</footer></body></html>"
)


def _write_html(folder: Path, page_id: str) -> None:
    (folder / "html").mkdir(parents=True, exist_ok=True)
    (folder / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(HTML.encode()))


def make_aeb(folder: Path) -> Path:
    _write_html(folder, "abc123")
    truth = {"abc123": {"url": "https://news.example/bridge", "articleBody": f"{BODY}\n\n{BODY}"}}
    (folder / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return folder


def make_wcxb(folder: Path) -> Path:
    _write_html(folder, "0001")
    (folder / "ground-truth").mkdir(parents=True)
    entry = {"url": "https://blog.example/bridge", "ground_truth": {"main_content": f"Bridge vote\n\n{BODY}"}}
    (folder / "ground-truth" / "0001.json").write_text(json.dumps(entry), encoding="utf-8")
    metadata = {"files": {"0001": {"domain": "blog.example"}}}
    (folder / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    return folder


def run(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, arguments)], check=False, capture_output=True, text=True, timeout=120
    )


def test_scores_both_layouts_side_by_side(tmp_path: Path) -> None:
    aeb, wcxb = make_aeb(tmp_path / "aeb"), make_wcxb(tmp_path / "wcxb")
    done = run("--aeb", aeb, "--wcxb", wcxb, "--repeat", "1", "--only-ours")
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines()]
    assert any(row[:3] == ["AEB", "newsframe", "generic"] for row in rows)
    assert any(row[:3] == ["WCXB-dev", "newsframe", "generic"] for row in rows)
    assert "Traceback" not in done.stderr
    # The one page's body came from the scored finder, and the count says so under each set's rows.
    assert "AEB        newsframe body from: main 1" in done.stdout.splitlines()
    assert done.stderr == ""  # no progress line on a pipe


def test_shows_progress_in_a_terminal_and_the_same_figures(tmp_path: Path) -> None:
    done = run_in_terminal(SCRIPT, "--aeb", str(make_aeb(tmp_path / "aeb")), "--repeat", "2", "--only-ours")
    assert done.returncode == 0, done.stderr
    draws = done.stderr.split("\r")
    assert "generic_accuracy: AEB, newsframe generic: 1/2 pages" in draws  # the first page of two passes
    assert "generic_accuracy: body paths: 1/1 pages" in draws
    assert draws[-1] == "" and draws[-2].strip() == ""  # wiped before the figures
    assert "AEB        newsframe body from: main 1" in done.stdout.splitlines()


def test_detects_layout_of_a_plain_folder_argument(tmp_path: Path) -> None:
    done = run(make_wcxb(tmp_path / "some-folder"), "--repeat", "1", "--only-ours")
    assert done.returncode == 0, done.stderr
    assert any(line.startswith("WCXB-dev") for line in done.stdout.splitlines())


@pytest.mark.parametrize(
    "arguments",
    [
        (),
        ("--aeb", "{missing}"),
        ("--wcxb", "{missing}"),
        ("{empty}",),
        ("--aeb", "{wcxb}"),
    ],
)
def test_bad_or_missing_folder_is_one_line_and_exit_2(tmp_path: Path, arguments: tuple[str, ...]) -> None:
    (tmp_path / "empty").mkdir()
    places = {"missing": tmp_path / "missing", "empty": tmp_path / "empty", "wcxb": make_wcxb(tmp_path / "w")}
    done = run(*(argument.format(**places) for argument in arguments))
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_closed_pipe_is_one_line_and_exit_2(tmp_path: Path) -> None:
    closed_pipe_stderr(SCRIPT, "--aeb", str(make_aeb(tmp_path / "aeb")), "--repeat", "1", "--only-ours")
