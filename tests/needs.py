"""A test that needs something this machine lacks: skipped with the reason, or failed in CI.

Real servers and tools (redis-server, PostgreSQL, Chromium, the project's virtual environment) are
installed by ``.ci/run``; on a developer's machine without them the tests that need them are skipped,
saying what to install.  In CI (``CI=true``, set by ``.ci/run``) a missing one is a failure, so a
skip can never hide a test that did not run.  The same holds for what a platform may lack (``/dev/full``,
Linux's ``ru_maxrss``, util-linux's ``setpriv``): :func:`unless` skips only outside CI.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """``CI=true``, ``CI=1``, ...: what CI services and ``.ci/run`` set."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def missing(reason: str) -> NoReturn:
    """Skip the test that asked, saying ``reason``; in CI, fail it."""
    if in_ci():
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def unless(present: bool, reason: str) -> pytest.MarkDecorator:
    """A mark that skips the test when ``present`` is false (saying ``reason``), except in CI: there the test
    runs anyway and fails on its own, so a machine that lacks the part never passes CI with the test unrun."""
    return pytest.mark.skipif(not present and not in_ci(), reason=reason)


#: The tests that fill a disk write to /dev/full (Linux).
needs_dev_full = unless(Path("/dev/full").exists(), "needs /dev/full (Linux)")
