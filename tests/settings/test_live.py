"""The live settings: what a crawl of the real sites opens on the machine it runs on."""

from __future__ import annotations

from tests.inprocess import run_scrapy


def live_setting(name: str) -> str:
    """``scrapy settings --get NAME`` with no SCRAPY_PROJECT: the live settings (in the test process)."""
    result = run_scrapy("settings", "--get", name)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_no_telnet_console_listens_during_a_live_crawl() -> None:
    # Scrapy's console would listen on 127.0.0.1 and write its password to the log; nothing here uses it.
    assert live_setting("TELNETCONSOLE_ENABLED") == "False"
    assert live_setting("ROBOTSTXT_OBEY") == "True"


def test_no_remote_control_server_runs_code_during_a_live_crawl() -> None:
    # Scrapy 2.19's remote control listens on 127.0.0.1 and executes the Python it is sent with a token.
    assert live_setting("REMOTE_CONTROL_ENABLED") == "False"
