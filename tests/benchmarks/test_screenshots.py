"""benchmarks/screenshots.py: the README's pictures of a crawl report and of the review, from a real browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.needs import missing

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "screenshots.py"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_a_report_and_one_review_per_site_are_saved_as_pngs(tmp_path: Path) -> None:
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        missing("no chromium and chromedriver (Debian: apt-get install chromium chromium-driver)")
    done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    names = sorted(Path(line).name for line in done.stdout.splitlines())
    assert names == ["report.png", "review-aljazeera.png", "review-almayadeen.png", "review-persian_aggregator.png",
                     "review-sadaelbalad.png"]  # fmt: skip
    for name in names:
        assert (tmp_path / name).read_bytes()[:8] == PNG_MAGIC


def test_without_a_browser_it_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path)}  # python is called by its path; no chromium on this PATH
    done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path / "out")], capture_output=True,
                          text=True, timeout=300, env=env)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "screenshots: no chromium and chromedriver (Debian: apt-get install chromium chromium-driver)"
    ]
    assert not list((tmp_path / "out").glob("*.png"))
