"""A usage mistake is one line: what is wrong, not Scrapy's usage block or its start-up log.

Scrapy builds each command's argument parser and, on a mistake, prints the usage block and then
the error; it also reads arguments with ``parse_known_args``, so an option it does not know
(``--ouptut``) is passed on as a positional argument or silently dropped.  The project's commands
mix in :class:`OneLineUsage`: the error alone, named by its command as their other messages are
(``crawl: give one spider name``), and an unknown option is a mistake.  ``-h`` still prints the
full help.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from scrapy.exceptions import UsageError


class OneLineUsage:
    """Mixed in before ``ScrapyCommand``: one-line usage errors, unknown options refused."""

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)  # type: ignore[misc]
        name = command_name(self)

        def error(message: str) -> NoReturn:
            sys.stderr.write(f"{name}: {message}\n")
            sys.exit(2)

        parser.error = error  # type: ignore[method-assign]

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        unknown = next((arg for arg in args if arg.startswith("-") and arg != "-"), None)
        if unknown is not None:
            raise UsageError(f"unknown option {unknown} (scrapy {command_name(self)} -h lists them)", print_help=False)
        super().process_options(args, opts)  # type: ignore[misc]


def command_name(command: object) -> str:
    """``crawl`` for ``crawler.commands.crawl.Command``: Scrapy names a command after its module."""
    return type(command).__module__.rsplit(".", 1)[-1]
