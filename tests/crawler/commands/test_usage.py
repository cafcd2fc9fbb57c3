"""Every project command: a usage mistake is one line on stderr and exit status 2, before Scrapy starts."""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

import pytest
from scrapy.cmdline import execute

ROOT = Path(__file__).resolve().parents[3]


def run_scrapy(*argv: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """``scrapy ARGV...`` in this process, from the project folder; its exit status, stdout and stderr."""
    monkeypatch.chdir(ROOT)
    with mock.patch.dict(os.environ, clear=False):  # Scrapy puts the project's settings module in it
        os.environ.pop("SCRAPY_PROJECT", None)
        os.environ.pop("SCRAPY_SETTINGS_MODULE", None)
        with pytest.raises(SystemExit) as exited:
            execute(["scrapy", *argv])
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["crawl"], "crawl: give one spider name"),
        (["crawl", "almayadeen", "sadaelbalad"], "crawl: scrapy crawl runs one spider at a time"),
        (
            ["crawl", "nosuch"],
            "crawl: no spider named 'nosuch'; the spiders are: aljazeera, almayadeen, persian_aggregator, sadaelbalad",
        ),
        (["crawl", "almayadeen", "--ouptut", "x.jsonl"], "crawl: unknown option --ouptut (scrapy crawl -h lists them)"),
        (["crawl", "almayadeen", "-a"], "crawl: argument -a: expected one argument"),
        (
            ["crawlall", "almayadeen"],
            "crawlall: crawlall takes no spider names, it crawls every site (given: almayadeen)",
        ),
        (["crawlall", "--bogus"], "crawlall: unknown option --bogus (scrapy crawlall -h lists them)"),
        (["export", "--sice", "2021-01-01"], "export: unknown option --sice (scrapy export -h lists them)"),
        (["extract"], "extract: give one file or URL"),
        (["newsite", "example"], "newsite: give NAME and DOMAIN"),
        (["savefixture"], "savefixture: give one URL"),
        (["drift", "--bogus"], "drift: unknown option --bogus (scrapy drift -h lists them)"),
        (["seed", "--bogus"], "seed: unknown option --bogus (scrapy seed -h lists them)"),
    ],
)
def test_a_usage_mistake_is_one_line_and_exit_status_2(
    argv: list[str], line: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, stdout, stderr = run_scrapy(*argv, capsys=capsys, monkeypatch=monkeypatch)
    assert (status, stdout, stderr) == (2, "", line + "\n")


def test_help_is_still_the_full_help(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    status, stdout, _ = run_scrapy("crawl", "-h", capsys=capsys, monkeypatch=monkeypatch)
    assert status == 0
    assert "scrapy crawl [options] <spider>" in stdout and "--output" in stdout
